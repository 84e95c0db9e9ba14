"""Writing what a message said as revisions of milestones, inside the message's transaction."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from slipwatch.extract.model import Milestone
from slipwatch.clock import utcnow
from slipwatch.store.migrations import utc_key
from slipwatch.track.identity import Candidate, Decision, WordIndex, Words, decide


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


#: A milestone delivered or cancelled longer than this before a mail was sent is not matched by the mail's
#: items (unless the mail replies to a message about it): a finished deliverable's name is often reused for
#: the next one, and what can match stays bounded as years of mail pile up.
CLOSED_MATCHABLE = dt.timedelta(days=90)
_CLOSED = frozenset({"delivered", "cancelled"})

# A vendor's live milestones (not merged, not ignored), and the rows of each with those merged into it.
_LIVE = ("SELECT m.id, m.name, p.name FROM milestones m LEFT JOIN projects p ON p.id = m.project"
         " WHERE m.vendor = ? AND m.merged_into IS NULL AND NOT m.ignored")
_OF_LIVE = ("JOIN milestones o ON o.id = {table}.milestone JOIN milestones m ON m.id = coalesce(o.merged_into, o.id)"
            " WHERE m.vendor = ? AND m.merged_into IS NULL AND NOT m.ignored")


def _order(sent_utc: str | None, revision: int) -> tuple[str, int]:
    """Revisions in the order they were written (as SQL sorts them: a missing send time first)."""
    return (sent_utc or "", revision)


@dataclass(slots=True)  # one per milestone a vendor ever had, kept in memory
class _Tracked:
    candidate: Candidate
    due_from: tuple[str, int] | None = None  # the revision its due comes from, by _order
    latest: tuple[tuple[str, int], str] | None = None  # its newest revision, by _order, and that one's status


class VendorMilestones:
    """A vendor's live milestones as identity matching sees them: every name each was called by, its current
    committed due (the newest by send time that is not a delivery report), whether it is closed; indexed by
    the words of their names. Kept in memory from one mail to the next (see `_known`)."""

    def __init__(self) -> None:
        self._tracked: dict[int, _Tracked] = {}
        self._index = WordIndex()
        self._by_due: dict[str, set[int]] = {}  # a due day -> the milestones now due that day

    @classmethod
    def load(cls, conn: sqlite3.Connection, vendor: int) -> VendorMilestones:
        out = cls()
        live = {mid: (name, project) for mid, name, project in conn.execute(_LIVE, (vendor,))}
        names: dict[int, list[str]] = {}
        for mid, name in conn.execute(f"SELECT m.id, milestone_names.name FROM milestone_names "
                                      f"{_OF_LIVE.format(table='milestone_names')}", (vendor,)):
            names.setdefault(mid, []).append(name)
        for mid, (name, project) in sorted(live.items()):
            out._tracked[mid] = _Tracked(Candidate(mid, tuple(names.get(mid, (name,))), project, None))
        for mid, revision, sent_utc, due, status in conn.execute(
            "SELECT m.id, milestone_revisions.id, sent_utc, due, status FROM milestone_revisions "
            f"{_OF_LIVE.format(table='milestone_revisions')}", (vendor,)
        ):
            out._revised(mid, _order(sent_utc, revision), due, status)
        for mid, tracked in out._tracked.items():
            out._index.add(mid, tracked.candidate.name_words)
        return out

    def candidate(self, milestone: int) -> Candidate:
        return self._tracked[milestone].candidate

    def candidates(self, name: str, in_thread: Collection[int], sent: dt.datetime,
                   previous_due: str | None = None) -> set[int]:
        """The milestones an item called `name` in a mail sent at `sent` can be about: open, closed recently,
        or spoken of in the thread, and with a name that can match it alone, or lifted by the thread or by
        being due on the item's old date (`identity.decide`)."""
        return self._matchable_of(self._index.could_match(name), in_thread, sent, previous_due)

    def named(self, name: str, in_thread: Collection[int], sent: dt.datetime,
              previous_due: str | None = None) -> set[int]:
        """The few of `candidates` one of whose names has the item's words, or lifted by the thread or the
        old date: when the best of them scores 1 or more, no other candidate can beat it."""
        return self._matchable_of(self._index.named(name), in_thread, sent, previous_due)

    def _matchable_of(self, ids: set[int], in_thread: Collection[int], sent: dt.datetime,
                      previous_due: str | None) -> set[int]:
        horizon = utc_key(sent - CLOSED_MATCHABLE)
        lifted = self._by_due.get(previous_due[:10], set()) if previous_due else set()
        return {
            mid for mid in ids | lifted | set(in_thread)
            if mid in self._tracked and (mid in in_thread or self._matchable(mid, horizon))
        }

    def _matchable(self, milestone: int, horizon: str) -> bool:
        latest = self._tracked[milestone].latest
        return latest is None or latest[1] not in _CLOSED or latest[0][0] >= horizon

    def recorded(self, milestone: int, revision: int, sent_utc: str, item: Milestone) -> None:
        """What `record` wrote for an item, as the database now says it (names, due, newest status)."""
        tracked = self._tracked.get(milestone)
        if tracked is None:
            tracked = self._tracked[milestone] = _Tracked(Candidate(milestone, (), item.project or None, None))
        c = tracked.candidate
        if item.name:
            tracked.candidate = replace(c, names=tuple(dict.fromkeys((*c.names, item.name))))
        elif not c.names:
            tracked.candidate = replace(c, names=(item.name,))  # a milestone with no name recorded goes by its own
        self._revised(milestone, _order(sent_utc, revision), item.due, item.status)
        self._index.add(milestone, [Words.of(item.name)])  # the names it had are indexed already

    def _revised(self, milestone: int, order: tuple[str, int], due: str | None, status: str) -> None:
        tracked = self._tracked[milestone]
        if due is not None and status != "delivered" and (tracked.due_from is None or order > tracked.due_from):
            if tracked.candidate.due is not None:
                self._by_due[tracked.candidate.due[:10]].discard(milestone)
            tracked.candidate, tracked.due_from = replace(tracked.candidate, due=due), order
            self._by_due.setdefault(due[:10], set()).add(milestone)
        if tracked.latest is None or order > tracked.latest[0]:
            tracked.latest = (order, status)


