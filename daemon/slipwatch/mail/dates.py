"""Dates of mail headers and of forward/reply lines, in the languages mail clients print.

A forward block prints its date the way the forwarder's client localises it:
"Wed, Oct 27, 2021 at 9:31 AM", "26. října 2021 14:25:08 GMT+3",
"2021. október 26. 14:25:08 EEST", "2022年9月19日月曜日 17:55:44 -0400",
"quarta, 27/10/2021 à(s) 09:31". Rather than one pattern per client, the
grammar takes the line apart: the zone, a numeric date, the time, then a month
word with the day number nearest to it and a four-digit year. Weekday names and
filler words ("at", "um", "à", "kl.", "г.") are simply left over.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slipwatch.lang import language, languages, shared_languages

# Month words of every language whose clients we read (slipwatch.lang): full
# names, genitive/partitive forms and the abbreviations clients print. Keys are
# lower case without a trailing dot.
MONTHS: dict[str, int] = {
    word: month
    for lang in shared_languages()
    for word, month in lang.month_words(headers=True).items()
}
# Croatian reuses Polish and Czech month words for other months ("listopad" is
# October there, November in Polish); it applies only when the block's labels
# say the mail is Croatian.
CROATIAN_MONTHS = {**MONTHS, **language("hr").month_words(headers=True)}

# Words that are both a weekday and a month abbreviation somewhere ("mar" is
# Tuesday in Spanish): a month only when nothing better is on the line.
_WEAK_MONTHS = frozenset(word for lang in languages() for word in lang.header_weak_months)

# Zone abbreviations clients print, with their fixed offsets in minutes; each
# already says whether daylight saving is in force.
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "UT": 0, "WET": 0, "WEZ": 0, "BST": 60, "IST": 330, "WEST": 60,
    "WESZ": 60, "CET": 60, "MEZ": 60, "SEČ": 60, "CEST": 120, "MESZ": 120, "SELČ": 120,
    "EET": 120, "OEZ": 120, "EEST": 180, "OESZ": 180, "MSK": 180, "EAT": 180,
    "GST": 240, "PKT": 300, "NPT": 345, "BDT": 360, "ICT": 420, "WIB": 420,
    "SGT": 480, "PHT": 480, "PHST": 480, "HKT": 480, "AWST": 480, "JST": 540,
    "KST": 540, "ACST": 570, "AEST": 600, "ACDT": 630, "AEDT": 660, "NZST": 720,
    "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420,
    "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
    "ART": -180, "BRT": -180, "CLT": -240, "COT": -300, "PET": -300,
}
# Generic names whose offset depends on the date.
ZONE_REGIONS: dict[str, str] = {
    "PT": "America/Los_Angeles", "ET": "America/New_York",
    "CT": "America/Chicago", "MT": "America/Denver",
}

_ZONE_WORD = re.compile(
    r"(?<![A-Za-zÀ-ž])("
    + "|".join(sorted([*ZONE_OFFSETS, *ZONE_REGIONS], key=len, reverse=True))
    + r")(?![a-zà-ž])"
)
_ZONE_GMT = re.compile(r"\b(?:GMT|UTC)\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?")
_ZONE_NUMERIC = re.compile(r"(?:(?<=\s)|^|(?<=\d))([+\-−])(\d{2}):?(\d{2})\b")


def _marks(part: str) -> str:
    """The signs of a date part in every language that writes "2026年3月10日" or "2026년 3월 10일"."""
    return "|".join(sorted({re.escape(sign) for lang in languages() for sign in lang.date_marks.get(part, ())},
                           key=len, reverse=True))


_ISO_DATE = re.compile(rf"(?<!\d)(\d{{4}})\s*(?:[-/.]|{_marks('year')})\s*(\d{{1,2}})\s*(?:[-/.]|{_marks('month')})"
                       rf"\s*(\d{{1,2}})(?!\d)\s*(?:{_marks('day')})?")
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d:])\.?")
# A two-digit year only counts when no four-digit one is on the line: "09.26.50"
# in "kl. 09.26.50" is a time.
_SHORT_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{2})(?![\d:.])")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_TIME = re.compile(
    r"(?<![\d.])(\d{1,2})(?::|\.|h(?=\d))(\d{2})(?:[:.](\d{2}))?(?!\d)"
    r"(?:\s*([ap])\.?\s*m\b\.?)?",
    re.IGNORECASE,
)
_PM_WORDS = re.compile(r"下午|午後|晚上|오후|\bp\.?\s*m\b", re.IGNORECASE)
_AM_WORDS = re.compile(r"上午|午前|早上|오전|\ba\.?\s*m\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+\.?")
_NUMBER = re.compile(r"(?<![\d:])(\d{1,4})(?![\d:])")


@dataclass(frozen=True)
class LooseDate:
    """A date read from free text: `moment` is naive when no zone was printed."""

    moment: dt.datetime

    @property
    def has_zone(self) -> bool:
        return self.moment.tzinfo is not None


def parse_header_date(value: str | None) -> dt.datetime | None:
    """An RFC 5322 Date header as an aware datetime; a zoneless or "-0000" one counts as UTC."""
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        loose = parse_loose_date(value)
        moment = loose.moment if loose else None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def parse_loose_date(text: str, *, croatian: bool = False, american: bool = False) -> LooseDate | None:
    """The date and time a forward or reply line prints, or None when it holds no full date.

    A numeric date both of whose parts could be the month is read month-first
    when the line prints a negative (American) zone or, printing no zone, when it
    prints AM/PM or `american` says the message holding it was written at a negative
    offset. A positive zone on the line keeps it day-first, AM/PM or not.
    """
    rest = text.replace("\u202f", " ").replace("\xa0", " ")
    rest, zone = _take_zone(rest)
    rest, day_month_year, numeric = _take_numeric_date(rest)
    rest, clock, explicit_ampm = _take_time(rest)
    if day_month_year is None:
        day_month_year = _word_date(rest, CROATIAN_MONTHS if croatian else MONTHS)
    elif numeric is not None:
        # RULES.md: day-first unless the offset of `sent` is negative; a zone on the
        # line is that offset, else the message holding the line gives it.
        month_first = _negative(zone) if zone is not None else (explicit_ampm or american)
        day_month_year = _order_numeric(numeric, month_first=month_first)
    if day_month_year is None:
        return None
    year, month, day = day_month_year
    hour, minute = clock or (0, 0)
    try:
        moment = dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return None
    if isinstance(zone, dt.timezone):
        moment = moment.replace(tzinfo=zone)
    elif isinstance(zone, str):
        local = moment.replace(tzinfo=ZoneInfo(zone))
        moment = moment.replace(tzinfo=dt.timezone(local.utcoffset() or dt.timedelta(0)))
    return LooseDate(moment)


def _negative(zone: dt.timezone | str | None) -> bool:
    if isinstance(zone, dt.timezone):
        return zone.utcoffset(None) < dt.timedelta(0)
    return isinstance(zone, str)  # the generic zone names are all American


def _take_zone(text: str) -> tuple[str, dt.timezone | str | None]:
    """Remove the zone from the text; an IANA name when the offset depends on the date."""
    match = _ZONE_GMT.search(text)
    if match:
        sign = -1 if match.group(1) in "-−" else 1
        minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
        return _cut(text, match), _fixed(sign * minutes)
    match = _ZONE_NUMERIC.search(text)
    if match and int(match.group(2)) <= 14 and int(match.group(3)) < 60:
        sign = -1 if match.group(1) in "-−" else 1
        minutes = int(match.group(2)) * 60 + int(match.group(3))
        return _cut(text, match), _fixed(sign * minutes)
    match = _ZONE_WORD.search(text)
    if match:
        word = match.group(1)
        if word in ZONE_REGIONS:
            return _cut(text, match), ZONE_REGIONS[word]
        return _cut(text, match), _fixed(ZONE_OFFSETS[word])
    return text, None


def _fixed(minutes: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(minutes=minutes))


def _cut(text: str, match: re.Match[str]) -> str:
    return f"{text[:match.start()]} {text[match.end():]}"


def _take_numeric_date(
    text: str,
) -> tuple[str, tuple[int, int, int] | None, tuple[int, int, int] | None]:
    """An ISO/CJK date (settled) or a d/m/y-style one (order still open)."""
    match = _ISO_DATE.search(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _cut(text, match), (year, month, day), None
    match = _NUMERIC_DATE.search(text) or (None if _YEAR.search(text) else _SHORT_NUMERIC_DATE.search(text))
    if match:
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if year < 100:
            year += 2000
        if min(first, second) >= 1 and min(max(first, second), 31) == max(first, second):
            if first <= 12 or second <= 12:
                return _cut(text, match), (0, 0, 0), (first, second, year)
    return text, None, None


def _order_numeric(parts: tuple[int, int, int], *, month_first: bool) -> tuple[int, int, int] | None:
    first, second, year = parts
    if first > 12:
        return year, second, first
    if second > 12:
        return year, first, second
    return (year, first, second) if month_first else (year, second, first)


def _take_time(text: str) -> tuple[str, tuple[int, int] | None, bool]:
    """Remove the time of day; the flag tells whether AM/PM was printed (a US-style line)."""
    for match in _TIME.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour <= 23 and minute <= 59:
            break
    else:
        return text, None, False
    marker = (match.group(4) or "").lower()
    before = text[max(0, match.start() - 4):match.start()]
    pm = marker == "p" or bool(_PM_WORDS.search(before))
    am = marker == "a" or bool(_AM_WORDS.search(before))
    if pm and hour < 12:
        hour += 12
    elif am and hour == 12:
        hour = 0
    return _cut(text, match), (hour, minute), bool(marker)


def _word_date(text: str, months: dict[str, int]) -> tuple[int, int, int] | None:
    """Month word, the day number nearest to it and a four-digit year."""
    tokens: list[tuple[int, str]] = []  # (position, token)
    for match in _WORD.finditer(text):
        tokens.append((match.start(), match.group().lower().rstrip(".")))
    candidates = [
        (word in _WEAK_MONTHS, pos, found)
        for pos, word in tokens
        if (found := months.get(word) or _stem_month(word, months))
    ]
    if not candidates:
        return None
    _, month_pos, month = min(candidates)
    year = 0
    days: list[tuple[int, int]] = []
    for match in _NUMBER.finditer(text):
        value = int(match.group(1))
        if len(match.group(1)) == 4 and 1900 <= value <= 2100 and not year:
            year = value
        elif 1 <= value <= 31 and len(match.group(1)) <= 2:
            days.append((abs(match.start() - month_pos), value))
    if not year or not days:
        return None
    return year, month, min(days)[1]


def _stem_month(word: str, months: dict[str, int]) -> int:
    """Inflected forms the table does not list ("lokakuuta", "październiku")."""
    if len(word) < 5:
        return 0
    stems = _CROATIAN_STEMS if months is CROATIAN_MONTHS else _STEMS
    return stems.get(word[:6]) or stems.get(word[:5]) or 0


def _stems(months: dict[str, int]) -> dict[str, int]:
    stems: dict[str, int] = {}
    for name, month in months.items():
        if len(name) >= 5:
            stems.setdefault(name[:6], month)
            stems.setdefault(name[:5], month)
    return stems


_STEMS = _stems(MONTHS)
_CROATIAN_STEMS = _stems(CROATIAN_MONTHS)
