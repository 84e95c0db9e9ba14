"""Writing what a message said as revisions of milestones, inside the message's transaction."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace

from slipwatch.extract.model import Milestone
from slipwatch.store.db import utcnow
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
    message_ids: Sequence[str] = ()  # the Message-IDs it is known by (the vendor's, the mailbox's)


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


_CANDIDATES = """
SELECT m.id, p.name AS project, r.name, r.due, r.status, msg.message_id, msg.vendor_message_id, r.sent
FROM milestones m
LEFT JOIN projects p ON p.id = m.project
JOIN milestone_revisions r ON r.milestone = m.id
LEFT JOIN messages msg ON msg.id = r.message
WHERE m.vendor = ? AND m.merged_into IS NULL AND NOT m.ignored
ORDER BY r.id
"""


def _observed(c: Candidate, name: str | None, due: str | None, status: str, ids: Sequence[str | None]) -> Candidate:
    """A candidate after one more revision: another name, maybe a new due date, more messages."""
    return replace(
        c,
        names=c.names + ((name,) if name and name not in c.names else ()),
        due=due if due and status != "delivered" else c.due,
        messages=c.messages | {i for i in ids if i},
    )


def candidates(conn: sqlite3.Connection, vendor: int) -> list[Candidate]:
    """The vendor's live milestones with every name they were called by and their current due."""
    found: dict[int, Candidate] = {}
    rows = conn.execute(_CANDIDATES, (vendor,)).fetchall()
    # by send time, whatever offset each was written in, so the newest due wins
    for mid, project, name, due, status, message_id, vendor_message_id, _ in sorted(
        rows, key=lambda r: dt.datetime.fromisoformat(r[7])
    ):
        c = found.get(mid) or Candidate(mid, (), project, None)
        found[mid] = _observed(c, name, due, status, (message_id, vendor_message_id))
    return list(found.values())


def record(conn: sqlite3.Connection, obs: Observation) -> list[Recorded]:
    """Each item becomes a revision of the milestone it is about, a new one when none matches."""
    vendor = vendor_id(conn, obs.vendor)
    known = candidates(conn, vendor)
    out = []
    for item in obs.items:
        decision = decide(item.name, item.project, item.previous_due, obs.thread, known)
        milestone = decision.milestone
        if milestone is None:
            milestone = conn.execute(
                "INSERT INTO milestones (vendor, project, name, created_at) VALUES (?, ?, ?, ?)",
                (vendor, project_id(conn, vendor, item.project), item.name, utcnow()),
            ).lastrowid
            known.append(Candidate(milestone, (item.name,), item.project, None))
        revision = conn.execute(
            "INSERT INTO milestone_revisions (milestone, message, author, sent, due, status, previous_due,"
            " evidence, name, kind, origin, decision, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'mail', ?, ?, ?)",
            (
                milestone, obs.message, obs.author, obs.sent.isoformat(), item.due, item.status, item.previous_due,
                item.evidence, item.name, item.origin,
                json.dumps({"score": decision.score, "reasons": decision.reasons}), utcnow(),
            ),
        ).lastrowid
        known = [
            _observed(c, item.name, item.due, item.status, obs.message_ids) if c.id == milestone else c for c in known
        ]
        out.append(Recorded(milestone, revision, decision.milestone is None, decision))
    return out
