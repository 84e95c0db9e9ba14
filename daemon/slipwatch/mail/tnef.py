"""Outlook's winmail.dat (TNEF): its body and attachments, read with tnefparse.

Outlook sends mail in its own container when "Rich Text" is on: the text and
the attached schedule sit inside one application/ms-tnef part that other
clients show as an opaque winmail.dat. tnefparse (pure Python, LGPL) reads
the container; an RTF-only body is not rendered (it would need an RTF
converter too) and is reported as a problem instead.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass

from tnefparse.tnef import TNEF

from slipwatch.mail.model import Attachment

logger = logging.getLogger(__name__)

TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})


@dataclass(frozen=True)
class Unpacked:
    text: str
    html: str
    attachments: tuple[Attachment, ...]
    problems: tuple[str, ...]


def is_tnef(content_type: str, filename: str | None) -> bool:
    return content_type in TNEF_TYPES or (filename or "").lower() == "winmail.dat"


def _text(value: bytes | str | None, codepage: str | None) -> str:
    """TNEF strings are in the sender's code page (its OEM code page attribute says which)."""
    if not isinstance(value, bytes):
        return (value or "").strip("\x00")
    try:
        return value.decode(codepage or "utf-8").strip("\x00")
    except (UnicodeDecodeError, LookupError):
        return value.decode("cp1252", "replace").strip("\x00")


def unpack(data: bytes) -> Unpacked:
    """The text, HTML and attachments inside a winmail.dat; never raises."""
    try:
        container = TNEF(data, do_checksum=False)
    except Exception as exc:  # noqa: BLE001 - a broken container costs only itself
        logger.debug("winmail.dat unreadable: %s", type(exc).__name__)
        return Unpacked("", "", (), (f"winmail.dat could not be read: {type(exc).__name__}",))
    attachments = []
    for att in container.attachments:
        name = (att.long_filename() or att.name or "").strip("\x00") or None
        ctype = mimetypes.guess_type(name or "")[0] or "application/octet-stream"
        if isinstance(att.data, bytes) and att.data:
            attachments.append(Attachment(filename=name, content_type=ctype, data=att.data))
    text, html = _text(container.body, container.codepage), _text(container.htmlbody, container.codepage)
    problems = () if text or html else ("winmail.dat holds no plain or HTML body (an RTF body is not read)",)
    return Unpacked(text, html, tuple(attachments), problems)
