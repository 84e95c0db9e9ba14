"""What slipwatch knows about each language, read from one data file per language.

Every `<code>.json` in this folder describes one language: its month and
weekday words, relative days, numbers, duration units, week labels, weekday
modifiers ("next", "last"), date order, the field labels of project tools and
the headings of status tables (`fields`), the verbs of its project tools'
activity sentences (`activity`), the words that open a clause (`clauses`:
subject pronouns, conditions), the subject words of mail that states no item
(`mail_kinds`: invoices), the words of a sentence that states no item whatever
its dates (`noise`: a closure, a holiday, a payment due), the words that make a statement hold for a whole
list (`lists`: "all", "both"), and the words its mail clients print in forward and
reply headers. Both stages read this one registry: `mail/` for
header dates and forward blocks, `extract/` for the dates in vendor text.
Adding a language is adding a file (and its tests); tests/test_lang.py checks
that every file is complete and well formed.

Two flags decide where a language's words apply:
- `read_in_text`: vendor text in the language is read (months, weekdays,
  relative days... in `extract/`). A language read only in mail headers has
  false: its clients' forward labels and header dates are still understood.
- `exclusive`: its month words name other months in other languages (Croatian
  "listopad" is October, Polish November), so they apply only where the mail
  is known to be in that language.

JSON rather than TOML because the standard library reads it in C: the registry
is loaded when the date grammar is built, on every start-up.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from slipwatch.errors import LanguageFileError

DATE_ORDERS = ("DMY", "MDY", "YMD")
MAIL_FIELDS = ("from", "date", "subject", "to", "cc", "other")
UNIT_KINDS = ("day", "workday", "week", "month", "working", "filler")
MODIFIERS = ("this", "next", "last")


@dataclass(frozen=True)
class MailWords:
    """What a language's mail clients print around an earlier message."""

    labels: dict[str, tuple[str, ...]]  # field ("from", "date", ...) -> header labels
    forward_marks: tuple[str, ...]  # stems that say "forwarded" in a separator
    original_marks: tuple[str, ...]  # stems that say "original message"
    wrote: tuple[str, ...]  # the verb of "On <date>, <name> wrote:"
    reply_leads: tuple[str, ...]  # how such an attribution begins ("On", "Am", "Le")
    marks: tuple[str, ...]  # labels that say the mail is in this language
    subject_refs: tuple[str, ...] = ()  # "as per subject": the body points to the subject for its content


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    read_in_text: bool
    exclusive: bool
    date_order: str
    era_offset: int  # how far the language's years count ahead of the Gregorian ones (Thai 2569 is 2026: 543)
    spaced: bool  # words are separated by spaces (not so in Chinese, Japanese, Thai)
    months: tuple[tuple[str, ...], ...]  # January first; read in text and in headers
    header_months: tuple[tuple[str, ...], ...]  # forms too ambiguous for text: headers only
    weak_months: frozenset[str]  # also ordinary words: in text only in unmistakable shapes
    header_weak_months: frozenset[str]  # on a header line, a month only when nothing better is there
    weekdays: tuple[tuple[str, ...], ...]  # Monday first
    weekday_abbr: tuple[tuple[str, ...], ...]  # read in front of a date
    weekday_abbr_alone: frozenset[str]  # abbreviations that may stand alone (capitalised)
    month_parts: dict[str, tuple[str, ...]]  # MONTH_PARTS -> phrases for a part of this or next month ("eind deze maand")
    relative_days: dict[str, int]  # word -> days after the sent date
    # word -> days from the sent date, before or after as the tense tells (Hindi "कल" is yesterday and tomorrow)
    relative_either: dict[str, int]
    numbers: dict[str, int]
    ordinals: dict[str, int]  # -1 is "last"
    units: dict[str, tuple[str, ...]]  # UNIT_KINDS -> words
    week_labels: tuple[str, ...]  # words in front of a week number ("KW 50")
    year_words: tuple[str, ...]  # words between a date and its year ("de" 2026, "năm" 2026)
    day_words: tuple[str, ...]  # words in front of a bare day of the month ("no dia 15", "el día 15")
    date_marks: dict[str, tuple[str, ...]]  # "year"/"month"/"day" -> the signs of 2026年3月10日
    modifiers_before: dict[str, str]  # "next Friday": word -> this/next/last
    modifiers_after: dict[str, str]  # "vendredi prochain"
    status: dict[str, tuple[str, ...]]  # STATUS_CUES -> words that say it in running text ("đã giao")
    status_cells: dict[str, tuple[str, ...]]  # CELL_CUES -> the terse words of a status cell ("Done", "On track")
    moves: dict[str, tuple[str, ...]]  # MOVE_MARKS -> the words that mark a moved date's old and new day
    status_context: dict[str, tuple[str, ...]]  # CONTEXT_MARKS -> words that qualify a status cue
    fields: dict[str, tuple[str, ...]]  # FIELD_ROLES -> field labels and table headings ("due date", "baseline")
    thanks: tuple[str, ...]  # words that open thanks for the reader's input ("cảm ơn anh đã gửi ...")
    # words a deliverable's name does not start with (articles, possessives: "the", "la") or end with
    # (prepositions, conjunctions, auxiliaries, date words: "for", "de", "due")
    name_leading: tuple[str, ...]
    name_trailing: tuple[str, ...]
    clauses: dict[str, tuple[str, ...]]  # CLAUSE_WORDS -> words that open a clause ("we", "if")
    mail_kinds: dict[str, tuple[str, ...]]  # MAIL_KINDS -> subject words of mail that states no item ("invoice")
    noise: dict[str, tuple[str, ...]]  # NOISE_KINDS -> words of a sentence that states no item ("放假", "휴무")
    activity: dict[str, tuple[str, ...]]  # ACTIVITY_CUES -> the verbs of project tools' activity sentences
    lists: dict[str, tuple[str, ...]]  # LIST_WORDS -> words that make a statement hold for a whole list ("all")
    mail: MailWords

    def month_words(self, *, headers: bool = False) -> dict[str, int]:
        """Word -> month number; with `headers`, also the forms only header dates carry."""
        table = {w: n for n, words in enumerate(self.months, 1) for w in words}
        if headers:
            for n, words in enumerate(self.header_months, 1):
                for w in words:
                    table.setdefault(w, n)
        return table


