"""Authentication-Results read as RFC 8601 writes them: who wrote it, then method=result and properties.

Comments are no results, quoted strings are read whole, a property's value is
read as a value even when it spells a result, and what does not parse is
dropped rather than guessed at.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings, strategies as st

from slipwatch.mail.authres import AuthResults, Result, parse


def results(value: str) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.result, dict(r.properties)) for r in parse(value).results]


def test_the_server_its_results_and_their_properties():
    header = parse(
        "mx1.fernhill.example;\r\n spf=pass (mx1.fernhill.example: domain of x designates 192.0.2.1 as permitted"
        " sender) smtp.mailfrom=nimbuslabs.example;\r\n dkim=pass (2048-bit key; unprotected)"
        " header.d=nimbuslabs.example header.i=@nimbuslabs.example header.s=sel1 header.b=AbC+/1x=;\r\n"
        " dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=nimbuslabs.example"
    )
    assert header == AuthResults("mx1.fernhill.example", (
        Result("spf", "pass", (("smtp.mailfrom", "nimbuslabs.example"),)),
        Result("dkim", "pass", (("header.d", "nimbuslabs.example"), ("header.i", "@nimbuslabs.example"),
                                ("header.s", "sel1"), ("header.b", "AbC+/1x="))),
        Result("dmarc", "pass", (("header.from", "nimbuslabs.example"),)),
    ))
    assert header.results[2].get("header.from") == "nimbuslabs.example"


def test_a_mail_from_that_spells_a_result_is_a_value():
    assert results("mx1.fernhill.example; spf=pass smtp.mailfrom=dmarc=pass@evil.example; dkim=none;"
                   " dmarc=fail header.from=fernhill.example") == [
        ("spf", "pass", {"smtp.mailfrom": "dmarc=pass@evil.example"}),
        ("dkim", "none", {}),
        ("dmarc", "fail", {"header.from": "fernhill.example"}),
    ]


@pytest.mark.parametrize("value", [
    "mx1.fernhill.example; spf=fail (dmarc=pass header.from=fernhill.example) smtp.mailfrom=evil.example",
    "mx1.fernhill.example (dmarc=pass); spf=fail smtp.mailfrom=evil.example",
    "mx1.fernhill.example; spf=fail smtp.mailfrom=evil.example (a (nested; dmarc=pass) \\) comment; dmarc=pass)",
    'mx1.fernhill.example; spf=fail smtp.mailfrom="a; dmarc=pass header.from=fernhill.example"@evil.example',
    'mx1.fernhill.example; spf=fail reason="dmarc=pass; \\" dmarc=pass" smtp.mailfrom=evil.example',
])
def test_comments_and_quoted_strings_hold_no_results(value):
    assert [method for method, _, _ in results(value)] == ["spf"]


def test_case_versions_and_folding():
    header = parse('"MX1.Fernhill.Example" 1;\r\n\tDKIM/1 = Pass Header.D = Nimbuslabs.Example;DMARC=FAIL header.from=x.example')
    assert header.authserv_id == "mx1.fernhill.example"
    assert [(r.method, r.result) for r in header.results] == [("dkim", "pass"), ("dmarc", "fail")]
    assert header.results[0].properties == (("header.d", "Nimbuslabs.Example"),)


def test_no_result_and_reasons():
    assert parse("mx1.fernhill.example; none") == AuthResults("mx1.fernhill.example", ())
    assert results('mx1.fernhill.example; dkim=fail reason="signature did not verify" header.d=x.example') == [
        ("dkim", "fail", {"header.d": "x.example"}),
    ]


@pytest.mark.parametrize("value", [
    "mx1.fernhill.example; dmarc=pass header.from=fernhill.example garbage",
    "mx1.fernhill.example; dmarc pass header.from=fernhill.example",
    "mx1.fernhill.example; dmarc=pass header.from",
    "mx1.fernhill.example; dmarc=pass header.from=",
    "mx1.fernhill.example; =pass",
    "mx1.fernhill.example; dmarc=",
])
def test_a_result_that_does_not_parse_is_dropped_and_the_next_kept(value):
    assert results(value + "; spf=pass smtp.mailfrom=x.example") == [("spf", "pass", {"smtp.mailfrom": "x.example"})]


@pytest.mark.parametrize("value", [
    "mx1.fernhill.example; dmarc=pass header.from=fernhill.example (unclosed",
    'mx1.fernhill.example; dmarc=pass header.from="fernhill.example',
])
def test_an_unclosed_comment_or_quote_spoils_the_rest(value):
    assert results(value + "; spf=pass smtp.mailfrom=x.example") == []


def test_a_broken_result_in_the_middle_costs_only_itself():
    assert results("mx.example; dkim=pass header.d=a.example junk; dmarc=pass header.from=a.example") == [
        ("dmarc", "pass", {"header.from": "a.example"}),
    ]


def test_a_header_without_a_server_names_none():
    """Microsoft 365 writes no authserv-id: the header is no server's, and counts for none."""
    header = parse("spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=x.example; dmarc=pass action=none"
                   " header.from=x.example")
    assert header.authserv_id is None


@given(st.text(alphabet=st.sampled_from('ab.=;()"\\ @\r\n\tdmarcpass-/1é'), max_size=300))
@settings(max_examples=500, deadline=None)
def test_any_text_parses_without_raising(value):
    header = parse(value)
    assert isinstance(header, AuthResults)
    for result in header.results:
        assert result.method and result.result


@given(st.text(max_size=500))
@settings(max_examples=300, deadline=None)
def test_any_unicode_parses_without_raising(value):
    parse(value)


def _steps(value: str) -> int:
    """Lines of Python run to parse `value`: a measure of work that, unlike a clock, no other load disturbs."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += event == "line"
        return tracer

    before = sys.gettrace()
    sys.settrace(tracer)
    try:
        parse(value)
    finally:
        sys.settrace(before)
    return count


UNITS = ["(", ")", '"', "\\", ";", "=", ".", "/", " ", "a", "a=", "a.b=c ", "(a)", '"\\"', "; a=b c.d=e", "x; ",
         "((\\)", "dmarc=pass ", "header.from=", "@"]


@given(st.lists(st.sampled_from(UNITS), min_size=1, max_size=8))
@settings(max_examples=100, deadline=None)
def test_work_grows_linearly_with_the_header(units):
    """Sixteen times the text costs about sixteen times the work (a quadratic parser: 256 times). The
    bound leaves an eighth over sixteen: a text's first units can cost a little less than the rest
    ('"dmarc=pass dmarc=pass ; a=b c.d=e"\\".' repeated costs 16.01 times)."""
    pattern = "".join(units)
    small, large = (_steps("mx.example; " + pattern * n) for n in (25, 400))
    assert large <= 18 * small + 100
