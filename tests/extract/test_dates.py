"""The date grammar, read as a table: expression, when it was sent, role -> value.

Every expectation follows RULES.md "Reading dates".  The ``sent`` moments are
written as ISO strings with their offset, as in the gold files.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slipwatch.extract.dates import (When, find_dates, find_durations, numeric_order,
                                     resolve, shift)

# Some reference moments (weekday in the name).
MON_5_OCT_IST = "2026-10-05T19:10+05:30"
TUE_6_OCT_MDT = "2026-10-06T02:30-06:00"
THU_8_OCT_EDT = "2026-10-08T06:40-04:00"
THU_22_OCT_ART = "2026-10-22T17:10-04:00"
SUN_25_OCT = "2026-10-25T11:40+06:00"
TUE_1_DEC_IST = "2026-12-01T18:55+05:30"
WED_9_DEC = "2026-12-09T07:05-05:00"
TUE_15_DEC_MST = "2026-12-15T08:45-07:00"
FRI_30_OCT_UTC = "2026-10-30T13:20+00:00"


def values(text: str, sent: str, role: str = "due", **kw) -> list[str]:
    s = dt.datetime.fromisoformat(sent)
    return [m.value(s) for m in find_dates(text, s, role=role, **kw)]


def one(text: str, sent: str, role: str = "due", **kw) -> str:
    found = values(text, sent, role, **kw)
    assert len(found) == 1, f"{text!r}: expected one date, got {found}"
    return found[0]


# --------------------------------------------------------------------------
# Absolute dates with month names, in several languages
# --------------------------------------------------------------------------

ABSOLUTE = [
    # English, both orders, ordinals, years, abbreviations
    ("Dec 5", MON_5_OCT_IST, "2026-12-05"),
    ("December 5th", MON_5_OCT_IST, "2026-12-05"),
    ("5 December 2026", MON_5_OCT_IST, "2026-12-05"),
    ("5th of December", MON_5_OCT_IST, "2026-12-05"),
    ("Dec. 5, 2027", MON_5_OCT_IST, "2027-12-05"),
    ("Thursday 15 October", MON_5_OCT_IST, "2026-10-15"),
    ("Friday, Nov 6", MON_5_OCT_IST, "2026-11-06"),
    ("the 18th of December", MON_5_OCT_IST, "2026-12-18"),
    ("09-Oct-2026", MON_5_OCT_IST, "2026-10-09"),
    ("Thu 22-Oct", MON_5_OCT_IST, "2026-10-22"),
    ("Due date: 27/Nov/26", MON_5_OCT_IST, "2026-11-27"),
    ("Oct 23, 2026", MON_5_OCT_IST, "2026-10-23"),
    ("May 4", MON_5_OCT_IST, "2027-05-04"),
    # German
    ("5. Dezember", MON_5_OCT_IST, "2026-12-05"),
    ("Freitag, 13. November 2026", MON_5_OCT_IST, "2026-11-13"),
    ("bis Ende November", MON_5_OCT_IST, "2026-11-30"),
    # French
    ("mercredi 28 octobre", MON_5_OCT_IST, "2026-10-28"),
    ("le 1er décembre", MON_5_OCT_IST, "2026-12-01"),
    # Spanish
    ("5 de diciembre", MON_5_OCT_IST, "2026-12-05"),
    ("jueves, 22 de octubre de 2026", MON_5_OCT_IST, "2026-10-22"),
    # Portuguese
    ("sexta-feira, 23 de outubro", MON_5_OCT_IST, "2026-10-23"),
    ("Prazo: sex, 6 de nov", MON_5_OCT_IST, "2026-11-06"),
    ("13 de novembro", MON_5_OCT_IST, "2026-11-13"),
    # Polish
    ("5 grudnia", MON_5_OCT_IST, "2026-12-05"),
    ("w środę 28 października", MON_5_OCT_IST, "2026-10-28"),
    ("na piątek 13 listopada", MON_5_OCT_IST, "2026-11-13"),
    # Italian, Dutch
    ("venerdì 13 novembre", MON_5_OCT_IST, "2026-11-13"),
    ("vrijdag 4 december", MON_5_OCT_IST, "2026-12-04"),
    # ISO
    ("2026-12-05", MON_5_OCT_IST, "2026-12-05"),
    ("Ex-factory,2026-11-27,2026-12-01,Delayed", MON_5_OCT_IST, None),  # two dates, see below
]


@pytest.mark.parametrize("text,sent,expected", [a for a in ABSOLUTE if a[2]])
def test_absolute_dates(text, sent, expected):
    assert one(text, sent) == expected


@pytest.mark.parametrize("text, span", [
    ("4.13.0 alpha 1: Tuesday, 2025-10-14", "2025-10-14"),  # the weekday before is no date of its own
    ("Tue, 2025-10-14 final", "2025-10-14"),
    ("14/02 (sáb): string freeze", "14/02 (sáb)"),  # a bracketed weekday is part of the date, not the name
    ("10 Mart 2026 Salı, 19:00 açılış", "10 Mart 2026 Salı, 19:00"),
])
def test_a_weekday_beside_a_full_date_names_its_day(text, span):
    (match,) = find_dates(text, dt.datetime.fromisoformat(MON_5_OCT_IST))
    assert text[match.start:match.end] == span


def test_csv_row_gives_each_iso_date():
    assert values("Ex-factory,2026-11-27,2026-12-01,Delayed", MON_5_OCT_IST) == [
        "2026-11-27", "2026-12-01"]


# --------------------------------------------------------------------------
# A date without a year, by role
# --------------------------------------------------------------------------

YEARLESS = [
    # due: the next one on or after the sent date (year rollover in December)
    ("Jan 8", TUE_15_DEC_MST, "due", "2027-01-08"),
    ("Jan 14", WED_9_DEC, "due", "2027-01-14"),
    ("Dec 9", WED_9_DEC, "due", "2026-12-09"),
    # ... unless it fell in the last 60 days: a past event, not a plan a year ahead
    ("signed on 2 Dec", WED_9_DEC, "due", "2026-12-02"),
    ("closed on 11 Oct", WED_9_DEC, "due", "2026-10-11"),
    ("report on 9 Oct", WED_9_DEC, "due", "2027-10-09"),
    # a written weekday settles the year: "wo 15 september" in November is next year's Wednesday
    ("Verschijningsdatum wo 15 september", "2026-11-04T14:25+01:00", "due", "2027-09-15"),
    # delivered: not more than 60 days before sent
    ("completed on 30 Oct", "2026-11-05T07:00-07:00", "delivered", "2026-10-30"),
    ("Nov 9", "2026-11-16T06:00+00:00", "delivered", "2026-11-09"),
    ("shipped Dec 20", "2027-01-10T09:00+00:00", "delivered", "2026-12-20"),
    # previous: the nearest one before or after sent
    ("was 16.10", "2026-10-20T16:05+02:00", "previous", "2026-10-16"),
    ("was 5th December", "2026-12-07T02:20-07:00", "previous", "2026-12-05"),
    ("was Jan 5", "2026-12-20T10:00+00:00", "previous", "2027-01-05"),
    # a weekday with the day of the month pins the month, even against the role's direction
    ("Monday the 11th", "2025-07-29T11:20-05:00", "delivered", "2025-08-11"),
    ("Friday the 11th", "2025-07-29T11:20-05:00", "delivered", "2025-07-11"),
]


@pytest.mark.parametrize("text,sent,role,expected", YEARLESS)
def test_yearless_dates_follow_the_role(text, sent, role, expected):
    assert one(text, sent, role) == expected


def test_a_match_can_be_reread_under_another_role():
    sent = dt.datetime.fromisoformat("2026-10-20T16:05+02:00")
    (m,) = find_dates("planned for 26.10", sent)
    assert m.value(sent) == "2026-10-26"          # as a due date: the next one
    assert resolve(m, sent, "previous").value(sent) == "2026-10-26"
    assert resolve(m, sent, "delivered").value(sent) == "2026-10-26"  # none in the last 60 days: the nearest


# --------------------------------------------------------------------------
# Numeric dates: day-first or month-first
# --------------------------------------------------------------------------

NUMERIC = [
    # a part above 12 settles the order
    ("10/30", THU_8_OCT_EDT, None, "2026-10-30"),
    ("27/11", THU_22_OCT_ART, None, "2026-11-27"),
    ("Thu, 15.10.", MON_5_OCT_IST, None, "2026-10-15"),
    ("18.12.", MON_5_OCT_IST, None, "2026-12-18"),
    ("03.12.2026", MON_5_OCT_IST, None, "2026-12-03"),
    # both could be months: day-first unless sent's offset is negative
    ("ETA 12/11", "2026-11-06T08:12+08:00", None, "2026-11-12"),
    ("planned with Beta 2 on 12/04", "2026-11-12T09:10-05:00", None, "2026-12-04"),
    ("by 1/8", "2026-11-10T02:20-06:00", None, "2027-01-08"),
    # ... unless the caller knows the message's order
    ("04/12", THU_22_OCT_ART, True, "2026-12-04"),
    ("11/02/26", "2026-11-02T03:30+00:00", False, "2026-11-02"),
    # a weekday settles it when the year is written
    ("Fri 04/12/26", "2026-11-16T08:30+00:00", False, "2026-12-04"),
]


@pytest.mark.parametrize("text,sent,day_first,expected", NUMERIC)
def test_numeric_dates(text, sent, day_first, expected):
    assert one(text, sent, day_first=day_first) == expected


def test_another_numeric_date_in_the_text_settles_the_order():
    # sent from Buenos Aires (-04:00) would read 04/12 month-first, but 27/11
    # in the same text says day-first
    text = "Maquetación v1: 27/11.\nSegundo lote de retoque: 04/12."
    assert values(text, THU_22_OCT_ART) == ["2026-11-27", "2026-12-04"]


@pytest.mark.parametrize("text,expected", [
    ("27/11 and 04/12", True),
    ("10/26/26 | 11/02/26", False),
    ("05/12 (was 08/12)", None),
    ("24.12–01.01, then 08.01.2027 (was 18.12.)", True),
    ("version 1.2.3 and 24/7 support", None),
])
def test_numeric_order_of_a_message(text, expected):
    assert numeric_order(text) is expected


# --------------------------------------------------------------------------
# Weekdays and relative days
# --------------------------------------------------------------------------

RELATIVE = [
    ("by Friday", MON_5_OCT_IST, "due", "2026-10-09"),
    ("this Friday", MON_5_OCT_IST, "due", "2026-10-09"),
    ("on Monday", MON_5_OCT_IST, "due", "2026-10-05"),
    ("next Friday", THU_8_OCT_EDT, "due", "2026-10-16"),
    ("next Tuesday", SUN_25_OCT, "due", "2026-10-27"),
    ("next Tuesday", WED_9_DEC, "due", "2026-12-15"),
    ("delivered on Thursday", SUN_25_OCT, "delivered", "2026-10-22"),
    ("deployed on Saturday", "2026-11-23T08:30-05:00", "delivered", "2026-11-21"),
    ("last Friday", MON_5_OCT_IST, "due", "2026-10-02"),
    ("HL on track for Mon", "2026-11-12T04:05+00:00", "due", "2026-11-16"),
    ("viernes", MON_5_OCT_IST, "due", "2026-10-09"),
    ("bis Freitag", MON_5_OCT_IST, "due", "2026-10-09"),
    ("vendredi prochain", MON_5_OCT_IST, "due", "2026-10-16"),
    ("w piątek", MON_5_OCT_IST, "due", "2026-10-09"),
    ("el próximo viernes", MON_5_OCT_IST, "due", "2026-10-16"),
    ("Friday next week", MON_5_OCT_IST, "due", "2026-10-16"),
    ("today", MON_5_OCT_IST, "due", "2026-10-05"),
    ("tomorrow", MON_5_OCT_IST, "due", "2026-10-06"),
    ("the day after tomorrow", MON_5_OCT_IST, "due", "2026-10-07"),
    ("yesterday", MON_5_OCT_IST, "delivered", "2026-10-04"),
    ("uploaded last night", MON_5_OCT_IST, "delivered", "2026-10-04"),
    ("hoy", MON_5_OCT_IST, "due", "2026-10-05"),
    ("mañana", MON_5_OCT_IST, "due", "2026-10-06"),
    ("ayer", MON_5_OCT_IST, "delivered", "2026-10-04"),
    ("morgen", MON_5_OCT_IST, "due", "2026-10-06"),
    ("demain", MON_5_OCT_IST, "due", "2026-10-06"),
    ("jutro", MON_5_OCT_IST, "due", "2026-10-06"),
    ("wczoraj", FRI_30_OCT_UTC, "delivered", "2026-10-29"),
    ("amanhã", MON_5_OCT_IST, "due", "2026-10-06"),
    ("domani", MON_5_OCT_IST, "due", "2026-10-06"),
    # relative to sent in sent's own zone: 02:30 -06:00 is still 6 Oct
    ("tomorrow", TUE_6_OCT_MDT, "due", "2026-10-07"),
]


@pytest.mark.parametrize("text,sent,role,expected", RELATIVE)
def test_weekdays_and_relative_days(text, sent, role, expected):
    assert one(text, sent, role) == expected


# --------------------------------------------------------------------------
# Weeks, month parts, quarters, counted days
# --------------------------------------------------------------------------

PERIODS = [
    ("end of the week", TUE_1_DEC_IST, "2026-12-04"),
    ("by end of week", TUE_1_DEC_IST, "2026-12-04"),
    ("end of next week", TUE_6_OCT_MDT, "2026-10-16"),
    ("Ende nächster Woche", TUE_6_OCT_MDT, "2026-10-16"),
    ("week of Dec 8", "2026-12-02T17:10+00:00", "2026-12-11"),
    ("week of 2 Nov", MON_5_OCT_IST, "2026-11-06"),
    ("semana del 9 de noviembre", MON_5_OCT_IST, "2026-11-13"),
    ("second week of January", "2026-11-30T10:15-05:00", "2027-01-15"),
    ("first week of January 2027", MON_5_OCT_IST, "2027-01-08"),
    ("segunda semana de enero", "2026-11-30T10:15-05:00", "2027-01-15"),
    ("Wk 49", MON_5_OCT_IST, "2026-12-04"),
    ("CW50", MON_5_OCT_IST, "2026-12-11"),
    ("KW 50", MON_5_OCT_IST, "2026-12-11"),
    ("week 50", MON_5_OCT_IST, "2026-12-11"),
    ("semana 50", MON_5_OCT_IST, "2026-12-11"),
    ("S50", MON_5_OCT_IST, "2026-12-11"),
    ("KW 2", TUE_15_DEC_MST, "2027-01-15"),
    ("KW 2/2027", MON_5_OCT_IST, "2027-01-15"),
    ("2026-W50", MON_5_OCT_IST, "2026-12-11"),
    ("mid-December", WED_9_DEC, "2026-12-15"),
    ("mid-January", "2026-12-15T15:45+03:00", "2027-01-15"),
    ("Mitte Dezember", MON_5_OCT_IST, "2026-12-15"),
    ("mediados de diciembre", MON_5_OCT_IST, "2026-12-15"),
    ("by month-end", MON_5_OCT_IST, "2026-10-31"),
    ("end of the month", MON_5_OCT_IST, "2026-10-31"),
    ("fin de mes", MON_5_OCT_IST, "2026-10-31"),
    ("end of December", MON_5_OCT_IST, "2026-12-31"),
    ("November month-end", MON_5_OCT_IST, "2026-11-30"),
    ("Ende November", MON_5_OCT_IST, "2026-11-30"),
    ("fim de novembro", MON_5_OCT_IST, "2026-11-30"),
    ("a finales de enero de 2027", MON_5_OCT_IST, "2027-01-31"),
    ("end of February", "2027-01-10T10:00+00:00", "2027-02-28"),
    ("end of quarter", MON_5_OCT_IST, "2026-12-31"),
    ("end of Q4", MON_5_OCT_IST, "2026-12-31"),
    ("Q1 end", TUE_15_DEC_MST, "2027-03-31"),
    ("end of Q2 2027", MON_5_OCT_IST, "2027-06-30"),
    ("in 5 days", MON_5_OCT_IST, "2026-10-10"),
    ("in 3 working days", TUE_1_DEC_IST, "2026-12-04"),
    ("live in 3 working days", "2026-10-07T03:05-05:00", "2026-10-12"),
    ("within 5 business days", "2026-10-09T10:00+00:00", "2026-10-16"),
    ("in two weeks", MON_5_OCT_IST, "2026-10-19"),
    ("in 3 Werktagen", MON_5_OCT_IST, "2026-10-08"),
    ("dans 2 jours ouvrés", "2026-10-09T10:00+00:00", "2026-10-13"),
    ("by the 3rd", MON_5_OCT_IST, "2026-11-03"),
    ("by the 5th", MON_5_OCT_IST, "2026-10-05"),
    ("slipping to Wed 25th", "2026-11-12T04:05+00:00", "2026-11-25"),
]


@pytest.mark.parametrize("text,sent,expected", PERIODS)
def test_weeks_month_parts_quarters_and_counts(text, sent, expected):
    assert one(text, sent) == expected


# --------------------------------------------------------------------------
# Ranges are due on their last day
# --------------------------------------------------------------------------

RANGES = [
    ("Dec 8-12", MON_5_OCT_IST, "2026-12-12", "2026-12-08"),
    ("2-4 Nov", MON_5_OCT_IST, "2026-11-04", "2026-11-02"),
    ("8–12 December", MON_5_OCT_IST, "2026-12-12", "2026-12-08"),
    ("Dec 8 to Dec 12", MON_5_OCT_IST, "2026-12-12", "2026-12-08"),
    ("23 Nov – 4 Dec", MON_5_OCT_IST, "2026-12-04", "2026-11-23"),
    ("19 January – 5 February", "2026-12-10T12:05-05:00", "2027-02-05", "2027-01-19"),
    ("24.12–01.01", TUE_15_DEC_MST, "2027-01-01", "2026-12-24"),
    # no time of day starts on the 16th hour and ends on the 27th: two dates
    ("Sprint 15: 16.02–27.02.", "2026-02-13T14:30+00:00", "2026-02-27", "2026-02-16"),
]


@pytest.mark.parametrize("text,sent,last,first", RANGES)
def test_ranges(text, sent, last, first):
    s = dt.datetime.fromisoformat(sent)
    (m,) = find_dates(text, s, day_first=True)
    assert m.kind == "range"
    assert m.value(s) == last
    assert m.range_from == When(dt.date.fromisoformat(first))


def test_a_month_and_a_number_after_a_sentence_end_and_a_line_break_are_no_date():
    sent = "2026-03-30T17:45+02:00"
    assert values("fill in the sheet by 8 May.\n\n3. WP3 - Smart nodes", sent) == ["2026-05-08"]
    # a line wrap alone may part them
    assert values("due on December\n5, 2026", sent) == ["2026-12-05"]


def test_a_move_is_not_a_range():
    assert values("moved from 13 November to 20 November", SUN_25_OCT) == [
        "2026-11-13", "2026-11-20"]
    assert values("Due date: Oct 23, 2026 → Oct 28, 2026", SUN_25_OCT) == [
        "2026-10-23", "2026-10-28"]


# --------------------------------------------------------------------------
# Times of day and zones
# --------------------------------------------------------------------------

TIMES = [
    ("20 Nov, 6 PM IST", MON_5_OCT_IST, "2026-11-20T18:00+05:30"),
    ("27 November, 17:00 CET", "2026-10-23T17:40+02:00", "2026-11-27T17:00+01:00"),
    ("Dec 14 EOD", WED_9_DEC, "2026-12-14T18:00-05:00"),
    ("Wednesday 2 December, COB", "2026-11-19T11:20+01:00", "2026-12-02T18:00+01:00"),
    ("Friday 30th October by close of business", MON_5_OCT_IST, "2026-10-30T18:00+05:30"),
    ("10/30, EOD Manila time", THU_8_OCT_EDT, "2026-10-30T18:00+08:00"),
    ("Friday, Nov 6, EOD Manila time", THU_8_OCT_EDT, "2026-11-06T18:00+08:00"),
    ("Thursday, 10:00 PT", "2026-11-23T08:30-05:00", "2026-11-26T10:00-08:00"),
    ("Dec 2, noon GMT+8", "2026-11-23T08:30-05:00", "2026-12-02T12:00+08:00"),
    # the hour right after a day and month is no day of the month ("Dec 18")
    ("5 Dec 18:00 IST", "2026-11-24T12:00+00:00", "2026-12-05T18:00+05:30"),
    ("tomorrow by 11:00 IST", TUE_1_DEC_IST, "2026-12-02T11:00+05:30"),
    ("by 6 pm tomorrow", SUN_25_OCT, "2026-10-26T18:00+06:00"),
    ("today's 6 PM IST", "2026-11-20T07:10-07:00", "2026-11-20T18:00+05:30"),
    ("Tuesday 24 Nov, 12:00 noon IST", "2026-11-20T07:10-07:00", "2026-11-24T12:00+05:30"),
    ("Monday 7 December, 09:00 EET", "2026-12-03T02:40-06:00", "2026-12-07T09:00+02:00"),
    ("Monday 7 December by 12:00 GMT+6", "2026-12-03T16:55+06:00", "2026-12-07T12:00+06:00"),
    ("Monday 18 January, 22:00 CT", "2026-12-10T12:05-05:00", "2027-01-18T22:00-06:00"),
    ("Tuesday 19 January 2027 at 06:00 Bogotá time", "2026-12-10T12:05-05:00",
     "2027-01-19T06:00-05:00"),
    ("entro le 17:00 CET di venerdì 13 novembre", "2026-10-26T09:14+00:00",
     "2026-11-13T17:00+01:00"),
    ("Nov 12, 2026 at 5:00 PM", "2026-10-27T14:05+00:00", "2026-11-12T17:00+00:00"),
    ("5 Dec 5:30 p.m.", MON_5_OCT_IST, "2026-12-05T17:30+05:30"),
    ("am 4. Dezember um 18.00 Uhr", MON_5_OCT_IST, "2026-12-04T18:00+05:30"),
    ("le 4 décembre à 18h", MON_5_OCT_IST, "2026-12-04T18:00+05:30"),
    ("Dec 4, 9:00 AEDT", MON_5_OCT_IST, "2026-12-04T09:00+11:00"),
    ("Dec 4, 9:00 SGT", MON_5_OCT_IST, "2026-12-04T09:00+08:00"),
    # conference and standards deadlines are given "Anywhere on Earth", UTC-12
    ("Dec 4, 23:59 AoE", MON_5_OCT_IST, "2026-12-04T23:59-12:00"),
    ("4 December, 23:59 Anywhere on Earth", MON_5_OCT_IST, "2026-12-04T23:59-12:00"),
    ("Dec 4 at 10:00 UTC+5:30", MON_5_OCT_IST, "2026-12-04T10:00+05:30"),
    ("Dec 4 at 10:00 UTC-3", MON_5_OCT_IST, "2026-12-04T10:00-03:00"),
    ("Dec 4 at 10:00 (your time)", MON_5_OCT_IST, "2026-12-04T10:00+05:30"),
    ("Dec 4 10:00 BST", MON_5_OCT_IST, "2026-12-04T10:00+00:00"),
    ("Oct 20 10:00 BST", MON_5_OCT_IST, "2026-10-20T10:00+01:00"),
    ("2026-12-05T18:00+05:30", MON_5_OCT_IST, "2026-12-05T18:00+05:30"),
    # the date's weekday after it, then the time: the weekday is no date of its own
    ("10 Mart 2026 Salı, 19:00", MON_5_OCT_IST, "2026-03-10T19:00+05:30"),
    # a dotted time after a word that says an hour follows, or before a zone
    ("16 Maret 2026 pukul 08.00 GMT", MON_5_OCT_IST, "2026-03-16T08:00+00:00"),
    ("16 March 2026 at 08.00", MON_5_OCT_IST, "2026-03-16T08:00+05:30"),
    ("16 March 2026, 08.00 CET", MON_5_OCT_IST, "2026-03-16T08:00+01:00"),
    # year first, the day's dot, then the time (Hungarian)
    ("2027. november 23., 18:00 CET", MON_5_OCT_IST, "2027-11-23T18:00+01:00"),
    # "morning" gives no time
    ("went live on Monday morning", "2026-12-03T02:40-06:00", "2026-11-30"),
    # a US region alone after the time, Arizona (no daylight saving), the time before its day
    ("Wednesday 3 PM Eastern", "2028-11-06T13:20-07:00", "2028-11-08T15:00-05:00"),
    ("Friday 9am Pacific", "2028-11-06T13:20-07:00", "2028-11-10T09:00-08:00"),
    ("by 10 AM Arizona time tomorrow", "2025-03-24T14:15-04:00", "2025-03-25T10:00-07:00"),
    # a call for papers' Anywhere on Earth
    ("15 January 2027, 23:59 AoE", "2026-10-05T09:00+01:00", "2027-01-15T23:59-12:00"),
]


@pytest.mark.parametrize("text,sent,expected", TIMES)
def test_times_and_zones(text, sent, expected):
    role = "delivered" if "went live" in text else "due"
    assert one(text, sent, role) == expected


DST = [
    # US change on 2026-11-01: EDT (-04:00) before, EST (-05:00) after
    ("Oct 30 9:00 ET", "2026-10-20T10:00+00:00", "2026-10-30T09:00-04:00"),
    ("Nov 2 9:00 ET", "2026-10-20T10:00+00:00", "2026-11-02T09:00-05:00"),
    ("Nov 2 9:00 PT", "2026-10-20T10:00+00:00", "2026-11-02T09:00-08:00"),
    # EU change on 2026-10-25: CEST (+02:00) before, CET (+01:00) after
    ("Oct 24 17:00 CET", "2026-10-20T10:00+00:00", "2026-10-24T17:00+02:00"),
    ("Oct 26 17:00 CEST", "2026-10-20T10:00+00:00", "2026-10-26T17:00+01:00"),
    ("Oct 26 17:00 Berlin time", "2026-10-20T10:00+00:00", "2026-10-26T17:00+01:00"),
    # fixed offsets do not move
    ("Nov 2 9:00 IST", "2026-10-20T10:00+00:00", "2026-11-02T09:00+05:30"),
]


@pytest.mark.parametrize("text,sent,expected", DST)
def test_named_zones_use_the_offset_in_force_that_day(text, sent, expected):
    assert one(text, sent) == expected


def test_a_time_without_zone_takes_the_offset_of_sent():
    assert one("Dec 4, 6 PM", "2026-12-03T19:20+08:00") == "2026-12-04T18:00+08:00"


# --------------------------------------------------------------------------
# Things that are not dates
# --------------------------------------------------------------------------

NOT_DATES = [
    "the call at 3pm",
    "Our weekly status call stays on Thursdays at 17:30 IST.",
    "version 1.0.0 (build 118), v2.1, release 1.2.3",
    "Amount due: $1,200.50 or USD 18,400.00",
    "Call +91 20 5550 0142 or 0112-0455-9981-03",
    "24/7 support",
    "JIRA-1234 and INK-118, Sprint 12, sprint 4 review",
    "75% complete, 9.5 hours, AQL 2.5, WCAG 2.2, spine 22.5 mm",
    "10.5/14 pt on 70 gsm, pages 212-219, Vols 1-2, titles 1-30",
    "2.140 tomas, 3,800 SKUs",
    "after week 3 of the transition",
    "Pixel 8/9 devices",
    "the 3rd floor",
    "we may 5 more",
    "orelhas e quarta capa",
    "every Tuesday",
    "Guten Morgen Kasia",
    "5 days of work",
    "Sunday–Thursday working calendar",
    "the release schedule for 4.13",  # dots put the day first: a version
    "cu 2 mai mult",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text):
    assert values(text, MON_5_OCT_IST) == []


def test_a_list_number_on_the_next_line_is_no_day_of_the_date_above():
    text = "All partners to fill in the inventory sheet by 8 May.\n\n3. WP3 - nodes\nJoost by 10 April.\n5. Next"
    assert values(text, MON_5_OCT_IST) == ["2027-05-08", "2027-04-10"]


def test_a_weak_month_after_a_word_that_announces_a_date():
    assert values("Validation du BAT : au plus tard le 15 mai", MON_5_OCT_IST) == ["2027-05-15"]


def test_a_bare_day_and_month_with_a_time_after_it():
    assert one("full render 4/2 noon PT.", "2027-03-12T10:20-08:00", day_first=False) == "2027-04-02T12:00-07:00"


def test_a_factory_schedules_month_and_day():
    # "Apr-20" is 20 April; "Apr-26" written in 2026 is Excel's month and year, no day
    assert values("SMS Apr-20, PP sample May-25", "2026-04-11T05:20+02:00") == ["2026-04-20", "2026-05-25"]
    assert values("Forecast Apr-26", "2026-04-11T05:20+02:00") == []
    # one digit of day as well: "Mar-3"
    assert values("Bulk yarn Mar-3, loading Apr-7", "2026-02-11T05:20+02:00") == ["2026-03-03", "2026-04-07"]


def test_a_dotted_range():
    assert values("Sprint 15: 16.02–27.02.", "2026-02-13T14:30+00:00") == ["2026-02-27"]


# --------------------------------------------------------------------------
# Durations (for "slipping by a week", "needs two more days")
# --------------------------------------------------------------------------

@pytest.mark.parametrize("text,amount,unit,working", [
    ("slipping by a week", 1, "week", False),
    ("they need two more days", 2, "day", False),
    ("two weeks late", 2, "week", False),
    ("one day late", 1, "day", False),
    ("5 working days after approval", 5, "day", True),
    ("two working days after the batch", 2, "day", True),
    ("3 business days", 3, "day", True),
    ("a couple of days", 2, "day", False),
    ("eine Woche später", 1, "week", False),
    ("dos días antes", 2, "day", False),
])
def test_durations(text, amount, unit, working):
    (d,) = find_durations(text)
    assert (d.amount, d.unit, d.working) == (amount, unit, working)


def test_shift_by_a_duration():
    (d,) = find_durations("two working days after the batch")
    assert shift(dt.date(2026, 10, 23), d) == dt.date(2026, 10, 27)
    (w,) = find_durations("slipping by a week")
    assert shift(dt.date(2026, 10, 16), w) == dt.date(2026, 10, 23)


# --------------------------------------------------------------------------
# Spans and kinds
# --------------------------------------------------------------------------

def test_match_spans_cover_the_date_and_its_time():
    text = "4. UAT build – 20 Nov, 6 PM IST, deployed to UAT."
    sent = dt.datetime.fromisoformat(MON_5_OCT_IST)
    (m,) = find_dates(text, sent)
    assert text[m.start:m.end] == m.text == "20 Nov, 6 PM IST"
    assert m.kind == "absolute"
    assert m.when == When(dt.date(2026, 11, 20), dt.time(18, 0), m.when.tz)


@pytest.mark.parametrize("text,expected", [
    # Turkish and Indonesian months, weekdays, relative days, weeks and time words
    ("Teslim tarihi: 12 Kasım 2026", ["2026-11-12"]),
    ("Cuma saat 17:00", ["2026-10-09T17:00+05:30"]),
    ("yarın", ["2026-10-06"]),
    ("hafta 46", ["2026-11-13"]),
    ("Batas waktu: Kamis, 22 Oktober", ["2026-10-22"]),
    ("Jumat pukul 17:00", ["2026-10-09T17:00+05:30"]),
    ("besok", ["2026-10-06"]),
    ("minggu ke-46", ["2026-11-13"]),
    # Polish "o 17:00" joins the time to its day
    ("w czwartek o 17:00 CET", ["2026-10-08T17:00+02:00"]),
])
def test_more_languages(text, expected):
    assert values(text, MON_5_OCT_IST) == expected


@pytest.mark.parametrize("text,expected", [
    # a day with its ordinal's full stop makes a short month word a date: Danish "maj" is also Polish
    ("Vi sender filerne senest den 7. maj.", ["2027-05-07"]),
    ("Leveringen er 12. mars", ["2027-03-12"]),
    # Czech and Slovak put a space after each full stop of a numeric date
    ("dodání: 3. 10. 2026 (původně 10. 10. 2026)", ["2026-10-03", "2026-10-10"]),
    # Hebrew joins its one-letter prepositions to a numeric date with a hyphen: "on 3.9.2026"
    ("הדוח יימסר ב-3.9.2026", ["2026-09-03"]),
])
def test_dates_in_the_grammar_of_their_language(text, expected):
    assert values(text, MON_5_OCT_IST) == expected


@pytest.mark.parametrize("text,expected", [
    # a half of a month is done by its middle or its end; "early" and "late" are its start and end
    ("The battery lot will ship in the first half of June.", ["2027-06-15"]),
    ("Final report in the second half of June", ["2027-06-30"]),
    ("Entrega en la primera quincena de junio", ["2027-06-15"]),
    ("Pilot run early June, mass production late June", ["2027-06-01", "2027-06-30"]),
])
def test_halves_and_early_or_late_parts_of_a_month(text, expected):
    assert values(text, MON_5_OCT_IST) == expected


def test_a_hyphen_before_a_number_still_makes_no_date_of_it():
    assert values("part no. ID-3.9.2026 and v-3.10", MON_5_OCT_IST) == []


def test_unknown_role_is_an_error():
    with pytest.raises(ValueError):
        find_dates("Dec 5", dt.datetime.fromisoformat(MON_5_OCT_IST), role="someday")


# --------------------------------------------------------------------------
# Never raises, always real dates
# --------------------------------------------------------------------------

_DATEY = st.sampled_from([
    "Dec 5", "5.12.", "12/04", "next Friday", "KW 53", "Q4 end", "29 Feb", "31/02",
    "in 99 working days", "mid-", "week of", "–", " ", "the 31st", "2026-02-30",
    "EOD", "GMT+14", "UTC-12", "9:99", "25:00", "00/00", "Feb 29 2100", "1999-12-31",
    "semana 54", "S00", "ende", "fin de", "Wk 0", "\n", "é", "ß", "İ", "13.13.",
])


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.one_of(_DATEY, st.text(max_size=12)), max_size=12).map("".join),
    sent=st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 12, 31),
                      timezones=st.sampled_from([dt.timezone.utc,
                                                 dt.timezone(dt.timedelta(hours=-7)),
                                                 dt.timezone(dt.timedelta(hours=5, minutes=30))])),
    role=st.sampled_from(["due", "delivered", "previous"]),
)
def test_find_dates_never_raises_and_gives_real_dates(text, sent, role):
    for m in find_dates(text, sent, role=role):
        assert isinstance(m.when.date, dt.date)
        assert 1970 <= m.when.date.year <= 2100
        assert 0 <= m.start < m.end <= len(text)
        assert m.value(sent)
    numeric_order(text)
    find_durations(text)


@pytest.mark.parametrize(
    "text",
    ["se retrasa del 27 de noviembre al 2 de diciembre", "foi adiado de 27 de novembro a 2 de dezembro"],
)
def test_a_move_in_spanish_or_portuguese_is_two_dates_not_a_range(text):
    """Regression: 'retrasa' and 'adiado' were not known as move words, so the pair read as a range."""
    sent = dt.datetime(2026, 11, 10, 10, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert [m.when.date.isoformat() for m in find_dates(text, sent)] == ["2026-11-27", "2026-12-02"]


@pytest.mark.parametrize("text, sent, expected", [
    # a spaced dash joins two dates into a range; "09-Oct" alone is one date
    ("Support window: Nov 23 - Dec 4", TUE_6_OCT_MDT, "2026-12-04"),
    ("Samples ETA 09-Oct-2026", TUE_6_OCT_MDT, "2026-10-09"),
    # a number after a weekday that is a time keeps the weekday
    ("cutover on Thursday 17:00 CET", TUE_6_OCT_MDT, "2026-10-08T17:00+02:00"),
    ("by Friday 4 PM Manila time", TUE_6_OCT_MDT, "2026-10-09T16:00+08:00"),
    # a zone written after the whole date, or after a comma, is the time's zone
    ("handover COB Friday, Kyiv time", TUE_6_OCT_MDT, "2026-10-09T18:00+03:00"),
    ("go/no-go EOD Thursday Berlin time", TUE_6_OCT_MDT, "2026-10-08T18:00+02:00"),
    ("Monday 9am, IST.", TUE_6_OCT_MDT, "2026-10-12T09:00+05:30"),
])
def test_ranges_weekday_times_and_trailing_zones(text, sent, expected):
    assert one(text, sent) == expected


def test_a_zone_abbreviation_that_starts_the_next_phrase_is_not_the_times_zone():
    assert values("Friday 5pm, PT/ES captions", TUE_6_OCT_MDT) == ["2026-10-09T17:00-06:00"]


def test_a_range_of_days_joined_by_a_word_is_a_date_even_with_a_month_word_that_is_also_a_word():
    # "mai", "mars", "mei" are weak month words; "du 14 au 21 mai" is a date's grammar all the same
    assert values("L'impression glisse d'une semaine, du 14 au 21 mai.", "2026-05-05T10:00+02:00") == ["2026-05-21"]
    assert values("levering van 3 tot 7 mei", "2026-04-05T10:00+02:00") == ["2026-05-07"]
