"""Schema migrations, applied in order, each in its own transaction.

A migration is never edited once released: a schema change is a new entry at
the end of MIGRATIONS. The applied versions are recorded in the database
itself (``migrations`` table), so opening an old database brings it up to date
and opening a newer one than this code knows is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from slipwatch.clock import utcnow
from slipwatch.errors import StoreError
from slipwatch.mail.model import format_instant
from slipwatch.mail.dedup import content_digest, normalise_message_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _initial(conn: sqlite3.Connection) -> None:
    # executescript() would COMMIT the migration's transaction; run statements one by one.
    for statement in _INITIAL.split(";\n\n"):
        if statement.strip():
            conn.execute(statement)


_INITIAL = """
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    -- one row per message however often it is seen: its Message-ID, or the
    -- content hash when it has none
    dedup_key TEXT NOT NULL UNIQUE,
    message_id TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new'
        CHECK (state IN ('new', 'processed', 'failed', 'quarantined')),
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    processed_at TEXT,
    author TEXT,
    author_name TEXT,
    forwarded_by TEXT,
    subject TEXT,
    sent TEXT
);

CREATE INDEX messages_state ON messages (state);

CREATE TABLE raw_messages (
    message INTEGER PRIMARY KEY REFERENCES messages (id),
    raw BLOB NOT NULL
);

CREATE TABLE message_locations (
    id INTEGER PRIMARY KEY,
    message INTEGER NOT NULL REFERENCES messages (id),
    source TEXT NOT NULL,
    folder TEXT NOT NULL DEFAULT '',
    uidvalidity INTEGER NOT NULL DEFAULT 0,
    uid INTEGER,
    key TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    UNIQUE (source, folder, uidvalidity, key)
);

CREATE INDEX message_locations_message ON message_locations (message);

CREATE TABLE vendors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    timezone TEXT,
    domains TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    timezone TEXT NOT NULL
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    vendor INTEGER REFERENCES vendors (id),
    name TEXT NOT NULL,
    UNIQUE (vendor, name)
);

CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    vendor INTEGER NOT NULL REFERENCES vendors (id),
    project INTEGER REFERENCES projects (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE milestone_revisions (
    id INTEGER PRIMARY KEY,
    milestone INTEGER NOT NULL REFERENCES milestones (id),
    message INTEGER REFERENCES messages (id),
    author TEXT,
    sent TEXT,
    due TEXT,
    status TEXT NOT NULL
        CHECK (status IN ('planned', 'delivered', 'at_risk', 'delayed', 'cancelled')),
    previous_due TEXT,
    evidence TEXT,
    recorded_at TEXT NOT NULL
);

CREATE INDEX milestone_revisions_milestone ON milestone_revisions (milestone);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    team TEXT NOT NULL,
    period TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    recipients TEXT NOT NULL,
    raw BLOB NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (team, period)
)
"""

def _source_state(conn: sqlite3.Connection) -> None:
    # per (source, folder, UIDVALIDITY): the highest UID whose message is fully committed
    conn.execute(
        "CREATE TABLE source_state (source TEXT NOT NULL, folder TEXT NOT NULL, uidvalidity INTEGER NOT NULL,"
        " last_uid INTEGER NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (source, folder, uidvalidity))"
    )


def _problems(conn: sqlite3.Connection) -> None:
    # what the reader could not read in a message it still recorded (JSON list)
    conn.execute("ALTER TABLE messages ADD COLUMN problems TEXT")


def _tracking(conn: sqlite3.Connection) -> None:
    for statement in (
        # a merged milestone points at the one it was merged into; an ignored one is hidden
        "ALTER TABLE milestones ADD COLUMN merged_into INTEGER REFERENCES milestones (id)",
        "ALTER TABLE milestones ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0",
        # the name as that message said it, mail or a person's correction, where it was read,
        # and how the item was matched to this milestone (JSON), so a wrong merge can be undone
        "ALTER TABLE milestone_revisions ADD COLUMN name TEXT",
        "ALTER TABLE milestone_revisions ADD COLUMN kind TEXT NOT NULL DEFAULT 'mail'",
        "ALTER TABLE milestone_revisions ADD COLUMN origin TEXT",
        "ALTER TABLE milestone_revisions ADD COLUMN decision TEXT",
        "CREATE INDEX milestone_revisions_message ON milestone_revisions (message)",
        # the vendor message's own Message-ID when it came attached or quoted: replies cite it
        "ALTER TABLE messages ADD COLUMN vendor_message_id TEXT",
        "CREATE INDEX milestones_vendor ON milestones (vendor)",
        # merges, splits and ignores: who did what, so each can be seen and undone
        "CREATE TABLE milestone_actions (id INTEGER PRIMARY KEY, milestone INTEGER NOT NULL REFERENCES milestones (id),"
        " action TEXT NOT NULL, detail TEXT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL)",
    ):
        conn.execute(statement)


def _feed_tokens(conn: sqlite3.Connection) -> None:
    # the secret in each calendar feed's URL (one per team, and "all"); a new one revokes the old
    conn.execute(
        "CREATE TABLE feed_tokens (feed TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)"
    )


def _digests(conn: sqlite3.Connection) -> None:
    for statement in (
        # the outbox row of a digest or an alert; next_attempt_at spaces out retries after a failure
        "ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'digest'",
        "ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT",
        # one row per team and weekly slot, written in the transaction that queues the digest
        # (or decides there is nothing to send): a period is done once, whatever crashes later
        "CREATE TABLE digest_periods (team TEXT NOT NULL, slot TEXT NOT NULL, covers_from TEXT NOT NULL,"
        " covers_to TEXT NOT NULL, outbox INTEGER REFERENCES outbox (id), created_at TEXT NOT NULL,"
        " PRIMARY KEY (team, slot))",
    ):
        conn.execute(statement)


def _revision_order(conn: sqlite3.Connection) -> None:
    # revisions are ordered by when the vendor sent them; `sent` keeps the writer's offset, which
    # does not sort, so the UTC instant sits beside it and the lookups that identity does per
    # message (current due, names, the thread) use indexes instead of reading every revision
    conn.execute("ALTER TABLE milestone_revisions ADD COLUMN sent_utc TEXT")
    for rowid, sent in conn.execute("SELECT id, sent FROM milestone_revisions").fetchall():
        conn.execute("UPDATE milestone_revisions SET sent_utc = ? WHERE id = ?", (utc_key(sent), rowid))
    conn.execute("CREATE INDEX milestone_revisions_order ON milestone_revisions (milestone, sent_utc, id)")
    conn.execute("CREATE INDEX messages_message_id ON messages (message_id)")
    conn.execute("CREATE INDEX messages_vendor_message_id ON messages (vendor_message_id)")
    conn.execute("CREATE INDEX milestones_merged_into ON milestones (merged_into)")
    # every name a milestone was called by, once: what identity compares a new item with
    conn.execute("CREATE TABLE milestone_names (milestone INTEGER NOT NULL REFERENCES milestones (id),"
                 " name TEXT NOT NULL, PRIMARY KEY (milestone, name))")
    conn.execute("INSERT OR IGNORE INTO milestone_names SELECT milestone, name FROM milestone_revisions"
                 " WHERE name IS NOT NULL")


def _staff_changes(conn: sqlite3.Connection) -> None:
    # a person's fix of a misread date points at the revision it fixes (that revision then counts as
    # read right); a staff move, a rebaseline or any correction keeps why the person made it
    conn.execute("ALTER TABLE milestone_revisions ADD COLUMN amends INTEGER REFERENCES milestone_revisions (id)")
    conn.execute("ALTER TABLE milestone_revisions ADD COLUMN reason TEXT")


def _token_hashes(conn: sqlite3.Connection) -> None:
    # a copy of the database must open no feed: each token gives way to its hash (a URL keeps working), and
    # secure_delete overwrites the pages the tokens leave, which would otherwise keep them until reused
    secure = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("ALTER TABLE feed_tokens RENAME COLUMN token TO token_sha256")
    for feed, token in conn.execute("SELECT feed, token_sha256 FROM feed_tokens").fetchall():
        conn.execute("UPDATE feed_tokens SET token_sha256 = ? WHERE feed = ?", (token_hash(token), feed))
    conn.execute(f"PRAGMA secure_delete = {secure}")


def _page_links(conn: sqlite3.Connection) -> None:
    # the token in the page links that digests and feed events carry (publish.tokens.link_tokens): kept as
    # itself, since the daemon writes it into every link; it opens a team's pages, never its feed
    conn.execute(
        "CREATE TABLE page_links (feed TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)"
    )


def token_hash(token: str) -> str:
    """What the store keeps of a feed token (publish.tokens): 192 random bits need no salt nor slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def _believed_send_times(conn: sqlite3.Connection) -> None:
    # a mail is no longer believed sent more than 15 minutes after it arrived (slipwatch.mail.received): what
    # was recorded before counts from when it was stored, in the offset it was written in, as new mail would
    noted: set[int] = set()
    rows = conn.execute(
        "SELECT r.id, r.sent, m.id, m.received_at FROM milestone_revisions r JOIN messages m ON m.id = r.message"
        " WHERE r.kind = 'mail' ORDER BY r.id"
    ).fetchall()
    for revision, sent, message, received in rows:
        said, arrived = dt.datetime.fromisoformat(sent), dt.datetime.fromisoformat(received)
        if said <= arrived + dt.timedelta(minutes=15):
            continue
        moved = arrived.astimezone(said.tzinfo)
        conn.execute("UPDATE milestone_revisions SET sent = ?, sent_utc = ? WHERE id = ?",
                     (moved.isoformat(), utc_key(moved), revision))
        if message not in noted:
            noted.add(message)
            problems = json.loads(conn.execute("SELECT problems FROM messages WHERE id = ?", (message,)).fetchone()[0]
                                  or "[]")
            problems.append(f"recorded as sent {format_instant(said)} before slipwatch capped send times; that is "
                            f"over 15 minutes after it was stored ({arrived.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC): "
                            "now read as sent when it was stored")
            conn.execute("UPDATE messages SET sent = ?, problems = ? WHERE id = ?",
                         (format_instant(moved), json.dumps(problems), message))


