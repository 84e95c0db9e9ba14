"""A milestone's state, derived from its revisions: pure, so any moment can be asked about.

The newest revision decides the current state. Mail is placed by the vendor's
send time (a late-arriving older mail never overwrites a newer one); a
person's change by when it was recorded, after every revision recorded before
it, since it answers what was known then. A milestone is overdue
when its due moment has passed without a delivery: the end of the due day in
the vendor's zone for a date, the instant itself for an instant.

The vendor's record measures only what the vendor moved. The baseline is the
first committed date, or the date a person rebaselined to; every change of the
committed date after it is a move, and each move is the vendor's unless a
staff member made it (kind "staff"). The slip is the sum of the vendor's moves
since the baseline: a staff move shifts the due date and the measure together,
so a vendor's later move is measured from the date the staff set. A person's
fix of a misread (a revision that `amends` another) is no move at all: the
revision it fixes counts as if it had been read right, from the moment the fix
was made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

CLOSED = ("delivered", "cancelled")

# What a revision is. A vendor's mail; a person's correction (a misread date, a status, a name); a
# move the vendor made outside mail (a call), recorded by a person; a move staff made; a new baseline.
MAIL, CORRECTION, VENDOR_MOVE, STAFF_MOVE, REBASELINE = "mail", "correction", "vendor", "staff", "rebaseline"
KINDS = {MAIL: "mail", CORRECTION: "correction", VENDOR_MOVE: "vendor move", STAFF_MOVE: "staff move",
         REBASELINE: "rebaseline"}


@dataclass(frozen=True)
class Revision:
    """One observation of a milestone: what a message (or a person) said of it."""

    id: int
    sent: dt.datetime
    due: str | None
    status: str
    previous_due: str | None = None
    kind: str = MAIL
    author: str | None = None
    message_id: str | None = None
    evidence: str = ""
    name: str = ""
    amends: int | None = None  # the revision whose misread date this one fixes
    reason: str | None = None  # why a person changed it
    message: int | None = None  # the stored mail that said it (messages.id)

    @property
    def by_vendor(self) -> bool:
        """Whether a date this revision moves is the vendor's doing."""
        return self.kind not in (STAFF_MOVE, REBASELINE)


@dataclass(frozen=True)
class State:
    due: str | None
    status: str  # the reported status, or "overdue"
    reported_status: str
    baseline_due: str | None
    slip_days: int  # the vendor's moves since the baseline, together
    slip_working_days: int
    slips: int  # the vendor's moves later since the baseline
    staff_days: int  # what staff moved the date since the baseline: due = baseline + slip + staff
    delivered_at: str | None
    late_days: int | None  # past the baseline and what staff moved it
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
    """Oldest first: a mail at its send time, a person's change at its own time or after the revisions
    recorded before it (ids count the order of recording), whichever is later."""
    place: dict[int, dt.datetime] = {}
    latest: dt.datetime | None = None
    for r in sorted(revisions, key=lambda r: r.id):
        place[r.id] = r.sent if r.kind == MAIL or latest is None else max(r.sent, latest)
        latest = place[r.id] if latest is None else max(latest, place[r.id])
    return sorted(revisions, key=lambda r: (place[r.id], r.id))


def effective(revisions: Sequence[Revision]) -> list[Revision]:
    """The revisions as they count, oldest first, misread fixes folded in.

    A fix amends the revision from which the milestone stood at the misread
    date: that one and every later commitment to the same date before the fix
    take the fix's date, and the fix itself leaves the sequence. A fix whose
    revision is not among these (split off to another milestone) stands as a
    revision of its own.
    """
    revisions = ordered(revisions)
    ids = {r.id for r in revisions}
    out: list[Revision] = []
    for r in revisions:
        if r.amends not in ids:
            out.append(r)
            continue
        start = next((i for i, o in enumerate(out) if o.id == r.amends), len(out))
        misread = out[start].due if start < len(out) else None
        for i in range(start, len(out)):
            if i == start or (out[i].due == misread and out[i].status != "delivered"):
                out[i] = replace(out[i], due=r.due)
    return out


