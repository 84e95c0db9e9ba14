"""Reading time grows linearly with the body: no shape of text makes the reader scan again from every line.

A mail of 4,000 lines "From: a" once took 30 s to read (each line started a
new search for a header block, which ran to the end of the run), long enough to
hold up the mail behind it. Each shape below is what a hostile or broken body
can be made of; a body eight times as large may take about eight times as
long, never sixty-four.

The times are CPU times of this process, the better of two runs, compared as a
ratio with a generous margin: a busy machine slows both sizes alike.
"""

from __future__ import annotations

import time

import pytest

from slipwatch.config import LimitsConfig
from slipwatch.pipeline import read
from tests.helpers import vendor_mail
from tests.mail.conftest import build_mail

# whole read path, without the alarm: the time is what is measured here
UNBOUNDED = LimitsConfig(extract_seconds=0)


def repeated(unit: str):
    return lambda size: unit * (size // len(unit))


#: name -> body of about `size` characters
SHAPES = {
    "repeated header labels": repeated("From: a\n"),
    "repeated header lines with addresses": repeated("From: a@b.example\n"),
    "a label of another language on every line": repeated("a:\n"),
    "repeated subject lines": repeated("Subject: x\n"),
    "header pairs that never make a block": repeated("From: a@b.example\nDate: 1 Dec 2026\n"),
    "a wrapped address list": lambda size: "To: a@b.example,\n" + "c@d.example,\n" * (size // 13),
    "repeated separators": repeated("-----Original Message-----\n"),
    "repeated 'On ... wrote:'": repeated("On Mon, 1 Dec 2026, a@b.example wrote:\n"),
    "repeated quoted 'On ... wrote:'": repeated("> On Mon, 1 Dec 2026, a@b.example wrote:\nx\n"),
    "attribution starts that never end": repeated("On Mon 1 Dec 2026\n"),
    "repeated forward intros": repeated("Begin forwarded message:\n"),
    "deep '>' quoting": lambda size: ">" * (size // 2) + " x\n",
    "every depth of quoting": lambda size: "".join(">" * (i % 200) + " x\n" for i in range(size // 100)),
    "a line of words without a break": repeated("a "),
    "a dashed rule with a long gap": lambda size: "---a" + " " * size + "x\n",
    "a long line of '<mailto:'": lambda size: "From: <mailto:" + "a" * size + "\n",
    "thousands of dates on lines": repeated("Beta due 1 Dec 2026\n"),
    "thousands of dates on one line": repeated("1 Dec 2026, "),
    "thousands of ISO dates": repeated("2026-12-01 "),
    "thousands of weekdays": repeated("Friday "),
    "thousands of bullets": repeated("- item\n"),
    "thousands of dated bullets": repeated("- Beta build due 1 Dec\n"),
    "table pipes": repeated("| a | b |\n"),
    "dated table rows": repeated("| Beta | 2026-12-01 | planned |\n"),
    "aligned columns": repeated("Beta build    2026-12-01    planned\n"),
    "dated labels": repeated("Beta: 1 Dec\n"),
    "dated labels each of its own": lambda size: "".join(f"Beta {i}: 1 Dec\n" for i in range(size // 14)),
    "clauses of one day": repeated("Beta on 1 Dec and docs on 1 Dec\n"),
    "sign-offs": repeated("Regards\n"),
    "a sign-off with a long gap": lambda size: "Regards" + " " * size + "x\n",
}


def html_mail(html: str) -> bytes:
    return build_mail(None, subject="Schedule", html=html)


HTML_SHAPES = {
    "nested HTML tables": repeated("<table><tr><td>"),
    "an HTML table of dated cells": lambda size: "<table>" + "<tr><td>a</td><td>1 Dec</td></tr>" * (size // 33),
    "unclosed HTML comments": repeated("<!--"),
    "unclosed HTML tags": repeated("<a "),
    "unclosed HTML attributes": repeated('<a b="'),
    "deep blockquotes": repeated("<blockquote>"),
}


def cpu_seconds(raw: bytes) -> float:
    start = time.process_time()
    read(raw, UNBOUNDED)
    return time.process_time() - start


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """The registry's patterns are compiled on first use: not part of any reading measured here."""
    read(vendor_mail(), UNBOUNDED)
    read(html_mail("<p>x</p>"), UNBOUNDED)


def assert_linear(make) -> None:
    small, large = make(4_000), make(32_000)
    t_small = min(cpu_seconds(small), cpu_seconds(small))
    # linear is x8, quadratic x64; 16 leaves room for a busy machine, and 50 ms for bodies read in no time
    bound = 16 * t_small + 0.05
    t_large = cpu_seconds(large)
    if t_large > bound:  # a second chance, for a moment the machine was busier than the margin allows for
        t_large = min(t_large, cpu_seconds(large))
    assert t_large <= bound, f"4 KB read in {t_small:.3f} s, 32 KB in {t_large:.3f} s"


@pytest.mark.parametrize("shape", list(SHAPES))
def test_reading_time_grows_linearly_with_the_body(shape):
    assert_linear(lambda size: vendor_mail(SHAPES[shape](size)))


@pytest.mark.parametrize("shape", list(HTML_SHAPES))
def test_reading_time_grows_linearly_with_an_html_body(shape):
    assert_linear(lambda size: html_mail(HTML_SHAPES[shape](size)))


def test_the_4000_line_body_of_the_report_is_read_in_under_a_second():
    raw = vendor_mail("From: a\n" * 4000)  # 32 KB: it took 29.9 s
    assert cpu_seconds(raw) < 1.0
