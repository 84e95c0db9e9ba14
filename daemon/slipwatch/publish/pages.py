"""The schedule pages: a team's timeline, one milestone's story, the vendors' record, the quarantine.

Pure: a snapshot of the schedule in, HTML out, no I/O and no clock. Drawn
on the server (charts are inline SVG, positioned here), so a page works
without JavaScript. Vendor text is only ever printed through the templates'
autoescaping, on one line with control and bidi characters in visible form
(slipwatch.sanitise): no vendor HTML is ever rendered as HTML.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from slipwatch.mail.model import VendorMessage
from slipwatch.publish import links
from slipwatch.publish.feeds import state_label
from slipwatch.publish.templating import env
from slipwatch.track.query import MilestoneView, select
from slipwatch.track.scorecard import VendorRecord, scorecard
from slipwatch.track.timeline import CLOSED, KINDS, MAIL, day, slips

WIDTH = 560  # of a timeline row's drawing, in CSS pixels (drawn 1:1 so that nothing is stretched)
ROW = 22
DUE_MARKER = 8  # the width of the due date's mark
MARGIN_DAYS = 4  # either side of the earliest and latest date drawn
# the statuses a team lead filters on; "slipped" is any open milestone past its baseline
STATUSES = ("overdue", "at_risk", "delayed", "planned", "slipped")


@dataclass(frozen=True)
class Team:
    """Whose pages: the feed whose token opens them, its title, its team (None: every team), its zone."""

    feed: str
    title: str
    team: str | None
    zone: str  # IANA name; times are shown in it


@dataclass(frozen=True)
class Held:
    """A quarantined message, as the page lists it."""

    id: int
    sent: dt.datetime | None
    author: str | None
    forwarded_by: str | None
    subject: str | None
    reason: str | None


@dataclass(frozen=True)
class Snapshot:
    """What the pages show, as loaded by the daemon at `as_of`."""

    as_of: dt.datetime
    views: tuple[MilestoneView, ...]
    held: tuple[Held, ...] = ()


def held(rows: Sequence[Mapping[str, Any]]) -> tuple[Held, ...]:
    """The quarantine as the store lists it (`Store.messages("quarantined")`)."""
    return tuple(
        Held(r["id"], dt.datetime.fromisoformat(r["sent"]) if r["sent"] else None, r["author"], r["forwarded_by"],
             r["subject"], r["error"])
        for r in rows
    )


@dataclass(frozen=True)
class Scale:
    """Days to x: a shared axis for every row of a page."""

    first: dt.date
    days: int

    @classmethod
    def over(cls, dates: Sequence[dt.date]) -> Scale:
        first, last = min(dates), max(dates)
        return cls(first - dt.timedelta(days=MARGIN_DAYS), (last - first).days + 2 * MARGIN_DAYS)

    def x(self, date: dt.date) -> float:
        return round((date - self.first).days / self.days * WIDTH, 1)

    def ticks(self) -> list[tuple[float, str]]:
        """(x, label) of each month's first day, or each week's Monday when the span is short."""
        out = []
        date = self.first
        end = self.first + dt.timedelta(days=self.days)
        weekly = self.days <= 70
        while date <= end:
            if (weekly and date.weekday() == 0) or (not weekly and date.day == 1):
                label = f"{date.day} {date:%b}" if weekly else (f"{date:%b %Y}" if date.month == 1 else f"{date:%b}")
                out.append((self.x(date), label))
            date += dt.timedelta(days=1)
        return out


@dataclass(frozen=True)
class Bar:
    view: MilestoneView
    url: str
    label: str  # "⚠ slipped +7d"
    mark: str  # overdue, at_risk, slipped or on_track: the bar's colour
    due: str
    baseline: str
    x_baseline: float
    x_due: float

    @property
    def shape(self) -> Markup:
        """The bar, drawn: numbers only, so made here rather than by the template (a tenth of a 5,000-row page)."""
        start, width = min(self.x_baseline, self.x_due), round(abs(self.x_due - self.x_baseline), 1)
        return Markup(
            f'<rect class="span" x="{start}" y="7" width="{width}" height="8" rx="2"></rect>'
            f'<circle class="baseline" cx="{self.x_baseline}" cy="11" r="3"></circle>'
            f'<rect class="due" x="{round(self.x_due - DUE_MARKER / 2, 1)}" y="5" width="{DUE_MARKER}" height="12"'
            ' rx="2"></rect>'
        )


@dataclass(frozen=True)
class Group:
    vendor: str
    project: str | None
    bars: tuple[Bar, ...]


def _zone(team: Team) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(team.zone)


def _mine(snapshot: Snapshot, team: Team) -> list[MilestoneView]:
    return select(snapshot.views, team=team.team) if team.team else list(snapshot.views)


def moment(value: dt.datetime | None, zone: dt.tzinfo) -> str:
    """`Tue 24 Nov 2026 07:00 EST`, in the team's zone."""
    if value is None:
        return "-"
    local = value.astimezone(zone)
    return f"{local:%a %d %b %Y %H:%M} {local.tzname()}"


