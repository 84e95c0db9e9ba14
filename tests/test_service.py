"""The daemon loop: one log line per message, a clean stop on SIGTERM."""

from __future__ import annotations

import logging
import mailbox
import os
import signal
import sqlite3
import subprocess
import sys
import time

from slipwatch import config as config_mod, service
from slipwatch.sources import open_source
from slipwatch.store import Store

from tests.helpers import GARBAGE, vendor_mail


def fill_inbox(config_file, count: int) -> None:
    md = mailbox.Maildir(config_file.parent / "inbox")
    for n in range(count):
        md.add(vendor_mail(subject=f"Status {n}"))


def test_one_info_line_per_message_names_message_id_and_vendor(config_file, caplog):
    fill_inbox(config_file, 2)
    with caplog.at_level(logging.INFO, logger="slipwatch.pipeline"):
        service.run(config_mod.load(config_file), once=True)
    lines = [r.getMessage() for r in caplog.records if r.name == "slipwatch.pipeline"]
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("processed <") and "@nimbuslabs.example>" in line
        assert "vendor Nimbus Labs (rahul.k@nimbuslabs.example)" in line


def test_each_pass_logs_what_it_did_and_what_the_store_holds_in_words(config_file, caplog):
    fill_inbox(config_file, 2)
    mailbox.Maildir(config_file.parent / "inbox").add(GARBAGE)
    with caplog.at_level(logging.INFO, logger="slipwatch.service"):
        service.run(config_mod.load(config_file), once=True)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "slipwatch.service"]
    assert line == "poll: 2 new, 1 failed; store: 2 processed, 1 failed"  # not mail at all: never tried again


def test_an_idle_pass_logs_only_at_debug(config_file, caplog):
    fill_inbox(config_file, 1)
    config = config_mod.load(config_file)
    service.run(config, once=True)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="slipwatch.service"):
        service.run(config, once=True)  # nothing new: a daemon polling every few seconds must not fill the journal
    (record,) = [r for r in caplog.records if r.name == "slipwatch.service"]
    assert (record.levelno, record.getMessage()) == (logging.DEBUG, "poll: nothing new; store: 1 processed")


def processed(db) -> int:
    try:
        conn = sqlite3.connect(db)
        return conn.execute("SELECT count(*) FROM messages WHERE state = 'processed'").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_sigterm_stops_the_daemon_cleanly_with_nothing_half_written(config_file):
    fill_inbox(config_file, 300)
    daemon = subprocess.Popen(
        [sys.executable, "-m", "slipwatch", "run", "--config", str(config_file)],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    db = config_file.parent / "slipwatch.db"
    deadline = time.monotonic() + 30
    while processed(db) == 0 and time.monotonic() < deadline and daemon.poll() is None:
        time.sleep(0.02)
    daemon.send_signal(signal.SIGTERM)
    _, err = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, err
    assert "stopping after the current message" in err
    conn = sqlite3.connect(db)
    states = dict(conn.execute("SELECT state, count(*) FROM messages GROUP BY state").fetchall())
    assert set(states) == {"processed"}  # every stored message was finished: none left 'new'
    moved = len(os.listdir(config_file.parent / "inbox" / "cur"))
    assert moved == states["processed"]  # marked read in the Maildir exactly when recorded


def test_a_maildir_pass_hands_out_each_message_once(config_file):
    """Regression: messages moved to cur/ during a pass were read again from there."""
    fill_inbox(config_file, 3)
    config = config_mod.load(config_file)
    store = Store.open(config.store.path)
    source = open_source(config.source, store)
    summary = service.Service(config, store, source).poll_once()
    assert dict(summary.counts) == {"new": 3}
    store.close()
