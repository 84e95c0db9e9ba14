"""Vendor messages built by hand for the extraction tests (no MIME involved)."""

from __future__ import annotations

import datetime as dt
import textwrap

from slipwatch.mail.model import Attachment, Table, VendorMessage

# A Monday afternoon in Pune; most tests read their dates against it.
MON_2_NOV_IST = dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


def message(text: str = "", *, sent: dt.datetime = MON_2_NOV_IST, subject: str = "Status update",
            tables: tuple[Table, ...] = (), attachments: tuple[Attachment, ...] = (),
            forward_note: str = "") -> VendorMessage:
    """A vendor message as the mail reader hands it over: `text` is dedented."""
    return VendorMessage(
        message_id="<test@vendor.example>", author="pm@vendor.example", author_name="Vendor PM",
        forwarded_by=None, sent=sent, subject=subject, text=textwrap.dedent(text).strip("\n"),
        tables=tables, attachments=attachments, forward_note=textwrap.dedent(forward_note).strip("\n"))


def attachment(filename: str, content_type: str, text: str) -> Attachment:
    return Attachment(filename=filename, content_type=content_type,
                      data=textwrap.dedent(text).strip("\n").encode())


def summary(milestones) -> list[tuple[str, str, str, str | None]]:
    """(name, due, status, previous_due) of each milestone, in order."""
    return [(m.name, m.due, m.status, m.previous_due) for m in milestones]