def _commitments(history: Sequence[Revision]) -> list[Revision]:
    """The revisions that commit to a date: a delivery report dates the delivery, not a commitment."""
    return [r for r in history if r.due and r.status != "delivered"]


def _dated(history: Sequence[Revision]) -> list[Revision]:
    """The revisions that give the due date; a delivery report only when nothing else does."""
    return _commitments(history) or [r for r in history if r.due][-1:]


def committed(revisions: Sequence[Revision]) -> Revision | None:
    """The revision that set the current due date, misread fixes folded in."""
    dated = _dated(effective(revisions))
    return dated[-1] if dated else None


def current_since(revisions: Sequence[Revision]) -> Revision | None:
    """The first revision of those that have given the current due date since it last changed:
    where slipwatch read a date that a misread fix corrects."""
    dated = _dated(effective(revisions))
    since = dated[-1] if dated else None
    for r in reversed(dated):
        if r.due != dated[-1].due:
            break
        since = r
    return since


@dataclass(frozen=True)
class Move:
    """The committed date changing: the revision that said so, and from which date to which."""

    revision: Revision
    old: str
    new: str

    @property
    def days(self) -> int:
        return (day(self.new) - day(self.old)).days

    @property
    def working_days(self) -> int:
        return working_days(day(self.old), day(self.new))


def _moves(history: Sequence[Revision]) -> list[Move]:
    out = []
    date: str | None = None
    for r in _commitments(history):
        old, new = date or r.previous_due, r.due
        if old and new and day(new) != day(old):
            out.append(Move(r, old, new))
        date = new
    return out


def moves(revisions: Sequence[Revision]) -> list[Move]:
    """Every change of the committed date, oldest first, whoever made it; a first mail that already
    says "moved from A" moves from A."""
    return _moves(effective(revisions))


def slips(revisions: Sequence[Revision]) -> list[Move]:
    """Every time the vendor moved its committed date later, oldest first (a staff move is none)."""
    return [m for m in moves(revisions) if m.revision.by_vendor and m.days > 0]


def derive(revisions: Sequence[Revision], zone: dt.tzinfo, as_of: dt.datetime) -> State:
    """The state of a milestone with these revisions, as it stands at `as_of`."""
    known = [r for r in ordered(revisions) if r.sent <= as_of]
    if not known:
        raise ValueError("no revision at or before as_of: the milestone was not known then")
    history = effective(known)
    newest = history[-1]
    commitments = _commitments(history)
    rebased = [r for r in commitments if r.kind == REBASELINE]
    counted = _moves(history)
    if rebased:  # measured afresh from the date a person set
        baseline: str | None = rebased[-1].due
        position = {r.id: i for i, r in enumerate(history)}
        counted = [m for m in counted if position[m.revision.id] > position[rebased[-1].id]]
    elif commitments:
        baseline = commitments[0].previous_due or commitments[0].due
    else:  # only delivery reports carry a date: the first one's is the baseline
        dated = [r for r in history if r.due]
        baseline = (dated[0].previous_due or dated[0].due) if dated else None
        if baseline and dated[-1].due and day(dated[-1].due) != day(baseline):
            counted = [Move(dated[-1], baseline, dated[-1].due)]
    vendor = [m for m in counted if m.revision.by_vendor]
    current = committed(history)
    due = current.due if current else None
    slip = sum(m.days for m in vendor)
    delivered = newest.status == "delivered"
    delivered_at = newest.due if delivered else None
    overdue = newest.status not in CLOSED and due is not None and as_of >= due_moment(due, zone)
    return State(
        due=due,
        status="overdue" if overdue else newest.status,
        reported_status=newest.status,
        baseline_due=baseline,
        slip_days=slip,
        slip_working_days=sum(m.working_days for m in vendor),
        # a late delivery report (the fallback above) moved no commitment: it is lateness, not a slip
        slips=sum(1 for m in vendor if m.days > 0 and m.revision.status != "delivered"),
        staff_days=sum(m.days for m in counted if not m.revision.by_vendor),
        delivered_at=delivered_at,
        # how late against the current due, plus what the vendor itself moved that due by
        late_days=(day(delivered_at) - day(due)).days + slip if delivered_at and due else None,
        overdue=overdue,
        last_change=max(r.sent for r in known),
    )
