"""Proof that nothing is lost and nothing is done twice: 1,000 mails, ten SIGKILLs.

The same 1,000 vendor mails go into two Dovecot accounts. One is read by an
uninterrupted `slipwatch run --once`; the other by a daemon killed with
SIGKILL at ten random moments and restarted each time. At the end every
message is stored exactly once, and the milestones, their revisions, the
receipts queued to their forwarders and the rendered feeds are the same as the
uninterrupted run's.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.helpers import CONFIG, DEMO_INBOX, MORE_VENDORS, unlinked

pytestmark = pytest.mark.slow

NOW = "2026-11-26T12:00:00+00:00"
MAILS = 1000


def vendor_mails() -> list[bytes]:
    """The demo inbox's mails, replicated, each copy with its own Message-ID."""
    samples = [p.read_bytes() for p in sorted(DEMO_INBOX.glob("*.eml"))]
    return [
        re.sub(rb"(?im)^Message-ID:[^\n]*\n", b"Message-ID: <crash-%d@slipwatch.test>\n" % n, samples[n % len(samples)],
               count=1)
        for n in range(MAILS)
    ]


def account_config(write_config, dovecot, name: str):
    user, password = dovecot.add_user()
    text = CONFIG.replace('path = "slipwatch.db"', f'path = "{name}.db"').replace(
        'kind = "maildir"\npath = "inbox"\npoll_seconds = 1',
        f'kind = "imap"\nhost = "127.0.0.1"\nport = {dovecot.port}\ntls = "none"\nusername = "{user}"\n'
        f'password_env = "CRASH_PW_{name.upper()}"\npoll_seconds = 1\nbatch_size = 50',
    ) + MORE_VENDORS
    os.environ[f"CRASH_PW_{name.upper()}"] = password
    path = write_config(text, name=f"{name}.toml")
    with dovecot.client(user, password) as c:
        mails = vendor_mails()
        for i in range(0, MAILS, 200):
            c.multiappend("INBOX", mails[i : i + 200])
    return path




def slipwatch(*args: str) -> list[str]:
    return [sys.executable, "-m", "slipwatch", "--log-level", "warning", *args]


def env() -> dict[str, str]:
    return {**os.environ, "SLIPWATCH_NOW": NOW}


def state(db) -> dict:
    """What must be equal: messages, milestones with their revisions."""
    conn = sqlite3.connect(db)
    messages = conn.execute("SELECT message_id, state FROM messages ORDER BY message_id").fetchall()
    milestones = conn.execute(
        "SELECT m.id, v.name, m.name, coalesce(m.merged_into, 0) FROM milestones m JOIN vendors v ON v.id = m.vendor"
        " ORDER BY m.id").fetchall()
    revisions = conn.execute(
        "SELECT r.milestone, msg.message_id, r.sent, r.due, r.status, r.previous_due, r.evidence"
        " FROM milestone_revisions r JOIN messages msg ON msg.id = r.message ORDER BY msg.message_id, r.id").fetchall()
    # a receipt is queued in the transaction that records its mail: one for each, whenever the kill fell
    receipts = conn.execute(
        "SELECT msg.message_id, o.recipients FROM outbox o JOIN messages msg ON o.period = 'receipt:' || msg.id"
        " ORDER BY msg.message_id").fetchall()
    conn.close()
    return {"messages": messages, "milestones": milestones, "revisions": revisions, "receipts": receipts}


def stored(db) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def wait_for_progress(db, count: int, daemon: subprocess.Popen, limit: float = 120.0) -> None:
    """Return once `count` messages are stored; fail if the daemon died or stalled."""
    deadline = time.monotonic() + limit
    while stored(db) < count:
        assert daemon.poll() is None, f"the daemon exited with {daemon.returncode} before storing {count} mails"
        assert time.monotonic() < deadline, f"no progress to {count} mails in {limit:.0f} s (stored {stored(db)})"
        time.sleep(0.02)


def feeds(config, out) -> dict[str, bytes]:
    subprocess.run(slipwatch("feed", "write", "--output", str(out), "--as-of", NOW, "--config", str(config)),
                   check=True, env=env())
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.ics"))}


def test_ten_sigkills_lose_nothing_and_double_nothing(write_config, dovecot, tmp_path):
    calm = account_config(write_config, dovecot, "calm")
    subprocess.run(slipwatch("run", "--once", "--config", str(calm)), check=True, env=env(), timeout=600)

    crashy = account_config(write_config, dovecot, "crashy")
    rng = random.Random(2026)
    db = tmp_path / "crashy.db"
    progress = [0]
    for kill in range(10):
        daemon = subprocess.Popen(slipwatch("run", "--config", str(crashy)), env=env(), stderr=subprocess.DEVNULL)
        # kill once a random number of further mails is stored: at a random
        # point of the backlog, however fast or slow this machine is today
        wait_for_progress(db, progress[-1] + rng.randint(5, 60), daemon)
        os.kill(daemon.pid, signal.SIGKILL)
        daemon.wait()
        progress.append(stored(db))
    progress.pop(0)
    # the kills fell while the backlog was being read, not after it was done
    assert len(set(progress)) > 5 and progress[-1] < MAILS, progress
    subprocess.run(slipwatch("run", "--once", "--config", str(crashy)), check=True, env=env(), timeout=600)

    expected, got = state(tmp_path / "calm.db"), state(db)
    assert len(got["messages"]) == MAILS and {s for _, s in got["messages"]} == {"processed"}
    assert got["messages"] == expected["messages"]
    assert got["milestones"] == expected["milestones"]
    assert got["revisions"] == expected["revisions"]
    assert got["receipts"] == expected["receipts"] and got["receipts"]  # the daily cap bounds them, alike
    crashy_feeds, calm_feeds = feeds(crashy, tmp_path / "crashy-feeds"), feeds(calm, tmp_path / "calm-feeds")
    assert {name: unlinked(body) for name, body in crashy_feeds.items()} == {
        name: unlinked(body) for name, body in calm_feeds.items()}
