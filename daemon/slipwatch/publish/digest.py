"""What a team's digest says, and the mail that says it.

Built from the milestones as they stand at the end of the period, grouped by
vendor then project: what slipped in the period (old -> new date, by how much,
the how-many-th slip), what is overdue, at risk, due in the next days, what was
delivered in the period (on time or how late), and a short vendor scorecard.
Every line carries its evidence: the vendor's sentence, who sent it and when,
in the team's zone; a line about a due date also says where it stands against
the baseline (the first committed date). Vendor text only ever reaches the
body, each value on one line with control and bidi characters in visible form
(slipwatch.sanitise), and escaped in HTML; headers hold our own words.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.utils import format_datetime

from slipwatch.publish.links import milestone_url
from slipwatch.publish.templating import env as _env
from slipwatch.track.query import MilestoneView
from slipwatch.track.scorecard import VendorRecord, scorecard
from slipwatch.track.timeline import Revision, State, day, slips

SECTIONS = ("slipped", "overdue", "at_risk", "upcoming", "delivered")
TITLES = {
    "slipped": "Slipped",
    "overdue": "Overdue",
    "at_risk": "At risk",
    "upcoming": "Due soon",
    "delivered": "Delivered",
}



@dataclass(frozen=True)
class Evidence:
    sentence: str
    author: str | None
    sent: str  # in the team's zone


@dataclass(frozen=True)
class Line:
    milestone: int
    name: str
    summary: str  # e.g. "20 Nov -> 27 Nov (+7 days, 2nd slip)"
    evidence: Evidence | None
    baseline: str | None = None  # for a due date: "baseline Fri 20 Nov, +7 days", or "on its baseline"
    slip_days: int = 0  # how far the due date lies past the baseline
    url: str | None = None  # its milestone's page


@dataclass(frozen=True)
class ProjectSection:
    project: str | None
    lines: dict[str, tuple[Line, ...]]  # by section name, in SECTIONS order


@dataclass(frozen=True)
class VendorSection:
    vendor: str
    projects: tuple[ProjectSection, ...]
    record: VendorRecord
    slips_this_quarter: int


@dataclass(frozen=True)
class Digest:
    team: str
    zone: str
    since: dt.datetime
    until: dt.datetime
    vendors: tuple[VendorSection, ...]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())

    @property
    def subject(self) -> str:
        parts = [f"{self.counts[s]} {TITLES[s].lower()}" for s in ("slipped", "overdue", "at_risk") if self.counts[s]]
        summary = ", ".join(parts) or "nothing slipped"
        week = self.until.astimezone(zoneinfo.ZoneInfo(self.zone))
        return _one_line(f"[slipwatch] {self.team} — {summary} (week of {week.day} {week:%b})")


def _one_line(text: str) -> str:
    """No CR, LF or other control character may reach a header."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


def _date(value: str | None, zone: dt.tzinfo) -> str:
    """A due date as written; an instant in the team's zone, with the vendor's own time beside it."""
    if not value:
        return "-"
    if len(value) == 10:
        return f"{day(value):%a %d %b %Y}"
    moment = dt.datetime.fromisoformat(value)
    return f"{moment.astimezone(zone):%a %d %b %Y %H:%M %Z} ({moment:%H:%M} {value[16:]} vendor time)"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _baseline(s: State) -> str | None:
    """The due date against the first committed one: "baseline Fri 20 Nov, +7 days"."""
    if not s.due or not s.baseline_due:
        return None
    if s.slip_days == 0 and not s.staff_days:
        return "on its baseline"
    base = day(s.baseline_due)
    when = f"{base:%a %d %b}" if base.year == day(s.due).year else f"{base:%a %d %b %Y}"
    said = [f"baseline {when}"]
    if s.slip_days:
        said.append(_signed_days(s.slip_days))
    if s.staff_days:  # due = baseline + the vendor's slip + what we moved: say both, charge only the first
        said.append(f"{_signed_days(s.staff_days)} moved by staff")
    return ", ".join(said)


def _signed_days(n: int) -> str:
    return f"{'+' if n > 0 else '-'}{_days(abs(n))}"


def _evidence(r: Revision, zone: dt.tzinfo) -> Evidence:
    # a bullet or dash the sentence was listed with is layout, not evidence
    return Evidence(r.evidence.strip().lstrip("-•*–· ").strip(), r.author, f"{r.sent.astimezone(zone):%a %d %b %H:%M %Z}")


