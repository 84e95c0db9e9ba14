"""A milestone's state, derived from its revisions: pure, so any moment can be asked about.

The newest revision by the vendor's send time decides the current state (a
late-arriving older mail never overwrites a newer one). The baseline is the
first committed date; a slip is how far the current date lies past it; a
milestone is overdue when its due moment has passed without a delivery: the
end of the due day in the vendor's zone for a date, the instant itself for an
instant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

CLOSED = ("delivered", "cancelled")


@dataclass(frozen=True)
class Revision:
    """One observation of a milestone: what a message (or a person) said of it."""

    id: int
    sent: dt.datetime
    due: str | None
    status: str
    previous_due: str | None = None
    kind: str = "mail"  # "mail", or "correction" by a person
    author: str | None = None
    message_id: str | None = None
    evidence: str = ""
    name: str = ""


@dataclass(frozen=True)
class State:
    due: str | None
    status: str  # the reported status, or "overdue"
    reported_status: str
    baseline_due: str | None
    slip_days: int
    slip_working_days: int
    slips: int
    delivered_at: str | None
    late_days: int | None
    overdue: bool
    last_change: dt.datetime


def day(value: str) -> dt.date:
    """The calendar day of a due value, as written (`YYYY-MM-DD...`)."""
    return dt.date.fromisoformat(value[:10])


def due_moment(value: str, zone: dt.tzinfo) -> dt.datetime:
    """When a due value has passed: an instant exactly, a date at the end of that day in `zone`."""
    if len(value) > 10:
        return dt.datetime.fromisoformat(value)
    return dt.datetime.combine(day(value) + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (negative when end is earlier)."""
    sign, (a, b) = (1, (start, end)) if end >= start else (-1, (end, start))
    whole_weeks, rest = divmod((b - a).days, 7)
    count = whole_weeks * 5 + sum(1 for i in range(1, rest + 1) if (a + dt.timedelta(days=i)).weekday() < 5)
    return sign * count


def ordered(revisions: Sequence[Revision]) -> list[Revision]:
    return sorted(revisions, key=lambda r: (r.sent, r.id))


@dataclass(frozen=True)
class Slip:
    """A date moving later: the revision that said so, and from which date to which."""

    revision: Revision
    old: str
    new: str

    @property
    def days(self) -> int:
        return (day(self.new) - day(self.old)).days


def slips(revisions: Sequence[Revision]) -> list[Slip]:
    """Every time the committed date moved later, oldest first.

    A delivery report dates the delivery, not a commitment, so it moves
    nothing; a first mail that already says "moved from A" slips from A.
    """
    out = []
    committed: str | None = None
    for r in ordered(revisions):
        if not r.due or r.status == "delivered":
            continue
        old = committed or r.previous_due
        if old and day(r.due) > day(old):
            out.append(Slip(r, old, r.due))
        committed = r.due
    return out


def derive(revisions: Sequence[Revision], zone: dt.tzinfo, as_of: dt.datetime) -> State:
    """The state of a milestone with these revisions, as it stands at `as_of`."""
    history = [r for r in ordered(revisions) if r.sent <= as_of]
    if not history:
        raise ValueError("no revision at or before as_of: the milestone was not known then")
    newest = history[-1]
    dated = [r for r in history if r.due]
    # a delivery report dates the delivery, not the commitment; it counts only when nothing else does
    commitments = [r.due for r in dated if r.status != "delivered"] or [r.due for r in dated]
    first = next(r for r in dated if r.due == commitments[0]) if commitments else None
    baseline = (first.previous_due or first.due) if first else None
    due = commitments[-1] if commitments else None
    delivered = newest.status == "delivered"
    delivered_at = newest.due if delivered else None
    slip = (day(due) - day(baseline)).days if due and baseline else 0
    late = (day(delivered_at) - day(baseline)).days if delivered_at and baseline else None
    overdue = newest.status not in CLOSED and due is not None and as_of >= due_moment(due, zone)
    return State(
        due=due,
        status="overdue" if overdue else newest.status,
        reported_status=newest.status,
        baseline_due=baseline,
        slip_days=slip,
        slip_working_days=working_days(day(baseline), day(due)) if due and baseline else 0,
        slips=len(slips(history)),
        delivered_at=delivered_at,
        late_days=late,
        overdue=overdue,
        last_change=newest.sent,
    )
