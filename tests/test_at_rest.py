"""Files and secrets at rest: what slipwatch writes is its own, secrets are checked, the log holds no mail text."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from slipwatch import config as config_mod, service
from slipwatch.mail import read_message
from slipwatch.store import Location, Store
from tests.helpers import CONFIG, DEMO_INBOX, demo_config, vendor_mail

WITH_FEED_FILES = CONFIG.replace('[feeds]\n', '[feeds]\ndirectory = "feeds"\n')


def slipwatch(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`slipwatch ARGS --config CONFIG` as a user whose umask lets everyone read what they create."""
    done = subprocess.run(
        [sys.executable, "-m", "slipwatch", *args, "--config", str(config)], capture_output=True, text=True,
        timeout=120, preexec_fn=lambda: os.umask(0o022),
    )
    assert done.returncode == 0, done.stderr
    return done


def modes(folder: Path, mine: set[Path]) -> dict[str, str]:
    """The permission bits of everything under `folder` but the test's own files, as `ls -l` shows them."""
    return {str(p.relative_to(folder)): stat.filemode(p.stat().st_mode)
            for p in sorted(folder.rglob("*")) if p not in mine}


def test_every_file_the_cli_and_the_daemon_create_is_theirs_alone_under_umask_022(write_config, tmp_path):
    config = write_config(WITH_FEED_FILES)
    (tmp_path / "inbox").mkdir()
    mail = tmp_path / "status.eml"
    mail.write_bytes(vendor_mail())
    mine = {config, mail, tmp_path / "inbox"}
    slipwatch(config, "ingest", str(mail))  # creates the database
    slipwatch(config, "run", "--once")  # writes the feed files
    slipwatch(config, "digest", "send", "--team", "Platform", "--now")  # writes the outbox's .eml
    slipwatch(config, "feed", "write", "--team", "Platform", "--output", str(tmp_path / "platform.ics"))
    slipwatch(config, "digest", "preview", "--team", "Platform", "--html", str(tmp_path / "preview.html"))
    slipwatch(config, "feeds")  # makes the feed tokens
    found = modes(tmp_path, mine)
    eml = next(name for name in found if name.endswith(".eml"))
    assert found == {
        # the feeds are meant for the web server: its group (the folder's) may read them, nobody else
        "feeds": "drwxr-x---",
        **{f"feeds/{feed}.ics": "-rw-r-----" for feed in ("all", "platform")},
        **{f"inbox/{sub}": "drwx------" for sub in ("cur", "new", "tmp")},  # the Maildir the daemon watches
        "outbox": "drwx------",
        eml: "-rw-------",
        "platform.ics": "-rw-r-----",
        "preview.html": "-rw-------",
        "slipwatch.db": "-rw-------",
    }


def test_an_open_store_keeps_its_database_and_log_files_private_under_umask_022(tmp_path):
    previous = os.umask(0o022)
    try:
        store = Store.open(tmp_path / "data" / "slipwatch.db")
        try:
            store.admit(vendor_mail(), "<a@nimbuslabs.example>", Location("test", "a"))
            found = modes(tmp_path, set())
        finally:
            store.close()
    finally:
        os.umask(previous)
    assert found == {"data": "drwx------", "data/slipwatch.db": "-rw-------",
                     "data/slipwatch.db-shm": "-rw-------", "data/slipwatch.db-wal": "-rw-------"}


def test_a_database_others_can_read_is_made_private_when_opened(tmp_path, caplog):
    path = tmp_path / "slipwatch.db"
    previous = os.umask(0o022)
    try:
        older = sqlite3.connect(path)  # as an older slipwatch left it, open (its -wal and -shm are there)
        older.execute("PRAGMA journal_mode = WAL")
        older.execute("CREATE TABLE t (x)")
        store = Store.open(path)
    finally:
        os.umask(previous)
    try:
        assert {name: mode for name, mode in modes(tmp_path, set()).items()} == {
            "slipwatch.db": "-rw-------", "slipwatch.db-shm": "-rw-------", "slipwatch.db-wal": "-rw-------"}
    finally:
        store.close()
        older.close()
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"{path} could be read by its group and others (mode 0644); now 0600: it holds every message" in warned[0]
    assert len(warned) == 3  # the database, its -wal and its -shm, each named


# -- password files --------------------------------------------------------------------------------------

IMAP_WITH_FILE = CONFIG.replace(
    'kind = "maildir"\npath = "inbox"',
    'kind = "imap"\nhost = "127.0.0.1"\nport = 1\nusername = "u"\npassword_file = "imap-password"',
)


@pytest.fixture
def shared_secret(write_config, tmp_path) -> tuple[Path, Path]:
    """A config whose IMAP password file its group and others may read: (config, password file)."""
    secret = tmp_path / "imap-password"
    secret.write_text("hunter2\n")
    secret.chmod(0o644)
    return write_config(IMAP_WITH_FILE), secret


def test_check_config_warns_of_a_password_file_others_can_read(cli, shared_secret):
    config, secret = shared_secret
    out = cli("check-config", "--config", config).output
    assert (f"warning: source.password_file: {secret} can be read by its group and others (mode 0644); "
            f"`chmod 600 {secret}`") in out
    assert out.strip().endswith("config OK") and "hunter2" not in out
    secret.chmod(0o600)
    assert "warning" not in cli("check-config", "--config", config).output


def test_doctor_warns_of_a_password_file_its_group_can_read(cli, shared_secret):
    config, secret = shared_secret
    secret.chmod(0o640)
    out = cli("doctor", "--config", config, ok=False).output  # IMAP on port 1 fails: that is not this test
    assert f"WARN secret files: source.password_file: {secret} can be read by its group (mode 0640)" in out
    assert f"fix: `chmod 600 {secret}`" in out
    secret.chmod(0o600)
    assert "ok   secret files: readable by slipwatch's user only" in cli("doctor", "--config", config, ok=False).output


def test_the_daemon_warns_at_start_of_a_password_file_others_can_read(shared_secret, caplog, monkeypatch):
    config, secret = shared_secret
    monkeypatch.setattr(service, "open_source", lambda *a: (_ for _ in ()).throw(RuntimeError("stop here")))
    with pytest.raises(RuntimeError, match="stop here"):
        service.run(config_mod.load(config), once=True)
    assert any(f"source.password_file: {secret} can be read by its group and others" in r.getMessage()
               and r.levelno == logging.WARNING for r in caplog.records)


# -- the log ---------------------------------------------------------------------------------------------


def test_a_debug_run_over_the_demo_mail_logs_no_line_of_any_message(write_config):
    config = write_config(demo_config())
    done = subprocess.run([sys.executable, "-m", "slipwatch", "--log-level", "debug", "ingest", str(DEMO_INBOX),
                           "--config", str(config)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "DEBUG slipwatch." in done.stderr and "processed <" in done.stderr
    said = {line.strip() for path in DEMO_INBOX.iterdir()
            for line in read_message(path.read_bytes()).text.splitlines() if len(line.strip()) >= 20}
    assert said and not [line for line in said if line in done.stderr]
