"""What the CLI shows a person: the milestone, message, quarantine and vendor tables, one milestone's story.

Every time is shown in one zone, with its abbreviation, so a column reads
down in order: the team's zone when a team is named (where that person
sits, as in the team's digest and feed), else the organisation's
(``[organisation] timezone``). Vendors write in their own offsets; the store
keeps those and ``--json`` prints them. A due date without a time stays that
date: it ends with the vendor's day, and moving it into another zone would
only change the day.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from slipwatch.clock import parse_moment
from slipwatch.config import Config
from slipwatch.publish.dispatch import find_team
from slipwatch.sanitise import one_line
from slipwatch.tables import MISSING, Column, cell, render
from slipwatch.track.query import MilestoneView
from slipwatch.track.scorecard import VendorRecord
from slipwatch.track.timeline import State


def json_array(items: Iterable[Any]) -> Iterator[str]:
    """The text `json.dumps(list(items), ensure_ascii=False, indent=2)` gives, an item at a time: 20,000
    milestones' worth is never one string in memory."""
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + body
        first = False
    yield "[]" if first else "\n]"


def zone(config: Config, team: str | None = None) -> zoneinfo.ZoneInfo:
    """The zone to show times in: the named team's (an unknown team is an error), else the organisation's."""
    return zoneinfo.ZoneInfo(find_team(config, team).timezone if team else config.timezone)


def status_words(status: str) -> str:
    """A status as people say it: "at risk", not at_risk."""
    return status.replace("_", " ")


def moment(value: str | dt.datetime | None, tz: dt.tzinfo) -> str:
    """A time as the zone's clock reads it ("2026-11-27 07:30 EST"); a date alone stays that date."""
    if not value:
        return MISSING
    if isinstance(value, str):
        if len(value) == 10:
            return value
        value = parse_moment(value, "stored time")
    return f"{value.astimezone(tz):%Y-%m-%d %H:%M %Z}"


def _days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def _times(n: int) -> str:
    return f"{n} time" if n == 1 else f"{n} times"


# -- milestones ----------------------------------------------------------------

_MILESTONES = (
    Column("id", right=True), Column("team", width=24), Column("vendor", width=20), Column("project", width=24),
    Column("name", width=40), Column("due"), Column("status"), Column("baseline"), Column("slip", right=True),
)


def milestones(views: Sequence[MilestoneView], tz: dt.tzinfo) -> str:
    """The schedule as a table; times in `tz`."""
    if not views:
        return "no milestones"
    return render(_MILESTONES, [
        (v.id, ", ".join(v.teams), v.vendor, v.project, v.name, moment(v.state.due, tz),
         status_words(v.state.status), moment(v.state.baseline_due, tz), _slip(v.state))
        for v in views
    ])


def _slip(s: State) -> str | None:
    """Days past the baseline, signed ("+7d"); nothing without a baseline to slip from."""
    if not s.baseline_due:
        return None
    return f"{s.slip_days:+d}d" if s.slip_days else "0d"


def story(view: MilestoneView, tz: zoneinfo.ZoneInfo) -> str:
    """One milestone: its state, then every revision (oldest first) with the sentence that said it."""
    s = view.state
    facts = [f"status {status_words(s.status)}", f"due {moment(s.due, tz)}" if s.due else "no due date"]
    if s.baseline_due:
        facts += [f"baseline {moment(s.baseline_due, tz)}",
                  f"slip {_days(s.slip_days)} ({s.slip_working_days} working)"]
    facts.append(f"moved later {_times(s.slips)}")
    if s.staff_days:  # so that due = baseline + slip + what we moved adds up on screen
        facts.append(f"moved {_days(s.staff_days)} by staff (not the vendor's slip)")
    lines = [
        f"#{view.id} {cell(view.name)} — {cell(view.vendor)}" + (f" / {cell(view.project)}" if view.project else ""),
        "  " + ", ".join(facts),
    ]
    if s.delivered_at:
        late = f"{_days(s.late_days)} late" if s.late_days and s.late_days > 0 else "on time"
        lines.append(f"  delivered {moment(s.delivered_at, tz)}, {late}")
    lines.append(f"  teams: {', '.join(view.teams) or 'none'}" + ("  (ignored)" if view.ignored else ""))
    lines.append(f"  times in {tz.key}")
    lines.append("")
    timeline = render(
        (Column("sent"), Column("status"), Column("due"), Column("was"), Column("by"), Column("kind")),
        [(moment(r.sent, tz), status_words(r.status), moment(r.due, tz),
          moment(r.previous_due, tz) if r.previous_due else None, r.author, r.kind) for r in view.revisions],
        notes=[[f'"{r.evidence}"'] if r.evidence else [] for r in view.revisions],
    )
    lines += ["  " + line for line in timeline.splitlines()]
    for at, action, detail, author in view.actions:
        lines.append(f"  {moment(at, tz)}  {action} by {cell(author)}" + (f": {cell(detail)}" if detail else ""))
    return "\n".join(lines)


