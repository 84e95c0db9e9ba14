"""Read-side queries over milestones and their revisions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from slipwatch.store.db import Store


@dataclass(frozen=True)
class TeamScope:
    """What makes a milestone a team's: its vendor, its project, or a forwarding member."""

    name: str
    vendors: Collection[str] = ()
    projects: Collection[str] = ()
    members: Collection[str] = ()

    def claims(self, vendor: str, project: str | None, forwarders: Collection[str]) -> bool:
        return (
            _folded(vendor) in {_folded(v) for v in self.vendors}
            or (project is not None and _folded(project) in {_folded(p) for p in self.projects})
            or bool({f.lower() for f in forwarders} & {m.lower() for m in self.members})
        )


def _folded(name: str) -> str:
    return name.casefold().strip()


_MILESTONES = """
SELECT m.id, v.name AS vendor, p.name AS project, m.name,
  (SELECT json_group_array(json_object(
      'message_id', msg.message_id, 'sent', r.sent, 'due', r.due, 'status', r.status,
      'previous_due', r.previous_due, 'forwarded_by', msg.forwarded_by))
   FROM (SELECT * FROM milestone_revisions WHERE milestone = m.id ORDER BY sent, id) r
   LEFT JOIN messages msg ON msg.id = r.message) AS revisions
FROM milestones m
JOIN vendors v ON v.id = m.vendor
LEFT JOIN projects p ON p.id = m.project
ORDER BY m.id
"""


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def milestones(
    store: Store,
    *,
    vendor: str | None = None,
    team: TeamScope | None = None,
    teams: Collection[TeamScope] = (),
    slipped: bool = False,
) -> list[dict[str, Any]]:
    """Milestones with their current state (the newest revision by send time) and history."""
    out = []
    for row in store.db.query(_MILESTONES):
        revisions = json.loads(row["revisions"])
        forwarders = {r["forwarded_by"] for r in revisions if r["forwarded_by"]}
        if vendor and _folded(row["vendor"]) != _folded(vendor):
            continue
        if team and not team.claims(row["vendor"], row["project"], forwarders):
            continue
        dated = [r for r in revisions if r["due"]]
        current = revisions[-1] if revisions else {}
        baseline = dated[0]["due"] if dated else None
        due = dated[-1]["due"] if dated else None
        slip = (_day(due) - _day(baseline)).days if due and baseline else 0
        if slipped and slip <= 0:
            continue
        out.append(
            {
                "id": row["id"],
                "vendor": row["vendor"],
                "project": row["project"],
                "name": row["name"],
                "teams": [t.name for t in teams if t.claims(row["vendor"], row["project"], forwarders)],
                "due": due,
                "status": current.get("status"),
                "baseline_due": baseline,
                "slip_days": slip,
                "revisions": [{k: r[k] for k in ("message_id", "sent", "due", "status", "previous_due")} for r in revisions],
            }
        )
    return out
