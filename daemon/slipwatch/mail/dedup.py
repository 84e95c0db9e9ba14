"""What makes two copies of a mail the same mail.

Its Message-ID, compared in one form: in angle brackets, without white space
(folding puts some in), the domain part in lower case (domains have no case;
the local part is the sender's own and keeps its case). A mail without one is
known by a hash of what its author wrote: the headers an author's client sets
(From, To, Subject, Date, ...) and the body, line ends and trailing blank lines
aside. What servers add on the way (Received, Return-Path, Delivered-To, X-*,
Authentication-Results, ARC-*, DKIM-Signature, ...) differs from route to
route and does not count.
"""

from __future__ import annotations

import hashlib
import re

_BRACKETED = re.compile(r"<([^<>]*)>")
# white space outside quoted strings (a quoted local part may hold some)
_SPACE = re.compile(r'("(?:[^"\\]|\\.)*")|\s+', re.DOTALL)
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(rb"\r?\n(?=[ \t])")

# the headers a mail's author sets; every other header is added, or may be, on the way
_AUTHORED = frozenset({
    b"from", b"sender", b"reply-to", b"to", b"cc", b"subject", b"date", b"in-reply-to", b"references",
    b"mime-version", b"content-type", b"content-transfer-encoding",
})


def normalise_message_id(value: str | None) -> str | None:
    """`<local@domain>` as stored and compared; None when the value holds no id."""
    if not value:
        return None
    found = _BRACKETED.search(value)
    if found:
        core = found.group(1)
    else:  # written without brackets: the first word is the id, the rest a comment
        words = value.split()
        core = words[0] if words else ""
    core = _SPACE.sub(lambda m: m.group(1) or "", core)
    if not core:
        return None
    local, at, domain = core.rpartition("@")
    return f"<{local}@{domain.lower()}>" if at else f"<{core}>"


def content_digest(raw: bytes) -> str:
    """SHA-256 (hex) of what the mail's author wrote: the authored headers, in name order, and the body."""
    found = _HEAD_END.search(raw)
    head, body = (raw[:found.start()], raw[found.end():]) if found else (raw, b"")
    fields = []
    for line in _FOLD.sub(b"", head).split(b"\n"):
        name, colon, value = line.partition(b":")
        name = name.strip().lower()
        if colon and name in _AUTHORED:
            fields.append(name + b":" + b" ".join(value.split()))
    if not fields:  # no mail as an author writes one (an empty file, a picture): its bytes are all there is
        return hashlib.sha256(raw).hexdigest()
    digest = hashlib.sha256()
    for field in sorted(fields):
        digest.update(field + b"\n")
    digest.update(b"\n" + body.replace(b"\r\n", b"\n").rstrip(b"\n"))
    return digest.hexdigest()
