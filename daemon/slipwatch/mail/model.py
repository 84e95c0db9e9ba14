"""The vendor message: what the mail reader hands to extraction and the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Row = tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table found in an HTML part or an attached document: rows of cell texts, the header row first.

    A document's table says where it stands: `source` names the attachment and its sheet or page
    ("plan.xlsx, sheet Plan"), `row_numbers` the document's own number of each row (a sheet's row
    5), so that an item's evidence can point at it. `fills` is what the fill colour of each cell
    says (slipwatch.mail.html.rgb_word: "Red", "Amber", "Green", "■" or ""), by row, when the
    document colours its cells; the extractor reads it only where a status cell is empty.
    """

    rows: tuple[Row, ...]
    source: str = ""
    row_numbers: tuple[int, ...] = ()
    fills: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Document:
    """What an office attachment (a spreadsheet, a Word file, a PDF) holds, as slipwatch.mail.documents
    reads it: its tables, its running text (paragraphs, a PDF's lines; "" for a spreadsheet) and
    `notes` on what was left unread (a sheet cut at a bound), which join the message's problems."""

    name: str
    tables: tuple[Table, ...] = ()
    text: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attachment:
    """A decoded attachment the extractor may read (ICS, CSV, ...)."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass(frozen=True)
class VendorMessage:
    """The vendor's message inside whatever wrapped it (forwards, replies).

    `author` is the vendor who wrote the content; `forwarded_by` the staff
    member who sent it to the mailbox (None when the vendor wrote directly);
    `sent` when the vendor wrote it, with the offset it was written in.
    `text` is the vendor's new text only: quoted history and signatures are
    gone, tables are laid out one row per line with cells separated by " | ".
    `documents` are the office attachments (XLSX, DOCX, PDF) as read; one that
    could not be read is a problem instead, with its reason.
    `forward_note` is what the forwarder wrote on top of a forward (it can state
    a dated deliverable too); `mailbox_message_id` the Message-ID of the mail as
    it arrived, which differs from `message_id` when the vendor message is
    attached or quoted; Message-IDs are normalised (slipwatch.mail.dedup).
    `from_problem` says why the From header of the mail as it arrived names no
    single sender (slipwatch.mail.addresses); such mail is never trusted.
    """

    message_id: str | None
    author: str | None
    author_name: str | None
    forwarded_by: str | None
    sent: dt.datetime | None
    subject: str
    text: str
    tables: tuple[Table, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    documents: tuple[Document, ...] = ()
    references: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())
    forward_note: str = ""
    mailbox_message_id: str | None = None
    from_problem: str | None = None

    def envelope(self) -> dict[str, str | None]:
        """The envelope keys of `slipwatch extract --json` (RULES.md)."""
        return {
            "forwarded_by": self.forwarded_by,
            "from": self.author,
            "subject": self.subject,
            "sent": format_instant(self.sent) if self.sent else None,
        }


def format_instant(moment: dt.datetime) -> str:
    """`YYYY-MM-DDTHH:MM+HH:MM`, the instant form RULES.md uses."""
    offset = moment.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{moment:%Y-%m-%dT%H:%M}{sign}{minutes // 60:02d}:{minutes % 60:02d}"
