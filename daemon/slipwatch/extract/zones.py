"""Time-zone words vendors write after a time, and what RULES.md says they mean.

``ZONE_RE`` finds one zone expression at a position; ``zone_of(match)`` turns
it into a ``tzinfo``, or ``None`` for words that name no zone ("your time",
"local time").  Named zones are IANA zones, so the offset on the day in
question (daylight saving included) comes from zoneinfo; RULES.md pins some
words to a fixed offset (IST, SGT, PHT, JST, GMT...).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from .words import alternation


def _fixed(hours: int, minutes: int = 0) -> dt.timezone:
    sign = -1 if hours < 0 else 1
    return dt.timezone(dt.timedelta(hours=hours, minutes=sign * minutes))


@lru_cache(maxsize=None)
def _zone(name: str) -> dt.tzinfo:
    return ZoneInfo(name)


UTC = dt.timezone.utc

# Abbreviations: upper case only (ET/PT/CT are ordinary words otherwise).
# A string value is an IANA name, looked up lazily.
ZONE_ABBR: dict[str, dt.tzinfo | str] = {
    "IST": _fixed(5, 30),
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "MEZ": "Europe/Berlin",
    "MESZ": "Europe/Berlin",
    "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
    "EET": "Europe/Kiev", "EEST": "Europe/Kiev",
    "GMT": UTC, "UTC": UTC, "Z": UTC, "UT": UTC,
    "BST": "Europe/London",
    "MSK": _fixed(3),
    "SGT": _fixed(8), "PHT": _fixed(8), "PHST": _fixed(8), "HKT": _fixed(8),
    "AWST": _fixed(8),
    "JST": _fixed(9), "KST": _fixed(9),
    "ICT": _fixed(7), "WIB": _fixed(7),
    "PKT": _fixed(5), "NPT": _fixed(5, 45), "BDT": _fixed(6),
    "GST": _fixed(4), "EAT": _fixed(3), "CAT": _fixed(2), "SAST": _fixed(2),
    "WAT": _fixed(1),
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide", "ACDT": "Australia/Adelaide",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
    "BRT": _fixed(-3), "ART": _fixed(-3), "COT": _fixed(-5), "PET": _fixed(-5),
    # "Anywhere on Earth", the deadline zone of conferences and standards bodies
    "AoE": _fixed(-12), "AOE": _fixed(-12), "Anywhere on Earth": _fixed(-12), "anywhere on earth": _fixed(-12),
}

# Places and long names, written before "time" ("Manila time", "India
# Standard Time") or after "hora"/"heure" ("hora Bogotá").
ZONE_PLACES: dict[str, str | dt.tzinfo] = {
    "india": _fixed(5, 30), "indian": _fixed(5, 30), "pune": _fixed(5, 30),
    "mumbai": _fixed(5, 30), "bangalore": _fixed(5, 30),
    "bengaluru": _fixed(5, 30), "delhi": _fixed(5, 30), "new delhi": _fixed(5, 30),
    "chennai": _fixed(5, 30), "hyderabad": _fixed(5, 30), "kolkata": _fixed(5, 30),
    "india standard": _fixed(5, 30),
    "colombo": "Asia/Colombo", "sri lanka": "Asia/Colombo",
    "manila": _fixed(8), "philippine": _fixed(8), "philippines": _fixed(8),
    "singapore": _fixed(8), "hong kong": _fixed(8), "shenzhen": "Asia/Shanghai",
    "beijing": "Asia/Shanghai", "shanghai": "Asia/Shanghai", "china": "Asia/Shanghai",
    "taipei": "Asia/Taipei",
    "tokyo": _fixed(9), "japan": _fixed(9), "seoul": _fixed(9),
    "ho chi minh": "Asia/Ho_Chi_Minh", "ho chi minh city": "Asia/Ho_Chi_Minh",
    "saigon": "Asia/Ho_Chi_Minh", "hanoi": "Asia/Ho_Chi_Minh",
    "vietnam": "Asia/Ho_Chi_Minh", "bangkok": "Asia/Bangkok",
    "jakarta": "Asia/Jakarta", "dhaka": "Asia/Dhaka", "bangladesh": "Asia/Dhaka",
    "karachi": "Asia/Karachi", "dubai": "Asia/Dubai", "gulf": "Asia/Dubai",
    "nairobi": "Africa/Nairobi", "cairo": "Africa/Cairo", "egypt": "Africa/Cairo",
    "johannesburg": "Africa/Johannesburg", "lagos": "Africa/Lagos",
    "istanbul": "Europe/Istanbul", "moscow": "Europe/Moscow",
    "kyiv": "Europe/Kiev", "kiev": "Europe/Kiev", "athens": "Europe/Athens",
    "helsinki": "Europe/Helsinki",
    "berlin": "Europe/Berlin", "german": "Europe/Berlin", "germany": "Europe/Berlin",
    "paris": "Europe/Paris", "france": "Europe/Paris", "madrid": "Europe/Madrid",
    "spain": "Europe/Madrid", "rome": "Europe/Rome", "milan": "Europe/Rome",
    "italy": "Europe/Rome", "amsterdam": "Europe/Amsterdam",
    "brussels": "Europe/Brussels", "vienna": "Europe/Vienna",
    "zurich": "Europe/Zurich", "stockholm": "Europe/Stockholm",
    "copenhagen": "Europe/Copenhagen", "oslo": "Europe/Oslo",
    "warsaw": "Europe/Warsaw", "wroclaw": "Europe/Warsaw", "wrocław": "Europe/Warsaw",
    "krakow": "Europe/Warsaw", "kraków": "Europe/Warsaw", "poland": "Europe/Warsaw",
    "prague": "Europe/Prague", "budapest": "Europe/Budapest",
    "central european": "Europe/Berlin", "european": "Europe/Berlin",
    "london": "Europe/London", "uk": "Europe/London", "british": "Europe/London",
    "dublin": "Europe/Dublin", "irish": "Europe/Dublin", "lisbon": "Europe/Lisbon",
    "new york": "America/New_York", "eastern": "America/New_York",
    "us eastern": "America/New_York", "toronto": "America/Toronto",
    "boston": "America/New_York", "miami": "America/New_York",
    "chicago": "America/Chicago", "central": "America/Chicago",
    "us central": "America/Chicago", "dallas": "America/Chicago",
    "houston": "America/Chicago", "mexico city": "America/Mexico_City",
    "denver": "America/Denver", "mountain": "America/Denver",
    "phoenix": "America/Phoenix", "arizona": "America/Phoenix",
    "los angeles": "America/Los_Angeles", "pacific": "America/Los_Angeles",
    "us pacific": "America/Los_Angeles", "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "vancouver": "America/Vancouver",
    "bogota": "America/Bogota", "bogotá": "America/Bogota",
    "medellin": "America/Bogota", "medellín": "America/Bogota",
    "colombia": "America/Bogota", "lima": "America/Lima",
    "buenos aires": "America/Argentina/Buenos_Aires",
    "argentina": "America/Argentina/Buenos_Aires",
    "sao paulo": "America/Sao_Paulo", "são paulo": "America/Sao_Paulo",
    "brasilia": "America/Sao_Paulo", "brasília": "America/Sao_Paulo",
    "brazil": "America/Sao_Paulo", "santiago": "America/Santiago",
    "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne",
    "brisbane": "Australia/Brisbane", "perth": "Australia/Perth",
    "auckland": "Pacific/Auckland", "new zealand": "Pacific/Auckland",
    "utc": UTC, "gmt": UTC, "greenwich": UTC,
}

# Words that say "a zone" without naming one: consumed, no tzinfo.
_NO_ZONE = ("your time", "your local time", "local time", "our time",
            "my time", "your tz", "your timezone", "your time zone", "lokaler zeit",
            "hora local", "heure locale", "ora locale", "czasu lokalnego")

_ABBR_ALT = "(?:" + "|".join(sorted(ZONE_ABBR, key=len, reverse=True)) + ")"
_PLACE_ALT = alternation(ZONE_PLACES)
_OFFSET = r"(?P<off>[+\-−–]\s?\d{1,2}(?:[:.]?\d{2})?)"

ZONE_PATTERN = (
    r"(?:"
    # GMT+8, UTC+05:30, GMT -3
    r"(?-i:GMT|UTC)\s?" + _OFFSET +
    r"|(?P<place>" + _PLACE_ALT + r")(?:\s+standard)?\s+time(?:\s+zone)?\b"
    # "3 PM Eastern": the four US regions stand alone after a time
    r"|(?P<region>(?-i:Eastern|Central|Mountain|Pacific))(?![\w-])(?!\s+(?:[A-Z]|time\b))"
    r"|(?:hora|horário|horario|heure|ora|czasu)\s+(?:de\s+|da\s+|del\s+|di\s+)?(?P<place2>"
    + _PLACE_ALT + r")\b"
    r"|(?P<none>" + alternation(_NO_ZONE) + r")\b"
    r"|(?P<abbr>(?-i:" + _ABBR_ALT + r"))(?![\w+\-])"
    r"|(?P<isooff>(?<=\d)[+\-]\d{2}:?\d{2})(?!\d)"
    r")"
)

ZONE_RE = re.compile(ZONE_PATTERN, re.I)
# A zone abbreviation alone, without groups, for lookaheads: "08.00 GMT" is a time.
ZONE_WORD = r"(?-i:" + _ABBR_ALT + r")(?![\w+\-])"


def _lookup(value: dt.tzinfo | str) -> dt.tzinfo:
    return _zone(value) if isinstance(value, str) else value


def parse_offset(text: str) -> dt.tzinfo | None:
    """'+8', '+05:30', '-3', '+0530' -> a fixed-offset tzinfo."""
    m = re.fullmatch(r"([+\-−–])\s?(\d{1,2})(?:[:.]?(\d{2}))?", text.strip())
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    delta = dt.timedelta(hours=hours, minutes=minutes)
    if m.group(1) != "+":
        delta = -delta
    return dt.timezone(delta)


class _NoZone:
    """Marker: a zone phrase was written but names no zone."""


NO_ZONE = _NoZone()


def zone_of(m: re.Match[str]) -> dt.tzinfo | _NoZone | None:
    """The tzinfo a ZONE_RE match names; NO_ZONE for "your time"; None if bogus."""
    if m.group("off"):
        return parse_offset(m.group("off"))
    if m.group("isooff"):
        return parse_offset(m.group("isooff"))
    place = m.group("place") or m.group("place2") or m.group("region")
    if place:
        key = re.sub(r"\s+", " ", place.lower())
        value = ZONE_PLACES.get(key)
        return _lookup(value) if value is not None else None
    if m.group("none"):
        return NO_ZONE
    abbr = m.group("abbr")
    if abbr:
        return _lookup(ZONE_ABBR[abbr])
    return None


def offset_text(delta: dt.timedelta) -> str:
    """timedelta -> '+05:30' / '-04:00'."""
    total = int(delta.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return f"{sign}{total // 60:02d}:{total % 60:02d}"
