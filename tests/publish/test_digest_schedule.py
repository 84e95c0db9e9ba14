"""A team's weekly slot in its own zone, across the 2026 DST changes."""

from __future__ import annotations

import datetime as dt

import pytest

from slipwatch.publish.schedule import due_slot, next_slot, slot_at_or_before

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    "digest_at, zone, moment, expected",
    [
        # Berlin leaves summer time on Sunday 2026-10-25: Monday 09:00 is 07:00 UTC before, 08:00 after
        ("MON 09:00", "Europe/Berlin", "2026-10-19T07:00Z", "2026-10-19T09:00+02:00"),
        ("MON 09:00", "Europe/Berlin", "2026-10-26T07:59Z", "2026-10-19T09:00+02:00"),
        ("MON 09:00", "Europe/Berlin", "2026-10-26T08:00Z", "2026-10-26T09:00+01:00"),
        # a slot on the changeover night itself: 02:30 happens twice, it is taken once
        ("SUN 02:30", "Europe/Berlin", "2026-10-25T12:00Z", "2026-10-25T02:30+01:00"),
        # New York leaves summer time on Sunday 2026-11-01
        ("MON 09:00", "America/New_York", "2026-10-26T13:00Z", "2026-10-26T09:00-04:00"),
        ("MON 09:00", "America/New_York", "2026-11-02T13:59Z", "2026-10-26T09:00-04:00"),
        ("MON 09:00", "America/New_York", "2026-11-02T14:00Z", "2026-11-02T09:00-05:00"),
        # a slot in the spring-forward gap moves to the first valid time
        ("SUN 02:30", "Europe/Berlin", "2026-03-29T12:00Z", "2026-03-29T03:30+02:00"),
    ],
)
def test_the_latest_slot_at_or_before_a_moment(digest_at, zone, moment, expected):
    assert slot_at_or_before(digest_at, zone, at(moment)) == at(expected)


def test_a_slot_is_due_once_and_after_downtime_only_the_latest_missed_one():
    last = at("2026-10-19T09:00+02:00")
    assert due_slot("MON 09:00", "Europe/Berlin", last, at("2026-10-20T10:00Z")) is None
    three_weeks_later = at("2026-11-11T10:00Z")
    slot = due_slot("MON 09:00", "Europe/Berlin", last, three_weeks_later)
    assert slot == at("2026-11-09T09:00+01:00")
    assert due_slot("MON 09:00", "Europe/Berlin", slot, three_weeks_later) is None


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2026-10-19T06:59Z", "2026-10-19T09:00+02:00"),  # later the same morning
        ("2026-10-19T07:00Z", "2026-10-26T09:00+01:00"),  # at a slot: the one after it, past the DST change
        # Monday 08:30 before the week Berlin leaves summer time: the slot half an hour on, not next week's
        ("2026-10-19T06:30Z", "2026-10-19T09:00+02:00"),
        # Monday 08:30 before the week Berlin enters summer time (Sunday 2027-03-28)
        ("2027-03-22T07:30Z", "2027-03-22T09:00+01:00"),
        ("2027-03-22T08:00Z", "2027-03-29T09:00+02:00"),
    ],
)
def test_the_next_slot_after_a_moment(moment, expected):
    assert next_slot("MON 09:00", "Europe/Berlin", at(moment)) == at(expected)
