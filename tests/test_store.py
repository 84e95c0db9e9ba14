"""The store: migrations, one row per message, raw bytes kept."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from slipwatch.errors import StoreError
from slipwatch.store import Location, Store
from slipwatch.store.migrations import MIGRATIONS, migrate

from tests.helpers import vendor_mail


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "db" / "slipwatch.db")
    yield s
    s.close()


def test_opening_applies_every_migration_once(tmp_path):
    path = tmp_path / "s.db"
    Store.open(path).close()
    store = Store.open(path)
    rows = store.conn.execute("SELECT version, name FROM migrations").fetchall()
    assert rows == [(m.version, m.name) for m in MIGRATIONS]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()


def test_a_new_store_says_it_was_created_in_one_line(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="slipwatch.store"):
        Store.open(tmp_path / "s.db").close()
        Store.open(tmp_path / "s.db").close()  # up to date: nothing to say
    assert [r.getMessage() for r in caplog.records] == [f"store created at schema version {MIGRATIONS[-1].version}"]


def test_an_upgrade_logs_each_migration_applied(tmp_path, caplog):
    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    migrate(conn, MIGRATIONS[:5])  # a store as an older slipwatch left it
    conn.close()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="slipwatch.store"):
        Store.open(tmp_path / "s.db").close()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("slipwatch.store")] == [
        f"store migrated to schema version {m.version} ({m.name})" for m in MIGRATIONS[5:]
    ]


def test_a_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "s.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO migrations VALUES (999, 'from the future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 999, newer than this slipwatch knows"):
        Store.open(path)


def test_a_message_seen_twice_is_one_row_with_two_locations(store):
    raw = vendor_mail(message_id="<same@nimbuslabs.example>")
    first = store.admit(raw, "<same@nimbuslabs.example>", Location("file", "/a.eml"))
    second = store.admit(raw, "<same@nimbuslabs.example>", Location("file", "/b.eml"))
    assert first.new and not second.new and first.id == second.id
    assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 1
    assert store.conn.execute("SELECT count(*) FROM message_locations").fetchone()[0] == 2
    assert store.raw(first.id) == raw


def test_without_message_id_the_content_hash_identifies_a_message(store):
    raw = vendor_mail(message_id=None)
    a = store.admit(raw, None, Location("file", "/a.eml"))
    b = store.admit(raw, None, Location("file", "/b.eml"))
    c = store.admit(raw.replace(b"Friday", b"Monday"), None, Location("file", "/c.eml"))
    assert a.id == b.id != c.id


def test_failures_are_retried_until_the_last_attempt(store):
    m = store.admit(vendor_mail(), None, Location("file", "/a.eml")).id
    store.record_failure(m, "no sender")
    assert store.unfinished(max_attempts=2) == [(m, 1)]
    assert store.known_keys("file", max_attempts=2) == set()
    store.record_failure(m, "no sender")
    assert store.unfinished(max_attempts=2) == []
    assert store.known_keys("file", max_attempts=2) == {"/a.eml"}
    assert store.messages("failed")[0]["error"] == "no sender"


def test_the_keys_known_at_the_last_poll_follow_a_message_another_process_finished(tmp_path):
    """The daemon's store keeps its answer between idle polls, but a commit from elsewhere (`slipwatch
    ingest` on the same mail) or its own next write is seen at the next ask."""
    daemon, cli = Store.open(tmp_path / "s.db"), Store.open(tmp_path / "s.db")
    m = daemon.admit(vendor_mail(), None, Location("file", "/a.eml")).id
    assert daemon.known_keys("file", max_attempts=1) == set()
    cli.record_failure(m, "no sender")
    assert daemon.known_keys("file", max_attempts=1) == {"/a.eml"}
    b = daemon.admit(vendor_mail(message_id="<b@x.example>"), None, Location("file", "/b.eml")).id
    daemon.record_failure(b, "no sender")
    assert daemon.known_keys("file", max_attempts=1) == {"/a.eml", "/b.eml"}
    daemon.close()
    cli.close()


def test_a_failed_transaction_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            conn.execute("INSERT INTO vendors (name) VALUES ('half-written')")
            raise RuntimeError("crash in the middle")
    assert store.conn.execute("SELECT count(*) FROM vendors").fetchone()[0] == 0


def test_directory_sync_updates_in_place(store):
    store.sync_directory([{"name": "Nimbus Labs", "timezone": "Asia/Kolkata", "domains": ("a.example",)}], [])
    store.sync_directory([{"name": "Nimbus Labs", "timezone": "Asia/Calcutta", "domains": ("a.example",)}], [])
    assert store.conn.execute("SELECT name, timezone FROM vendors").fetchall() == [("Nimbus Labs", "Asia/Calcutta")]