def _normalised_ids(conn: sqlite3.Connection) -> None:
    # Message-IDs as slipwatch.mail.dedup compares them, and content keys that ignore transport headers, so that
    # the mail arriving again is known; two rows that turn out to be one mail both stay (each has its history),
    # the later keeping a key of its own that no Message-ID or hash can take ("...#id")
    rows = conn.execute("SELECT id, dedup_key, message_id, vendor_message_id FROM messages ORDER BY id").fetchall()
    conn.execute("UPDATE messages SET dedup_key = 'migrating:' || id")  # no key is taken while keys move
    taken: set[str] = set()
    for rowid, key, message_id, vendor_message_id in rows:
        new = key
        if key.startswith("sha256:"):
            raw = conn.execute("SELECT raw FROM raw_messages WHERE message = ?", (rowid,)).fetchone()
            new = f"sha256:{content_digest(raw[0])}" if raw else key
        else:
            new = normalise_message_id(key) or key
        if new in taken:
            new = f"{new}#{rowid}"
        taken.add(new)
        conn.execute(
            "UPDATE messages SET dedup_key = ?, message_id = ?, vendor_message_id = ? WHERE id = ?",
            (new, normalise_message_id(message_id), normalise_message_id(vendor_message_id), rowid),
        )


# A vendor's milestones as identity matching sees them (track/record.py keeps them in memory) change with
# any of these rows; each change gives the vendor a new random token, so a copy kept in memory is known to be
# stale whoever changed the rows (a correction from the CLI, another process, a rolled-back transaction).
_IDENTITY_TABLES = {  # table: the milestones a row of it is about, in its NEW and OLD form
    "milestones": ("NEW.id, NEW.merged_into", "OLD.id, OLD.merged_into"),
    "milestone_names": ("NEW.milestone", "OLD.milestone"),
    "milestone_revisions": ("NEW.milestone", "OLD.milestone"),
}


def _identity_tokens(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE vendors ADD COLUMN identity_token BLOB")
    conn.execute("UPDATE vendors SET identity_token = randomblob(8)")
    for table, (new, old) in _IDENTITY_TABLES.items():
        for event, ids in (("INSERT", new), ("UPDATE", f"{new}, {old}"), ("DELETE", old)):
            # a merged milestone's names and revisions are those of the one it was merged into, maybe another vendor's
            conn.execute(
                f"CREATE TRIGGER {table}_identity_{event.lower()} AFTER {event} ON {table} BEGIN"
                " UPDATE vendors SET identity_token = randomblob(8) WHERE id IN (SELECT vendor FROM milestones"
                f" WHERE id IN ({ids}) OR id IN (SELECT merged_into FROM milestones WHERE id IN ({ids})));"
                " END"
            )
    conn.execute("CREATE TRIGGER projects_identity_update AFTER UPDATE ON projects BEGIN"
                 " UPDATE vendors SET identity_token = randomblob(8) WHERE id IN (NEW.vendor, OLD.vendor); END")


def utc_key(sent: str | dt.datetime) -> str:
    """A revision's send time as a UTC ISO string, which sorts in time order."""
    moment = dt.datetime.fromisoformat(sent) if isinstance(sent, str) else sent
    return moment.astimezone(dt.UTC).isoformat()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _initial),
    Migration(2, "IMAP checkpoints", _source_state),
    Migration(3, "reading problems of recorded messages", _problems),
    Migration(4, "milestone tracking: names, corrections, matching decisions", _tracking),
    Migration(5, "calendar feed tokens", _feed_tokens),
    Migration(6, "digest periods and outbox retries", _digests),
    Migration(7, "revisions ordered by UTC send time; milestone names; indexes for identity", _revision_order),
    Migration(8, "misread fixes point at the revision they fix; the reason for a person's change", _staff_changes),
    Migration(9, "feed tokens kept as their SHA-256 hashes", _token_hashes),
    Migration(10, "mail dated past its arrival counts as sent when it arrived", _believed_send_times),
    Migration(11, "Message-IDs normalised; content keys ignore the headers added in transport", _normalised_ids),
    Migration(12, "a token per vendor that changes with its milestones (identity matching's memory)", _identity_tokens),
    Migration(13, "the tokens of the page links in digests and feeds", _page_links),
)


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return conn.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()[0]


def migrate(conn: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database up to the newest migration; return its version."""
    version = current_version(conn)
    newest = migrations[-1].version
    if version > newest:
        raise StoreError(
            f"the database is at schema version {version}, newer than this slipwatch knows ({newest}); "
            "upgrade slipwatch or restore a backup"
        )
    for migration in migrations:
        if migration.version <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(conn)
            conn.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, utcnow()),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if version:  # an upgrade says what changed; a new store is simply created
            log.info("store migrated to schema version %d (%s)", migration.version, migration.name)
    if not version:
        log.info("store created at schema version %d", newest)
    return newest
