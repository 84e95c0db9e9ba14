"""The forward-line date grammar: any order, any language, zone when printed."""

from __future__ import annotations

import pytest

from slipwatch.mail.dates import parse_header_date, parse_loose_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Wed, Nov 11, 2026 at 8:15 PM", "2026-11-11T20:15:00"),
        ("11 November 2026 at 20:15:02 EET", "2026-11-11T20:15:00+02:00"),
        ("Mittwoch, 11. November 2026 um 20:15", "2026-11-11T20:15:00"),
        ("mercredi 11 novembre 2026 à 20:15:00 UTC+1", "2026-11-11T20:15:00+01:00"),
        ("miércoles, 11 de noviembre de 2026 20:15", "2026-11-11T20:15:00"),
        ("11. marraskuuta 2026 klo 20.15.02 UTC+2", "2026-11-11T20:15:00+02:00"),
        ("2026. november 11. 20:15:02 CET", "2026-11-11T20:15:00+01:00"),
        ("11 ноября 2026 г. в 20:15 GMT+3", "2026-11-11T20:15:00+03:00"),
        ("st 11. 11. 2026 v 20:15", "2026-11-11T20:15:00"),
        ("quarta, 11/11/2026 à(s) 20:15", "2026-11-11T20:15:00"),
        ("11 Kas 2026 Çar, 20:15", "2026-11-11T20:15:00"),
        ("2026年11月11日 下午8:15", "2026-11-11T20:15:00"),
        ("2026년 11월 11일 (수) 오후 8:15", "2026-11-11T20:15:00"),
        ("Wednesday, November 11, 2026, 8:15:44 PM -0500", "2026-11-11T20:15:00-05:00"),
        ("Thursday, 10:00 PT, 26 Nov 2026", "2026-11-26T10:00:00-08:00"),
        ("tirsdag den 10. november 2026 09.26.50 CET", "2026-11-10T09:26:00+01:00"),
    ],
)
def test_localised_lines(line, expected):
    parsed = parse_loose_date(line)
    assert parsed is not None and parsed.moment.isoformat() == expected


def test_numeric_dates_day_first_unless_american():
    assert parse_loose_date("03/11/2026 10:00").moment.month == 11
    assert parse_loose_date("03/11/2026 10:00 AM").moment.month == 3
    assert parse_loose_date("03/11/2026 10:00", american=True).moment.month == 3
    assert parse_loose_date("13/11/2026 10:00", american=True).moment.month == 11


def test_lines_without_a_full_date_give_none():
    assert parse_loose_date("next Tuesday") is None
    assert parse_loose_date("") is None
    assert parse_loose_date("31/02/2026 10:00") is None


def test_header_dates_are_always_aware():
    assert parse_header_date("Wed, 11 Nov 2026 20:15:00 -0000").utcoffset().total_seconds() == 0
    assert parse_header_date("11 novembre 2026 20:15 +0100").utcoffset().total_seconds() == 3600
    assert parse_header_date("garbage") is None


@pytest.mark.parametrize(
    ("line", "month"),
    [
        ("4/10/27 9:05 am (GMT+10:00)", 10),   # positive zone on the line: day-first
        ("4/10/27 9:05 pm (GMT+05:30)", 10),
        ("4/10/27 9:05 pm (GMT-05:00)", 4),    # negative zone: month-first
        ("4/10/2027 09:05 UTC+1", 10),
    ],
)
def test_a_zone_on_the_line_settles_numeric_order(line, month):
    parsed = parse_loose_date(line)
    assert parsed is not None and parsed.moment.month == month
