"""Sample mail moved in time by whole weeks, so that a demo tells its story on any day.

The demo's seed mails (config/demo-inbox) tell a story of November 2026. With
`[source] seed_recent = true` every seed mail is moved by the same whole
number of weeks, chosen so that the newest one is less than a week old. Whole
weeks keep every weekday true ("Friday 27 Nov" is still a Friday) and every gap
of the story the same, and the mails stay real mail, read like any other.

Every date a mail states is moved: its Date and Received headers, attachment
names and dates, ICS and CSV attachments, a PDF's dates where they keep their
width, and the dates in its text and HTML, in the forms and languages the demo
mails use: English, Spanish and German day-month and month-day dates ("27 Nov",
"November 17, 2026", "viernes, 6 de noviembre de 2026", "Dienstag, 10. November
2026"), numeric ones ("18.11.2026", "2026-11-10", "20-Nov-2026"), a weekday
with a day ("martes 17", "Monday 16th"), "the 24th" and Spanish ranges ("del 16
al 19 de noviembre"). A date without a year or month is the one nearest the
mail's own Date. Offsets stay as written, so each instant moves by exactly
that many weeks (an EST offset may then fall in summer). Weekday words need no
change, and relative words ("today", "last week") none either.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import quopri
import re
from collections.abc import Callable, Iterable
from email import message_from_bytes
from email.generator import BytesGenerator
from email.message import Message
from email.policy import compat32
from email.utils import parsedate_to_datetime

WEEK = dt.timedelta(days=7)

# language: (full names, abbreviations), January / Monday first
_MONTHS = {
    "en": (("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"),
           ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
    "es": (("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
            "noviembre", "diciembre"),
           ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic")),
    "de": (("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
            "november", "dezember"),
           ("jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez")),
}
_WEEKDAYS = {
    "en": (("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
           ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    "es": (("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
           ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")),
    "de": (("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"), ()),
}
LANGUAGES = ("en", "es", "de")  # the order an ambiguous word ("November", "nov") is read in


def _alternation(table: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> str:
    words = {w for full, short in table.values() for w in (*full, *short)}
    return "|".join(sorted(words, key=len, reverse=True))


_MONTH = _alternation(_MONTHS)
_WD = _alternation(_WEEKDAYS)
_YEAR = r"(?:19|20)\d{2}"
_FLAGS = re.IGNORECASE

_GAP = r"(?:\s|<[^<>]*>)+"  # white space, or the tags of an HTML part's line breaks
_ES_RANGE = re.compile(
    rf"\bdel{_GAP}(?P<d1>\d{{1,2}}){_GAP}al{_GAP}(?P<d2>\d{{1,2}})\b"
    rf"(?:{_GAP}de{_GAP}(?P<m>{_MONTH})\b(?:{_GAP}de{_GAP}(?P<y>{_YEAR})\b)?)?", _FLAGS)
_DAY_MONTH = re.compile(
    rf"(?:\b(?P<wd>{_WD})\b\.?,?\s+)?\b(?P<d>\d{{1,2}})(?P<dot>\.)?(?P<sep>\s+(?:de\s+)?|-)(?P<m>{_MONTH})\b\.?"
    rf"(?:(?:,?\s+(?:de\s+)?|-)(?P<y>{_YEAR})\b)?", _FLAGS)
_MONTH_DAY = re.compile(
    rf"\b(?P<m>{_MONTH})\b\.?\s+(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?\b(?![:.]\d)(?:,\s*(?P<y>{_YEAR})\b)?", _FLAGS)
_DOTTED = re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})\.(?P<mo>\d{{1,2}})\.(?P<y>{_YEAR})(?!\d)")
_ISO = re.compile(rf"(?<!\d)(?P<y>{_YEAR})-(?P<mo>\d{{2}})-(?P<d>\d{{2}})(?!\d)")
_WD_DAY = re.compile(
    rf"\b(?P<wd>{_WD})\s+(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?\b(?![.:]\d)(?!\s*(?:de\s+|\.\s*)?(?:{_MONTH})\b)",
    _FLAGS)
_THE_NTH = re.compile(r"\bthe\s+(?P<d>\d{1,2})(?P<ord>st|nd|rd|th)\b", _FLAGS)
# compact dates of ICS date properties and of PDF date strings ("D:20261120113000")
_COMPACT = re.compile(rf"(?<!\d)(?P<y>{_YEAR})(?P<mo>\d{{2}})(?P<d>\d{{2}})(?=T\d{{4}}|[^\d]|$)")
_ICS_DATED = re.compile(r"^(?:DTSTAMP|DTSTART|DTEND|DUE|CREATED|LAST-MODIFIED|COMPLETED|RECURRENCE-ID|EXDATE|RDATE)"
                        r"[;:]", re.IGNORECASE)
_PDF_DATE = re.compile(rf"(?<=D:)(?P<y>{_YEAR})(?P<mo>\d{{2}})(?P<d>\d{{2}})")

#: Headers that state dates; a header with encoded words is left as it is.
_DATED_HEADERS = frozenset({"date", "resent-date", "received", "subject", "thread-topic",
                            "content-type", "content-disposition", "content-description"})


def newest(raws: Iterable[bytes]) -> dt.datetime | None:
    """The latest Date header among these mails (None when none has one)."""
    dates = [_date_header(message_from_bytes(raw, policy=compat32)) for raw in raws]
    return max((d for d in dates if d is not None), default=None)


def weeks_to(moment: dt.datetime, now: dt.datetime) -> int:
    """The whole weeks that bring `moment` into the week up to `now` (negative: back in time)."""
    return (now - moment) // WEEK


def shift(raw: bytes, weeks: int) -> bytes:
    """The mail with every date it states moved by `weeks` weeks."""
    if weeks == 0:
        return raw
    msg = message_from_bytes(raw, policy=compat32)
    _shift_entity(msg, dt.timedelta(weeks=weeks), None)
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False, maxheaderlen=0).flatten(msg)
    return out.getvalue()


def _date_header(part: Message) -> dt.datetime | None:
    value = part.get("Date")
    try:
        moment = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _shift_entity(part: Message, by: dt.timedelta, ref: dt.date | None) -> None:
    """One MIME entity and what it holds; `ref` is the Date of the message it belongs to (None: it has none)."""
    own = _date_header(part)
    ref = own.date() if own else ref
    _shift_headers(part, by, ref)
    if part.is_multipart():  # multipart/*, and message/rfc822 holding one message
        for sub in part.get_payload():
            _shift_entity(sub, by, ref)
        return
    kind = part.get_content_type()
    if part.get_content_maintype() == "text":
        _recode(part, lambda text: shift_text(text, by, ref, calendar=kind == "text/calendar"))
    elif kind == "application/pdf":
        _recode(part, lambda text: shift_text(text, by, ref, same_width=True), charset="latin-1")


def _shift_headers(part: Message, by: dt.timedelta, ref: dt.date | None) -> None:
    items = part.items()
    moved = [(k, shift_text(v, by, ref) if k.lower() in _DATED_HEADERS and "=?" not in v else v)
             for k, v in items]
    if moved == items:
        return
    for key in {k for k, _ in items}:
        del part[key]
    for key, value in moved:  # in their order: only values change
        part[key] = value


def _recode(part: Message, change: Callable[[str], str], charset: str | None = None) -> None:
    """Apply `change` to a leaf part's decoded text and encode it back as it was sent."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return
    codec = charset or part.get_content_charset() or "us-ascii"
    try:
        text = data.decode(codec, "surrogateescape")
    except LookupError:  # a charset Python does not know: leave the part alone
        return
    new = change(text)
    if new == text:
        return
    body = new.encode(codec, "surrogateescape")
    cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    if cte == "base64":
        part.set_payload(base64.encodebytes(body).decode("ascii"))
    elif cte == "quoted-printable":
        part.set_payload(quopri.encodestring(body).decode("ascii"))
    else:
        part.set_payload(body.decode("ascii", "surrogateescape"))