def due_text(value: str | None, zone: dt.tzinfo) -> str:
    """A due date as written; a due instant in the team's zone."""
    if not value:
        return "-"
    if len(value) <= 10:
        return f"{day(value):%a %d %b %Y}"
    return moment(dt.datetime.fromisoformat(value), zone)


def _due_day(value: str, zone: dt.tzinfo) -> dt.date:
    return day(value) if len(value) <= 10 else dt.datetime.fromisoformat(value).astimezone(zone).date()


def _mark(view: MilestoneView) -> str:
    s = view.state
    if s.reported_status in CLOSED:
        return "closed"
    if s.overdue:
        return "overdue"
    if s.reported_status == "at_risk":
        return "at_risk"
    return "slipped" if s.slip_days > 0 else "on_track"


def _open(view: MilestoneView) -> bool:
    return view.state.reported_status not in CLOSED and view.state.due is not None


def _passes(view: MilestoneView, filters: Mapping[str, str]) -> bool:
    status = filters.get("status")
    return (
        (not filters.get("vendor") or view.vendor == filters["vendor"])
        and (not filters.get("project") or (view.project or "") == filters["project"])
        and (not status or (view.state.slip_days > 0 if status == "slipped" else view.state.status == status))
    )


def schedule(snapshot: Snapshot, team: Team, root: str, filters: Mapping[str, str]) -> str:
    """The team's timeline of open milestones, per vendor and project, with the filters chosen."""
    zone = _zone(team)
    today = snapshot.as_of.astimezone(zone).date()
    candidates = [v for v in _mine(snapshot, team) if _open(v)]
    shown = [v for v in candidates if _passes(v, filters)]
    dates = [today]
    for v in shown:
        dates += [_due_day(v.state.due or "", zone), _due_day(v.state.baseline_due or v.state.due or "", zone)]
    scale = Scale.over(dates)
    grouped: dict[tuple[str, str | None], list[Bar]] = defaultdict(list)
    for v in shown:
        s = v.state
        due = _due_day(s.due or "", zone)
        base = _due_day(s.baseline_due or s.due or "", zone)
        grouped[(v.vendor, v.project)].append(Bar(
            v, links.milestone_url(root, v.id), state_label(s), _mark(v), due_text(s.due, zone), due_text(s.baseline_due, zone),
            scale.x(base), scale.x(due),
        ))
    groups = [
        Group(vendor, project, tuple(sorted(bars, key=lambda b: (b.view.state.due or "", b.view.id))))
        for (vendor, project), bars in sorted(grouped.items(), key=lambda g: (g[0][0].casefold(), (g[0][1] or "").casefold()))
    ]
    counts = {m: sum(1 for v in shown if _mark(v) == m) for m in ("overdue", "at_risk", "slipped", "on_track")}
    return env.get_template("pages/schedule.html.j2").render(
        page="schedule", team=team, root=root, as_of=moment(snapshot.as_of, zone), groups=groups, counts=counts,
        shown=len(shown), total=len(candidates), width=WIDTH, row=ROW, today=scale.x(today), ticks=scale.ticks(),
        filters=filters, statuses=STATUSES,
        vendors=sorted({v.vendor for v in candidates}, key=str.casefold),
        projects=sorted({v.project for v in candidates if v.project}, key=str.casefold),
    )


@dataclass(frozen=True)
class Step:
    """One line of a milestone's story."""

    when: str
    who: str
    source: str  # "mail <message id>", "staff move"...
    said: str  # "delayed, due Fri 27 Nov 2026 (moved from ...)"
    quote: str
    reason: str | None
    message: str | None = None  # the URL of the mail's page


