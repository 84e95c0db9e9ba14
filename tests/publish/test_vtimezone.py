"""VTIMEZONEs with yearly rules, and content lines: read back, they agree with zoneinfo to the hour."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from hypothesis import given, strategies as st

from slipwatch.publish import ics
from slipwatch.publish.vtimezone import vtimezone
from slipwatch.sanitise import visible

ZONES = [
    "America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Asia/Kolkata", "Asia/Manila",
    "Australia/Sydney", "America/Sao_Paulo", "Asia/Jerusalem", "America/Mexico_City", "Pacific/Chatham", "UTC",
]


@pytest.mark.parametrize("name", ZONES)
def test_the_vtimezone_gives_zoneinfos_offset_at_every_hour_of_its_years(name):
    # Mexico City and Sao Paulo dropped DST in these years, Jerusalem changed its rule: UNTIL ends the old ones
    zone = zoneinfo.ZoneInfo(name)
    read = icalendar.Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + vtimezone(name, 2018, 2027) + b"END:VCALENDAR\r\n")
    (component,) = read.walk("VTIMEZONE")
    assert b"RDATE" not in component.to_ical()
    parsed = component.to_tz()
    moment = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    while moment.year < 2028:
        assert moment.astimezone(parsed).utcoffset() == moment.astimezone(zone).utcoffset(), (name, moment)
        moment += dt.timedelta(hours=1)


def test_a_european_zone_is_two_observances_with_last_sunday_rules():
    assert vtimezone("Europe/Berlin", 2025, 2026).decode().split("\r\n") == [
        "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
        "BEGIN:DAYLIGHT", "DTSTART:20250330T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "DTSTART:20251026T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE", "",
    ]


def test_a_zone_without_dst_is_one_observance():
    assert b"BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nTZNAME:IST" in (
        vtimezone("Asia/Kolkata", 2025, 2026))


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400))
def test_folding_keeps_every_character_and_75_octets_a_line(value):
    line = ics.line("DESCRIPTION", ics.text(value))
    pieces = line.removesuffix(b"\r\n").split(b"\r\n ")
    assert all(len(piece) <= 75 - (i > 0) for i, piece in enumerate(pieces))
    # an escape (backslash and letter) is never split: no piece ends in an odd run of backslashes
    assert all((len(piece) - len(piece.rstrip(b"\\"))) % 2 == 0 for piece in pieces[:-1])
    for piece in pieces:
        piece.decode("utf-8")  # never cut inside a character
    # other controls, and bidi and invisible characters, in visible form (slipwatch.sanitise)
    expected = visible(value.replace("\r\n", "\n").replace("\r", "\n"), keep="\n\t")
    event = icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + line + b"END:VEVENT\r\n")
    assert str(event["DESCRIPTION"]) == expected