# --- dates in text ------------------------------------------------------------------------------------------


def shift_text(
    text: str, by: dt.timedelta, ref: dt.date | None, *, calendar: bool = False, same_width: bool = False
) -> str:
    """`text` with each date it states moved by `by` (whole weeks); `ref` settles missing years and months.

    `calendar`: the text is an iCalendar object (its date properties are
    moved too, its time zone definitions are not). `same_width`: only edits
    that keep the text's length (a PDF's byte offsets must stay true).
    """
    edits: list[tuple[int, int, str]] = []
    if calendar:
        edits += _ics_edits(text, by)
    for pattern, rule in _RULES:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end, _ in edits):
                continue
            new = rule(m, by, ref)
            if new is None or new == m.group(0) or (same_width and len(new) != len(m.group(0))):
                continue
            edits.append((m.start(), m.end(), new))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _ics_edits(text: str, by: dt.timedelta) -> list[tuple[int, int, str]]:
    """Compact dates of date properties, outside VTIMEZONE (its rules start in 1970 and stay there)."""
    edits = []
    offset = 0
    in_zone = False
    for line in text.splitlines(keepends=True):
        upper = line.strip().upper()
        if upper == "BEGIN:VTIMEZONE":
            in_zone = True
        elif upper == "END:VTIMEZONE":
            in_zone = False
        elif not in_zone and _ICS_DATED.match(line):
            for m in _COMPACT.finditer(line, line.find(":") + 1):  # in the value, not the parameters
                new = _numeric(m, by, None)
                if new is not None:
                    edits.append((offset + m.start(), offset + m.end(), new))
        offset += len(line)
    return edits


