"""What "now" is: the real time, or $SLIPWATCH_NOW for checking derived states at any moment."""

from __future__ import annotations

import datetime as dt
import os

from slipwatch.errors import ConfigError

ENV_VAR = "SLIPWATCH_NOW"


def parse_moment(text: str, what: str = "--as-of") -> dt.datetime:
    """An ISO 8601 date or date-time; naive ones are taken as UTC."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{what}: {text!r} is not an ISO 8601 date or time (e.g. 2026-11-30T09:00+01:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def now() -> dt.datetime:
    """The current moment, aware; $SLIPWATCH_NOW overrides it for every command and the daemon."""
    override = os.environ.get(ENV_VAR)
    if override:
        return parse_moment(override, f"${ENV_VAR}")
    return dt.datetime.now(dt.UTC)


def utcnow() -> str:
    """When a row is written: now in UTC, to the second."""
    return now().astimezone(dt.UTC).isoformat(timespec="seconds")
