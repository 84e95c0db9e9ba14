"""Every test runs at one pinned moment, whatever the machine's date (see conftest.pinned_clock)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from slipwatch import clock
from slipwatch.errors import ConfigError
from tests.conftest import PINNED_NOW


def test_the_library_clock_and_row_stamps_read_the_pinned_moment():
    assert clock.now() == PINNED_NOW
    assert clock.utcnow() == "2026-11-24T12:00:00+00:00"


def test_a_stray_read_of_the_wall_clock_is_pinned_too():
    assert dt.date.today() == PINNED_NOW.date()
    assert abs(dt.datetime.now(dt.UTC) - PINNED_NOW) < dt.timedelta(minutes=5)


def test_a_daemon_started_by_a_test_inherits_the_pinned_moment():
    out = subprocess.run([sys.executable, "-c", "from slipwatch import clock; print(clock.now().isoformat())"],
                         capture_output=True, text=True, check=True).stdout
    assert dt.datetime.fromisoformat(out.strip()) == PINNED_NOW


def test_an_override_that_is_not_a_moment_names_the_variable(monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "next tuesday")
    with pytest.raises(ConfigError, match=r"\$SLIPWATCH_NOW: 'next tuesday' is not an ISO 8601"):
        clock.now()
