"""Is it mail at all? What a file dropped into the mailbox is, told before anything parses it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slipwatch.errors import NotMail
from slipwatch.mail.sniff import check_is_mail
from tests.helpers import DEMO_INBOX, vendor_mail


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty"),
        (b"\n", "empty (only blank lines)"),
        (b"\r\n \r\n\t\n", "empty (only blank lines)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary (a PNG image)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary (a JPEG image)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary (a PDF document)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "binary (an Outlook .msg or old Office file; save the mail as .eml)"),
        (b"\x00\x01binary junk that is not a message\r\n\r\n\xff\xfe", "binary"),
        (b"Hi Maya,\n\nThe beta build is ready.\n", "no header block"),
        (b"\nFrom: rahul.k@nimbuslabs.example\n\nhi\n", "no header block"),  # the headers come after a blank line
    ],
)
def test_what_is_not_mail_is_named(raw, reason):
    with pytest.raises(NotMail) as err:
        check_is_mail(raw)
    assert str(err.value).startswith(f"not a mail message: {reason}")


@pytest.mark.parametrize(
    "raw",
    [
        vendor_mail(),
        b"From rahul.k@nimbuslabs.example Fri Nov 20 12:35:00 2026\nFrom: rahul.k@nimbuslabs.example\n\nhi\n",
        b"Received : from mx.example (obsolete space before the colon)\nFrom: a@b.example\n\nhi\n",
        b"Subject: =?iso-2022-jp?b?GyRCJUYlOSVIGyhC?=\nFrom: a@b.example\n\n\x1b$B%F%9%H\x1b(B\n",  # ESC is text
        b"From: a@b.example\n\nbody with a stray NUL \x00 after the header block\n",
    ],
)
def test_mail_passes(raw):
    check_is_mail(raw)


def test_every_demo_mail_passes():
    for path in DEMO_INBOX.glob("*.eml"):
        check_is_mail(path.read_bytes())


@given(st.binary(max_size=300))
def test_any_bytes_pass_or_fail_with_a_reason(raw):
    try:
        check_is_mail(raw)
    except NotMail as exc:
        assert str(exc).startswith("not a mail message: ")
