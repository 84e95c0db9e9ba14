"""Running as a service: the unit passes systemd's checks, the daemon speaks the notify protocol."""

from __future__ import annotations

import logging
import mailbox
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from slipwatch import logs
from tests.helpers import REPO, vendor_mail

UNIT = REPO / "systemd" / "slipwatch.service"


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    """The shipped unit with ExecStart pointing at this checkout's slipwatch (verify needs a real path)."""
    exe = Path(sys.executable).parent / "slipwatch"
    text = UNIT.read_text().replace("/opt/slipwatch/.venv/bin/slipwatch", str(exe))
    path = tmp_path / "slipwatch.service"
    path.write_text(text)
    return path


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("systemd-analyze") is None:
        reason = "systemd-analyze is not installed (apt-get install systemd)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")
    return subprocess.run(["systemd-analyze", *args], capture_output=True, text=True, timeout=60)


def test_the_unit_verifies(unit):
    result = analyze("verify", str(unit))
    assert result.returncode == 0, result.stderr


def test_the_unit_is_hardened_to_an_exposure_of_at_most_1_5(unit):
    result = analyze("security", "--offline=yes", "--threshold=15", str(unit))
    assert result.returncode == 0, result.stdout[-2000:]
    exposure = float(result.stdout.split("Overall exposure level for slipwatch.service:")[1].split()[0])
    assert exposure <= 1.5


def test_the_unit_caps_memory_and_tasks():
    # a flood of requests or a huge mail must not take the machine's memory or threads with it
    settings = dict(line.split("=", 1) for line in UNIT.read_text().splitlines() if "=" in line and line[0] != "#")
    assert settings["MemoryMax"] == "1G" and int(settings["TasksMax"]) <= 32


def test_the_unit_reads_secrets_as_credentials_and_notifies():
    text = UNIT.read_text()
    for line in ("Type=notify", "NotifyAccess=main", "DynamicUser=yes", "StateDirectory=slipwatch",
                 "ConfigurationDirectory=slipwatch", "LoadCredential=imap-password:", "Restart=on-failure"):
        assert line in text
    assert "WatchdogSec=" in text


def read_datagrams(sock: socket.socket, until: str, timeout: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not any(until in d for d in seen):
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            seen.append(sock.recv(4096).decode())
        except TimeoutError:
            break
    return seen


def test_the_daemon_reports_ready_status_watchdog_then_stopping(config_file, tmp_path):
    inbox = mailbox.Maildir(config_file.parent / "inbox")
    for n in range(200):
        inbox.add(vendor_mail(subject=f"Status {n}"))
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(address)
        env = {**os.environ, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "3000000"}
        daemon = subprocess.Popen([sys.executable, "-m", "slipwatch", "run", "--config", str(config_file)],
                                  env=env, stderr=subprocess.DEVNULL)
        try:
            seen = read_datagrams(sock, "WATCHDOG=1", 30)  # ready, then busy with the batch
            daemon.send_signal(signal.SIGTERM)  # during the batch
            seen += read_datagrams(sock, "STOPPING=1", 30)
            assert daemon.wait(30) == 0
        finally:
            daemon.kill()
    fields = [line.split("=", 1)[0] for datagram in seen for line in datagram.splitlines()]
    order = [f for n, f in enumerate(fields) if f not in fields[:n]]  # first sight of each
    assert order == ["READY", "STATUS", "WATCHDOG", "STOPPING"]
    states = dict(sqlite3.connect(config_file.parent / "slipwatch.db").execute(
        "SELECT state, count(*) FROM messages GROUP BY state").fetchall())
    assert set(states) == {"processed"}  # nothing half-written


def test_log_lines_carry_priorities_when_stderr_is_the_journal(monkeypatch, tmp_path, capfd):
    st = os.fstat(2)
    monkeypatch.setenv("JOURNAL_STREAM", f"{st.st_dev}:{st.st_ino}")
    logs.setup("info")
    logging.getLogger("slipwatch.test").warning("disk nearly full")
    logging.getLogger("slipwatch.test").info("hello")
    err = capfd.readouterr().err
    assert "<4>slipwatch.test: disk nearly full" in err and "<6>slipwatch.test: hello" in err
    monkeypatch.delenv("JOURNAL_STREAM")
    logs.setup("info")
    logging.getLogger("slipwatch.test").info("plain")
    assert " INFO slipwatch.test: plain" in capfd.readouterr().err