# -- messages ------------------------------------------------------------------

_MESSAGES = (Column("id", right=True), Column("state"), Column("sent"), Column("from", width=40),
             Column("subject", width=60))


def messages(rows: Sequence[Mapping[str, Any]], tz: dt.tzinfo, state: str | None = None) -> str:
    """Stored messages (the store's rows) as a table; under each, why it failed and what could not be read."""
    if not rows:
        return f"no {state} messages" if state else "no messages"
    return render(
        _MESSAGES,
        [(r["id"], r["state"], moment(r["sent"], tz), r["author"], r["subject"]) for r in rows],
        # a message without a Message-ID (an empty file, a picture) is known by where it was found
        notes=[([r["location"]] if not r["message_id"] and r.get("location") else [])
               + ([r["error"]] if r["error"] else []) + [f"problem: {p}" for p in json.loads(r["problems"] or "[]")]
               for r in rows],
    )


def quarantine(rows: Sequence[Mapping[str, Any]], tz: dt.tzinfo) -> str:
    """Quarantined messages as a table, each with the reason under it."""
    if not rows:
        return "nothing in quarantine"
    return render(
        (Column("id", right=True), Column("sent"), Column("from", width=40), Column("forwarded by", width=40),
         Column("subject", width=60)),
        [(r["id"], moment(r["sent"], tz), r["author"], r["forwarded_by"], r["subject"]) for r in rows],
        notes=[[r["error"]] for r in rows],
    )


# -- vendors -------------------------------------------------------------------

_VENDORS = (
    Column("vendor / project", width=48), Column("milestones", right=True), Column("on time", right=True),
    Column("slipped", right=True), Column("mean slip", right=True), Column("worst slip", right=True),
    Column("overdue", right=True), Column("at risk", right=True),
)


def vendors(records: Sequence[VendorRecord]) -> str:
    """The scorecard as a table: each vendor, then each of its projects."""
    if not records:
        return "no vendors with milestones"
    return render(_VENDORS, [
        (r.vendor if r.project is None else f"{r.vendor} / {r.project}", r.milestones,
         f"{r.on_time}/{r.delivered}" if r.delivered else None, r.slipped,
         f"{r.mean_slip_days:.1f}d" if r.mean_slip_days is not None else None,
         f"{r.worst_slip_days}d" if r.slipped else None, r.overdue, r.at_risk)
        for r in records
    ])


# -- extract ---------------------------------------------------------------------


def reading(report: Mapping[str, Any]) -> str:
    """What `slipwatch extract` read in one file, times as the mail wrote them (there is no config to ask)."""
    if "error" in report:
        return one_line(f"{report['file']}: {report['error']}")
    lines = [
        one_line(report["file"]),
        f"  from:         {cell(report.get('from'))}",
        *([f"  forwarded by: {cell(report['forwarded_by'])}"] if report.get("forwarded_by") else []),
        f"  sent:         {cell(report.get('sent'))}",
        f"  subject:      {cell(report.get('subject'))}",
    ]
    for m in report["milestones"]:
        moved = f" (was {m['previous_due']})" if m.get("previous_due") else ""
        lines.append(f"  - {cell(m['name'])} [{cell(m.get('project'))}]: {cell(m['due'])} "
                     f"{status_words(m['status'])}{moved}")
    # what was left unread (an attachment that could not be opened) is said, as `slipwatch messages` says it
    lines += [f"  problem:      {one_line(problem)}" for problem in report.get("problems", [])]
    return "\n".join(lines)