@functools.cache
def languages() -> tuple[Language, ...]:
    """Every language of the registry, by code; read once per process."""
    found = []
    # The files sit beside this module (package data); a plain path is the fastest way to them.
    for path in sorted(Path(__file__).parent.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise LanguageFileError(f"language file {path.name}: not valid JSON ({exc})") from exc
        found.append(_language(path.stem, data))
    return tuple(found)


def language(code: str) -> Language:
    for lang in languages():
        if lang.code == code:
            return lang
    raise LanguageFileError(f"no language file {code}.json in slipwatch/lang")


def text_languages() -> tuple[Language, ...]:
    """The languages whose vendor text is read."""
    return tuple(lang for lang in languages() if lang.read_in_text)


def shared_languages() -> tuple[Language, ...]:
    """The languages whose month words apply to any mail (not exclusive)."""
    return tuple(lang for lang in languages() if not lang.exclusive)


_KEYS = {
    "name", "notes", "read_in_text", "exclusive", "date_order", "era_offset", "spaced", "months", "header_months",
    "header_months_notes", "weak_months", "header_weak_months", "weekdays", "weekday_abbr",
    "weekday_abbr_alone", "month_parts", "relative_days", "relative_either", "numbers", "ordinals", "units", "week_labels",
    "weekday_modifiers", "mail", "year_words", "day_words", "date_marks", "status", "status_cells", "moves", "status_context",
    "fields", "thanks", "name_edges", "clauses", "mail_kinds", "noise", "activity", "lists",
}
# The cue words below are literal and matched whole, case aside; CJK ones anywhere (no blanks there). A
# spelling without accents that writers use is listed too ("annulé", "annule"), unless it is a word of its
# own elsewhere ("bloqué" but not "bloque", Spanish for block). Two signs widen a word: a final "*" takes any
# ending ("gecik*": gecikme, gecikti), and " … " stands for up to four words between two ("schuift … op":
# "schuift een week op").
# What a status cue in running text says: the four statuses a vendor words, a move earlier, a move whose
# direction only the dates tell, and a date that holds ("unchanged", "no impact").
STATUS_CUES = ("delivered", "delayed", "at_risk", "cancelled", "earlier", "moved", "unchanged")
# A part of this month or of the next, said without naming the month: "eind deze maand", "до конца месяца".
MONTH_PARTS = ("start", "mid", "end", "next_start", "next_mid", "next_end")
# What a table's or a tool's status cell says, more tersely ("Done", "Green", "On track").
CELL_CUES = ("delivered", "delayed", "at_risk", "cancelled", "planned")
# Around a date that moved: the words right before its old day ("was", "originally", "au lieu du"), before
# the day it moves from and to ("from", "to"), before a plan ("planned for"), the small words that may stand
# between them and the date ("the", "on"), and the words written right after a date, as some languages
# mark these (Hungarian "10. helyett", Korean "17일에서 ... 24일로", Turkish "11'den ... 12'ye"; a hyphen or
# an apostrophe may join them to the date) or as a noun names a plan ("a week behind the May 1 plan").
MOVE_MARKS = ("old", "from", "to", "plan", "link", "old_after", "from_after", "to_after", "plan_after")
# Words that qualify a status cue in its clause: still to come ("will"), reported as a fact ("is", "already"),
# negated ("not"), a reason that speaks of something else ("because"), a deadline rather than a report ("by").
CONTEXT_MARKS = ("future", "reported", "negation", "reason", "deadline")
# What a tool's field label or a table's heading says its value is: the item ("Task"), what a row is about
# ("Title"), a group of items, the due date, a bare date, the start, the plan ("Baseline"), the forecast,
# the day it was done, the status, a record stamp ("Created"), a comment, a person, an identifier, and
# "other": the labels tools print beside the dates, which no reader needs but which tell a tool's field
# list ("Priority", "Sprint"); "change": the words after a label that say its value changed ("Due date
# changed: A → B"). extract/words.py says in which order a heading is read for them.
FIELD_ROLES = ("name", "label", "group", "due", "date", "start", "previous", "revised", "actual", "status",
               "stamp", "note", "owner", "code", "other", "change")
# Words that open a clause rather than a deliverable's name: a personal pronoun as its subject ("We're
# co-authors", "Je serai"), a condition, which leads in to what follows it ("if nothing explodes, ..."), and
# the next step of a sequence, which after a comma parts a sentence's items ("ready 27/10, then truck to
# the port 31/10").
CLAUSE_WORDS = ("subject_pronouns", "conditions", "sequence")
# Subject words of mail that states no deliverable however many dates it holds: an invoice or a reminder to pay.
MAIL_KINDS = ("invoice",)
# Words of a sentence that states no deliverable however it dates: the vendor closes or its people are away
# for a holiday ("春节放假", "추석 휴무", "nghỉ lễ"), or an invoice or a payment is due ("Rechnung", "payment
# terms"; a payment is noise only as what is paid: "the payment module" is a deliverable). Each is matched
# whole, or anywhere in a language written without blanks.
NOISE_KINDS = ("closure", "payment")
# The verbs of a project tool's activity sentences, as its notifications print them: "changed the due date from A
# to B" ("change", with the field after the verb), "Due date changed" ("changed": the field before it, passive),
# "completed "Pricing sheet"" ("complete"), "marked this task complete" ("mark" and then "done"), and the other
# things people do to an item, which state no date ("commented on", "mentioned you in": "other").
ACTIVITY_CUES = ("change", "changed", "complete", "mark", "done", "other")
# Words that make a statement hold for every item of a list: "All freezes start at 00:00 UTC", "Both deadlines
# are 23:59 AoE", "times are 17:00 CET" ("every").
LIST_WORDS = ("every",)
_MAIL_KEYS = {*MAIL_FIELDS, "forward_marks", "original_marks", "wrote", "reply_leads", "marks", "subject_refs"}


def _language(code: str, data: object) -> Language:
    """A Language from a file's data; a LanguageFileError names what is wrong and where."""
    where = f"language file {code}.json"
    if not isinstance(data, dict):
        raise LanguageFileError(f"{where}: expected an object at the top")
    unknown = set(data) - _KEYS
    if unknown:
        raise LanguageFileError(f"{where}: unknown keys {sorted(unknown)}; known: {sorted(_KEYS)}")
    for key in ("name", "read_in_text", "date_order", "months", "weekdays"):
        if key not in data:
            raise LanguageFileError(f"{where}: '{key}' is missing")
    if data["date_order"] not in DATE_ORDERS:
        raise LanguageFileError(f"{where}: date_order must be one of {', '.join(DATE_ORDERS)}")
    era_offset = data.get("era_offset", 0)
    if not isinstance(era_offset, int) or isinstance(era_offset, bool) or not 0 <= era_offset < 1000:
        raise LanguageFileError(f"{where}: 'era_offset' must be a whole number of years from 0 to 999 "
                                f"(Thai years count 543 ahead)")
    mail = data.get("mail", {})
    if not isinstance(mail, dict) or set(mail) - _MAIL_KEYS:
        raise LanguageFileError(f"{where}: 'mail' may hold only {sorted(_MAIL_KEYS)}")
    modifiers = data.get("weekday_modifiers", {})
    units = data.get("units", {})
    if set(units) - set(UNIT_KINDS):
        raise LanguageFileError(f"{where}: units may be {', '.join(UNIT_KINDS)}")
    cues = {key: _cue_groups(data.get(key, {}), groups, where, key) for key, groups in (
        ("status", STATUS_CUES), ("status_cells", CELL_CUES), ("moves", MOVE_MARKS), ("status_context", CONTEXT_MARKS),
        ("fields", FIELD_ROLES), ("month_parts", MONTH_PARTS), ("clauses", CLAUSE_WORDS), ("mail_kinds", MAIL_KINDS),
        ("noise", NOISE_KINDS), ("activity", ACTIVITY_CUES), ("lists", LIST_WORDS))}
    edges = data.get("name_edges", {})
    if not isinstance(edges, dict) or set(edges) - {"leading", "trailing"}:
        raise LanguageFileError(f"{where}: 'name_edges' may hold only 'leading' and 'trailing' lists of words")
    return Language(
        code=code,
        name=_text(data["name"], where, "name"),
        read_in_text=bool(data["read_in_text"]),
        exclusive=bool(data.get("exclusive", False)),
        date_order=data["date_order"],
        era_offset=era_offset,
        spaced=bool(data.get("spaced", True)),
        months=_groups(data["months"], 12, where, "months"),
        header_months=_groups(data.get("header_months", [[]] * 12), 12, where, "header_months"),
        weak_months=frozenset(_words(data.get("weak_months", []), where, "weak_months")),
        header_weak_months=frozenset(_words(data.get("header_weak_months", []), where, "header_weak_months")),
        weekdays=_groups(data["weekdays"], 7, where, "weekdays"),
        weekday_abbr=_groups(data.get("weekday_abbr", [[]] * 7), 7, where, "weekday_abbr"),
        weekday_abbr_alone=frozenset(_words(data.get("weekday_abbr_alone", []), where, "weekday_abbr_alone")),
        month_parts=cues["month_parts"],
        relative_days=_numbers(data.get("relative_days", {}), where, "relative_days"),
        relative_either=_numbers(data.get("relative_either", {}), where, "relative_either"),
        numbers=_numbers(data.get("numbers", {}), where, "numbers"),
        ordinals=_numbers(data.get("ordinals", {}), where, "ordinals"),
        units={kind: _words(units.get(kind, []), where, f"units.{kind}") for kind in UNIT_KINDS},
        week_labels=_words(data.get("week_labels", []), where, "week_labels"),
        year_words=_words(data.get("year_words", []), where, "year_words"),
        day_words=_words(data.get("day_words", []), where, "day_words"),
        date_marks=_date_marks(data.get("date_marks", {}), where),
        modifiers_before=_modifiers(modifiers.get("before", {}), where, "weekday_modifiers.before"),
        modifiers_after=_modifiers(modifiers.get("after", {}), where, "weekday_modifiers.after"),
        status=cues["status"],
        status_cells=cues["status_cells"],
        moves=cues["moves"],
        status_context=cues["status_context"],
        fields=cues["fields"],
        thanks=_words(data.get("thanks", []), where, "thanks"),
        name_leading=_words(edges.get("leading", []), where, "name_edges.leading"),
        name_trailing=_words(edges.get("trailing", []), where, "name_edges.trailing"),
        clauses=cues["clauses"],
        mail_kinds=cues["mail_kinds"],
        noise=cues["noise"],
        activity=cues["activity"],
        lists=cues["lists"],
        mail=MailWords(
            labels={name: _words(mail.get(name, []), where, f"mail.{name}") for name in MAIL_FIELDS},
            forward_marks=_words(mail.get("forward_marks", []), where, "mail.forward_marks"),
            original_marks=_words(mail.get("original_marks", []), where, "mail.original_marks"),
            wrote=_words(mail.get("wrote", []), where, "mail.wrote"),
            reply_leads=_words(mail.get("reply_leads", []), where, "mail.reply_leads"),
            marks=_words(mail.get("marks", []), where, "mail.marks"),
            subject_refs=_words(mail.get("subject_refs", []), where, "mail.subject_refs"),
        ),
    )


def _text(value: object, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LanguageFileError(f"{where}: '{key}' must be a non-empty string")
    return value


def _words(value: object, where: str, key: str) -> tuple[str, ...]:
    """A list of lower-case words, each once."""
    if not isinstance(value, list):
        raise LanguageFileError(f"{where}: '{key}' must be a list of words")
    for word in value:
        if not isinstance(word, str) or not word.strip() or word != word.lower().strip():
            raise LanguageFileError(f"{where}: '{key}' holds {word!r}; words are lower case, without outer blanks")
    if len(set(value)) != len(value):
        raise LanguageFileError(f"{where}: '{key}' lists a word twice")
    return tuple(value)


def _cue_groups(value: object, groups: tuple[str, ...], where: str, key: str) -> dict[str, tuple[str, ...]]:
    """A section of cue words by group; every group is there, empty when the file gives none."""
    if not isinstance(value, dict) or set(value) - set(groups):
        raise LanguageFileError(f"{where}: '{key}' may hold only {', '.join(groups)}")
    out = {}
    for group in groups:
        words = _words(value.get(group, []), where, f"{key}.{group}")
        for word in words:
            if not _well_widened(word):
                raise LanguageFileError(f"{where}: '{key}.{group}' holds {word!r}; '*' may only end a word "
                                        f"and ' … ' only stand between two words")
        out[group] = words
    return out


def _well_widened(word: str) -> bool:
    parts = word.split(" … ")
    if any(not part or "…" in part or part != part.strip() for part in parts):
        return False
    return all("*" not in part[:-1] and part != "*" for part in parts)


def _groups(value: object, count: int, where: str, key: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or len(value) != count:
        raise LanguageFileError(f"{where}: '{key}' must be a list of {count} lists of words")
    return tuple(_words(group, where, f"{key}[{n}]") for n, group in enumerate(value, 1))


def _numbers(value: object, where: str, key: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise LanguageFileError(f"{where}: '{key}' must map words to whole numbers")
    _words(list(value), where, key)
    for word, number in value.items():
        if not isinstance(number, int) or isinstance(number, bool):
            raise LanguageFileError(f"{where}: '{key}' maps {word!r} to {number!r}, not a whole number")
    return dict(value)


def _modifiers(value: object, where: str, key: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise LanguageFileError(f"{where}: '{key}' must map words to this/next/last")
    _words(list(value), where, key)
    for word, meaning in value.items():
        if meaning not in MODIFIERS:
            raise LanguageFileError(f"{where}: '{key}' maps {word!r} to {meaning!r}; use this, next or last")
    return dict(value)


# "weekday": the one-sign weekdays written in brackets after such a date, "3月10日（火）"; the parts of a
# month written after its sign: "10月中旬" (mid), "7月末" (end), "5월 초" (start).
_DATE_MARK_PARTS = {"year", "month", "day", "weekday", "month_start", "month_mid", "month_end"}


def _date_marks(value: object, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or (value and not {"year", "month", "day"} <= set(value) <= _DATE_MARK_PARTS):
        raise LanguageFileError(f"{where}: 'date_marks' must give the signs for year, month and day "
                                f"(and may give the one-sign weekdays, 'weekday', and the words of a month's "
                                f"parts, 'month_start', 'month_mid', 'month_end')")
    return {part: _words(signs, where, f"date_marks.{part}") for part, signs in value.items()}
