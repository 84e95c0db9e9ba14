"""Faults around the daemon: a locked database, a full disk. It waits, loses nothing, and resumes."""

from __future__ import annotations

import logging
import mailbox
import sqlite3
import threading
import time

from slipwatch import config as config_mod
from slipwatch.service import Service, open_store
from slipwatch.sources import open_source
from tests.helpers import CONFIG, vendor_mail


def daemon(config: config_mod.Config) -> tuple[Service, threading.Thread]:
    store = open_store(config)
    service = Service(config, store, open_source(config.source, store))
    return service, threading.Thread(target=service.run, daemon=True)


def recorded(config: config_mod.Config) -> int:
    with sqlite3.connect(config.store.path) as conn:
        return conn.execute("SELECT count(*) FROM messages WHERE state = 'processed'").fetchone()[0]


def wait_until(condition, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_database_locked_by_another_process_is_waited_out(write_config, caplog):
    config = config_mod.load(write_config(CONFIG.replace('path = "slipwatch.db"',
                                                         'path = "slipwatch.db"\nbusy_timeout_seconds = 1')))
    service, thread = daemon(config)
    blocker = sqlite3.connect(config.store.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # a backup or a long CLI command holds the database
    inbox = mailbox.Maildir(config.source.path)
    for n in range(3):
        inbox.add(vendor_mail(subject=f"Status {n}"))
    with caplog.at_level(logging.ERROR, logger="slipwatch.service"):
        thread.start()
        wait_until(lambda: any("locked by another process" in r.getMessage() for r in caplog.records))
        assert len(list((config.source.path / "new").iterdir())) == 3  # nothing marked read meanwhile
        blocker.execute("ROLLBACK")
        wait_until(lambda: recorded(config) == 3)
    service.request_stop()
    thread.join(10)
    assert not thread.is_alive()
    assert len(list((config.source.path / "cur").iterdir())) == 3


def test_a_full_disk_stops_nothing_and_loses_nothing(write_config, caplog):
    config = config_mod.load(write_config())
    service, thread = daemon(config)
    pages = service.store.conn.execute("PRAGMA page_count").fetchone()[0]
    # the database may not grow: every insert of a message now fails as on a full disk
    service.store.conn.execute(f"PRAGMA max_page_count = {pages}")
    inbox = mailbox.Maildir(config.source.path)
    inbox.add(vendor_mail("x" * 200_000))
    with caplog.at_level(logging.ERROR, logger="slipwatch.service"):
        thread.start()
        wait_until(lambda: any("the disk is full" in r.getMessage() for r in caplog.records))
        assert recorded(config) == 0 and len(list((config.source.path / "new").iterdir())) == 1
        service.store.conn.execute("PRAGMA max_page_count = 1073741823")  # space is back
        wait_until(lambda: recorded(config) == 1)
    service.request_stop()
    thread.join(10)
    assert not thread.is_alive()
