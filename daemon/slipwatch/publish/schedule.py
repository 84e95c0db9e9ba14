"""When a team's weekly digest is due: "MON 09:00" in the team's zone, DST-safe.

A slot that falls in a spring-forward gap moves to the first valid time after
it; one in the autumn overlap is taken once (pendulum's rule: the later of the
two). After downtime only the latest missed slot is due, so a digest is sent
once on recovery, never skipped, never twice.
"""

from __future__ import annotations

import datetime as dt

import pendulum

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def parse(digest_at: str) -> tuple[int, int, int]:
    """(weekday 0=Monday, hour, minute) of a "MON 09:00" value (the config loader validated it)."""
    day, clock = digest_at.strip().upper().split()
    hour, minute = clock.split(":")
    return WEEKDAYS.index(day), int(hour), int(minute)


def slot_at_or_before(digest_at: str, zone: str, moment: dt.datetime) -> dt.datetime:
    """The latest weekly slot not after `moment`, with the fixed offset in force then.

    A fixed offset, not the zone: an instant in the autumn overlap would
    otherwise never compare equal to itself written in another zone (PEP 495).
    """
    weekday, hour, minute = parse(digest_at)
    local = pendulum.instance(moment).in_tz(zone)
    day = local.date().subtract(days=(local.weekday() - weekday) % 7)
    for _ in range(2):
        local = pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=zone)
        slot = dt.datetime.fromtimestamp(local.timestamp(), dt.timezone(local.utcoffset() or dt.timedelta(0)))
        if slot <= moment:
            return slot
        day = day.subtract(days=7)
    raise AssertionError("unreachable: a week earlier is always before")


def due_slot(digest_at: str, zone: str, last: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    """The slot whose digest is due now: the latest one past `last` (None: nothing due)."""
    slot = slot_at_or_before(digest_at, zone, now)
    return slot if last is None or slot > last else None


def next_slot(digest_at: str, zone: str, now: dt.datetime) -> dt.datetime:
    """The first slot after `now`."""
    # from a slot past the next one (a week and a day on: DST moves local time by an hour at most), step back
    slot = slot_at_or_before(digest_at, zone, now + dt.timedelta(days=8))
    while (earlier := slot_at_or_before(digest_at, zone, slot - dt.timedelta(microseconds=1))) > now:
        slot = earlier
    return slot
