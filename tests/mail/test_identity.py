"""Who a mail is from: the address, never the display name, whatever the display name says.

The From header is read raw (RFC 5322, `email.headerregistry`): RFC 2047 words
are decoded in the display name only, after the address was taken. A forward
block's "From:" line is text the forwarder vouches for, read the same way: the
address is the one in angle brackets (or Outlook's [mailto:]), never a name
that looks like one.
"""

from __future__ import annotations

import textwrap

import pytest

from slipwatch.mail import read_message

ATTACKER = "attacker@evil.example"


def raw_mail(from_: str | None, body: str = "slipwatch: due 2031-01-01 #1\n", *, extra: str = "",
             subject: str = "Beta build") -> bytes:
    """A mail with its header lines exactly as written (no library re-encodes them)."""
    lines = [f"From: {from_}"] if from_ is not None else []
    lines += ["To: Schedule <schedule@fernhill.example>", f"Subject: {subject}",
              "Date: Fri, 20 Nov 2026 10:00:00 +0000", "Message-ID: <forged-1@evil.example>"]
    head = "\r\n".join(lines) + ("\r\n" + extra.strip() if extra else "")
    return (head + "\r\n\r\n" + textwrap.dedent(body)).encode()


@pytest.mark.parametrize("from_", [
    "=?utf-8?q?maya.chen=40fernhill.example?= <attacker@evil.example>",
    "=?utf-8?b?bWF5YS5jaGVuQGZlcm5oaWxsLmV4YW1wbGU=?= <attacker@evil.example>",
    '"maya.chen@fernhill.example" <attacker@evil.example>',
    "=?utf-8?q?Maya_Chen_=3Cmaya.chen=40fernhill.example=3E?= <attacker@evil.example>",
])
def test_a_display_name_that_reads_as_a_staff_address_is_only_a_name(from_):
    message = read_message(raw_mail(from_))
    assert message.author == ATTACKER
    assert "maya.chen@fernhill.example" in message.author_name  # decoded, for people to read
    assert message.from_problem is None


def test_an_unquoted_address_before_the_real_one_makes_the_from_header_unusable():
    """`maya.chen@fernhill.example <attacker@evil.example>` is no valid From: neither address is the sender."""
    message = read_message(raw_mail("maya.chen@fernhill.example <attacker@evil.example>"))
    assert message.author is None
    assert "From header" in message.from_problem


def test_an_encoded_word_where_the_address_should_be_gives_no_address():
    message = read_message(raw_mail("=?utf-8?q?maya.chen=40fernhill.example?="))
    assert message.author is None
    assert message.from_problem


@pytest.mark.parametrize(("from_", "problem"), [
    ("maya.chen@fernhill.example, attacker@evil.example", "2 addresses"),
    ("Staff: maya.chen@fernhill.example, attacker@evil.example;", "2 addresses"),
    ("undisclosed-recipients:;", "no address"),
    ("Maya Chen", "no address"),
    ("", "no address"),
    (None, "no From header"),
])
def test_a_from_with_several_addresses_or_none_names_no_sender(from_, problem):
    message = read_message(raw_mail(from_))
    assert message.author is None
    assert problem in message.from_problem


def test_two_from_headers_name_no_sender():
    message = read_message(raw_mail("maya.chen@fernhill.example", extra=f"From: {ATTACKER}"))
    assert message.author is None
    assert "2 From headers" in message.from_problem


def test_raw_utf8_in_the_display_name_is_read_and_the_address_kept():
    raw = raw_mail("Iñés Roldán <ines.roldan@estudionorte.example>")
    message = read_message(raw)
    assert (message.author, message.author_name) == ("ines.roldan@estudionorte.example", "Iñés Roldán")


def test_an_address_is_lower_cased_and_a_comment_is_no_name():
    message = read_message(raw_mail("Rahul K <Rahul.K@NimbusLabs.Example> (Nimbus Labs)"))
    assert (message.author, message.author_name) == ("rahul.k@nimbuslabs.example", "Rahul K")


def test_sender_and_resent_from_never_stand_in_for_a_missing_from():
    message = read_message(raw_mail(None, extra="Sender: maya.chen@fernhill.example\r\n"
                                                 "Resent-From: maya.chen@fernhill.example"))
    assert message.author is None


def test_a_hostile_from_header_is_refused_quickly_and_never_raises():
    for value in ('"' * 50_000, "(" * 50_000, "\\" * 50_000, "a <b@c.example>, " * 5_000):
        message = read_message(raw_mail(value))
        assert message.author is None and message.from_problem


# -- forward blocks: the forwarder vouches for the text, the address is still the address -----------------

FORWARD = """\
FYI

---------- Forwarded message ---------
From: {line}
Date: Fri, Nov 20, 2026 at 9:00 AM
Subject: Beta build
To: Maya Chen <maya.chen@fernhill.example>

The beta build will be ready on 27 November.
"""


@pytest.mark.parametrize("line", [
    '"maya.chen@fernhill.example" <attacker@evil.example>',
    "maya.chen@fernhill.example <attacker@evil.example>",
    "maya.chen@fernhill.example [mailto:attacker@evil.example]",
    "“maya.chen@fernhill.example” <attacker@evil.example>",
])
def test_a_forwarded_blocks_display_name_is_never_its_address(line):
    raw = raw_mail("Maya Chen <maya.chen@fernhill.example>", FORWARD.format(line=line), subject="Fwd: Beta build")
    message = read_message(raw)
    assert (message.author, message.forwarded_by) == (ATTACKER, "maya.chen@fernhill.example")


def test_a_forwarded_block_whose_only_address_is_quoted_has_no_author():
    line = '"kavya.raman@nimbuslabs.example"'
    raw = raw_mail("Maya Chen <maya.chen@fernhill.example>", FORWARD.format(line=line), subject="Fwd: Beta build")
    assert read_message(raw).author is None


def test_an_attribution_line_takes_the_bracketed_address():
    body = """\
    FYI

    On Fri, Nov 20, 2026 at 9:00 AM "maya.chen@fernhill.example" <attacker@evil.example> wrote:
    > The beta build will be ready on 27 November.
    """
    raw = raw_mail("Maya Chen <maya.chen@fernhill.example>", body, subject="Fwd: Beta build")
    assert read_message(raw).author == ATTACKER


def test_an_attached_messages_from_is_read_raw_too():
    inner = raw_mail("=?utf-8?q?kavya.raman=40nimbuslabs.example?= <attacker@evil.example>",
                     "The beta build will be ready on 27 November.\n").decode()
    outer = (
        "From: Maya Chen <maya.chen@fernhill.example>\r\nTo: schedule@fernhill.example\r\n"
        "Subject: Fwd: Beta build\r\nDate: Fri, 20 Nov 2026 11:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFYI\r\n'
        '--b\r\nContent-Type: message/rfc822\r\n\r\n' + inner + "\r\n--b--\r\n"
    ).encode()
    message = read_message(outer)
    assert (message.author, message.forwarded_by) == (ATTACKER, "maya.chen@fernhill.example")
