"""What extraction hands on: one dated deliverable of a vendor message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PLANNED = "planned"
DELIVERED = "delivered"
AT_RISK = "at_risk"
DELAYED = "delayed"
CANCELLED = "cancelled"

STATUSES = (PLANNED, DELIVERED, AT_RISK, DELAYED, CANCELLED)

# Where an item was read; RULES.md counts them all alike.
ORIGINS = ("text", "table", "ics", "csv", "document", "notification")


@dataclass(frozen=True)
class Milestone:
    """A dated deliverable as RULES.md defines it.

    `due` and `previous_due` are `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM+HH:MM`.
    `evidence` is the sentence, table row or attachment summary it was read
    from; `confidence` how sure the reading is (0..1), for review screens.
    """

    name: str
    project: str | None
    due: str
    status: str
    previous_due: str | None = None
    evidence: str = ""
    origin: str = "text"
    confidence: float = 1.0

    @property
    def day(self) -> str:
        """The calendar day of `due` (`YYYY-MM-DD`), whatever its precision."""
        return self.due[:10]


@dataclass(frozen=True)
class Reading:
    """How every part of one message is read: its clock and its numeric-date order.

    `day_first` is the order the whole message settles (None: undecided);
    `fallback_name` names an item whose sentence names none ("ETA 12/11 pls
    note" under the subject "Foil samples set 2 - ETA?").
    """

    sent: dt.datetime
    day_first: bool | None
    forward_note: bool = False  # the forwarder's own note: only explicit future dates count
    fallback_name: str = ""
