"""Is it a mail message at all? A look at the first bytes, before anything parses them.

Whatever lands in the mailbox folder arrives here: a picture, an empty file,
an Outlook .msg. The stdlib parser takes any bytes for a message without
headers, which would then fail as "no sender address"; this says what the
file is instead, and such a file is failed for good (reading it again changes
nothing).
"""

from __future__ import annotations

import re

from slipwatch.errors import NotMail

# formats people drop into a mail folder by mistake, by their first bytes
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Outlook .msg or old Office file; save the mail as .eml"),
)
# a header field: a name of printable ASCII but the colon, then the colon (RFC 5322 2.2; obsolete space allowed)
_FIELD = re.compile(rb"[!-9;-~]+[ \t]*:")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_HEAD_BYTES = 8192
# control characters that text mail carries: tab, line breaks, form feed, and ESC (ISO-2022-JP)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
# every other byte: deleting these leaves the control characters no text carries, counted in C
_NOT_BINARY = bytes(b for b in range(256) if b >= 32 or b in _TEXT_CONTROLS)


def check_is_mail(raw: bytes) -> None:
    """NotMail, with the reason ("empty", "binary", "no header block"), unless the bytes start like a message."""
    reason = _why_not(raw)
    if reason:
        raise NotMail(f"not a mail message: {reason}")


def _why_not(raw: bytes) -> str | None:
    if not raw.strip():
        return "empty" if not raw else "empty (only blank lines)"
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            return f"binary ({what})"
    end = _BLANK_LINE.search(raw, 0, _HEAD_BYTES)
    head = raw[: end.start() if end else _HEAD_BYTES]
    if len(head.translate(None, _NOT_BINARY)) > len(head) // 50 or b"\0" in head:
        return "binary"
    lines = head.splitlines() or [b""]
    first = lines[1] if lines[0].startswith(b"From ") and len(lines) > 1 else lines[0]  # an mbox "From " line first
    if not _FIELD.match(first):
        return "no header block (the first line is not a header such as From: or Subject:)"
    return None
