"""Office attachments (spreadsheets; Word files and PDFs) as the tables and text they hold.

One reader per format, chosen by the attachment's file name or else its type:
`reader(data, name, limits) -> Document`, `name` the attachment's file name for
the tables' `source` and the notes. A reader raises DocumentUnreadable (a
password-protected or broken file) or LimitExceeded (a file past one of the
[limits]); the message then records the reason among its problems and the rest
of it is still read. A reader that stops at a bound (a sheet's rows) keeps what
it read and says so in the Document's notes.

An XLSX or DOCX file is a zip container: before its reader opens it, the sizes
its members declare are held to limits.max_attachment_bytes, which bounds what
decompressing it can produce (zipfile ends a member at its declared size), as
for the .gz and .zip CSV attachments: a zip bomb stops here, not in memory.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Sequence

from slipwatch.config import LimitsConfig
from slipwatch.errors import DocumentUnreadable, LimitExceeded
from slipwatch.limits import check_count
from slipwatch.mail import docx, pdf, xlsx
from slipwatch.mail.model import Attachment, Document

log = logging.getLogger(__name__)

Reader = Callable[[bytes, str, LimitsConfig], Document]

# The readers by file suffix; ZIPPED are those whose files are zip containers.
READERS: dict[str, Reader] = {".xlsx": xlsx.read, ".xlsm": xlsx.read, ".docx": docx.read, ".pdf": pdf.read}
ZIPPED = frozenset({".xlsx", ".xlsm", ".docx"})
# The suffix an attachment without a telling name reads as, by its content type.
TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/pdf": ".pdf",
}

# An OLE compound file: what Office writes for a password-protected .xlsx or .docx (and a legacy .xls or .doc).
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MEMBER = 0x1  # the zip flag of a member encrypted with a zip password


def suffix_of(att: Attachment) -> str | None:
    """The format an attachment is read as (".xlsx", ...), None for one that is no office document."""
    name = (att.filename or "").lower()
    for suffix in READERS:
        if name.endswith(suffix):
            return suffix
    suffix = TYPES.get(att.content_type.lower())
    return suffix if suffix in READERS else None


def read_documents(attachments: Sequence[Attachment], limits: LimitsConfig = LimitsConfig()) -> tuple[
        list[Document], list[str]]:
    """The office documents among `attachments`, and the problems of those that could not be read."""
    documents, problems = [], []
    for att in attachments:
        suffix = suffix_of(att)
        if suffix is None:
            continue
        name = att.filename or f"attachment{suffix}"
        try:
            if suffix in ZIPPED:
                check_container(att.data, name, limits)
            document = READERS[suffix](att.data, name, limits)
        except (DocumentUnreadable, LimitExceeded) as exc:
            problems.append(f"attachment {name} not read: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - a reader library's own failure on a malformed file
            log.debug("attachment %s: %s", name, type(exc).__name__)
            problems.append(f"attachment {name} not read: it is broken ({type(exc).__name__})")
            continue
        documents.append(document)
        problems.extend(document.notes)
    return documents, problems


def check_container(data: bytes, name: str, limits: LimitsConfig) -> None:
    """The zip container of an office document is one its reader may open: a zip, unencrypted,
    whose members declare no more than limits.max_attachment_bytes (and no more members than
    limits.max_parts)."""
    if data.startswith(_COMPOUND_FILE):
        raise DocumentUnreadable("it is password-protected (or in a legacy Office format, which is not read)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DocumentUnreadable(f"it is broken, not a readable Office file ({exc})") from None
    with archive:
        members = archive.infolist()
    check_count(len(members), limits.max_parts, f"{name} zip members", "max_parts")
    if any(member.flag_bits & _ENCRYPTED_MEMBER for member in members):
        raise DocumentUnreadable("it is password-protected")
    declared = sum(member.file_size for member in members)
    if declared > limits.max_attachment_bytes:
        raise LimitExceeded(f"it decompresses to {declared} bytes, over limits.max_attachment_bytes = "
                            f"{limits.max_attachment_bytes}")
