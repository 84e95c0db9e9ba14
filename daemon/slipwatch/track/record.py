"""Writing what a message said as revisions of milestones, inside the message's transaction."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace

from slipwatch.extract.model import Milestone
from slipwatch.clock import utcnow
from slipwatch.store.migrations import utc_key
from slipwatch.track.identity import Candidate, Decision, decide


@dataclass(frozen=True)
class Observation:
    """One vendor message's milestones, with what identity matching needs to place them."""

    message: int  # messages.id
    vendor: str
    author: str | None
    sent: dt.datetime
    items: Sequence[Milestone]
    thread: Sequence[str] = ()  # Message-IDs this message replies to or references


@dataclass(frozen=True)
class Recorded:
    milestone: int
    revision: int
    new: bool
    decision: Decision


def vendor_id(conn: sqlite3.Connection, name: str) -> int:
    """The vendor's row, created for a sender no config names (its mail domain is its name)."""
    conn.execute("INSERT OR IGNORE INTO vendors (name) VALUES (?)", (name,))
    return conn.execute("SELECT id FROM vendors WHERE name = ?", (name,)).fetchone()[0]


def project_id(conn: sqlite3.Connection, vendor: int, name: str | None) -> int | None:
    if not name:
        return None
    conn.execute("INSERT OR IGNORE INTO projects (vendor, name) VALUES (?, ?)", (vendor, name))
    return conn.execute("SELECT id FROM projects WHERE vendor = ? AND name = ?", (vendor, name)).fetchone()[0]


# Per milestone (with those merged into it): every name it was called by, and its current
# committed due date, the newest by send time that is not a delivery report.
_CANDIDATES = """
SELECT m.id, m.name, p.name AS project,
  (SELECT group_concat(n.name, char(31)) FROM milestone_names n
   WHERE n.milestone IN (SELECT o.id FROM milestones o WHERE o.id = m.id OR o.merged_into = m.id)) AS names,
  (SELECT r.due FROM milestone_revisions r
   WHERE r.milestone IN (SELECT o.id FROM milestones o WHERE o.id = m.id OR o.merged_into = m.id)
     AND r.due IS NOT NULL AND r.status != 'delivered'
   ORDER BY r.sent_utc DESC, r.id DESC LIMIT 1) AS due
FROM milestones m LEFT JOIN projects p ON p.id = m.project
WHERE m.vendor = ? AND m.merged_into IS NULL AND NOT m.ignored
ORDER BY m.id
"""


def candidates(conn: sqlite3.Connection, vendor: int) -> list[Candidate]:
    """The vendor's live milestones with every name they were called by and their current due."""
    return [
        Candidate(mid, tuple(names.split("\x1f")) if names else (name,), project, due)
        for mid, name, project, names, due in conn.execute(_CANDIDATES, (vendor,))
    ]


def milestones_in_thread(conn: sqlite3.Connection, message_ids: Sequence[str]) -> set[int]:
    """The milestones that messages with these Message-IDs spoke of (a reply's thread)."""
    if not message_ids:
        return set()
    marks = ",".join("?" * len(message_ids))
    rows = conn.execute(
        "SELECT DISTINCT coalesce(m.merged_into, m.id) FROM messages msg"
        " JOIN milestone_revisions r ON r.message = msg.id JOIN milestones m ON m.id = r.milestone"
        f" WHERE msg.message_id IN ({marks}) OR msg.vendor_message_id IN ({marks})",
        (*message_ids, *message_ids),
    )
    return {r[0] for r in rows}


def insert_revision(conn: sqlite3.Connection, milestone: int, *, sent: dt.datetime, **values: object) -> int:
    """A revision row; `sent_utc` kept beside `sent` so revisions sort by when they were written."""
    columns = {"milestone": milestone, "sent": sent.isoformat(), "sent_utc": utc_key(sent), "recorded_at": utcnow(),
               **values}
    if values.get("name"):
        conn.execute("INSERT OR IGNORE INTO milestone_names (milestone, name) VALUES (?, ?)", (milestone, values["name"]))
    return conn.execute(
        f"INSERT INTO milestone_revisions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        tuple(columns.values()),
    ).lastrowid


def record(conn: sqlite3.Connection, obs: Observation) -> list[Recorded]:
    """Each item becomes a revision of the milestone it is about, a new one when none matches."""
    vendor = vendor_id(conn, obs.vendor)
    known = candidates(conn, vendor)
    in_thread = milestones_in_thread(conn, obs.thread)
    out = []
    for item in obs.items:
        decision = decide(item.name, item.project, item.previous_due, in_thread, known)
        milestone = decision.milestone
        if milestone is None:
            milestone = conn.execute(
                "INSERT INTO milestones (vendor, project, name, created_at) VALUES (?, ?, ?, ?)",
                (vendor, project_id(conn, vendor, item.project), item.name, utcnow()),
            ).lastrowid
            known.append(Candidate(milestone, (item.name,), item.project, None))
        revision = insert_revision(
            conn, milestone, sent=obs.sent, message=obs.message, author=obs.author, due=item.due,
            status=item.status, previous_due=item.previous_due, evidence=item.evidence, name=item.name,
            kind="mail", origin=item.origin,
            decision=json.dumps({"score": decision.score, "reasons": decision.reasons}),
        )
        # a later item of the same message may be about this milestone too
        known = [
            replace(c, names=tuple(dict.fromkeys((*c.names, item.name))),
                    due=item.due if item.status != "delivered" else c.due) if c.id == milestone else c
            for c in known
        ]
        out.append(Recorded(milestone, revision, decision.milestone is None, decision))
    return out
