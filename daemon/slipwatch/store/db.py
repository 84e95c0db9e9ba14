"""The SQLite store: every message received, its raw bytes, and what it said.

Opened in WAL mode with foreign keys on; the schema comes from migrations.
The database and its -wal and -shm files are readable by their owner alone
(slipwatch.modes): they hold every message.
Writes go through :meth:`Store.transaction` (``BEGIN IMMEDIATE``) so a
message's rows land together or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from slipwatch.clock import utcnow
from slipwatch.errors import StoreBusy, StoreError, StoreFull
from slipwatch.mail.dedup import content_digest
from slipwatch.mail.model import VendorMessage, format_instant
from slipwatch.modes import PRIVATE_FILE, make_private
from slipwatch.store.migrations import MIGRATIONS, migrate

log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 30

# a message still to be worked on: never read, or failed with attempts left (parameter: max_attempts)
_UNFINISHED = "state = 'new' OR (state = 'failed' AND attempts < ?)"


@dataclass(frozen=True)
class Location:
    """Where a message was seen: a file, a Maildir entry, an IMAP UID."""

    source: str
    key: str
    folder: str = ""
    uidvalidity: int = 0
    uid: int | None = None

    def describe(self) -> str:
        """Where a person finds the message: a file's path, a Maildir entry, a mailbox's UID."""
        if self.uid is not None:
            return f"UID {self.uid} in {self.source}/{self.folder}"
        if self.source == "file":  # `slipwatch ingest`: the key is the file's path
            return self.key
        return f"{self.key} in {self.source}"


@dataclass(frozen=True)
class Admission:
    """What the store made of a message it was handed."""

    id: int
    new: bool
    state: str
    attempts: int
    error: str | None = None  # why it failed, when it did


def _translated(exc: sqlite3.OperationalError, path: Path | None) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy(f"{path}: the database is locked by another process ({exc}); retrying")
    if "full" in text:
        return StoreFull(f"{path}: the disk is full ({exc}); nothing was written, retrying when space is back")
    return exc


def dedup_key(message_id: str | None, raw: bytes) -> tuple[str, str]:
    """(dedup key, sha256 of the bytes): the normalised Message-ID when there is one, else the hash of what the
    author wrote, which the same mail has whatever route it came by (slipwatch.mail.dedup)."""
    return (message_id or f"sha256:{content_digest(raw)}", hashlib.sha256(raw).hexdigest())


class Store:
    """One open slipwatch database."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.path = path
        self._known: tuple[tuple[object, ...], set[str]] | None = None  # known_keys's last answer

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Store:
        path = Path(path)
        on_disk = str(path) != ":memory:"
        try:
            if on_disk:
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                # made private before SQLite writes a byte (an empty file is an empty database): whatever the
                # umask, and SQLite gives the -wal and -shm files the database's own mode
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
            conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the database: {exc}") from exc
        if on_disk:  # one an older slipwatch, or a copy by hand, left readable by others
            for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                make_private(file, "every message slipwatch received")
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside land together, or none do.

        A database held by another process past the busy timeout (a backup, a
        long CLI command) raises StoreBusy, a full disk StoreFull: the caller
        waits and tries again, and nothing is half-written.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _translated(exc, self.path) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise _translated(exc, self.path) from exc
            raise

    @staticmethod
    def newest_schema_version() -> int:
        return MIGRATIONS[-1].version

    # -- messages ---------------------------------------------------------

    def admit(
        self, raw: bytes, message_id: str | None, location: Location, *, received: dt.datetime | None = None
    ) -> Admission:
        """Store a message's raw bytes and where it was seen, once.

        Committed before anything reads the message, so whatever happens
        later, nothing received is lost. A message seen again (same
        Message-ID, normalised by the caller, or the same authored content when
        it has none) gets only a new location. `received` is when it arrived,
        if its source can tell (never later than now); else it arrived now.
        """
        key, digest = dedup_key(message_id, raw)
        now = utcnow()
        # never later than now (a clock ahead of ours); both strings in utcnow's form, which sorts as time does
        arrived = min(received.astimezone(dt.UTC).isoformat(timespec="seconds"), now) if received else now
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id, state, attempts, error FROM messages WHERE dedup_key = ?", (key,)
            ).fetchone()
            new = row is None
            if new:
                cur = conn.execute(
                    "INSERT INTO messages (dedup_key, message_id, sha256, size, received_at) VALUES (?, ?, ?, ?, ?)",
                    (key, message_id, digest, len(raw), arrived),
                )
                row = (cur.lastrowid, "new", 0, None)
                conn.execute("INSERT INTO raw_messages (message, raw) VALUES (?, ?)", (row[0], raw))
            conn.execute(
                "INSERT OR IGNORE INTO message_locations (message, source, folder, uidvalidity, uid, key, seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (row[0], location.source, location.folder, location.uidvalidity, location.uid, location.key, now),
            )
        return Admission(id=row[0], new=new, state=row[1], attempts=row[2], error=row[3])

    def location(self, message: int) -> Location | None:
        """Where the message was first seen."""
        row = self.conn.execute(
            "SELECT source, key, folder, uidvalidity, uid FROM message_locations WHERE message = ? ORDER BY id LIMIT 1",
            (message,),
        ).fetchone()
        return Location(source=row[0], key=row[1], folder=row[2], uidvalidity=row[3], uid=row[4]) if row else None

    def known_keys(self, source: str, folder: str = "", uidvalidity: int = 0, *, max_attempts: int = 1) -> set[str]:
        """Keys of a source's messages that need no more work: recorded, or failed for good.

        The daemon asks on every poll: the answer is kept until this connection writes or another one
        commits (either may have finished a message), so an idle poll does not read every key again.
        """
        asked = (source, folder, uidvalidity, max_attempts, self.conn.total_changes,
                 self.conn.execute("PRAGMA data_version").fetchone()[0])
        if self._known is None or self._known[0] != asked:
            rows = self.conn.execute(
                "SELECT l.key FROM message_locations l JOIN messages m ON m.id = l.message"
                " WHERE l.source = ? AND l.folder = ? AND l.uidvalidity = ?"
                f" AND NOT ({_UNFINISHED})",
                (source, folder, uidvalidity, max_attempts),
            )
            self._known = (asked, {r[0] for r in rows})
        return set(self._known[1])

    def received(self, message: int) -> dt.datetime:
        """When the message arrived (see `admit`)."""
        row = self.conn.execute("SELECT received_at FROM messages WHERE id = ?", (message,)).fetchone()
        if row is None:
            raise StoreError(f"message {message} is not in the store")
        return dt.datetime.fromisoformat(row[0])

    def raw(self, message: int) -> bytes:
        row = self.conn.execute("SELECT raw FROM raw_messages WHERE message = ?", (message,)).fetchone()
        if row is None:
            raise StoreError(f"message {message} has no stored raw bytes")
        return row[0]

    def unfinished(self, *, max_attempts: int = 1) -> list[tuple[int, int]]:
        """(id, attempts) of messages stored but not recorded: a crash came between, or a retry is due."""
        sql = f"SELECT id, attempts FROM messages WHERE {_UNFINISHED} ORDER BY id"
        return self.conn.execute(sql, (max_attempts,)).fetchall()

    def record_message(
        self, conn: sqlite3.Connection, message: int, vm: VendorMessage, *, quarantine: str | None = None
    ) -> None:
        """Mark a message recorded, with who wrote it, when, and what could not be read.

        `quarantine` gives the reason a message is kept out of the schedule.
        """
        conn.execute(
            "UPDATE messages SET state = ?, error = ?, processed_at = ?, attempts = attempts + 1,"
            " problems = ?, author = ?, author_name = ?, forwarded_by = ?, subject = ?, sent = ?,"
            " vendor_message_id = ? WHERE id = ?",
            (
                "quarantined" if quarantine else "processed",
                quarantine,
                utcnow(),
                json.dumps(list(vm.problems)) if vm.problems else None,
                vm.author,
                vm.author_name,
                vm.forwarded_by,
                vm.subject,
                format_instant(vm.sent) if vm.sent else None,
                vm.message_id,
                message,
            ),
        )

    def record_failure(self, message: int, reason: str, *, attempts: int | None = None) -> None:
        """Keep the reason; the message is tried again while attempts are left.

        `attempts` sets the count outright: a message refused for good (too
        large, say) is given the maximum so that it is never retried.
        """
        with self.transaction() as conn:
            self.mark_failed(conn, message, reason, attempts=attempts)

    @staticmethod
    def mark_failed(conn: sqlite3.Connection, message: int, reason: str, *, attempts: int | None = None) -> None:
        """record_failure inside the caller's transaction, with what else it writes."""
        conn.execute(
            "UPDATE messages SET attempts = coalesce(?, attempts + 1), error = ?, state = 'failed' WHERE id = ?",
            (attempts, reason, message),
        )

    def messages(self, state: str | None = None) -> list[dict[str, Any]]:
        where, args = ("WHERE state = ?", [state]) if state else ("", [])
        sql = (
            "SELECT id, message_id, state, error, problems, attempts, received_at, sent, author, forwarded_by, subject"
            f" FROM messages {where} ORDER BY id"
        )
        rows = list(self.db.query(sql, args))
        for row in rows:
            seen = self.location(row["id"])
            row["location"] = seen.describe() if seen else None
        return rows

    def counts(self) -> dict[str, int]:
        return {state: n for state, n in self.conn.execute("SELECT state, count(*) FROM messages GROUP BY state")}

    # -- source checkpoints ---------------------------------------------------

    def checkpoints(self, source: str, folder: str) -> dict[int, int]:
        """{UIDVALIDITY: highest committed UID} of a source's folder."""
        rows = self.conn.execute(
            "SELECT uidvalidity, last_uid FROM source_state WHERE source = ? AND folder = ?", (source, folder)
        )
        return dict(rows.fetchall())

    def set_checkpoint(self, source: str, folder: str, uidvalidity: int, uid: int) -> None:
        """Raise the checkpoint to `uid` (never lower it)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO source_state (source, folder, uidvalidity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO UPDATE SET last_uid = max(last_uid, excluded.last_uid), updated_at = excluded.updated_at",
                (source, folder, uidvalidity, uid, utcnow()),
            )

    # -- configuration mirrored into the store -------------------------------

    def sync_directory(self, vendors: list[dict[str, Any]], teams: list[dict[str, Any]]) -> None:
        """Mirror the configured vendors and teams, so queries can join on them."""
        with self.transaction():
            for vendor in vendors:
                self.db["vendors"].upsert(
                    {**vendor, "domains": json.dumps(list(vendor.get("domains", ())))}, pk="name"
                )
            for team in teams:
                self.db["teams"].upsert(team, pk="name")
