"""Shared fixtures: config files in a temporary folder, a CLI runner, mail builders."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from slipwatch import clock
from slipwatch.cli import main
from tests.helpers import CONFIG

# The moment every test runs at, whatever the machine's date. The fixtures'
# mail was written around it; a test about another moment says so itself.
PINNED_NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    """Pin "now" for the library (through $SLIPWATCH_NOW, which the daemons a
    test starts inherit) and for any stray read of the wall clock in this
    process (time-machine moves datetime.now, date.today and time.time)."""
    monkeypatch.setenv(clock.ENV_VAR, PINNED_NOW.isoformat())
    with time_machine.travel(PINNED_NOW, tick=True):
        yield PINNED_NOW


@pytest.fixture(autouse=True)
def kept_umask():
    """`slipwatch` sets umask 077 for its process: a command run in this one must not change the next test's."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a config file (the default one, or the text given) and return its path."""

    def write(text: str = CONFIG, name: str = "slipwatch.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


@pytest.fixture
def config_file(write_config) -> Path:
    return write_config()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner):
    """Invoke `slipwatch ARGS...`; fails the test with the output on a non-zero exit unless told otherwise."""

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


@pytest.fixture(scope="session")
def dovecot():
    """A real Dovecot on loopback for the whole session (installed by `make test`)."""
    from tests.servers.dovecot import Dovecot, find_binary

    binary = find_binary()
    if binary is None:
        reason = "Dovecot is not installed (apt-get install dovecot-imapd); the IMAP integration tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")
    server = Dovecot(binary)
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def mailbox_account(dovecot):
    """A fresh IMAP account of its own for one test: (user, password)."""
    return dovecot.add_user()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) with STARTTLS and AUTH on loopback, for the whole session."""
    from tests.servers.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_inbox(smtp_server):
    """The SMTP server's received mail, emptied for each test."""
    smtp_server.handler.received.clear()
    smtp_server.handler.refuse = False
    return smtp_server.handler
