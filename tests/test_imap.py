"""The IMAP source against a real Dovecot: push, polling, exactly-once, TLS, failures."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import imapclient
import pytest

from slipwatch import config as config_mod
from slipwatch.pipeline import Pipeline
from slipwatch.service import Service
from slipwatch.retry import backoff
from slipwatch.sources.imap import ImapSource
from slipwatch.store import Store

from tests.helpers import CONFIG, vendor_mail


@pytest.fixture
def account(mailbox_account, monkeypatch):
    user, password = mailbox_account
    monkeypatch.setenv("SLIPWATCH_TEST_IMAP_PW", password)
    return user, password


@pytest.fixture
def imap_config(write_config, dovecot, account):
    """Write a config whose source is the test account on Dovecot; keys override the defaults."""

    def make(**keys) -> config_mod.Config:
        settings = {
            "kind": "imap", "host": "127.0.0.1", "port": dovecot.port, "tls": "none", "username": account[0],
            "password_env": "SLIPWATCH_TEST_IMAP_PW", "poll_seconds": 1, "timeout_seconds": 10, **keys,
        }
        lines = "\n".join(f"{k} = {v!r}".replace("'", '"').replace("True", "true").replace("False", "false")
                          for k, v in settings.items())
        text = CONFIG.replace('kind = "maildir"\npath = "inbox"\npoll_seconds = 1', lines)
        return config_mod.load(write_config(text))

    return make


@pytest.fixture
def deliver(dovecot, account):
    """Append vendor mails to a folder of the test account; returns their Message-IDs."""

    def put(count: int = 1, folder: str = "INBOX", start: int = 0, **mail) -> list[str]:
        ids = []
        with dovecot.client(*account) as c:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            for n in range(start, start + count):
                mid = f"<mail-{n}@nimbuslabs.example>"
                c.append(folder, vendor_mail(subject=f"Status {n}", message_id=mid, **mail))
                ids.append(mid)
        return ids

    return put


def stored(config: config_mod.Config) -> dict[str, int]:
    store = Store.open(config.store.path)
    try:
        return store.counts()
    finally:
        store.close()


class Daemon:
    """The service running in a thread, as `slipwatch run` would run it."""

    def __init__(self, config: config_mod.Config, source_factory=ImapSource) -> None:
        self.store = Store.open(config.store.path)
        self.source = source_factory(config.source, self.store)
        self.service = Service(config, self.store, self.source)
        self.thread = threading.Thread(target=self.service.run, daemon=True)

    def __enter__(self) -> Daemon:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.service.request_stop()
        self.thread.join(15)
        assert not self.thread.is_alive(), "the daemon did not stop"
        self.source.close()
        self.store.close()

    def wait_for(self, processed: int, timeout: float = 10) -> float:
        """Seconds until `processed` messages are recorded (fails after `timeout`)."""
        start = time.monotonic()
        conn = sqlite3.connect(self.store.path)
        try:
            while time.monotonic() - start < timeout:
                n = conn.execute("SELECT count(*) FROM messages WHERE state = 'processed'").fetchone()[0]
                if n >= processed:
                    return time.monotonic() - start
                time.sleep(0.02)
        finally:
            conn.close()
        raise AssertionError(f"fewer than {processed} messages recorded after {timeout} s")


def flags(dovecot, account, folder: str = "INBOX") -> list[tuple]:
    with dovecot.client(*account) as c:
        c.select_folder(folder, readonly=True)
        return [f for f in c.get_flags(c.search(["ALL"])).values()]


def test_backlog_then_new_mail_arrives_by_idle_within_two_seconds(imap_config, deliver):
    config = imap_config(poll_seconds=30)  # so only IDLE can explain a quick arrival
    deliver(3)
    with Daemon(config) as daemon:
        daemon.wait_for(3)
        time.sleep(0.3)  # let the daemon enter IDLE
        deliver(1, start=3)
        assert daemon.wait_for(4, timeout=2.0) < 2.0
    assert stored(config) == {"processed": 4}


def test_without_idle_the_folder_is_polled(imap_config, deliver):
    config = imap_config(idle=False, poll_seconds=1)
    with Daemon(config) as daemon:
        deliver(2)
        daemon.wait_for(2, timeout=5)


def test_fetching_never_sets_seen(imap_config, deliver, dovecot, account):
    config = imap_config()
    deliver(2)
    with Daemon(config) as daemon:
        daemon.wait_for(2)
    assert all(b"\\Seen" not in f for f in flags(dovecot, account))


def test_a_poll_with_nothing_new_is_one_command(imap_config, deliver):
    config = imap_config()
    deliver(5)
    store = Store.open(config.store.path)
    source = ImapSource(config.source, store)
    service = Service(config, store, source)
    assert sum(service.poll_once().counts.values()) == 5
    before = source.commands
    assert sum(service.poll_once().counts.values()) == 0
    assert source.commands - before == 1  # UID SEARCH above the checkpoint, nothing else
    source.close()
    store.close()


def test_uidvalidity_change_rescans_without_duplicates(imap_config, deliver, dovecot, account):
    config = imap_config(folder="Vendors")
    deliver(3, folder="Vendors")
    with Daemon(config) as daemon:
        daemon.wait_for(3)
    with dovecot.client(*account) as c:  # the mailbox is recreated with the same mail: new UIDVALIDITY
        c.delete_folder("Vendors")
    deliver(3, folder="Vendors")
    deliver(1, folder="Vendors", start=3)
    with Daemon(config) as daemon:
        daemon.wait_for(4)
    store = Store.open(config.store.path)
    assert store.counts() == {"processed": 4}
    assert len(store.checkpoints(daemon.source.name, "Vendors")) == 2
    store.close()


def test_dovecot_restarted_mid_idle_the_daemon_reconnects(imap_config, deliver, dovecot):
    config = imap_config(poll_seconds=2)
    deliver(1)
    with Daemon(config) as daemon:
        daemon.wait_for(1)
        time.sleep(0.3)
        dovecot.restart()
        deliver(1, start=1)
        daemon.wait_for(2, timeout=20)


def test_a_wrong_password_is_reported_clearly_and_retried_slowly(imap_config, cli, monkeypatch):
    config = imap_config()
    monkeypatch.setenv("SLIPWATCH_TEST_IMAP_PW", "not-the-password")
    result = cli("run", "--once", "--config", config.path, ok=False)
    assert result.exit_code == 1
    assert f"login as '{config.source.username}' refused by the server" in result.output
    assert "not-the-password" not in result.output
    store = Store.open(config.store.path)
    source = ImapSource(config.source, store)
    for _ in range(3):
        with pytest.raises(Exception):
            source.open()
    assert source.retry_delay() >= 60  # not a tight loop of failed logins
    store.close()


def test_backoff_doubles_with_jitter_up_to_the_cap():
    assert backoff(1, 1, 300, rng=lambda: 0.0) == 0.5
    assert backoff(4, 1, 300, rng=lambda: 1.0) == 8
    assert backoff(30, 1, 300, rng=lambda: 1.0) == 300


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_tls_with_a_private_ca(imap_config, deliver, dovecot, tls, cli):
    port = dovecot.port if tls == "starttls" else dovecot.tls_port
    config = imap_config(tls=tls, port=port, host="localhost", ca_file=str(dovecot.ca_file))
    deliver(1)
    cli("run", "--once", "--config", config.path)
    assert stored(config) == {"processed": 1}


def test_tls_without_the_ca_fails_verification(imap_config, dovecot, cli):
    config = imap_config(tls="implicit", port=dovecot.tls_port, host="localhost")
    result = cli("run", "--once", "--config", config.path, ok=False)
    assert "TLS failed" in result.output and "source.ca_file" in result.output


def test_processed_mail_moves_to_the_processed_folder(imap_config, deliver, dovecot, account):
    config = imap_config(processed_folder="Processed")
    deliver(3)
    with Daemon(config) as daemon:
        daemon.wait_for(3)
    with dovecot.client(*account) as c:
        assert c.select_folder("INBOX")[b"EXISTS"] == 0
        assert c.select_folder("Processed")[b"EXISTS"] == 3


def test_without_move_it_copies_flags_and_expunges_that_uid_only(imap_config, deliver, dovecot, account):
    class NoMove(imapclient.IMAPClient):
        def has_capability(self, capability):
            return capability != "MOVE" and super().has_capability(capability)

    config = imap_config(processed_folder="Done")
    deliver(2)
    with Daemon(config, lambda c, s: ImapSource(c, s, client_factory=NoMove)) as daemon:
        daemon.wait_for(2)
    with dovecot.client(*account) as c:
        assert c.select_folder("INBOX")[b"EXISTS"] == 0
        assert c.select_folder("Done")[b"EXISTS"] == 2


def test_processed_keyword_is_set_and_mail_stays(imap_config, deliver, dovecot, account):
    config = imap_config(processed_keyword="slipwatch-done")
    deliver(2)
    with Daemon(config) as daemon:
        daemon.wait_for(2)
    assert all(b"slipwatch-done" in f for f in flags(dovecot, account))


class RecordingClient(imapclient.IMAPClient):
    """The real client, noting what each FETCH asks for."""

    fetches: list[tuple[list[int], list[str]]] = []

    def fetch(self, messages, data, modifiers=None):
        RecordingClient.fetches.append((list(messages), list(data)))
        return super().fetch(messages, data, modifiers)


@pytest.fixture
def recorded():
    RecordingClient.fetches = []
    return RecordingClient.fetches


def test_a_message_over_the_size_limit_is_refused_unfetched_and_left_on_the_server(imap_config, deliver, dovecot,
                                                                                     account, recorded):
    config = imap_config(max_message_bytes=5000, processed_folder="Done")
    deliver(1)
    deliver(1, start=1, body="x" * 20_000)
    with Daemon(config, lambda c, s: ImapSource(c, s, client_factory=RecordingClient)) as daemon:
        daemon.wait_for(1)
        time.sleep(0.5)
    with dovecot.client(*account) as c:
        assert c.select_folder("INBOX")[b"EXISTS"] == 1  # the large one stays
        (large,) = c.search(["ALL"])
        size = c.fetch([large], ["RFC822.SIZE"])[large][b"RFC822.SIZE"]
    bodies = [uids for uids, data in recorded if "BODY.PEEK[]" in data]
    assert bodies and all(large not in uids for uids in bodies)  # its body was never asked for
    assert recorded[0][1] == ["RFC822.SIZE", "INTERNALDATE"]  # sizes (and arrival times) first
    store = Store.open(config.store.path)
    (failed,) = store.messages("failed")
    store.close()
    assert failed["error"] == f"message is {size} bytes, over source.max_message_bytes = 5000; left on the server"


def test_imap_bodies_are_fetched_in_batches_no_larger_than_the_limit(imap_config, deliver, recorded):
    """200 messages of 20 MB each would be 4 GB in one FETCH: a batch holds at most max_message_bytes of mail."""
    config = imap_config(max_message_bytes=12_000)
    deliver(4, body="x" * 5000)
    with Daemon(config, lambda c, s: ImapSource(c, s, client_factory=RecordingClient)) as daemon:
        daemon.wait_for(4)
    bodies = [uids for uids, data in recorded if "BODY.PEEK[]" in data]
    assert sorted(uid for uids in bodies for uid in uids) == [1, 2, 3, 4]
    assert max(map(len, bodies)) == 2  # two of about 5.5 KB fit in 12,000 bytes, three do not


@pytest.mark.parametrize("backlog, expected", [("all", 3), ("none", 0), ("since:2000-01-01", 3), ("since:2999-01-01", 0)])
def test_backlog_decides_what_a_first_run_takes(imap_config, deliver, cli, backlog, expected):
    config = imap_config(backlog=backlog)
    deliver(3)
    cli("run", "--once", "--config", config.path)
    assert sum(stored(config).values()) == expected
    deliver(1, start=3)  # whatever the backlog, new mail is taken
    cli("run", "--once", "--config", config.path)
    assert sum(stored(config).values()) == expected + 1


def test_kill_9_mid_batch_then_restart_takes_every_message_exactly_once(imap_config, deliver):
    config = imap_config(batch_size=50)
    ids = deliver(400)
    args = [sys.executable, "-m", "slipwatch", "run", "--config", str(config.path)]
    daemon = subprocess.Popen(args, stderr=subprocess.DEVNULL)
    db = config.store.path
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            n = sqlite3.connect(db).execute("SELECT count(*) FROM messages").fetchone()[0]
        except sqlite3.OperationalError:
            n = 0
        if n >= 60:
            break
        time.sleep(0.01)
    os.kill(daemon.pid, signal.SIGKILL)
    daemon.wait()
    subprocess.run([*args, "--once"], check=True, stderr=subprocess.DEVNULL, timeout=120)
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT message_id, state FROM messages").fetchall()
    assert sorted(r[0] for r in rows) == sorted(ids)
    assert {r[1] for r in rows} == {"processed"}


def test_a_debug_run_logs_no_message_text(imap_config, deliver):
    # the IMAP library logs every line it exchanges at debug level, message bodies included; a
    # vendor's words stay in the store, the log names messages by Message-ID, size and reason
    config = imap_config(idle=False)
    words = ("PELICAN-7731", "Quarterly lanyard", "thanks for the call")
    deliver(1, body="Hi Maya,\n\nThe beta build PELICAN-7731 is ready for review on Friday.\n"
                    "Quarterly lanyard order: will confirm by next Tuesday.\n"
                    "And thanks for the call yesterday, we will send it tomorrow.\n\nRegards,\nRahul\n")
    done = subprocess.run(
        [sys.executable, "-m", "slipwatch", "--log-level", "debug", "run", "--once", "--config", str(config.path)],
        capture_output=True, text=True, timeout=60, env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
    assert "DEBUG slipwatch." in done.stderr and "processed <mail-0@nimbuslabs.example>" in done.stderr
    assert not [w for w in words if w in done.stderr + done.stdout], done.stderr


def test_a_mail_dated_in_the_future_was_sent_when_it_reached_the_server(imap_config, dovecot, account):
    """INTERNALDATE is when the server received the mail: a Date a year ahead is not believed past it."""
    import datetime as dt

    config = imap_config()
    arrived = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    with dovecot.client(*account) as c:
        c.append("INBOX", vendor_mail(date=dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC), message_id="<f@x>"),
                 msg_time=arrived)
    with Daemon(config) as daemon:
        daemon.wait_for(1)
    store = Store.open(config.store.path)
    (row,) = store.messages()
    store.close()
    assert (row["sent"], row["received_at"]) == ("2026-11-24T10:00+00:00", "2026-11-24T10:00:00+00:00")
    assert "later than it arrived (2026-11-24 10:00 UTC)" in row["problems"]
