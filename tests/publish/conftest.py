"""Fixtures of the feed tests: a seeded schedule, the daemon serving it, and the calendar clients.

The daemon is started once per session, as `slipwatch run` in a subprocess,
and is ready when its feed URL answers. The clients (ical.js under node,
libical under the system Python, vdirsyncer and khal) are skipped loudly when
missing, and fail the run under CI=true, like the Dovecot fixture.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from slipwatch import config as config_mod
from slipwatch.publish import publisher, tokens
from slipwatch.store import Store
from tests.helpers import REPO
from tests.publish import deadlines

CLIENTS = REPO / "tests" / "clients"
SYSTEM_PYTHON = "/usr/bin/python3"


def missing(reason: str) -> None:
    """Skip loudly, or fail under CI, where every client must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Daemon:
    config: config_mod.Config
    process: subprocess.Popen
    log: Path  # its stdout and stderr
    temp: Path  # its $TMPDIR
    tokens: dict[str, str]  # by feed, as made (the store keeps only their hashes): a test that rotates one says so

    def url(self, feed: str) -> str:
        """The feed's URL with its current token."""
        return f"{self.config.feeds.base_url}/feeds/{self.tokens[feed]}/{feed}.ics"

    def get(self, feed: str) -> bytes:
        with urllib.request.urlopen(self.url(feed), timeout=10) as response:
            return response.read()


@pytest.fixture(scope="session")
def daemon(tmp_path_factory) -> Iterator[Daemon]:
    """`slipwatch run` on the seeded schedule, at deadlines.NOW, serving its feeds on a free port."""
    folder = tmp_path_factory.mktemp("daemon")
    config = deadlines.write_config(folder, free_port())
    deadlines.seed(config)
    store = Store.open(config.store.path)
    try:
        made = tokens.ensure(store, [spec.slug for spec in publisher.specs(config)])
    finally:
        store.close()
    log = (folder / "daemon.log").open("w")
    temp = folder / "tmp"  # its own temporary folder: a test looks for request bodies spilled there
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "slipwatch", "run", "--config", str(config.path)],
        stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "SLIPWATCH_NOW": deadlines.NOW.isoformat(), "PYTHONUNBUFFERED": "1", "TMPDIR": str(temp)},
    )
    running = Daemon(config, process, folder / "daemon.log", temp, made)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (folder / "daemon.log").read_text()
            try:
                running.get("all")
                break
            except OSError:  # not listening yet
                assert time.monotonic() < deadline, (folder / "daemon.log").read_text()
                time.sleep(0.1)
        yield running
    finally:
        process.terminate()
        stopped = process.wait(timeout=30)
        log.close()
    assert stopped == 0, (folder / "daemon.log").read_text()  # a clean stop: server closed, store closed


Parser = Callable[[bytes], list[dict]]


@pytest.fixture(scope="session")
def icaljs() -> Parser:
    """ical.js (Thunderbird's parser) under node, installed into tests/clients by `npm ci`."""
    if not (shutil.which("node") and shutil.which("npm")):
        missing("node and npm are not installed (apt-get install nodejs npm); the ical.js tests need them")
    if not (CLIENTS / "node_modules" / "ical.js").is_dir():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CLIENTS, capture_output=True, text=True)
        if done.returncode != 0:
            missing(f"npm ci in {CLIENTS} failed: {done.stderr[-500:]}")

    def parse(body: bytes) -> list[dict]:
        done = subprocess.run(["node", CLIENTS / "icaljs_events.mjs"], input=body, capture_output=True, check=True)
        return json.loads(done.stdout)

    return parse


@pytest.fixture(scope="session")
def libical() -> Parser:
    """libical through GObject introspection, under the system Python (the venv has no gi)."""
    probe = 'import gi; gi.require_version("ICalGLib", "3.0"); from gi.repository import ICalGLib'
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True).returncode:
        missing("libical's introspection is not installed (apt-get install python3-gi gir1.2-ical-3.0)")

    def parse(body: bytes) -> list[dict]:
        done = subprocess.run([SYSTEM_PYTHON, CLIENTS / "libical_events.py"], input=body, capture_output=True,
                              check=True)
        return json.loads(done.stdout)

    return parse


@pytest.fixture(scope="session")
def calendar_tools() -> Path:
    """The folder holding vdirsyncer and khal (the test extras of pyproject.toml)."""
    bin_dir = Path(sys.executable).parent
    if not all((bin_dir / tool).exists() for tool in ("vdirsyncer", "khal")):
        missing(f"vdirsyncer and khal are not in {bin_dir} (pip install -e '.[test]')")
    return bin_dir