def _lines(view: MilestoneView, since: dt.datetime, until: dt.datetime, zone: dt.tzinfo, soon: int):
    """(section, Line) pairs for one milestone in the period (since, until]."""
    s = view.state
    moved = slips(view.revisions)
    for n, slip in enumerate(moved, 1):
        if since < slip.revision.sent <= until:
            summary = f"{_date(slip.old, zone)} → {_date(slip.new, zone)} (+{_days(slip.days)}, {_ordinal(n)} slip)"
            yield "slipped", Line(view.id, view.name, summary, _evidence(slip.revision, zone))
    newest = view.revisions[-1]

    def due(section: str, summary: str) -> tuple[str, Line]:
        return section, Line(view.id, view.name, summary, _evidence(newest, zone), _baseline(s), s.slip_days)

    if s.reported_status == "delivered" and since < newest.sent <= until:
        late = "on time" if (s.late_days or 0) <= 0 else f"{_days(s.late_days or 0)} late"
        yield "delivered", Line(view.id, view.name, f"{_date(s.delivered_at, zone)}, {late}", _evidence(newest, zone))
    elif s.overdue:
        ago = _days((until.astimezone(zone).date() - day(s.due or "")).days)
        yield due("overdue", f"due {_date(s.due, zone)}, {ago} ago")
    elif s.reported_status == "at_risk":
        yield due("at_risk", f"due {_date(s.due, zone)}")
    elif s.reported_status in ("planned", "delayed") and s.due and day(s.due) <= (until + dt.timedelta(days=soon)).date():
        yield due("upcoming", f"due {_date(s.due, zone)}")


def _quarter_start(moment: dt.datetime) -> dt.datetime:
    return moment.replace(month=(moment.month - 1) // 3 * 3 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)


def build(
    views: Sequence[MilestoneView],
    *,
    team: str,
    zone: str,
    since: dt.datetime,
    until: dt.datetime,
    soon_days: int = 14,
    sections: Sequence[str] = SECTIONS,
    pages: str | None = None,
) -> Digest:
    """The digest of a team's milestones for the period (since, until]; views as of `until`.

    `sections` narrows it (an alert shows only what slipped); with `pages` (the team's pages' URL,
    `links.pages_url`) each line links to its milestone's page.
    """
    tz = zoneinfo.ZoneInfo(zone)
    mine = [v for v in views if team in v.teams and v.state.reported_status != "cancelled"]
    grouped: dict[str, dict[str | None, dict[str, list[Line]]]] = defaultdict(
        lambda: defaultdict(lambda: {s: [] for s in SECTIONS})
    )
    counts = dict.fromkeys(SECTIONS, 0)
    for view in mine:
        for section, line in _lines(view, since, until, tz, soon_days):
            if section not in sections:
                continue
            if pages:
                line = replace(line, url=milestone_url(pages, line.milestone))
            grouped[view.vendor][view.project][section].append(line)
            counts[section] += 1
    records = {r.vendor: r for r in scorecard(mine) if r.project is None}
    quarter = _quarter_start(until.astimezone(tz))
    vendors = tuple(
        VendorSection(
            vendor=vendor,
            projects=tuple(
                ProjectSection(project, {s: tuple(lines) for s, lines in sections.items()})
                for project, sections in sorted(grouped[vendor].items(), key=lambda p: (p[0] or "").casefold())
            ),
            record=records[vendor],
            slips_this_quarter=sum(
                1 for v in mine if v.vendor == vendor for s in slips(v.revisions) if s.revision.sent >= quarter
            ),
        )
        for vendor in sorted(grouped, key=str.casefold)
    )
    return Digest(team, zone, since.astimezone(tz), until.astimezone(tz), vendors, counts)


def render(digest: Digest, *, sender: str, recipients: Sequence[str], message_id: str) -> EmailMessage:
    """The digest as a multipart/alternative mail: plain text first, then HTML (inline CSS, no scripts)."""
    context = {"d": digest, "sections": SECTIONS, "titles": TITLES}
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = digest.subject
    msg["Date"] = format_datetime(digest.until.astimezone(dt.UTC))
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    # quoted-printable: SMTP servers refuse lines over 998 bytes, and HTML lines can be long
    msg.set_content(_env.get_template("digest.txt.j2").render(context), cte="quoted-printable")
    msg.add_alternative(_env.get_template("digest.html.j2").render(context), subtype="html", cte="quoted-printable")
    return msg
