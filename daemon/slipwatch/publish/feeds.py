"""One calendar feed: the milestones of a team (or of every team) as iCalendar VEVENTs.

Pure: views in, bytes out, no I/O and no clock. The same data at the same
moment always gives the same bytes, so the ETag only changes when something
a subscriber sees changed:

- UID ``milestone-<id>@<organisation domain>``, SEQUENCE the number of
  revisions, DTSTAMP and LAST-MODIFIED the milestone's last change.
- "overdue" is derived from the moment the views were loaded at (see
  ``track.timeline``), so a feed changes when a milestone becomes overdue,
  which is wanted: its SUMMARY says so, and its LAST-MODIFIED is its due
  moment, the time it became overdue.
- A due date is an all-day event on that date; a due instant is a short
  event at that instant, written in the feed's zone with its VTIMEZONE (the
  team's zone; the ``all`` feed writes UTC, which every client reads alike and
  needs no VTIMEZONE). A wall-clock time that occurs twice (the hour a DST
  change repeats) is written in UTC, since TZID would name the first one.
- Cancelled milestones and those without a due date are left out.
- Vendor text (names, evidence) keeps to its line of the DESCRIPTION, and its
  control and bidi characters show in visible form (slipwatch.sanitise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from slipwatch.publish import ics
from slipwatch.publish.links import milestone_url
from slipwatch.publish.vtimezone import vtimezone
from slipwatch.sanitise import one_line
from slipwatch.track.query import MilestoneView, select
from slipwatch.track.timeline import KINDS, MAIL, State, day, due_moment

REFRESH = "PT1H"  # how often clients should fetch again; a fetch of an unchanged feed is a 304
EVENT_LENGTH = dt.timedelta(minutes=30)
PRODID = "-//slipwatch//calendar feeds//EN"
_T = TypeVar("_T")


@dataclass(frozen=True)
class FeedSpec:
    """What one feed shows and how: its URL name, its title, its team and the zone of its times."""

    slug: str  # the URL's and the file's name
    title: str
    team: str | None  # None: every milestone (the `all` feed)
    timezone: str | None  # IANA zone of timed events; None writes them in UTC


@dataclass(frozen=True)
class Feed:
    slug: str
    body: bytes
    etag: str  # strong: a digest of the body
    last_modified: dt.datetime | None  # the newest change among its milestones, shown or dropped


class Events:
    """VEVENTs rendered before, by everything they show: a milestone's event is rendered again only when it
    changed (a revision, an action, its state as of the moment rendered), and once for every feed of one zone
    (the `all` feed and the teams in UTC share theirs, when they carry no page link: a link is the feed's own).
    Those a round of rendering did not use are dropped at the next (`next_round`). A view loaded once and
    handed in again (query.LiveViews) is known by identity, without comparing its history."""

    def __init__(self) -> None:
        self._kept: dict[object, tuple[MilestoneView, object]] = {}
        self._used: dict[object, tuple[MilestoneView, object]] = {}

    def event(self, view: MilestoneView, zone: zoneinfo.ZoneInfo | None, domain: str,
              last_change: dt.datetime, url: str | None = None) -> tuple[bytes, set[int]]:
        # last_change is changed(view): the same view, the same moment
        return self._of((view.id, zone.key if zone else None, domain, url), view,
                        lambda: _event(view, zone, domain, last_change, url))

    def changed(self, view: MilestoneView) -> dt.datetime:
        return self._of(view.id, view, lambda: changed(view))

    def _of(self, key: object, view: MilestoneView, make: Callable[[], _T]) -> _T:
        found = self._used.get(key) or self._kept.get(key)
        if found is None or (found[0] is not view and found[0] != view):
            found = (view, make())
        self._used[key] = found
        return found[1]  # type: ignore[return-value]

    def next_round(self) -> None:
        self._kept, self._used = self._used, {}


def render(views: Sequence[MilestoneView], spec: FeedSpec, *, domain: str, events: Events | None = None,
           pages: str | None = None) -> Feed:
    """The feed `spec` describes, made of the views that belong to it; `events` keeps what earlier renders made.
    With `pages` (the team's pages' URL, `links.pages_url`), each event links to its milestone's page."""
    events = events or Events()
    members = select(views, team=spec.team) if spec.team else list(views)
    shown = sorted(
        (v for v in members if v.state.due and v.state.reported_status != "cancelled"), key=lambda v: v.id
    )
    zone = zoneinfo.ZoneInfo(spec.timezone) if spec.timezone else None
    changes = {v.id: events.changed(v) for v in members}
    rendered = [events.event(v, zone, domain, changes[v.id], pages and milestone_url(pages, v.id)) for v in shown]
    years = sorted({year for _, used in rendered for year in used})
    body = b"".join((
        ics.line("BEGIN", "VCALENDAR"),
        ics.line("VERSION", "2.0"),
        ics.line("PRODID", PRODID),
        ics.line("CALSCALE", "GREGORIAN"),
        ics.line("METHOD", "PUBLISH"),
        ics.line("NAME", ics.text(spec.title)),
        ics.line("X-WR-CALNAME", ics.text(spec.title)),
        ics.line("REFRESH-INTERVAL", REFRESH, value="DURATION"),
        ics.line("X-PUBLISHED-TTL", REFRESH),
        vtimezone(zone.key, years[0] - 1, years[-1]) if zone and years else b"",
        *(event for event, _ in rendered),
        ics.line("END", "VCALENDAR"),
    ))
    return Feed(
        slug=spec.slug,
        body=body,
        etag='"' + hashlib.sha256(body).hexdigest()[:40] + '"',
        last_modified=max(changes.values(), default=None),
    )


def changed(view: MilestoneView) -> dt.datetime:
    """When what a feed shows of this milestone last changed: a revision, an action, or becoming overdue."""
    moments = [view.state.last_change, *(dt.datetime.fromisoformat(a[0]) for a in view.actions)]
    if view.state.overdue and view.state.due:
        moments.append(due_moment(view.state.due, view.zone))
    return max(m.astimezone(dt.UTC) for m in moments).replace(microsecond=0)


def _event(
    view: MilestoneView, zone: zoneinfo.ZoneInfo | None, domain: str, last_change: dt.datetime, url: str | None
) -> tuple[bytes, set[int]]:
    """The VEVENT, and the years its TZID times fall in (for the VTIMEZONE)."""
    due = view.state.due or ""
    stamp = ics.utc(last_change)
    years: set[int] = set()
    if len(due) <= 10:
        start = day(due)
        times = (
            ics.line("DTSTART", ics.date(start), value="DATE"),
            ics.line("DTEND", ics.date(start + dt.timedelta(days=1)), value="DATE"),
        )
    else:
        begin = dt.datetime.fromisoformat(due)
        times = (_timed("DTSTART", begin, zone, years), _timed("DTEND", begin + EVENT_LENGTH, zone, years))
    event = b"".join((
        ics.line("BEGIN", "VEVENT"),
        ics.line("UID", f"milestone-{view.id}@{domain}"),
        ics.line("DTSTAMP", stamp),
        ics.line("LAST-MODIFIED", stamp),
        ics.line("SEQUENCE", str(len(view.revisions))),
        *times,
        ics.line("SUMMARY", ics.text(one_line(f"{view.vendor}: {view.name} — {state_label(view.state)}"))),
        ics.line("DESCRIPTION", ics.text(describe(view, zone) + (f"\n\nIts page: {url}" if url else ""))),
        ics.line("URL", url) if url else b"",
        ics.line("TRANSP", "TRANSPARENT"),  # a deadline does not make anyone busy
        ics.line("END", "VEVENT"),
    ))
    return event, years


def _timed(name: str, moment: dt.datetime, zone: zoneinfo.ZoneInfo | None, years: set[int]) -> bytes:
    if zone is None:
        return ics.line(name, ics.utc(moment))
    wall = moment.astimezone(zone)
    if wall.replace(fold=1 - wall.fold).utcoffset() != wall.utcoffset():
        return ics.line(name, ics.utc(moment))  # the repeated hour of a DST change
    years.add(wall.year)
    return ics.line(name, ics.local(wall), tzid=zone.key)


def state_label(state: State) -> str:
    """A few words a person reads at a glance: "✓ delivered", "⚠ overdue", "⚠ slipped +6d"..."""
    if state.reported_status == "delivered":
        late = f", {state.late_days}d late" if state.late_days and state.late_days > 0 else ""
        return f"✓ delivered{late}"
    warnings = []
    if state.overdue:
        warnings.append("overdue")
    elif state.reported_status == "at_risk" or (state.reported_status == "delayed" and state.slip_days <= 0):
        warnings.append(state.reported_status.replace("_", " "))
    if state.slip_days > 0:
        warnings.append(f"slipped +{state.slip_days}d")
    return "⚠ " + ", ".join(warnings) if warnings else state.reported_status.replace("_", " ")


def describe(view: MilestoneView, zone: zoneinfo.ZoneInfo | None) -> str:
    """The event's DESCRIPTION: what, whose, its state, its dates in both zones, and who said what when."""
    s = view.state
    here = zone or dt.UTC
    lines = [
        f"{one_line(view.name)} (milestone #{view.id})",
        f"Project: {one_line(view.project or '-')}",
        f"Vendor: {one_line(view.vendor)}",
        f"Status: {state_label(s)} (reported: {s.reported_status.replace('_', ' ')})",
        f"Due: {_due(s.due, here, view.zone)}",
        f"Baseline: {_due(s.baseline_due, here, view.zone)}",
    ]
    if s.slip_days:
        times = "once" if s.slips == 1 else f"{s.slips} times"
        lines.append(f"Slip: {s.slip_days:+d} days ({s.slip_working_days:+d} working days), moved later {times}")
    if s.staff_days:
        lines.append(f"Moved by staff: {s.staff_days:+d} days (not the vendor's slip)")
    if s.delivered_at:
        lines.append(f"Delivered: {s.delivered_at}")
    lines += ["", "History, oldest first (who said what, when):"]
    for r in view.revisions:
        source = " ".join(filter(None, ("mail", r.message_id))) if r.kind == MAIL else KINDS.get(r.kind, r.kind)
        moved = f" (moved from {r.previous_due})" if r.previous_due else ""
        said = f"{r.status.replace('_', ' ')}, due {r.due or '-'}{moved}"
        lines.append(one_line(f"- {_at(r.sent, here, named=False)}: {r.author or 'unknown'} ({source}): {said}"))
        if r.evidence:
            lines.append(f"  “{one_line(r.evidence)}”")
    for at, action, detail, author in view.actions:
        lines.append(one_line(f"- {_at(dt.datetime.fromisoformat(at), here, named=False)}: {action} by {author}"
                              + (f": {detail}" if detail else "")))
    return "\n".join(lines)


def _at(moment: dt.datetime, zone: dt.tzinfo, *, named: bool = True) -> str:
    """`Fri 20 Nov 2026 06:30 EST (America/New_York)`; a zone named by its abbreviation (UTC) once."""
    local = moment.astimezone(zone)
    shown = f"{_day_text(local)} {local.hour:02d}:{local.minute:02d} {local.tzname()}"
    return shown if not named or _name(zone) == local.tzname() else f"{shown} ({_name(zone)})"


# by hand rather than strftime, which is a third of the time of a 5,000-event feed (and follows the locale)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day_text(date: dt.date) -> str:
    return f"{_WEEKDAYS[date.weekday()]} {date.day} {_MONTHS[date.month - 1]} {date.year}"


def _name(zone: dt.tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)


def _due(value: str | None, here: dt.tzinfo, vendor: dt.tzinfo) -> str:
    """A due value in the feed's zone and the vendor's; a date ends at the end of that day in the vendor's."""
    if not value:
        return "-"
    if len(value) <= 10:
        date = day(value)
        ends = _at(due_moment(value, vendor), here)
        return f"{_day_text(date)}, all day; the vendor's day ({_name(vendor)}) ends {ends}"
    moment = dt.datetime.fromisoformat(value)
    return f"{_at(moment, here)} = {_at(moment, vendor)} for the vendor"