def _replace(m: re.Match[str], values: dict[str, str]) -> str:
    """The match with the named groups' text replaced (groups that did not take part are skipped)."""
    out, at = [], m.start()
    for name, new in sorted(((n, v) for n, v in values.items() if m.start(n) >= 0), key=lambda nv: m.start(nv[0])):
        out += [m.string[at:m.start(name)], new]
        at = m.end(name)
    out.append(m.string[at:m.end()])
    return "".join(out)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest(ref: dt.date, candidates: Iterable[dt.date | None]) -> dt.date | None:
    return min((c for c in candidates if c is not None), key=lambda c: abs((c - ref).days), default=None)


def _with_year(ref: dt.date | None, month: int, day: int) -> dt.date | None:
    """The date of `day` `month` nearest `ref` (None without a `ref` to go by)."""
    if ref is None:
        return None
    return _nearest(ref, (_date(ref.year + i, month, day) for i in (-1, 0, 1)))


def _with_month(ref: dt.date | None, day: int, weekday: int | None = None) -> dt.date | None:
    """The date nearest `ref` that falls on `day` of a month (and on `weekday`, when given)."""
    if ref is None:
        return None
    months = ((ref.year * 12 + ref.month - 1 + i) for i in range(-2, 3))
    dates = (_date(ym // 12, ym % 12 + 1, day) for ym in months)
    return _nearest(ref, (d for d in dates if d is not None and (weekday is None or d.weekday() == weekday)))


def _digits(new: int, like: str) -> str:
    """A day in words' company, padded as it was written ("05 Nov" stays two digits, "5 Nov" one)."""
    return f"{new:0{len(like)}d}" if like.startswith("0") else str(new)


def _width(new: int, like: str) -> str:
    """A number of a numeric date, as wide as it was written ("18.11.2026" -> "02.12.2026")."""
    return f"{new:0{len(like)}d}"


def _ordinal(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _cased(word: str, like: str) -> str:
    if len(like) > 1 and like.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _word_language(word: str, table: dict, hint: str | None) -> tuple[str, int, int] | None:
    """(language, form 0 full / 1 abbreviation, index) of a month or weekday word, the hinted language first."""
    key = word.casefold()
    for lang in ((hint,) if hint else ()) + LANGUAGES:
        for form, words in enumerate(table.get(lang, ())):
            if key in words:
                return lang, form, words.index(key)
    return None


def _month_word(month: int, like: str, hint: str | None) -> str:
    """Month `month` (1-12) written as `like` was: same language, form and case."""
    found = _word_language(like, _MONTHS, hint)
    assert found is not None  # the pattern only matches known words
    lang, form, _ = found
    return _cased(_MONTHS[lang][form][month - 1], like)


def _hint(m: re.Match[str]) -> str | None:
    """The language a date is written in, from its own words: a weekday, Spanish "de", the German "10."."""
    groups = m.groupdict()
    if groups.get("wd"):
        found = _word_language(groups["wd"], _WEEKDAYS, None)
        if found:
            return found[0]
    if "de" in (groups.get("sep") or "").split():
        return "es"
    return "de" if groups.get("dot") else None


def _month_index(word: str, hint: str | None) -> int:
    found = _word_language(word, _MONTHS, hint)
    assert found is not None
    return found[2] + 1


def _day_month(m: re.Match[str], by: dt.timedelta, ref: dt.date | None) -> str | None:
    hint = _hint(m)
    month, day = _month_index(m["m"], hint), int(m["d"])
    old = _date(int(m["y"]), month, day) if m["y"] else _with_year(ref, month, day)
    if old is None:
        return None
    new = old + by
    day_text = _width(new.day, "00") if m["sep"] == "-" else _digits(new.day, m["d"])  # "05-Dec-2026"
    return _replace(m, {"d": day_text, "m": _month_word(new.month, m["m"], hint), "y": str(new.year)})


def _month_day(m: re.Match[str], by: dt.timedelta, ref: dt.date | None) -> str | None:
    month, day = _month_index(m["m"], None), int(m["d"])
    old = _date(int(m["y"]), month, day) if m["y"] else _with_year(ref, month, day)
    if old is None:
        return None
    new = old + by
    return _replace(m, {"m": _month_word(new.month, m["m"], None), "d": _digits(new.day, m["d"]),
                        "ord": _ordinal(new.day), "y": str(new.year)})


def _numeric(m: re.Match[str], by: dt.timedelta, ref: dt.date | None) -> str | None:
    old = _date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if old is None:
        return None
    new = old + by
    return _replace(m, {"y": str(new.year), "mo": _width(new.month, m["mo"]), "d": _width(new.day, m["d"])})


def _weekday_day(m: re.Match[str], by: dt.timedelta, ref: dt.date | None) -> str | None:
    found = _word_language(m["wd"], _WEEKDAYS, None)
    old = _with_month(ref, int(m["d"]), found[2] if found else None)
    if old is None:
        return None
    new = old + by
    return _replace(m, {"d": _digits(new.day, m["d"]), "ord": _ordinal(new.day)})


def _the_nth(m: re.Match[str], by: dt.timedelta, ref: dt.date | None) -> str | None:
    old = _with_month(ref, int(m["d"]))
    if old is None:
        return None
    new = old + by
    return _replace(m, {"d": str(new.day), "ord": _ordinal(new.day)})


def _es_range(m: re.Match[str], by: dt.timedelta, ref: dt.date | None) -> str | None:
    """"del 16 al 19 de noviembre": the first day is in the last day's month, or the one before.

    A range that now spans two months names both ("del 30 de noviembre al 3 de
    diciembre"); one written without its month stays so ("del 30 al 3"), as
    people write it.
    """
    d1, d2 = int(m["d1"]), int(m["d2"])
    if m["m"]:
        month = _month_index(m["m"], "es")
        last = _date(int(m["y"]), month, d2) if m["y"] else _with_year(ref, month, d2)
    else:
        last = _with_month(ref, d2)
    if last is None:
        return None
    month_before = last.replace(day=1) - dt.timedelta(days=1)
    first = _date(last.year, last.month, d1) if d1 <= d2 else _date(month_before.year, month_before.month, d1)
    if first is None:
        return None
    first, last = first + by, last + by
    days = {"d1": str(first.day), "d2": str(last.day)}
    if not m["m"]:
        return _replace(m, days)
    words = {"m": _month_word(last.month, m["m"], "es"), "y": str(last.year)}
    if first.month != last.month:
        days["d1"] += f" de {_month_word(first.month, m['m'], 'es')}"
        if m["y"] and first.year != last.year:
            days["d1"] += f" de {first.year}"
    return _replace(m, days | words)


Rule = Callable[[re.Match[str], dt.timedelta, "dt.date | None"], "str | None"]
#: Tried in this order; a match never overlaps an earlier one (a range before its days, a full date before a day).
_RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (_PDF_DATE, _numeric), (_ES_RANGE, _es_range), (_DAY_MONTH, _day_month), (_MONTH_DAY, _month_day),
    (_DOTTED, _numeric), (_ISO, _numeric), (_WD_DAY, _weekday_day), (_THE_NTH, _the_nth),
)