def story(snapshot: Snapshot, team: Team, root: str, milestone: int) -> str | None:
    """One milestone's whole story, or None when the team has no such milestone."""
    view = next((v for v in _mine(snapshot, team) if v.id == milestone), None)
    if view is None:
        return None
    zone = _zone(team)
    steps = []
    for r in view.revisions:
        moved = f" (moved from {due_text(r.previous_due, zone)})" if r.previous_due else ""
        source = " ".join(filter(None, ("mail", r.message_id))) if r.kind == MAIL else KINDS.get(r.kind, r.kind)
        steps.append(Step(moment(r.sent, zone), r.author or "unknown", source,
                          f"{r.status.replace('_', ' ')}, due {due_text(r.due, zone)}{moved}", r.evidence.strip(),
                          r.reason, f"{root}messages/{r.message}" if r.message is not None else None))
    for at, action, detail, author in view.actions:
        steps.append(Step(moment(dt.datetime.fromisoformat(at), zone), author, action, detail or "", "", None))
    return env.get_template("pages/story.html.j2").render(
        page="story", team=team, root=root, as_of=moment(snapshot.as_of, zone), view=view, label=state_label(view.state),
        mark=_mark(view), due=due_text(view.state.due, zone), baseline=due_text(view.state.baseline_due, zone),
        steps=steps,
    )


@dataclass(frozen=True)
class Chart:
    """A vendor's slips over time: one column per slip, at the day it was announced, as tall as its days."""

    columns: tuple[tuple[float, float, int, str], ...]  # (x, height, days, when)
    ticks: tuple[tuple[float, str], ...]


CHART_HEIGHT = 48


def vendors(snapshot: Snapshot, team: Team, root: str) -> str:
    """The scorecard of the team's vendors, each with its chart of slip days over time."""
    zone = _zone(team)
    mine = _mine(snapshot, team)
    moved: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    for v in mine:
        for slip in slips(v.revisions):
            moved[v.vendor].append((slip.revision.sent.astimezone(zone).date(), slip.days))
    today = snapshot.as_of.astimezone(zone).date()
    scale = Scale.over([today, *(d for points in moved.values() for d, _ in points)])
    tallest = max((days for points in moved.values() for _, days in points), default=1)
    charts = {
        vendor: Chart(
            tuple((scale.x(d), round(days / tallest * CHART_HEIGHT, 1), days, f"{d:%d %b %Y}")
                  for d, days in sorted(points)),
            tuple(scale.ticks()),
        )
        for vendor, points in moved.items()
    }
    records: list[VendorRecord] = scorecard(mine)
    return env.get_template("pages/vendors.html.j2").render(
        page="vendors", team=team, root=root, as_of=moment(snapshot.as_of, zone), records=records, charts=charts,
        width=WIDTH, height=CHART_HEIGHT, today=scale.x(today),
    )


def shows_message(snapshot: Snapshot, team: Team, message: int) -> bool:
    """Whether a stored mail told one of the team's milestones: the only mail its pages show."""
    return any(r.message == message for v in _mine(snapshot, team) for r in v.revisions)


def message(snapshot: Snapshot, team: Team, root: str, mail: VendorMessage) -> str:
    """A stored mail as the extractor read it: its headers and the vendor's text, each line as text."""
    zone = _zone(team)
    headers = [
        ("From", " ".join(filter(None, (mail.author_name, f"<{mail.author}>" if mail.author else None))) or "unknown"),
        ("Forwarded by", mail.forwarded_by or "–"),
        ("Sent", moment(mail.sent, zone)),
        ("Subject", mail.subject or "(no subject)"),
        ("Message-ID", mail.message_id or "–"),
    ]
    return env.get_template("pages/message.html.j2").render(
        page="message", team=team, root=root, as_of=moment(snapshot.as_of, zone), headers=headers,
        lines=mail.text.splitlines() or ["(no text)"], subject=mail.subject or "(no subject)",
    )


def quarantine(snapshot: Snapshot, team: Team, root: str) -> str:
    """What is held out of the schedule and why; read-only (`slipwatch quarantine release` lets one in)."""
    zone = _zone(team)
    rows = [(h, moment(h.sent, zone)) for h in snapshot.held]
    return env.get_template("pages/quarantine.html.j2").render(
        page="quarantine", team=team, root=root, as_of=moment(snapshot.as_of, zone), rows=rows,
    )
