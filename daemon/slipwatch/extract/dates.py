"""Find and resolve date expressions in vendor mail.

    >>> sent = datetime.datetime(2026, 10, 5, 19, 10, tzinfo=IST)
    >>> [m.when.value(sent) for m in find_dates("UAT build – 20 Nov, 6 PM IST", sent)]
    ['2026-11-20T18:00+05:30']

The contract is RULES.md "Reading dates".  The grammar is a set of
precompiled regular expressions ("recognizers"), one per family of
expressions; each match becomes a *spec* (specs.py) that is resolved against
the local date of ``sent`` and the *role* of the date ("due", "delivered",
"previous").  Overlapping candidates are settled longest-first; then two
dates joined by a dash become a range, "week of" wraps a date, and a time of
day (with its zone) written next to a date or a relative day is attached.

A time alone ("the call at 3pm") is never a date.

Public API: ``When``, ``DateMatch``, ``find_dates``, ``resolve``,
``numeric_order``, ``Duration``, ``find_durations``, ``shift``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace

from . import specs as S
from .specs import DELIVERED, DUE, PREVIOUS, norm_role
from .words import (DATE_MARKS, DAY_WORDS, ERA_OFFSETS, MODIFIERS_AFTER, MONTH_PART_PHRASES, MODIFIERS_BEFORE, MONTHS, NUMBER_WORDS, ORDINALS,
                    RELATIVE_DAYS, RELATIVE_EITHER, UNIT_FILLERS, UNITS, WEAK_MONTHS, WEEK_LABELS, WEEKDAY_ABBR, WEEKDAY_ABBR_ALONE,
                    WEEKDAYS, WORKING, YEAR_WORDS, alternation, trie_regex)
from .zones import NO_ZONE, ZONE_PATTERN, ZONE_WORD, offset_text, zone_of

__all__ = ["When", "DateMatch", "Duration", "find_dates", "resolve", "numeric_order",
           "find_durations", "shift", "time_of_day", "DUE", "DELIVERED", "PREVIOUS"]


# ==========================================================================
# Results
# ==========================================================================

@dataclass(frozen=True)
class When:
    """A resolved date, maybe with a time of day and the zone it is in."""

    date: dt.date
    time: dt.time | None = None
    tz: dt.tzinfo | None = None  # None: the offset of ``sent`` applies

    def value(self, sent: dt.datetime) -> str:
        """RULES.md form: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM+HH:MM``."""
        if self.time is None:
            return self.date.isoformat()
        if self.tz is None:
            off = sent.utcoffset() or dt.timedelta(0)
        else:
            off = dt.datetime.combine(self.date, self.time, self.tz).utcoffset() or dt.timedelta(0)
        return f"{self.date.isoformat()}T{self.time.hour:02d}:{self.time.minute:02d}{offset_text(off)}"

    def datetime(self, sent: dt.datetime) -> dt.datetime:
        """An aware datetime (midnight in sent's zone for a plain date)."""
        if self.time is None:
            return dt.datetime.combine(self.date, dt.time(0), sent.tzinfo)
        return dt.datetime.combine(self.date, self.time, self.tz or sent.tzinfo)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    when: When
    kind: str  # absolute, numeric, weekday, relative, week, month_part, quarter,
    #            quarter_bare, range, day_of_month
    spec: S.Spec = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    range_from: When | None = None  # first day of a range

    def value(self, sent: dt.datetime) -> str:
        return self.when.value(sent)


def resolve(match: DateMatch, sent: dt.datetime, role: str) -> DateMatch:
    """Re-read ``match`` under another role ("due", "delivered", "previous")."""
    role = norm_role(role)
    ref = sent.date()
    d = match.spec.resolve(ref, role)
    if d is None:
        return match
    first = None
    if isinstance(match.spec, S.Range):
        f = match.spec.resolve_first(ref, role)
        first = When(f) if f else None
    return replace(match, when=replace(match.when, date=d), range_from=first)


# ==========================================================================
# Vocabulary regexes
# ==========================================================================

_B = r"(?<![\w])"   # word start
_E = r"(?![\w])"    # word end

MON = trie_regex(MONTHS)
WD_FULL = trie_regex(WEEKDAYS)
WD_ANY = trie_regex(list(WEEKDAYS) + list(WEEKDAY_ABBR))
REL = trie_regex([*RELATIVE_DAYS, *RELATIVE_EITHER])
NUMW = trie_regex(NUMBER_WORDS)

_ORD_SUFFIX = r"(?:st|nd|rd|th|er|e|º|°|ª|o|a)?"
_YEAR4 = r"(?:19[7-9]\d|20\d\d)"
# A year after a month word may count from another era (Thai 2569 is 2026): the decades of every era the
# registry names, read by _year.
_YEAR_ERA = "(?:" + "|".join(["19[7-9]\\d", "20\\d\\d"] + sorted(
    {f"{decade}\\d" for offset in ERA_OFFSETS for decade in range((S.MIN_YEAR + offset) // 10,
                                                                 (S.MAX_YEAR + offset) // 10 + 1)})) + ")"

# An optional weekday in front of a date: "Friday, ", "Thu ", "sex, ", "w środę ".
_WD_PREFIX = (r"(?:(?P<wd>" + WD_ANY + r")\.?,?\s+(?:(?:the|den|le|el|o|il|de|der)\s+)?)?")


def _month(word: str | None) -> int | None:
    if not word:
        return None
    return MONTHS.get(" ".join(word.lower().rstrip(".").split()))  # "tháng  3" is "tháng 3"


def _weekday(word: str | None) -> int | None:
    if not word:
        return None
    w = word.lower().rstrip(".")
    return WEEKDAYS.get(w, WEEKDAY_ABBR.get(w))


def _year(text: str | None) -> int | None:
    if not text:
        return None
    t = text.lstrip("'’")
    y = int(t)
    if len(t) == 2:
        y += 2000
    if not S.MIN_YEAR <= y <= S.MAX_YEAR:
        y = next((y - offset for offset in ERA_OFFSETS if S.MIN_YEAR <= y - offset <= S.MAX_YEAR), y)
    return y if S.MIN_YEAR <= y <= S.MAX_YEAR else -1


# Digits of other scripts ("١٥", "१०", "๑๐") read as ASCII ones, one character for one so that every
# position found in the text stays where it was.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit of another script written as its ASCII digit."""
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), text)


# ==========================================================================
# Candidates
# ==========================================================================

@dataclass
class _Cand:
    start: int
    end: int
    spec: S.Spec
    kind: str
    time: dt.time | None = None
    tz: dt.tzinfo | None = None
    first: S.Spec | None = None


# (regex, handler, anchors): a regex is only tried where a token of its
# anchor set starts ("NUM" any number, "MON" a month word, "WD" a weekday
# word, else literal lower-case words), which keeps find_dates fast.
_RECOGNIZERS: list[list] = []


def _rec(pattern: str, flags: int = re.I, anchors: str | None = None):
    rx = re.compile(pattern, flags)

    def deco(fn):
        _RECOGNIZERS.append([rx, fn, anchors])
        return fn
    return deco


def _weak_ok(word: str, strong_context: bool) -> bool:
    """A weak month word ("may", "set", "out") needs capitals or context."""
    w = word.lower().rstrip(".")
    if w not in WEAK_MONTHS:
        return True
    return strong_context or word[0].isupper()


# -- month names -----------------------------------------------------------

# "5 December 2026", "5th of Dec", "5. Dezember", "5 de diciembre de 2026",
# "09-Oct-2026", "27/Nov/26", "sexta-feira, 23 de outubro", "w środę 28 października"
_DAY_MONTH = (
    _B + _WD_PREFIX +
    r"(?P<d>[0-3]?\d)" + _ORD_SUFFIX + r"\.?"
    # "09-Oct", never "17 - Dec": a spaced dash joins two dates ("Nov 17 - Dec 1")
    r"(?P<sep>[-/]|\s+(?:of|de|del|di|du)\s+|\s*)"
    r"(?P<mon>" + MON + r")\.?" + _E +
    r"(?:(?P<ysep>,\s*|\s+(?:" + alternation(YEAR_WORDS) + r"\s+)?)(?P<y>" + _YEAR_ERA + r")(?![\d:])"
    r"|[-/](?P<y2>\d{2}|" + _YEAR4 + r")(?!\d)"
    r"|\s+(?P<y3>['’]\d{2})(?!\d))?"
)


@_rec(_DAY_MONTH)
def _h_day_month(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    mon = m.group("mon")
    # a day with its ordinal's full stop is a date's grammar: "den 7. maj", "7. mars"
    strong = bool(m.group("y") or m.group("y2") or m.group("y3") or m.group("wd")
                  or m.group("sep").strip() or "." in ctx.text[m.end("d"):m.start("sep")]) \
        or _dated_before(ctx.text, m.start())
    if not _weak_ok(mon, strong):
        return None
    if not m.group("sep") and not m.group("d")[-1:].isdigit():
        return None
    day = int(m.group("d"))
    year = _year(m.group("y") or m.group("y2") or m.group("y3"))
    if year == -1:
        return None
    spec = S.MonthDay(_month(mon), day, year, _weekday(m.group("wd")))
    if S.safe_date(year or 2024, spec.month, day) is None:
        return None
    return _Cand(m.start(), m.end(), spec, "absolute")


# "Dec 5", "December 5th", "Dec. 5, 2026", "Friday, Nov 6", "Oct 23, 2026"; a wrapped line may part
# them, a sentence's end and a line break may not ("by 8 May.⏎⏎3. WP3"); nor is an hour the day ("5 Dec 18:00")
_MONTH_DAY = (
    _B + _WD_PREFIX +
    r"(?P<mon>" + MON + r")(?:\.[^\S\n]*|[^\S\n]*\n?[^\S\n]*)(?:the\s+)?"
    r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d])(?![.,:]\d)"
    r"(?:(?:,\s*|\s+)(?P<y>" + _YEAR4 + r")(?![\d:]))?"
)


@_rec(_MONTH_DAY)
def _h_month_day(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    mon = m.group("mon")
    if not _weak_ok(mon, bool(m.group("y") or m.group("wd"))):
        return None
    tail = ctx.text[m.end():m.end() + 6]
    if re.match(r"\s*(?:%|[ap]\.?m\b|h\b|hrs|hours|days|weeks|pm|mm|kg)", tail, re.I) and not m.group("y"):
        return None
    day = int(m.group("d"))
    year = _year(m.group("y"))
    if year == -1 or day == 0:
        return None
    spec = S.MonthDay(_month(mon), day, year, _weekday(m.group("wd")))
    if S.safe_date(year or 2024, spec.month, day) is None:
        return None
    return _Cand(m.start(), m.end(), spec, "absolute")


# "Apr-20", "Jul-10", "Mar-3": a factory schedule's month and day. Two digits after the month are a year
# ("Apr-26", Excel's mmm-yy) when they are the year of the mail or the next one.
@_rec(_B + r"(?P<mon>" + MON + r")-(?P<d>[0-3]?\d)(?![\w-]|[.,:/]\d)")
def _h_month_dash_day(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    mon = m.group("mon")
    if not mon[0].isupper() or len(mon) > 4:
        return None  # "Apr-20" as a cell writes it, not a word of the text
    day = int(m.group("d"))
    if day == 0 or S.safe_date(2024, _month(mon), day) is None or len(m.group("d")) == 2 and ctx.year_digits(day):
        return None
    return _Cand(m.start(), m.end(), S.MonthDay(_month(mon), day), "absolute")


# Year first: Hungarian "2026. március 10." (a suffix may follow the day: "10-ig").
@_rec(_B + r"(?P<y>" + _YEAR_ERA + r")\.?,?\s*(?P<mon>" + MON + r")\.?\s*(?P<d>[0-3]?\d)\.?(?!\d|[.,:]\d)",
      anchors="NUM4")
def _h_year_month_day(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    if not _weak_ok(m.group("mon"), False):
        return None
    spec = S.MonthDay(_month(m.group("mon")), int(m.group("d")), _year(m.group("y")))
    if S.safe_date(spec.year, spec.month, spec.day) is None:
        return None
    return _Cand(m.start(), m.end(), spec, "absolute")


def _signs(part: str) -> str:
    return "[" + "".join(re.escape(sign) for sign in sorted(DATE_MARKS[part])) + "]"


# Chinese, Japanese and Korean: "2026年3月10日", "3月10日", "2026년 3월 10일". Those
# scripts need no blank between a word and a number, so no word boundary is asked.
@_rec(r"(?<!\d)(?:(?P<y>" + _YEAR_ERA + r")\s*" + _signs("year") + r"\s*)?(?P<m>1[0-2]|0?[1-9])\s*"
      + _signs("month") + r"\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*" + _signs("day")
      # its weekday belongs to it: "12月15日（月）", "3月10日(화)"
      + r"(?:\s*[(（]\s*(?:" + WD_ANY + "|" + _signs("weekday") + r")\s*[)）])?", anchors="NUM NUM4")
def _h_cjk_date(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    year = _year(m.group("y"))
    spec = S.MonthDay(int(m.group("m")), int(m.group("d")), year)
    if S.safe_date(year or 2024, spec.month, spec.day) is None:
        return None
    return _Cand(m.start(), m.end(), spec, "absolute")


_MONTH_PARTS = {word: part for part in ("start", "mid", "end") for word in DATE_MARKS["month_" + part]}


# A part of a month in those scripts: "10 月中旬" (mid-October), "2028年7月末" (end of July), "5월 중순"
@_rec(r"(?<!\d)(?:(?P<y>" + _YEAR_ERA + r")\s*" + _signs("year") + r"\s*)?(?P<m>1[0-2]|0?[1-9])\s*"
      + _signs("month") + r"\s*(?P<part>" + alternation(_MONTH_PARTS) + r")", anchors="NUM NUM4")
def _h_cjk_month_part(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    year = _year(m.group("y"))
    return _Cand(m.start(), m.end(), S.MonthPart(int(m.group("m")), _MONTH_PARTS[m.group("part")], year),
                 "month_part")


# ranges written with one month: "19–23 October", "2-4 Nov 2026", "8.–12. Dezember"
_DASH = r"\s*(?:-|–|—|to|till|until|through|thru|bis|au|al|a|à|do|tot|t/m)\s*"


@_rec(_B + r"(?P<d1>[0-3]?\d)" + _ORD_SUFFIX + r"\.?" + _DASH +
      r"(?P<d2>[0-3]?\d)" + _ORD_SUFFIX + r"\.?\s*(?:of\s+|de\s+|del\s+)?(?P<mon>" + MON + r")\.?" + _E +
      r"(?:(?:,\s*|\s+(?:de\s+)?)(?P<y>" + _YEAR4 + r")(?![\d:]))?")
def _h_days_month(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _day_range(m, ctx)


@_rec(_B + r"(?P<mon>" + MON + r")\.?\s*(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?" + _DASH +
      r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?![\d])(?![.,:]\d)"
      r"(?:(?:,\s*|\s+)(?P<y>" + _YEAR4 + r")(?![\d:]))?")
def _h_month_days(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _day_range(m, ctx)


def _day_range(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    mon = m.group("mon")
    # two days joined by a word, or opened by one, are a date's grammar: "du 14 au 21 mai", "from 3-7 mars"
    joined = ctx.text[m.end("d1"):m.start("d2")]
    strong = bool(m.group("y")) or any(c.isalpha() for c in joined) \
        or bool(_RANGE_OPEN_RE.search(ctx.text, max(0, m.start() - 10), m.start())) or _dated_before(ctx.text, m.start())
    if not _weak_ok(mon, strong):
        return None
    d1, d2 = int(m.group("d1")), int(m.group("d2"))
    if not (1 <= d1 < d2 <= 31):
        return None
    year = _year(m.group("y"))
    if year == -1:
        return None
    month = _month(mon)
    if S.safe_date(year or 2024, month, d2) is None:
        return None
    first = S.MonthDay(month, d1, year)
    return _Cand(m.start(), m.end(), S.Range(first, S.MonthDay(month, d2, year)),
                 "range", first=first)


# -- numeric ---------------------------------------------------------------

_ISO = (_B + r"(?<![.:/+\-])(?P<y>" + _YEAR4 + r")(?P<s>[-/.])(?P<m>[01]?\d)(?P=s)(?P<d>[0-3]?\d)"
        r"(?:T(?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::\d\d(?:\.\d+)?)?(?P<z>Z|[+\-]\d\d:?\d\d)?)?"
        r"(?![\w\-/]|\.\d)")


@_rec(_ISO)
def _h_iso(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    d = S.safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if d is None:
        return None
    c = _Cand(m.start(), m.end(), S.Fixed(d), "absolute")
    if m.group("H"):
        c.time = dt.time(int(m.group("H")), int(m.group("M")))
        z = m.group("z")
        if z:
            from .zones import parse_offset
            c.tz = dt.timezone.utc if z == "Z" else parse_offset(z)
    return c


# Words in front of / after a number pair that make it anything but a date.
_NUM_BEFORE_BAD = re.compile(
    r"(?<![\w])(?:version|ver|release|build|v|rev|revision|chapter|ch|section|sec|page|pages|pp|p|"
    r"no|nr|number|item|items|table|figure|fig|step|clause|art|article|iso|din|"
    r"iec|wcag|aql|size|ratio|scale|score|rating|tel|phone|fax|mobile|room|vol|vols|"
    r"volume|issue|po|invoice|ref|rfc|ip|python|java|node|ios|android|macos|windows|"
    r"usd|eur|gbp|inr|chf)\.?\s*[#:]?\s*$",
    re.I)
# in front of "10.30" these make it a time of day
_NUM_BEFORE_TIME = re.compile(
    r"(?:(?<![\w])(?:at|um|alle|ore|à|a\s+las|om|godz|dalle|de|from|von|ab|bis|till|until)\.?"
    r"|(?<!\d)(?:[01]?\d|2[0-3])[.:][0-5]\d\s*(?:to|-|–|—|a|bis|until|till))\s*$", re.I)
_NUM_AFTER_BAD = re.compile(
    r"\s*(?:%|percent|mm|cm|km|kg|pt|pts|px|gb|mb|kb|tb|ms|x\b|usd|eur|€|\$|h\b|hrs|"
    r"hours|uhr|am\b|pm\b|a\.m|p\.m|days|weeks|tests?\b|titles|pages|pp\b|agents|points|"
    r"stars|passed|done|complete|of\b|split|scale|rating|score|cet|cest|ist|gmt|utc|"
    r"[ecmp][sd]?t\b)", re.I)

_NUMERIC = (
    # a hyphen before a number is no date's, but the Hebrew prepositions joined by one are: "ב-3.9.2026"
    _B + r"(?<![.,/:$€£¥₹#])(?:(?<!-)|(?<=(?<!\w)[\u05d0-\u05ea]-))(?<!\d[.,]\s)" + _WD_PREFIX +
    r"(?P<a>[0-3]?\d)(?P<s>[/.])(?P<b>[0-3]?\d)"
    r"(?:(?P=s)(?P<y>" + _YEAR4 + r"|\d\d)(?![\d/]|[.,]\d)(?!\.\d)|(?P<dot>\.)(?![\d])|(?![\d/]|[.,]\d))"
)
_NUMERIC_RE = re.compile(_NUMERIC, re.I)
# "3. 10. 2025": the Czech and Slovak way, a space after each full stop; with its year only
_NUMERIC_SPACED = (
    _B + r"(?<![.,/:\-])(?<!\d[.,]\s)" + _WD_PREFIX +
    r"(?P<a>[0-3]?\d)(?P<s>\.)[ \u00a0](?P<b>[01]?\d)\.[ \u00a0]?(?P<y>" + _YEAR4 + r")(?![\d.]\d)")
_DIGITS_RE = re.compile(r"\d+")
# "05-12-2026", "5-12-26"? only with a 4-digit year
_NUMERIC_DASH_RE = re.compile(
    _B + r"(?<![.,/:\-])(?<!\d-)" + _WD_PREFIX +
    r"(?P<a>[0-3]?\d)(?P<s>-)(?P<b>[01]?\d)-(?P<y>" + _YEAR4 + r")(?![\d\-])", re.I)


_TIME_NEXT = re.compile(r"\s*(?:at\s+)?(?:noon|midday|eod|cob|[01]?\d(?::\d\d)?\s*[ap]\.?m\b|[01]?\d:\d\d)", re.I)
_SHORT_NUM_CONTEXT = re.compile(
    r"(?:(?<![\w])(?:on|by|until|till|before|after|from|to|for|due|eta|etd|date|was|is|now|at|"
    r"el|la|le|du|au|al|am|bis|vom|zum|em|para|até|ate|dia|do|od|na|entro|il|per|tot|op|van)"
    r"|[:(\[|–—-])\s*$", re.I)


def _dated_before(text: str, start: int) -> bool:
    """Whether the words before `start` announce a date: "au plus tard le 15 mai", "by 3 may"."""
    return bool(_SHORT_NUM_CONTEXT.search(text, max(0, start - 12), start))


def _numeric_parts(m: re.Match[str], text: str) -> tuple[int, int, int | None] | None:
    """(a, b, year) of a numeric date match, or None when it is no date."""
    a_s, b_s = m.group("a"), m.group("b")
    a, b = int(a_s), int(b_s)
    y_s = m.group("y")
    before = text[max(0, m.start("a") - 12):m.start("a")]
    if not m.group("wd") and _NUM_BEFORE_BAD.search(before):
        return None
    if m.group("s") == "." and not y_s and not m.group("wd") and _NUM_BEFORE_TIME.search(before) \
            and int(a_s) <= 23 and int(b_s) <= 59:
        return None  # "10.30 to 11.30"; "16.02–27.02" is no time range
    if m.group("s") == "." and not y_s and int(b_s) > 12 >= int(a_s):
        return None  # dots put the day first: "4.13" is a version, not April 13
    if not y_s:
        after = text[m.end():m.end() + 10]
        if _NUM_AFTER_BAD.match(after):
            return None
        if (a, b) == (24, 7) or (a, b) == (7, 24):
            return None
        if m.group("s") == "." and not m.group("dot"):
            # "16.10" reads as a date only with two-digit parts ("2.5" is a decimal)
            if len(a_s) != 2 or len(b_s) != 2:
                return None
        if m.group("s") == "." and m.group("dot") and len(a_s) == 1 and len(b_s) == 1:
            return None
        if len(a_s) == 1 and len(b_s) == 1 and not m.group("wd"):
            # "Pixel 8/9", "1/2 day": a bare d/d needs a date-ish word before it or a time after it
            if not _SHORT_NUM_CONTEXT.search(before) and not _TIME_NEXT.match(text, m.end()):
                return None
    year = _year(y_s) if y_s else None
    if year == -1:
        return None
    if a == 0 or b == 0 or (a > 12 and b > 12) or a > 31 or b > 31:
        return None
    return a, b, year


@_rec(_NUMERIC)
def _h_numeric(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    parts = _numeric_parts(m, ctx.text)
    if parts is None:
        return None
    a, b, year = parts
    spec = S.Numeric(a, b, year, _weekday(m.group("wd")), ctx.day_first)
    mon, day = spec.order()
    if S.safe_date(year or 2024, mon, day) is None:
        return None
    end = m.end()
    if m.groupdict().get("dot") and m.group("s") != ".":
        end -= 1  # "27/11." ends a sentence
    return _Cand(m.start(), end, spec, "numeric")


@_rec(_NUMERIC_DASH_RE.pattern)
def _h_numeric_dash(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _h_numeric(m, ctx)


@_rec(_NUMERIC_SPACED)
def _h_numeric_spaced(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _h_numeric(m, ctx)


# -- relative days ---------------------------------------------------------

@_rec(_B + r"(?P<rel>" + REL + r")" + _E + r"(?:['’]s)?")
def _h_relative(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    word = re.sub(r"\s+", " ", m.group("rel").lower()).replace("’", "'")
    before = ctx.text[max(0, m.start() - 12):m.start()].lower()
    if word in ("morgen",) and re.search(r"(?:guten|am|heute|jeden|diesen|den|dem|einen|goede|gisteren|vanochtend)\s+$", before):
        return None
    if word in ("mañana", "manana") and re.search(r"(?:la|de|por|esta|cada)\s+$", before):
        return None
    if word == "hier" and not _looks_french(ctx.text, m.start()):
        return None
    if word in ("tonight",) and re.search(r"\b(?:last)\s+$", before):
        return None
    if word in RELATIVE_EITHER:
        return _Cand(m.start(), m.end(), S.Offset(RELATIVE_EITHER[word], either=True), "relative")
    days = RELATIVE_DAYS.get(word)
    if days is None:
        return None
    return _Cand(m.start(), m.end(), S.Offset(days), "relative")


_FR_WORDS = re.compile(r"\b(?:le|la|les|des|est|été|nous|vous|avons|a|au|du|et|pour|livr\w*|envoy\w*)\b", re.I)
_NOT_FR_WORDS = re.compile(r"\b(?:ist|der|die|das|und|wir|sind|is|de|het|een|we|zijn|bitte|kann)\b", re.I)


def _looks_french(text: str, pos: int) -> bool:
    window = text[max(0, pos - 80):pos + 60]
    return len(_FR_WORDS.findall(window)) > len(_NOT_FR_WORDS.findall(window))


# "in 3 working days", "within two weeks", "in 5 Werktagen", "dans 3 jours ouvrés"
_UNIT = trie_regex(UNITS)  # day, working day, week and month words
_WORKING = trie_regex(WORKING | UNIT_FILLERS)  # "working", "business", "more", "ouvrés"...
_NUM = r"(?P<n>\d{1,3}|" + NUMW + r")"

_IN_N = (
    _B + r"(?:in|within|after|en|dentro\s+de|em|daqui\s+a|dans|sous|za|tra|fra|entro|over|"
    r"binnen|innerhalb\s+von|in\s+den\s+n[äa]chsten|nas\s+pr[óo]ximas|w\s+ci[aą]gu)\s+"
    r"(?:the\s+next\s+|the\s+coming\s+|another\s+|los\s+pr[óo]ximos\s+|les\s+)?" + _NUM +
    r"\s+(?:(?P<w1>" + _WORKING + r")\s+)?(?:(?P<w1b>" + _WORKING + r")\s+)?"
    r"(?P<unit>" + _UNIT + r")" + _E +
    r"(?:\s+(?P<w2>" + _WORKING + r"))?"
    r"(?:\s+(?:from\s+(?:now|today)))?"
)


def _num_value(word: str) -> int | None:
    w = re.sub(r"\s+", " ", word.lower())
    if w.isdigit():
        return int(w)
    return NUMBER_WORDS.get(w)


def _unit_kind(unit: str) -> str:
    """"day", "workday", "week" or "month"."""
    return UNITS[unit.lower()]


def _working(*qualifiers: str | None) -> bool:
    """Whether a qualifier around a unit makes it working days ("3 business days")."""
    return any(q and q.lower() in WORKING for q in qualifiers)


@_rec(_IN_N)
def _h_in_n(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    n = _num_value(m.group("n"))
    if n is None or n > 400:
        return None
    lead = m.group(0).split()[0].lower()
    if lead == "after":
        # "after 3 days" counts from an event, unless "after" opens the phrase
        return None
    unit = _unit_kind(m.group("unit"))
    working = unit == "workday" or _working(m.group("w1"), m.group("w1b"), m.group("w2"))
    return _Cand(m.start(), m.end(), _later_by(unit, n, working), "relative")


def _later_by(unit: str, n: int, working: bool) -> S.Spec:
    """N days (working days skip weekends), weeks or months after the sent date."""
    if unit in ("day", "workday"):
        return S.Offset(n, working)
    if unit == "week":
        return S.Offset(7 * n)
    return S.MonthsAhead(n)


# "3 days from now", "a week from today", "two weeks from Monday"? (only now/today)
@_rec(_B + _NUM + r"\s+(?:(?P<w1>" + _WORKING + r")\s+)?(?P<unit>" + _UNIT + r")\s+from\s+(?:now|today)" + _E)
def _h_from_now(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    n = _num_value(m.group("n"))
    if n is None:
        return None
    unit = _unit_kind(m.group("unit"))
    working = _working(m.group("w1"))
    return _Cand(m.start(), m.end(), _later_by(unit, n, working), "relative")


# -- weekdays --------------------------------------------------------------

_MOD_BEFORE = MODIFIERS_BEFORE
_MOD_AFTER = MODIFIERS_AFTER
_MOD_B = alternation(_MOD_BEFORE)
_MOD_A = alternation(_MOD_AFTER)
_WD_STANDALONE = alternation(list(WEEKDAYS) + list(WEEKDAY_ABBR_ALONE))


_PT_ORDINAL_DAYS = {"segunda", "terça", "terca", "quarta", "quinta", "sexta"}
_PT_DAY_BEFORE = re.compile(r"(?<![\w])(?:na|no|até|ate|desde|nesta|esta|próxima|proxima|"
                            r"pela|pra|para\s+a|de|à|a)\s+$", re.I)


# A number after a weekday is its day ("Friday 13"), unless it is a time ("Thursday 17:00", "Friday 5 PM").
_NOT_TIME_AFTER = r"(?!\s*\d(?!\d?\s*(?:[:.h]\d\d|[ap]\.?\s?m\b|uhr\b|h\b)))"


@_rec(_B + r"(?:(?P<mod>" + _MOD_B + r")\s+)?(?P<wd>" + _WD_STANDALONE + r")" + _E +
      _NOT_TIME_AFTER + r"(?:['’]s)?(?:\s+(?P<post>" + _MOD_A + r")" + _E + ")?")
def _h_weekday(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    word = m.group("wd")
    w = word.lower()
    if w in WEEKDAY_ABBR_ALONE and w not in WEEKDAYS:
        if not word[0].isupper():
            return None
    before = ctx.text[max(0, m.start() - 12):m.start()].lower()
    if re.search(r"(?:every|each|jeden|jede|chaque|cada|ogni|elke|co|todos\s+los|todas\s+as)\s+$", before):
        return None
    if re.match(r"[-–]\s*(?:" + _WD_STANDALONE + r")", ctx.text[m.end():m.end() + 14], re.I) or \
            re.search(r"(?:" + _WD_STANDALONE + r")\s*[-–]\s*$", before, re.I):
        return None  # "Sunday–Thursday working calendar"
    if w in _PT_ORDINAL_DAYS and not ctx.text[m.end("wd"):m.end("wd") + 6].lower().startswith("-feira"):
        # "quarta capa", "segunda vez": Portuguese ordinals unless clearly a day
        if not (m.group("mod") or m.group("post") or _PT_DAY_BEFORE.search(before)):
            return None
    mod = None
    if m.group("mod"):
        mod = _MOD_BEFORE.get(re.sub(r"\s+", " ", m.group("mod").lower()))
    if m.group("post"):
        mod = _MOD_AFTER.get(re.sub(r"\s+", " ", m.group("post").lower()), mod)
    if mod == "this" and m.group("post") and "week" in m.group("post").lower():
        mod = "week0"
    spec = S.Weekday(_weekday(word), mod if mod != "this" else None)
    if mod == "week0":
        spec = S.Weekday(_weekday(word), "week0")
    return _Cand(m.start(), m.end(), spec, "weekday")


# "Wed 25th", "lunes 26", "Friday the 13th", "Thursday 29th"
@_rec(_B + r"(?P<wd>" + WD_ANY + r")\.?,?\s+(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th|º)?(?![\w:/]|[.,]\d)")
def _h_weekday_day(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    word = m.group("wd")
    w = word.lower().rstrip(".")
    if w not in WEEKDAYS and not (w in WEEKDAY_ABBR_ALONE and word[0].isupper()):
        return None
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return None
    if re.match(r"\s*(?:[ap]\.?m\b|h\b|uhr|hrs|hours|[:.]\d|%|-\s*\d)", ctx.text[m.end():m.end() + 8], re.I):
        return None
    return _Cand(m.start(), m.end(), S.DayOfMonth(day, _weekday(word)), "day_of_month")


# "by the 3rd", "on the 8th", "the 23rd?"
@_rec(_B + r"(?:(?P<prep>by|on|until|till|before|from|for|to|after|since|around|due|ETA)\s+)?"
      r"the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)" + _E)
def _h_the_nth(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return None
    nxt = ctx.text[m.end():m.end() + 12]
    if not m.group("prep") and not re.match(
            r"\s*(?:$|[.,;:!?)\]–—-]|(?:and|or|at|by|in|instead|as|if|so|but|then|latest|EOD|COB|noon)\b|\d)",
            nxt, re.I):
        return None
    if re.match(r"\s+(?:floor|time|century|anniversary|edition|round|batch|iteration|sprint|place|"
                r"row|line|item|step|version|release|day|week|percentile|attempt|of\s+(?:the|our|this|a))\b",
                nxt, re.I):
        return None
    start = m.start("prep") if m.group("prep") else m.start()
    return _Cand(m.start(), m.end(), S.DayOfMonth(day), "day_of_month") if start is not None else None


# "no dia 15", "el día 15", "tanggal 15": the registry's day words before a bare day of the month (a month
# after it makes a whole date, which the month handlers read)
@_rec(_B + r"(?:" + (alternation(DAY_WORDS) if DAY_WORDS else r"(?!)") + r")\s+(?P<d>[0-3]?\d)(?:º|°)?"
      r"(?![\w:/%]|[.,]\d)")
def _h_day_word(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    day = int(m.group("d"))
    if not 1 <= day <= 31 or _MONTH_NEXT.match(ctx.text, m.end()):
        return None
    return _Cand(m.start(), m.end(), S.DayOfMonth(day), "day_of_month")


_MONTH_NEXT = re.compile(r"\.?\s*(?:(?:" + alternation(YEAR_WORDS) + r")\s+)?" + MON + _E, re.I)


# -- weeks -----------------------------------------------------------------

_NEXT = r"(?:next|following|the\s+following|coming|the\s+next)"
_END = r"(?:end|close)"


@_rec(_B + r"(?:(?:the\s+)?(?:" + _END + r")\s+of\s+(?:the\s+|this\s+|(?P<next>" + _NEXT + r")\s+)?"
      r"(?:work(?:ing)?\s*)?week|(?-i:EOW)|end-of-(?:the-)?week)" + _E)
def _h_end_of_week(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _Cand(m.start(), m.end(), S.WeekEnd(1 if m.group("next") else 0), "week")


_EOW_FOREIGN = [
    (r"ende\s+(?:der|dieser)\s+woche|(?:zum\s+)?wochenende\s+hin", 0),
    (r"ende\s+(?:der\s+)?(?:n[äa]chsten|kommenden)\s+woche|ende\s+n[äa]chster\s+woche", 1),
    (r"fin\s+de\s+(?:la\s+|cette\s+)?semaine(?!\s+prochaine)", 0),
    (r"fin\s+de\s+la\s+semaine\s+prochaine", 1),
    (r"(?:a\s+)?final(?:es)?\s+de\s+(?:esta|la)\s+semana(?!\s+que\s+viene|\s+pr[óo]xima)", 0),
    (r"(?:a\s+)?final(?:es)?\s+de\s+la\s+(?:pr[óo]xima\s+semana|semana\s+que\s+viene)", 1),
    (r"f(?:im|inal)\s+d(?:a|esta)\s+semana(?!\s+que\s+vem)", 0),
    (r"f(?:im|inal)\s+da\s+(?:pr[óo]xima\s+semana|semana\s+que\s+vem)", 1),
    (r"ko(?:niec|ńca|nca|ńcem)\s+(?:tego\s+)?tygodnia", 0),
    (r"ko(?:niec|ńca|nca|ńcem)\s+(?:przysz[łl]ego|nast[ęe]pnego)\s+tygodnia", 1),
    (r"fine\s+(?:della\s+|di\s+questa\s+)?settimana", 0),
    (r"fine\s+della\s+prossima\s+settimana|fine\s+settimana\s+prossima", 1),
    (r"eind\s+van\s+(?:de|deze)\s+week", 0),
    (r"eind\s+(?:van\s+)?volgende\s+week", 1),
]
for _pat, _wk in _EOW_FOREIGN:
    def _mk(wk: int):
        def h(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
            return _Cand(m.start(), m.end(), S.WeekEnd(wk), "week")
        return h
    _anch = "ende zum wochenende"
    for _k, _v in (("(?:a", "a final finales"), ("f(?:im", "fim final"), ("fine", "fine"),
                   ("fin", "fin"), ("ko(?:niec", "koniec końca konca końcem"), ("eind", "eind")):
        if _pat.startswith(_k):
            _anch = _v
            break
    _rec(_B + r"(?:" + _pat + r")" + _E, anchors=_anch)(_mk(_wk))


# "<weekday> next week", "next week <weekday>", "Friday of next week": handled in
# _h_weekday via _MOD_AFTER; "next week Friday":
@_rec(_B + r"(?P<which>next|this)\s+week(?:['’]s)?\s+(?P<wd>" + WD_FULL + r")" + _E)
def _h_next_week_wd(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    mod = "next" if m.group("which").lower() == "next" else "week0"
    return _Cand(m.start(), m.end(), S.Weekday(_weekday(m.group("wd")), mod), "weekday")


# ISO weeks: "Wk 49", "CW50", "KW 50/2026", "week 50", "semana 50", "hafta 50", "minggu ke-50", "S50", "2026-W50"
@_rec(_B + r"(?:(?:ISO[\s-]+)?(?:" + trie_regex(WEEK_LABELS) + r")\s*\.?\s*(?:no\.?\s*|nr\.?\s*|#\s*)?|(?-i:W|S(?=\d\d)))"
      r"(?P<w>\d{1,2})(?![\w]|[.,:]\d|\s*%)"
      r"(?:(?:\s*/\s*|\s*,\s*|\s+of\s+|\s*-\s*|\s+)(?P<y>" + _YEAR4 + r"|(?<=/)\d\d)(?![\d:]))?")
def _h_iso_week(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    w = int(m.group("w"))
    if not 1 <= w <= 53:
        return None
    nxt = ctx.text[m.end():m.end() + 14]
    if not m.group("y") and re.match(r"\s+of\s+(?!\d)", nxt, re.I):
        return None  # "week 3 of the transition"
    before = ctx.text[max(0, m.start() - 10):m.start()]
    if re.search(r"(?:\d|\d\s|per|a|every|each|for|last)\s*$", before, re.I) and \
            m.group(0)[:1].lower() == "w" and re.search(r"\d\s*$", before):
        return None
    year = _year(m.group("y"))
    if year == -1:
        return None
    return _Cand(m.start(), m.end(), S.IsoWeek(w, year), "week")


@_rec(_B + r"(?P<y>" + _YEAR4 + r")-?W(?P<w>\d\d)(?:-?\d)?" + _E, 0)
def _h_iso_week2(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    w = int(m.group("w"))
    if not 1 <= w <= 53:
        return None
    return _Cand(m.start(), m.end(), S.IsoWeek(w, int(m.group("y"))), "week")


# "first/second/last week of January (2027)", "segunda semana de enero",
# "deuxième semaine de janvier", "zweite Woche im Januar"
_ORDW = alternation(ORDINALS)


@_rec(_B + r"(?:the\s+|la\s+|a\s+|die\s+|der\s+)?(?P<ord>" + _ORDW + r")\s+"
      r"(?:week|semana|semaine|woche|settimana)\s+(?:of|in|de|do|di|im|des|del)\s+(?:the\s+month\s+of\s+)?"
      r"(?P<mon>" + MON + r")\.?" + _E +
      r"(?:(?:,\s*|\s+(?:de\s+|of\s+)?)(?P<y>" + _YEAR4 + r")(?![\d:]))?")
def _h_nth_week(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    n = ORDINALS.get(m.group("ord").lower())
    if n is None or not _weak_ok(m.group("mon"), True):
        return None
    year = _year(m.group("y"))
    if year == -1:
        return None
    return _Cand(m.start(), m.end(), S.NthWeek(n, _month(m.group("mon")), year), "week")


@_rec(_B + r"(?P<ord>" + _ORDW + r")\s+(?P<mon>" + MON + r")woche" + _E)
def _h_nth_week_de(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    n = ORDINALS.get(m.group("ord").lower())
    if n is None:
        return None
    return _Cand(m.start(), m.end(), S.NthWeek(n, _month(m.group("mon"))), "week")


# -- month parts -----------------------------------------------------------

_YEAR_TAIL = r"(?:(?:,\s*|\s+(?:de\s+|del\s+|of\s+|\s*)|\s*['’])(?P<y>" + _YEAR4 + r"|(?<=['’])\d\d)(?![\d:]))?"

_END_OF_MON = (
    r"(?:(?:the\s+)?(?:very\s+)?(?:end|close)\s+of\s+(?:the\s+month\s+of\s+)?|end[-\s]|"
    r"ende\s+|(?:à\s+la\s+|a\s+la\s+)?fin\s+(?:de\s+|d['’]|du\s+mois\s+d['’]|du\s+mois\s+de\s+)?|"
    r"(?:a\s+)?final(?:es)?\s+de\s+|f(?:im|inal)\s+de\s+|"
    r"ko(?:niec|ńca|nca|ńcem)\s+|(?:alla\s+)?fine\s+(?:di\s+)?|eind\s+|einde\s+|akhir\s+(?:bulan\s+)?|"
    r"(?:i\s+)?slut(?:et|ningen|ten)\s+(?:av|af)\s+|kon(?:ec|cem)\s+|kraj(?:em)?\s+|"
    # the later half of a month ends with it: "late June", "the second half of June", "segunda quincena de junio"
    r"late\s+|(?:the\s+)?(?:second|latter|last)\s+half\s+of\s+|segunda\s+(?:quincena|quinzena)\s+de\s+|"
    r"seconde\s+quinzaine\s+de\s+|seconda\s+(?:met[àa]|quindicina)\s+di\s+)"
)
_MID_OF_MON = (
    r"(?:mid[-\s]?|(?:the\s+)?middle\s+of\s+|mitte\s+|(?:à\s+la\s+)?mi-|mediados\s+de\s+|"
    r"meados\s+de\s+|met[àa]\s+(?:di\s+)?|po[łl]ow[ay]\s+|w\s+po[łl]owie\s+|half\s+|medio\s+|"
    r"pertengahan\s+(?:bulan\s+)?|(?:i\s+)?mitten\s+av\s+|(?:i\s+)?midten\s+(?:af|av)\s+|sredin(?:a|om)\s+|"
    # the first half of a month is done by its middle: "the first half of June", "primera quincena de junio"
    r"(?:the\s+)?first\s+half\s+of\s+|primera\s+quincena\s+de\s+|primeira\s+quinzena\s+de\s+|"
    r"premi[èe]re\s+quinzaine\s+de\s+|prima\s+(?:met[àa]|quindicina)\s+di\s+)"
)
_START_OF_MON = (
    r"(?:(?:the\s+)?(?:start|beginning)\s+of\s+|early\s+|anfang\s+|d[ée]but\s+(?:de\s+|d['’])?|"
    r"principios\s+de\s+|in[ií]cio\s+de\s+|pocz[aą]tek\s+|inizio\s+|begin\s+|awal\s+(?:bulan\s+)?|"
    r"(?:i\s+)?b[öo]rjan\s+av\s+|(?:i\s+)?starten\s+(?:af|av)\s+|za[čc][áa]t(?:ek|kem)\s+|po[čc]et(?:ak|kom)\s+)"
)


@_rec(_B + r"(?P<part>" + _END_OF_MON + "|" + _MID_OF_MON + "|" + _START_OF_MON + r")"
      r"(?P<mon>" + MON + r")\.?" + _E + _YEAR_TAIL)
def _h_month_part(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    mon = m.group("mon")
    if not _weak_ok(mon, True):
        return None
    if mon.lower().rstrip(".") in ("may", "mar", "set", "out") and not mon[0].isupper():
        return None
    p = m.group("part").lower()
    if re.match(_MID_OF_MON, p, re.I):
        part = "mid"
    elif re.match(_START_OF_MON, p, re.I):
        part = "start"
    else:
        part = "end"
    year = _year(m.group("y"))
    if year == -1:
        return None
    return _Cand(m.start(), m.end(), S.MonthPart(_month(mon), part, year), "month_part")


# The part after the month: "November month-end", "January end", and Turkish
# postfixes "Aralık sonu" (end), "Aralık ortası" (mid), "Ocak başı" (start).
_PART_AFTER = {"end": "end", "sonu": "end", "ortası": "mid", "ortasi": "mid", "başı": "start", "basi": "start"}


@_rec(_B + r"(?P<mon>" + MON + r")\.?" + _YEAR_TAIL +
      r"\s*(?:month[-\s]?(?P<me>end)|(?P<part>end|sonu|ortas[ıi]|ba[şs][ıi])(?:nda|na|ya|a)?)" + _E)
def _h_month_end_post(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    mon = m.group("mon")
    if not _weak_ok(mon, False):
        return None
    year = _year(m.group("y"))
    if year == -1:
        return None
    part = _PART_AFTER[(m.group("me") or m.group("part")).lower()]
    return _Cand(m.start(), m.end(), S.MonthPart(_month(mon), part, year), "month_part")


_REL_MONTH_ANCHORS = [
    "the end close month eom monatsende ende fin final finales fim koniec końca konca fine eind einde",
    "the end close next ende fin final finales fim",
    "mid the middle mitte mediados meados",
    "mid the middle mitte",
]
_REL_MONTH = [
    (r"(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+|this\s+|the\s+current\s+)?month|month[-\s]?end|"
     r"(?-i:EOM)|end-of-(?:the-)?month|monatsende|ende\s+(?:des|dieses)\s+monats|"
     r"fin\s+(?:de|du)\s+(?:ce\s+)?mois|fin(?:al)?(?:es)?\s+de(?:l)?\s+mes|fim\s+do\s+m[êe]s|"
     r"final\s+do\s+m[êe]s|ko(?:niec|ńca|nca)\s+(?:tego\s+)?miesi[aą]ca|fine\s+(?:del\s+)?mese|"
     r"eind\s+van\s+de\s+maand|einde\s+van\s+de\s+maand", 0, "end"),
    (r"(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:next|following)\s+month|next\s+month[-\s]?end|"
     r"ende\s+(?:des\s+)?n[äa]chsten\s+monats|fin\s+du\s+mois\s+prochain|"
     r"fin(?:al)?(?:es)?\s+del\s+(?:pr[óo]ximo\s+mes|mes\s+que\s+viene)|fim\s+do\s+pr[óo]ximo\s+m[êe]s", 1, "end"),
    (r"mid[-\s]?month|(?:the\s+)?middle\s+of\s+(?:the|this)\s+month|mitte\s+des\s+monats|"
     r"mediados\s+de(?:l)?\s+mes|meados\s+do\s+m[êe]s", 0, "mid"),
    (r"mid[-\s]?next\s+month|(?:the\s+)?middle\s+of\s+next\s+month|mitte\s+n[äa]chsten\s+monats", 1, "mid"),
]
for (_pat, _ahead, _part), _anch in zip(_REL_MONTH, _REL_MONTH_ANCHORS):
    def _mk2(ahead: int, part: str):
        def h(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
            return _Cand(m.start(), m.end(), S.RelMonthPart(ahead, part), "month_part")
        return h
    _rec(_B + r"(?:" + _pat + r")" + _E, anchors=_anch)(_mk2(_ahead, _part))
# the same in the registry's words, each language its own: "eind deze maand", "до конца месяца"
for (_ahead, _part), _phrases in MONTH_PART_PHRASES.items():
    if _phrases:
        _rec(_B + trie_regex(_phrases) + _E, anchors=" ".join(sorted({
            re.findall(r"\d+|[^\W\d_]+", _phrase)[0] for _phrase in _phrases})))(_mk2(_ahead, _part))


# -- quarters and years ----------------------------------------------------

_Q = r"(?-i:Q|T)(?P<q>[1-4])"
_QY = r"(?:\s*(?:/|-|'|’|\s)\s*(?P<y>" + _YEAR4 + r"|(?<=['’/\-])\d\d)(?![\d:]))?"
_QY_FY = r"(?:\s+(?:FY\s*)?(?P<y>" + _YEAR4 + r"|(?<=FY)\d\d))?"


@_rec(_B + r"(?:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?|ende\s+(?:des\s+)?|fin(?:al)?(?:es)?\s+(?:del?\s+|du\s+)?|"
      r"fim\s+do\s+|koniec\s+|fine\s+(?:del\s+)?|eind\s+)" + _Q + _QY + _E)
def _h_end_of_q(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _quarter(m, "quarter")


@_rec(_B + _Q + _QY + r"\s*[-\s]?(?:end|ende)" + _E)
def _h_q_end(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _quarter(m, "quarter")


@_rec(_B + r"(?-i:Q)(?P<q>[1-4])" + _QY + _E)
def _h_q_bare(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _quarter(m, "quarter_bare")


def _quarter(m: re.Match[str], kind: str) -> _Cand | None:
    year = _year(m.group("y"))
    if year == -1:
        return None
    return _Cand(m.start(), m.end(), S.QuarterEnd(int(m.group("q")), year), kind)


@_rec(_B + r"(?:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+|this\s+)?(?P<rel>current\s+|next\s+)?quarter|"
      r"quarter[-\s]?end|(?-i:EOQ)|ende\s+des\s+quartals|quartalsende|fin\s+(?:du|de)\s+trimestre|"
      r"fin(?:al)?(?:es)?\s+del\s+trimestre|fim\s+do\s+trimestre|koniec\s+kwarta[łl]u|fine\s+trimestre)" + _E)
def _h_end_of_quarter(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    ahead = 1 if (m.group("rel") or "").strip().lower() == "next" else 0
    return _Cand(m.start(), m.end(), S.RelQuarterEnd(ahead, "quarter"), "quarter")


@_rec(_B + r"(?:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+|this\s+)?year|year[-\s]?end|(?-i:EOY)|"
      r"jahresende|ende\s+des\s+jahres|fin\s+(?:de\s+l['’]|d['’])ann[ée]e|fin(?:al)?(?:es)?\s+de(?:l)?\s+a[ñn]o|"
      r"fim\s+do\s+ano|koniec\s+roku|fine\s+anno|eind\s+van\s+het\s+jaar)" + _E)
def _h_year_end(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _Cand(m.start(), m.end(), S.RelQuarterEnd(0, "year"), "quarter")


@_rec(_B + r"(?:(?:the\s+)?(?:end|close)\s+of\s+|year[-\s]end\s+|ende\s+|fin\s+|finales\s+de\s+|fim\s+de\s+|koniec\s+)"
      r"(?P<y>" + _YEAR4 + r")" + _E)
def _h_end_of_year_n(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    return _Cand(m.start(), m.end(), S.QuarterEnd(0, int(m.group("y"))), "quarter")


@_rec(_B + r"(?:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?-i:H)(?P<h>[12])|(?-i:H)(?P<h2>[12])\s*[-\s]?end)" + _QY + _E)
def _h_half(m: re.Match[str], ctx: "_Ctx") -> _Cand | None:
    h = int(m.group("h") or m.group("h2"))
    year = _year(m.group("y"))
    if year == -1:
        return None
    return _Cand(m.start(), m.end(), S.QuarterEnd(4 + h, year), "quarter")


# ==========================================================================
# Times of day
# ==========================================================================

_AP = r"(?P<ap>[ap])\.?\s?m\b\.?"
_EOD_WORDS = (
    r"(?-i:EOD|E\.O\.D\.?|eod|COB|C\.O\.B\.?|cob|EOB|COP|EOBD|COB)(?![\w])|"
    r"end\s+of\s+(?:the\s+)?(?:business\s+|working\s+|work\s+)?day|close\s+of\s+(?:business|play)(?:\s+day)?|"
    r"end\s+of\s+business(?:\s+day)?|fin\s+del\s+d[ií]a(?:\s+laboral)?|fin\s+de\s+(?:la\s+)?journ[ée]e|"
    r"final\s+do\s+dia|fim\s+do\s+dia|feierabend|dienstschluss|gesch[äa]ftsschluss|tagesende|"
    r"ende\s+des\s+(?:arbeits|gesch[äa]fts)?tages|koniec\s+dnia|ko[ńn]ca\s+dnia|fine\s+giornata|"
    r"einde\s+van\s+de\s+dag"
)
_NOON_WORDS = (r"(?:12\s*)?noon|midday|mediod[ií]a|mittags?|midi|meio-dia|mezzogiorno|"
               r"po[łl]udnie|12\s+(?:del\s+)?mediod[ií]a")

_TIME = (
    r"(?:"
    r"(?P<h1>[01]?\d|2[0-3]):(?P<m1>[0-5]\d)(?::[0-5]\d)?(?:\s*(?P<ap1>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*(?:h|hrs|uhr|horas|hs)\b)?(?:\s+noon)?"
    r"|(?P<h2>[01]?\d|2[0-3])\.(?P<m2>[0-5]\d)\s*(?:(?P<ap2>[ap])\.?\s?m\b\.?|uhr\b|h\b|hrs\b|(?=" + ZONE_WORD + r"))"
    # "pukul 08.00", "saat 19.30", "om 14.00": a dotted time after a word that says an hour follows
    r"|(?:(?<=pukul\s)|(?<=saat\s)|(?<=jam\s)|(?<=alle\s)|(?<=ore\s)|(?<=om\s)|(?<=um\s)|(?<=at\s)|(?<=kl\.\s))"
    r"(?P<h7>[01]?\d|2[0-3])\.(?P<m7>[0-5]\d)(?!\.?\d)"
    r"|(?P<h3>1[0-2]|0?[1-9])\s*(?P<ap3>[ap])\.?\s?m\b\.?"
    r"|(?P<h4>[01]?\d|2[0-3])\s?h(?P<m4>[0-5]\d)?(?![\w])"
    r"|(?P<h5>[01]?\d|2[0-3])\s*uhr\b"
    r"|(?P<h6>[01]\d|2[0-3])(?P<m6>[0-5]\d)\s*(?:hrs|hours)\b"
    r"|(?P<noon>" + _NOON_WORDS + r")(?![\w])"
    r"|(?P<eod>" + _EOD_WORDS + r")"
    r")"
)
_TIME_RANGE_TAIL = r"(?:\s*[-–—]\s*(?:[01]?\d|2[0-3])(?::[0-5]\d)?(?:\s*[ap]\.?\s?m\b\.?)?)?"
_ZONE_TAIL = r"(?:\s*\(?\s*(?P<zone>" + ZONE_PATTERN + r")\s*\)?)?"

_CONNECT_AFTER = (
    r"(?:\s*(?:,|;|\bat\b|@|\bby\b|\bbefore\b|\buntil\b|\btill\b|\bum\b|\bbis\b|\bà\b|\ba\s+las\b|\ba\s+la\b|"
    r"\bàs\b|\bas\b|\balle\b|\bentro\s+le\b|\bore\b|\bom\b|\bo\s+godz(?:inie|\.)?|\bgodz\.?|\blatest\b|"
    # pl "o 17:00", tr "saat 17:00", id "pukul 17.00" / "jam 5"
    r"\bo(?=\s+\d)|\bsaat\b|\bpukul\b|\bjam\b|"
    r"\bthe\s+latest\b|\baround\b|\bapprox\.?|\bca\.|['’]s|-|–|—|\(|\bmorning\b|\bafternoon\b|\bevening\b|"
    r"\bnight\b|\bno\s+later\s+than\b|\bin\s+the\b|\bdurante\s+el\b|"
    # the date's weekday written after it: "10 Mart 2026 Salı, 19:00"
    r"(?<![\w])(?:" + WD_FULL + r")(?![\w]))\s*){0,3}"
)
_TIME_AFTER_RE = re.compile(r"(?P<gap>" + _CONNECT_AFTER + r"\s*)(?P<time>" + _TIME + r")" +
                            _TIME_RANGE_TAIL + _ZONE_TAIL, re.I)
_TIME_BEFORE_RE = re.compile(
    r"(?<![\w:.])(?P<time>" + _TIME + r")" + _TIME_RANGE_TAIL + _ZONE_TAIL +
    r"\s*(?:,|\bon\b|\bthe\b|\bam\b|\ble\b|\bel\b|\bdi\b|\bdel?\b|\bil\b|\bna\b|\bw\b|\bop\b|\bdo\b|\bdu\b|\bdes\b)?"
    r"\s*(?:\bon\b|\bthe\b)?\s*$", re.I)


def _parse_time(m: re.Match[str]) -> dt.time | None:
    g = m.group
    if g("eod"):
        return dt.time(18, 0)
    if g("noon"):
        return dt.time(12, 0)
    for h, mi, ap in (("h1", "m1", "ap1"), ("h2", "m2", "ap2"), ("h3", None, "ap3"),
                      ("h4", "m4", None), ("h5", None, None), ("h6", "m6", None), ("h7", "m7", None)):
        if g(h) is not None:
            hour = int(g(h))
            minute = int(g(mi)) if mi and g(mi) else 0
            a = g(ap) if ap else None
            if a:
                if hour > 12 or hour == 0:
                    return None
                hour = hour % 12 + (12 if a.lower() == "p" else 0)
            return dt.time(hour, minute)
    return None


_TIME_ALONE_RE = re.compile(r"(?<![\w:.])(?P<time>" + _TIME + r")" + _TIME_RANGE_TAIL + _ZONE_TAIL, re.I)


def time_of_day(text: str) -> tuple[dt.time, dt.tzinfo | None] | None:
    """The one time of day `text` states, with its zone (None: the offset of ``sent``); None when
    it states none or several ("16:00 UTC (09:00 Vancouver time)" gives no single one)."""
    found = [m for m in _TIME_ALONE_RE.finditer(text) if _parse_time(m) is not None]
    if len(found) != 1:
        return None
    return _parse_time(found[0]), _zone_from(found[0])[1]  # type: ignore[return-value]


def _zone_from(m: re.Match[str]) -> tuple[bool, dt.tzinfo | None]:
    """(a zone phrase was there, its tzinfo) from a time match with _ZONE_TAIL."""
    if not m.group("zone"):
        return False, None
    z = zone_of(m)
    if z is NO_ZONE or z is None:
        return True, None
    return True, z  # type: ignore[return-value]


# ==========================================================================
# The engine
# ==========================================================================

@dataclass
class _Ctx:
    text: str
    day_first: bool
    year: int = 0  # of the sending day

    def year_digits(self, number: int) -> bool:
        """Whether a two-digit `number` could be the sending year or the next ("Apr-26" in 2026)."""
        return number in (self.year % 100, (self.year + 1) % 100)


_ROLE_KINDS_WITH_TIME = {"absolute", "numeric", "weekday", "relative", "day_of_month", "range",
                         "month_part", "week"}


def _default_day_first(text: str, sent: dt.datetime) -> bool:
    order = numeric_order(text)
    if order is not None:
        return order
    off = sent.utcoffset()
    return not (off is not None and off < dt.timedelta(0))


def numeric_order(text: str) -> bool | None:
    """Scan a message's numeric dates: True day-first, False month-first, None undecided.

    Only a part above 12 settles the order ("27/11" day-first, "10/26/26"
    month-first); a two-digit year does not count.  When the message holds
    dates pointing both ways, the majority wins.
    """
    df = mf = 0
    starts = [m.start() for m in _DIGITS_RE.finditer(text)]
    for rx in (_NUMERIC_RE, _NUMERIC_DASH_RE):
        for s in starts:
            m = rx.match(text, s)
            if m is None:
                continue
            parts = _numeric_parts(m, text)
            if parts is None:
                continue
            a, b, _ = parts
            if a > 12 >= b:
                df += 1
            elif b > 12 >= a:
                mf += 1
    if df == mf:
        return None
    return df > mf


_MOVE_RE = re.compile(
    r"\b(?:mov|push|shift|slip|chang|resched|postpon|delay|pull|brought|bring|advanc|revis|updat|"
    r"verschoben|verschieb|d[ée]cal|repouss|report|movid|pasad|cambi|adiant|adelant|atras|przesu|"
    r"spost|anticip|rinvi|retras|aplaz|posterg|adiad|verleg|op[óo][źz]ni|from\s+\S+\s+to)\w*", re.I)
_RANGE_JOIN_RE = re.compile(  # the first date's weekday may stand between: "6月29日(月)〜7月3日(金)"
    r"\s*(?:[(（][^()（）\s]{1,4}[)）]\s*)?(?:-|–|—|〜|～|~|\bto\b|\btill\b|\buntil\b|\bthrough\b|\bthru\b|\bbis\b|\bau\b|\bal\b|\bhasta\b|\bat[ée]\b|"
    r"\bdo\b|\btot\b|\bt/m\b|\ba\b|\bà\b|\band\b)\s*$", re.I)
_RANGE_OPEN_RE = re.compile(
    r"(?:\bfrom|\bbetween|\bvom|\bvon|\bdu|\bdel|\bdesde|\bde|\bdo|\bod|\bdal|\bvan|\bentre)\s+(?:the\s+)?$", re.I)
_WEEK_OF_RE = re.compile(
    r"(?:\bweek|\bwk)\s+(?:of|starting|beginning|commencing|from)\s+(?:the\s+)?$|\bw/c\s+$|"
    r"\bsemana\s+(?:del?|do)\s+$|\bsemaine\s+du\s+$|\bwoche\s+(?:vom|ab)\s+(?:dem\s+)?$|"
    r"\bsettimana\s+del\s+$|\bweek\s+van\s+$|\btydzie[nń]\s+od\s+$", re.I)


_LAST_WORD_DOT = re.compile(r"([^\W\d_]+)\.$")


def _tidy_end(text: str, start: int, end: int) -> int:
    """Drop trailing blanks and a sentence full stop after a full word."""
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    if text[end - 1] == ".":
        m = _LAST_WORD_DOT.search(text, max(start, end - 20), end)
        if m and len(m.group(1)) >= 5:
            end -= 1
    return end


# A number opening the next line as a list item ("by 8 May.⏎⏎3. WP3 ...") is no day of the date above it.
_LIST_NUMBER_AFTER = re.compile(r"[ \t]*[.)][ \t]")


def _across_lines(text: str, c: _Cand) -> bool:
    """Whether candidate `c` runs over a blank line or into a list number on the next line."""
    inside = text[c.start:c.end]
    if "\n" not in inside:
        return False
    return bool(re.search(r"\n[ \t]*\n", inside)) or bool(
        re.search(r"\n[ \t]*\d{1,2}$", inside) and _LIST_NUMBER_AFTER.match(text, c.end))


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, longest first, then in text order."""
    cands.sort(key=lambda c: (-(c.end - c.start), c.start))
    # what is taken, in text order: spans that do not overlap, so their ends are in order too, and the
    # one that starts last before a candidate ends is the only one that can reach into it
    taken: list[_Cand] = []
    starts: list[int] = []
    for c in cands:
        k = bisect.bisect_left(starts, c.end)
        if k == 0 or taken[k - 1].end <= c.start:
            k = bisect.bisect_right(starts, c.start)
            starts.insert(k, c.start)
            taken.insert(k, c)
    return taken


_RANGEABLE = {"absolute", "numeric", "day_of_month"}


def _merge_ranges(cs: list[_Cand], text: str) -> list[_Cand]:
    out: list[_Cand] = []
    i = 0
    while i < len(cs):
        a = cs[i]
        if i + 1 < len(cs):
            b = cs[i + 1]
            gap = text[a.end:b.start]
            if (a.kind in _RANGEABLE and b.kind in _RANGEABLE and a.time is None
                    and len(gap) <= 12 and _RANGE_JOIN_RE.match(gap) and "\n\n" not in gap):
                word = gap.strip().lower()
                opener = _RANGE_OPEN_RE.search(text[max(0, a.start - 10):a.start])
                ok = True
                if word in ("to", "a", "à", "and", "al", "au", "do", "tot", "hasta", "até", "ate"):
                    # "Dec 8 to Dec 12" is a range, "moved from Dec 8 to Dec 12" a move
                    lead = text[max(0, a.start - 60):a.start]
                    lead = re.split(r"[.!?;:]\s|\n\s*\n", lead)[-1]
                    ok = (bool(opener) or word == "to") and not _MOVE_RE.search(lead)
                    if word == "and" and not re.search(r"\bbetween\s+(?:the\s+)?$", text[max(0, a.start - 10):a.start], re.I):
                        ok = False
                if ok:
                    out.append(_Cand(a.start, b.end, S.Range(a.spec, b.spec), "range", first=a.spec))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _wrap_week_of(cs: list[_Cand], text: str) -> list[_Cand]:
    for c in cs:
        if c.kind in ("absolute", "numeric", "day_of_month"):
            m = _WEEK_OF_RE.search(text, max(0, c.start - 24), c.start)
            if m and m.end() == c.start:
                if isinstance(c.spec, S.Yearly):
                    c.spec = S.WeekOf(c.spec)
                else:
                    c.spec = S.WeekOfFixed(c.spec)
                c.start = m.start()
                c.kind = "week"
    return cs


_WEEKDAY_GAP = re.compile(r"[\s,]*")
_BRACKETED_WEEKDAY = re.compile(r"\s*[(（]\s*(?:" + WD_ANY + r")\.?\s*[)）]", re.I)
_DATED_KINDS = {"absolute", "numeric"}


def _weekdays_of_dates(cs: list[_Cand], text: str) -> list[_Cand]:
    """A weekday written beside a full date names that date's day ("Tuesday, 2025-10-14",
    "10 Mart 2026 Salı, 19:00", "14/02 (sáb)"): it is no date of its own, a bracketed one is
    part of the date, and a time after it belongs to the date."""
    kept: list[_Cand] = []
    for i, c in enumerate(cs):
        if c.kind == "weekday" and c.time is None:
            before = kept[-1] if kept else None
            after = cs[i + 1] if i + 1 < len(cs) else None
            if before is not None and before.kind in _DATED_KINDS and _WEEKDAY_GAP.fullmatch(text, before.end, c.start) \
                    or after is not None and after.kind in _DATED_KINDS and _WEEKDAY_GAP.fullmatch(text, c.end, after.start):
                continue
        if c.kind in _DATED_KINDS and (bracket := _BRACKETED_WEEKDAY.match(text, c.end)):
            c.end = bracket.end()
        kept.append(c)
    return kept


def _attach_times(cs: list[_Cand], text: str) -> None:
    prev_end = 0
    for idx, c in enumerate(cs):
        nxt_start = cs[idx + 1].start if idx + 1 < len(cs) else len(text)
        if c.time is None and c.kind in _ROLE_KINDS_WITH_TIME:
            m = _TIME_AFTER_RE.match(text, c.end)
            if m and m.end() <= nxt_start and "\n\n" not in m.group("gap") and m.group("gap").count("\n") <= 1:
                t = _parse_time(m)
                if t is not None:
                    c.time = t
                    _, c.tz = _zone_from(m)
                    c.end = m.end()
                    # a zone written after the time ("6 PM IST") is part of the match
            if c.time is None:
                lo = max(prev_end, c.start - 48)
                window = text[lo:c.start]
                m = _TIME_BEFORE_RE.search(window)
                if m and "\n" not in window[m.start():]:
                    t = _parse_time(m)
                    if t is not None:
                        c.time = t
                        _, c.tz = _zone_from(m)
                        c.start = lo + m.start()
        prev_end = c.end


# The zone of a time can follow the whole date ("COB Friday Kyiv time"), after a
# comma too ("Thursday 17:00, CET"), but not as a word of the next phrase ("PT/ES files").
_ZONE_AFTER_RE = re.compile(r"(?:\s*|,\s*)\(?\s*(?P<zone>" + ZONE_PATTERN + r")\s*\)?(?![/\w])", re.I)


def find_dates(text: str, sent: dt.datetime, *, role: str = "due",
               day_first: bool | None = None) -> list[DateMatch]:
    """All date expressions in ``text``, resolved against ``sent`` for ``role``.

    ``role``: "due" (a commitment; also "planned", "delayed"...), "delivered"
    (a past event) or "previous" (the old date of a move).  ``day_first``
    decides numeric dates whose parts could both be months; pass
    ``numeric_order(whole_message)`` when ``text`` is a part of a message.
    When None, ``text`` itself is scanned, then the sign of sent's offset
    decides (negative: month-first).
    """
    role = norm_role(role)
    if sent.tzinfo is None:
        raise ValueError("sent must be an aware datetime")
    if day_first is None:
        day_first = _default_day_first(text, sent)
    text = ascii_digits(text)
    ctx = _Ctx(text, day_first, sent.year)
    cands: list[_Cand] = []
    for (rx, handler, _), starts in zip(_RECOGNIZERS, _anchor_positions(text)):
        match = rx.match
        for s in starts:
            m = match(text, s)
            if m is not None:
                c = handler(m, ctx)
                if c is not None:
                    cands.append(c)
    cands = [c for c in cands if not _across_lines(text, c)]
    for c in cands:
        c.end = _tidy_end(text, c.start, c.end)
    chosen = _select(cands)
    chosen = _wrap_week_of(chosen, text)
    chosen = _merge_ranges(chosen, text)
    chosen = _weekdays_of_dates(chosen, text)
    _attach_times(chosen, text)
    for c in chosen:
        c.end = _tidy_end(text, c.start, c.end)
    # An ISO "T" time has its zone inline; a zone after a time-bearing match:
    for c in chosen:
        if c.time is not None and c.tz is None:
            zm = _ZONE_AFTER_RE.match(text, c.end)
            if zm and (zm.group("abbr") or zm.group("place") or zm.group("place2") or zm.group("off")):
                z = zone_of(zm)
                if z is not None and z is not NO_ZONE:
                    c.tz = z  # type: ignore[assignment]
                    c.end = zm.end()
    ref = sent.date()
    out: list[DateMatch] = []
    for c in chosen:
        d = c.spec.resolve(ref, role)
        if d is None or not (S.MIN_YEAR <= d.year <= S.MAX_YEAR):
            continue
        first = None
        if isinstance(c.spec, S.Range):
            f = c.spec.resolve_first(ref, role)
            first = When(f) if f else None
        out.append(DateMatch(c.start, c.end, text[c.start:c.end], When(d, c.time, c.tz),
                             c.kind, c.spec, first))
    return out


# ==========================================================================
# Durations
# ==========================================================================

@dataclass(frozen=True)
class Duration:
    """A length of time written in the text: "a week", "two more days"."""

    start: int
    end: int
    text: str
    amount: int
    unit: str       # "day", "week" or "month"
    working: bool   # working/business days (Sat/Sun skipped)

    @property
    def days(self) -> int:
        """Length in calendar days (working days counted as days; a month as 30)."""
        return self.amount * {"day": 1, "week": 7, "month": 30}[self.unit]


_DURATION_RE = re.compile(
    _B + r"(?P<n>\d{1,3}|" + NUMW + r")(?:\s+|-)"
    r"(?:(?P<w1>" + _WORKING + r")\s+)?(?:(?P<w1b>" + _WORKING + r")\s+)?"
    r"(?P<unit>" + _UNIT + r")" + _E +
    r"(?:\s+(?P<w2>" + _WORKING + r"))?", re.I)


def find_durations(text: str) -> list[Duration]:
    """Lengths of time: "slipping by a week", "needs two more days", "5 working days"."""
    out = []
    for m in _DURATION_RE.finditer(text):
        n = _num_value(m.group("n"))
        if n is None or n == 0:
            continue
        if m.group("n").lower() in ("a", "an", "un", "una", "um", "uma", "ein", "eine", "een") and \
                m.group(0)[len(m.group("n")):len(m.group("n")) + 1] == "-":
            continue
        unit = _unit_kind(m.group("unit"))
        working = unit == "workday" or _working(m.group("w1"), m.group("w1b"), m.group("w2"))
        if unit == "workday":
            unit = "day"
        out.append(Duration(m.start(), m.end(), m.group(0), n, unit, working))
    return out


def shift(day: dt.date, duration: Duration, *, backwards: bool = False) -> dt.date:
    """``day`` moved by ``duration`` (working days skip Saturdays and Sundays)."""
    sign = -1 if backwards else 1
    if duration.unit == "month":
        return S.add_months(day, sign * duration.amount)
    if duration.working:
        return S.add_working_days(day, sign * duration.amount)
    return day + dt.timedelta(days=sign * duration.days)


# ==========================================================================
# Anchors: where each recognizer is tried
# ==========================================================================

_END_FIRST = "the end close ende fin final finales fim koniec końca konca końcem fine eind"
_ANCHORS = {
    "_h_day_month": "NUM WD",
    "_h_month_day": "MON WD",
    "_h_month_dash_day": "MON",
    "_h_days_month": "NUM",
    "_h_month_days": "MON",
    "_h_iso": "NUM",
    "_h_numeric": "NUM WD",
    "_h_numeric_dash": "NUM WD",
    "_h_numeric_spaced": "NUM WD",
    "_h_relative": " ".join({k.split()[0].replace("’", "'").split("'")[0] for k in [*RELATIVE_DAYS, *RELATIVE_EITHER]}),
    "_h_in_n": "in within after en dentro em daqui dans sous za tra fra entro over binnen innerhalb nas w",
    "_h_from_now": "FROMNOW",
    "_h_weekday": "WD " + " ".join({k.split()[0] for k in _MOD_BEFORE}),
    "_h_weekday_day": "WD",
    "_h_the_nth": "the by on until till before from for to after since around due eta",
    "_h_day_word": " ".join(w.split()[0] for w in DAY_WORDS),
    "_h_end_of_week": "the end close eow",
    "_h_next_week_wd": "next this",
    "_h_iso_week": " ".join({w.split()[0] for w in WEEK_LABELS}) + " iso w s",
    "_h_iso_week2": "NUM",
    "_h_nth_week": "NUM the la a die der " + " ".join(k for k in ORDINALS if not k[0].isdigit()),
    "_h_nth_week_de": " ".join(k for k in ORDINALS if not k[0].isdigit()),
    "_h_month_part": _END_FIRST + " very à a alla mid middle mitte mi mediados meados metà meta "
                     "połowa polowa połowy polowy w half medio start beginning anfang début debut "
                     "principios início inicio początek poczatek inizio begin einde akhir pertengahan awal "
                     "i slutet slutningen slutten mitten midten början borjan starten konec koncem kraj krajem "
                     "sredina sredinom začátek začátkem zacatek zacatkem početak početkom "
                     "early late first second latter last primera segunda primeira première premiere seconde "
                     "prima seconda",
    "_h_month_end_post": "MON",
    "_h_end_of_q": _END_FIRST,
    "_h_q_end": "q t",
    "_h_q_bare": "q",
    "_h_end_of_quarter": _END_FIRST + " quarter eoq quartalsende",
    "_h_year_end": _END_FIRST + " year eoy jahresende",
    "_h_end_of_year_n": _END_FIRST + " year",
    "_h_half": "the end close h",
}

_TOKEN_RE = re.compile(r"\d+|[^\W\d_]+")
_WORD_RECS: dict[str, list[int]] = {}
_NUM_RECS: list[int] = []
_NUM4_RECS: list[int] = []
_FROMNOW_RECS: list[int] = []
for _i, _r in enumerate(_RECOGNIZERS):
    _spec = _r[2] or _ANCHORS[_r[1].__name__]
    _r[2] = _spec
    for _a in _spec.split():
        if _a == "NUM":
            # a year starts the ISO forms; one or two digits start the others
            (_NUM4_RECS if _r[1].__name__ in ("_h_iso", "_h_iso_week2") else _NUM_RECS).append(_i)
        elif _a == "NUM4":
            _NUM4_RECS.append(_i)
        elif _a == "FROMNOW":
            _FROMNOW_RECS.append(_i)
        else:
            _words = (MONTHS if _a == "MON" else
                      list(WEEKDAYS) + list(WEEKDAY_ABBR) if _a == "WD" else [_a])
            for _w in _words:
                lst = _WORD_RECS.setdefault(_w.split()[0].split("-")[0], [])
                if _i not in lst:
                    lst.append(_i)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def _anchor_positions(text: str) -> list[list[int]]:
    """For each recognizer, the token starts where it is worth trying."""
    low = _lower(text)
    pos: list[list[int]] = [[] for _ in _RECOGNIZERS]
    word_recs = _WORD_RECS
    for m in _TOKEN_RE.finditer(low):
        w = m.group()
        if w[0].isdigit():
            n = len(w)
            if n <= 2:
                s = m.start()
                for i in _NUM_RECS:
                    pos[i].append(s)
            elif n == 4:
                s = m.start()
                for i in _NUM4_RECS:
                    pos[i].append(s)
        else:
            recs = word_recs.get(w)
            if recs:
                s = m.start()
                for i in recs:
                    pos[i].append(s)
    if "from now" in low or "from today" in low:
        for i in _FROMNOW_RECS:
            pos[i] = [m.start() for m in _TOKEN_RE.finditer(low)]
    return pos
