"""Whatever a mail says, extract() answers: never an exception, never a date
that is not on the calendar."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from slipwatch.extract import extract
from slipwatch.extract.model import ORIGINS, STATUSES
from slipwatch.mail.model import Attachment, Table
from tests.extract.messages import message

# Pieces vendors write, so random text often looks like a status mail.
FRAGMENTS = [
    "- ", "* ", "1. ", "\n", "\n\n", ": ", " – ", " | ", ", ", ". ", "(", ")", "was ", "from ", " to ",
    "instead of ", "Beta 2", "UAT build", "Batch 7", "the report", "We", "delivered", "slips", "at risk",
    "descoped", "revised ETA", "by a week", "two more days", "in 3 working days", "Friday", "next Tuesday",
    "tomorrow", "yesterday", "31/02", "29 Feb", "12/13/2026", "2026-13-45", "Q5 end", "week 53", "CW 99",
    "mid-December", "end of next week", "Dec 8-12", "6 PM IST", "EOD", "noon GMT+8", "30.11.", "04/12",
    "verschoben", "livré", "retrasado", "entregue", "consegnato", "opóźniony", "Due date: ", " → ",
    "changed the due date of the card ", "Status: Blocked", "ETA ", "pls note",
]
OFFSETS = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
SENT = st.builds(lambda d, tz: dt.datetime.combine(d, dt.time(12, 0), tz),
                 st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), OFFSETS)
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join)
CELLS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), min_size=1, max_size=5).map(tuple)
TABLES = st.lists(st.lists(CELLS, min_size=1, max_size=5).map(lambda rows: Table(rows=tuple(rows))), max_size=2)
ATTACHMENTS = st.lists(st.builds(
    Attachment, st.sampled_from(["a.ics", "b.csv", None]),
    st.sampled_from(["text/calendar", "text/csv", "application/pdf"]),
    st.one_of(TEXT.map(str.encode), st.binary(max_size=200),
              st.just(b"BEGIN:VCALENDAR\nBEGIN:VTODO\nSUMMARY:X\nDUE:20261301\nEND:VTODO\nEND:VCALENDAR"))),
    max_size=2)

WHEN = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}[+-]\d{2}:\d{2})?")


def _real(value: str) -> bool:
    if not WHEN.fullmatch(value):
        return False
    if len(value) == 10:
        dt.date.fromisoformat(value)
    else:
        dt.datetime.fromisoformat(value)
    return True


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, note=TEXT, subject=TEXT, sent=SENT, tables=TABLES, attachments=ATTACHMENTS)
@example(text="", note="", subject="", sent=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), tables=[],
         attachments=[Attachment("a.csv", "text/csv", b"\r0")])  # a bare carriage return in a CSV
def test_extract_never_raises_and_dates_are_real(text, note, subject, sent, tables, attachments) -> None:
    mail = message(text, sent=sent, subject=subject, tables=tuple(tables), attachments=tuple(attachments),
                   forward_note=note)
    for item in extract(mail):
        assert item.name.strip()
        assert item.status in STATUSES and item.origin in ORIGINS
        assert _real(item.due)
        assert item.previous_due is None or _real(item.previous_due)
