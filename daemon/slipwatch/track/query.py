"""Milestones as people see them: current state, history and the teams they belong to."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
import zoneinfo
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from slipwatch.config import TeamConfig
from slipwatch.mail.model import format_instant
from slipwatch.store import Store
from slipwatch.store.migrations import utc_key
from slipwatch.track.timeline import CLOSED, Revision, State, derive, due_moment, ordered


@dataclass(frozen=True)
class TeamScope:
    """What makes a milestone a team's: its vendor, its project, or a member who forwarded its mail."""

    name: str
    vendors: Collection[str] = ()
    projects: Collection[str] = ()
    members: Collection[str] = ()

    def claims(self, vendor: str, project: str | None, forwarders: Collection[str]) -> bool:
        vendors, projects, members = self._folded
        return (
            _folded(vendor) in vendors
            or (project is not None and _folded(project) in projects)
            or any(f.lower() in members for f in forwarders)
        )

    @functools.cached_property
    def _folded(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        # once per scope, not once per milestone: a full load asks every milestone
        return (frozenset(_folded(v) for v in self.vendors), frozenset(_folded(p) for p in self.projects),
                frozenset(m.lower() for m in self.members))


def scopes(teams: Sequence[TeamConfig]) -> list[TeamScope]:
    """The scope of each configured team."""
    return [TeamScope(t.name, t.vendors, t.projects, t.members) for t in teams]


def _folded(name: str) -> str:
    return name.casefold().strip()


@dataclass(frozen=True)
class MilestoneView:
    id: int
    vendor: str
    project: str | None
    name: str
    teams: tuple[str, ...]
    zone: dt.tzinfo  # the vendor's, where a due date ends
    state: State
    revisions: tuple[Revision, ...]  # oldest first
    forwarders: frozenset[str]
    ignored: bool = False
    actions: tuple[tuple[str, str, str, str], ...] = ()  # (at, action, detail, author): merges, splits, ignores

    def as_json(self) -> dict[str, Any]:
        s = self.state
        return {
            "id": self.id,
            "vendor": self.vendor,
            "project": self.project,
            "name": self.name,
            "teams": list(self.teams),
            "due": s.due,
            "status": s.status,
            "reported_status": s.reported_status,
            "overdue": s.overdue,
            "baseline_due": s.baseline_due,
            "slip_days": s.slip_days,
            "slip_working_days": s.slip_working_days,
            "slips": s.slips,
            "staff_days": s.staff_days,
            "delivered_at": s.delivered_at,
            "late_days": s.late_days,
            "ignored": self.ignored,
            "actions": [dict(zip(("at", "action", "detail", "author"), a)) for a in self.actions],
            "revisions": [
                {
                    "id": r.id,
                    "message_id": r.message_id,
                    "sent": format_instant(r.sent),
                    "due": r.due,
                    "status": r.status,
                    "previous_due": r.previous_due,
                    "author": r.author,
                    "kind": r.kind,
                    "evidence": r.evidence,
                    "amends": r.amends,
                    "reason": r.reason,
                }
                for r in self.revisions
            ],
        }


_MILESTONES = """
SELECT m.id, coalesce(m.merged_into, m.id) AS target, m.name, m.ignored, v.name AS vendor, v.timezone,
       p.name AS project
FROM milestones m JOIN vendors v ON v.id = m.vendor LEFT JOIN projects p ON p.id = m.project
"""

_REVISIONS = """
SELECT r.id, r.milestone, r.sent, r.due, r.status, r.previous_due, r.kind, r.author, r.evidence, r.name,
       r.amends, r.reason, r.message, coalesce(msg.vendor_message_id, msg.message_id) AS message_id, msg.forwarded_by
FROM milestone_revisions r LEFT JOIN messages msg ON msg.id = r.message
"""


def _revision(r: dict[str, Any]) -> Revision:
    return Revision(
        id=r["id"], sent=dt.datetime.fromisoformat(r["sent"]), due=r["due"], status=r["status"],
        previous_due=r["previous_due"], kind=r["kind"], author=r["author"], message_id=r["message_id"],
        evidence=r["evidence"] or "", name=r["name"] or "", amends=r["amends"], reason=r["reason"],
        message=r["message"],
    )


def revisions(conn: sqlite3.Connection, milestone: int) -> list[Revision]:
    """One milestone's revisions with those of the milestones merged into it, oldest first."""
    # the milestone and those merged into it, each found by an index (a coalesce() of the two reads every row)
    rows = sqlite_utils.Database(conn).query(
        _REVISIONS + " WHERE r.milestone IN (SELECT id FROM milestones WHERE merged_into = ?"
        " UNION SELECT id FROM milestones WHERE id = ? AND merged_into IS NULL)", (milestone, milestone)
    )
    return ordered([_revision(r) for r in rows])


def _zone(name: str | None, revisions: Sequence[Revision]) -> dt.tzinfo:
    """The vendor's configured zone, else the offset its newest mail was written in."""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return revisions[-1].sent.tzinfo or dt.UTC


def load(
    store: Store,
    *,
    as_of: dt.datetime,
    teams: Sequence[TeamScope] = (),
    include_ignored: bool = False,
    only: Collection[int] | None = None,
) -> list[MilestoneView]:
    """Every milestone known at `as_of` (merged ones folded into their target), with its state; with `only`,
    just the milestones of those ids (ids of targets: one merged into another is not a view of its own)."""
    where, args = "", ()
    if only is not None:
        where = " WHERE m.id IN (SELECT value FROM json_each(?1)) OR m.merged_into IN (SELECT value FROM json_each(?1))"
        args = (json.dumps(sorted(only)),)
    rows = list(store.db.query(_MILESTONES + where, args))
    by_target: dict[int, list[Revision]] = defaultdict(list)
    forwarders: dict[int, set[str]] = defaultdict(set)
    target_of = {r["id"]: r["target"] for r in rows}
    for r in store.db.query(_REVISIONS + " JOIN milestones m ON m.id = r.milestone" + where, args):
        target = target_of[r["milestone"]]
        by_target[target].append(_revision(r))
        if r["forwarded_by"]:
            forwarders[target].add(r["forwarded_by"])
    actions: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    for a in store.db.query("SELECT milestone, at, action, detail, author FROM milestone_actions"
                            + (" WHERE milestone IN (SELECT value FROM json_each(?1))" if where else "")
                            + " ORDER BY id", args):
        actions[a["milestone"]].append((a["at"], a["action"], a["detail"], a["author"]))
    views = []
    for row in rows:
        if row["target"] != row["id"] or (row["ignored"] and not include_ignored):
            continue
        revisions = tuple(r for r in ordered(by_target[row["id"]]) if r.sent <= as_of)
        if not revisions:
            continue  # not known yet at as_of
        zone = _zone(row["timezone"], revisions)
        fwd = frozenset(forwarders[row["id"]])
        views.append(
            MilestoneView(
                id=row["id"], vendor=row["vendor"], project=row["project"], name=row["name"],
                teams=tuple(t.name for t in teams if t.claims(row["vendor"], row["project"], fwd)),
                zone=zone, state=derive(revisions, zone, as_of), revisions=revisions, forwarders=fwd,
                ignored=bool(row["ignored"]), actions=tuple(actions[row["id"]]),
            )
        )
    return views


class LiveViews:
    """What `load` gives as the clock moves on, loading again only what changed since the last look.

    A view changes with a new revision of its milestone (mail or a person's correction), or with the clock:
    when it becomes overdue, or when a revision sent later than the last look becomes known. Anything else
    (a merge, a split, an ignore: each logged as an action) or a commit from another connection (a
    correction from the CLI) loads everything again, as does a clock that went back.
    """

    def __init__(self, store: Store, teams: Sequence[TeamScope] = ()) -> None:
        self.store = store
        self.teams = teams
        self._views: dict[int, MilestoneView] = {}
        self._turns: dict[int, dt.datetime] = {}  # milestone -> when its state next changes by the clock alone
        self._as_of: dt.datetime | None = None
        self._marks: tuple[int, int, int] | None = None

    def at(self, as_of: dt.datetime) -> list[MilestoneView]:
        """Every view as `load(as_of=...)` gives it, in the same order."""
        marks = self._now_marks()
        if self._as_of is None or self._marks is None or as_of < self._as_of or marks[1:] != self._marks[1:]:
            self._views, self._turns = {}, {}
            self._update(load(self.store, as_of=as_of, teams=self.teams), as_of, None)
        else:
            since = self.store.conn.execute(
                "SELECT DISTINCT coalesce(m.merged_into, m.id) FROM milestone_revisions r"
                " JOIN milestones m ON m.id = r.milestone WHERE r.id > ?", (self._marks[0],))
            changed = {row[0] for row in since} | {i for i, at in self._turns.items() if at <= as_of}
            if changed:
                self._update(load(self.store, as_of=as_of, teams=self.teams, only=changed), as_of, changed)
        self._as_of, self._marks = as_of, marks
        return [self._views[i] for i in sorted(self._views)]

    def _now_marks(self) -> tuple[int, int, int]:
        """The newest revision and action, and SQLite's count of other connections' commits."""
        revision, action = self.store.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM milestone_revisions),"
            " (SELECT coalesce(max(id), 0) FROM milestone_actions)").fetchone()
        return revision, action, self.store.conn.execute("PRAGMA data_version").fetchone()[0]

    def _update(self, views: list[MilestoneView], as_of: dt.datetime, changed: Collection[int] | None) -> None:
        for i in changed or ():
            self._views.pop(i, None)
            self._turns.pop(i, None)
        for view in views:
            self._views[view.id] = view
            s = view.state
            if s.due and not s.overdue and s.reported_status not in CLOSED:
                self._turns[view.id] = due_moment(s.due, view.zone)
        later = "SELECT coalesce(m.merged_into, m.id), min(r.sent_utc) FROM milestone_revisions r" \
                " JOIN milestones m ON m.id = r.milestone WHERE r.sent_utc > ?"
        args: tuple[object, ...] = (utc_key(as_of),)
        if changed is not None:
            later += " AND (m.id IN (SELECT value FROM json_each(?2)) OR m.merged_into IN (SELECT value FROM json_each(?2)))"
            args += (json.dumps(sorted(changed)),)
        for target, sent in self.store.conn.execute(later + " GROUP BY 1", args):
            at = dt.datetime.fromisoformat(sent)
            self._turns[target] = min(at, self._turns.get(target, at))


def select(
    views: Sequence[MilestoneView],
    *,
    team: str | None = None,
    vendor: str | None = None,
    status: str | None = None,
    slipped: bool = False,
    overdue: bool = False,
) -> list[MilestoneView]:
    """The views that pass every filter given."""
    return [
        v
        for v in views
        if (team is None or _folded(team) in {_folded(t) for t in v.teams})
        and (vendor is None or _folded(vendor) == _folded(v.vendor))
        and (status is None or v.state.status == status)
        and (not slipped or v.state.slip_days > 0)
        and (not overdue or v.state.overdue)
    ]