# (database file, vendor id) -> the vendor's identity token when its milestones were last read or written
# here, and what they were then
_KNOWN: dict[tuple[str, int], tuple[bytes, VendorMilestones]] = {}


def _token(conn: sqlite3.Connection, vendor: int) -> bytes | None:
    return conn.execute("SELECT identity_token FROM vendors WHERE id = ?", (vendor,)).fetchone()[0]


def _database(conn: sqlite3.Connection) -> str:
    return conn.execute("PRAGMA database_list").fetchone()[2]


def _known(conn: sqlite3.Connection, vendor: int) -> VendorMilestones:
    """The vendor's milestones from memory, read again when anything changed them since (the token says so:
    store/migrations.py). Taken out of memory while a message is recorded: if recording fails half-way,
    the next message reads them again."""
    token = _token(conn, vendor)
    kept = _KNOWN.pop((_database(conn), vendor), None)
    if kept is not None and token is not None and kept[0] == token:
        return kept[1]
    return VendorMilestones.load(conn, vendor)


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
    known = _known(conn, vendor)
    in_thread = milestones_in_thread(conn, obs.thread)
    sent_utc = utc_key(obs.sent)
    # the milestones this message's items were recorded on, as a later item of it sees them: with the
    # names the items gave and the last item's due, whatever the order of their revisions
    seen: dict[int, Candidate] = {}
    out = []
    for item in obs.items:
        def decided(ids: set[int]) -> Decision:
            return decide(item.name, item.project, item.previous_due, in_thread,
                          [seen[mid] if mid in seen else known.candidate(mid) for mid in sorted(ids | seen.keys())])

        decision = decided(known.named(item.name, in_thread, obs.sent, item.previous_due))
        if decision.score < 1:  # a name of the same words, or the thread or old date, settle it; else look wider
            decision = decided(known.candidates(item.name, in_thread, obs.sent, item.previous_due))
        milestone = decision.milestone
        if milestone is None:
            milestone = conn.execute(
                "INSERT INTO milestones (vendor, project, name, created_at) VALUES (?, ?, ?, ?)",
                (vendor, project_id(conn, vendor, item.project), item.name, utcnow()),
            ).lastrowid
            before = Candidate(milestone, (item.name,), item.project, None)
        else:
            before = seen.get(milestone) or known.candidate(milestone)
        revision = insert_revision(
            conn, milestone, sent=obs.sent, message=obs.message, author=obs.author, due=item.due,
            status=item.status, previous_due=item.previous_due, evidence=item.evidence, name=item.name,
            kind="mail", origin=item.origin,
            decision=json.dumps({"score": decision.score, "reasons": decision.reasons}),
        )
        known.recorded(milestone, revision, sent_utc, item)
        seen[milestone] = replace(before, names=tuple(dict.fromkeys((*before.names, item.name))),
                                  due=item.due if item.status != "delivered" else before.due)
        out.append(Recorded(milestone, revision, decision.milestone is None, decision))
    token = _token(conn, vendor)
    if token is not None:
        _KNOWN[(_database(conn), vendor)] = (token, known)
    return out
