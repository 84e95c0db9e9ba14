"""The vocabularies the date grammar reads, drawn from the language registry.

Every table maps a lower-case word (accented and unaccented spellings both
listed) to its value, over the languages whose vendor text is read
(slipwatch.lang, `read_in_text`). ``alternation()`` and ``trie_regex()`` turn
a table into a regex. Short words that are also ordinary words ("may", "set",
"out", "mar", ...) are in WEAK_MONTHS: the grammar accepts them only where the
context leaves no doubt (see dates.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from slipwatch.lang import (ACTIVITY_CUES, CELL_CUES, CLAUSE_WORDS, CONTEXT_MARKS, FIELD_ROLES, LIST_WORDS, MAIL_KINDS,
                            MONTH_PARTS, MOVE_MARKS, NOISE_KINDS, STATUS_CUES, languages, text_languages)

_LANGUAGES = text_languages()

MONTHS: dict[str, int] = {w: n for lang in _LANGUAGES for w, n in lang.month_words().items()}
# Month words that are also common words; only accepted in unmistakable
# shapes ("6 de nov", "28 out 2026", "May 5" capitalised...).
WEAK_MONTHS: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.weak_months)

# Weekdays, Monday = 0.
WEEKDAYS: dict[str, int] = {w: n for lang in _LANGUAGES for n, words in enumerate(lang.weekdays) for w in words}
# Abbreviations, read in front of a date ("sex, 6 de nov", "Do, 15.10.").
WEEKDAY_ABBR: dict[str, int] = {
    w: n for lang in _LANGUAGES for n, words in enumerate(lang.weekday_abbr) for w in words
}
# The ones that may stand alone when capitalised ("HL on track for Mon").
WEEKDAY_ABBR_ALONE: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.weekday_abbr_alone)

# Numbers written as words (durations, "in two weeks") and ordinals ("the second week").
NUMBER_WORDS: dict[str, int] = {w: n for lang in _LANGUAGES for w, n in lang.numbers.items()}
ORDINALS: dict[str, int] = {w: n for lang in _LANGUAGES for w, n in lang.ordinals.items()}
# Relative day words -> offset in days from the sent date.
RELATIVE_DAYS: dict[str, int] = {w: n for lang in _LANGUAGES for w, n in lang.relative_days.items()}
# Relative day words whose side the tense tells (Hindi "कल"): word -> days from the sent date.
RELATIVE_EITHER: dict[str, int] = {w: n for lang in _LANGUAGES for w, n in lang.relative_either.items()}

# Duration units by kind ("day", "workday", "week", "month"), and the words that
# make days working days ("working", "ouvrés") or merely qualify them ("more").
UNITS: dict[str, str] = {
    w: kind for lang in _LANGUAGES for kind in ("day", "workday", "week", "month") for w in lang.units[kind]
}
WORKING: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.units["working"])
UNIT_FILLERS: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.units["filler"])

# Words in front of an ISO week number ("KW 50", "semana 50").
WEEK_LABELS: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.week_labels)

# "eind deze maand", "cuối tháng này": (months ahead, part of the month) -> phrases.
MONTH_PART_PHRASES: dict[tuple[int, str], tuple[str, ...]] = {
    (int(group.startswith("next_")), group.removeprefix("next_")):
        tuple(sorted({w for lang in _LANGUAGES for w in lang.month_parts[group]})) for group in MONTH_PARTS}

# Years counted from another era ("10 ธันวาคม 2569"): how far ahead each such era is.
ERA_OFFSETS: tuple[int, ...] = tuple(sorted({lang.era_offset for lang in _LANGUAGES if lang.era_offset}))

# Words between a date and its year: "5 de diciembre de 2026", "ngày 10 tháng 3 năm 2026".
YEAR_WORDS: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.year_words)
# Words in front of a bare day of the month: "no dia 15", "el día 15", "tanggal 15".
DAY_WORDS: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.day_words)
# The signs of year, month and day in "2026年3月10日", "2026년 3월 10일", the
# one-sign weekdays bracketed after them ("（火）") and the words of a month's parts ("10月中旬").
DATE_MARKS: dict[str, frozenset[str]] = {
    part: frozenset(sign for lang in _LANGUAGES for sign in lang.date_marks.get(part, ()))
    for part in ("year", "month", "day", "weekday", "month_start", "month_mid", "month_end")
}

# Kana, ideographs and Hangul: writing with no blanks between words, so no word boundaries to ask for.
CJK_CHAR = "[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"

# Status and move cues, by group, over every language of the registry: unlike month words they name
# nothing else anywhere, so a cue applies whatever language the mail is in (slipwatch.lang documents the groups).
def _cue_words(section: str, groups: Iterable[str]) -> dict[str, tuple[str, ...]]:
    return {group: tuple(sorted({w for lang in languages() for w in getattr(lang, section)[group]}))
            for group in groups}


STATUS_CUE_WORDS: dict[str, tuple[str, ...]] = _cue_words("status", STATUS_CUES)
CELL_WORDS: dict[str, tuple[str, ...]] = _cue_words("status_cells", CELL_CUES)
MOVE_WORDS: dict[str, tuple[str, ...]] = _cue_words("moves", MOVE_MARKS)
CONTEXT_WORDS: dict[str, tuple[str, ...]] = _cue_words("status_context", CONTEXT_MARKS)
# Field labels of tools ("Due date", "Assignee") and headings of tables ("Baseline", "Forecast"), by role:
# one vocabulary for notifications.py and tables.py.
FIELD_WORDS: dict[str, tuple[str, ...]] = _cue_words("fields", FIELD_ROLES)
# The verbs of tools' activity sentences ("changed", "a modifié", "completed", "mentioned you in"), by group.
ACTIVITY_WORDS: dict[str, tuple[str, ...]] = _cue_words("activity", ACTIVITY_CUES)
# Words that open a clause: subject pronouns ("we", "je"), conditions ("if", "wenn"), a sequence's next step
# ("then", "danach").
CLAUSE_OPENERS: dict[str, tuple[str, ...]] = _cue_words("clauses", CLAUSE_WORDS)
# Subject words of mail that states no item ("invoice", "Rechnung", "請求書").
MAIL_KIND_WORDS: dict[str, tuple[str, ...]] = _cue_words("mail_kinds", MAIL_KINDS)
# Words of a sentence that states no item: a closure or a holiday ("放假", "휴무", "nghỉ lễ"), a payment due.
NOISE_WORDS: dict[str, tuple[str, ...]] = _cue_words("noise", NOISE_KINDS)
# Words that make a statement hold for a whole list: "All freezes start at 00:00 UTC", "Both deadlines are 23:59 AoE".
LIST_WORD_GROUPS: dict[str, tuple[str, ...]] = _cue_words("lists", LIST_WORDS)

# Words that open thanks for the reader's input: "Thanks for the drawings (sent 4/12)", "Cảm ơn anh đã gửi ...".
THANKS_WORDS: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.thanks)

# The words a deliverable's name does not start with ("the", "la", "der") or end with ("for", "de", "due").
NAME_LEADING: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.name_leading)
NAME_TRAILING: frozenset[str] = frozenset(w for lang in _LANGUAGES for w in lang.name_trailing)
# those of languages written without blanks, which end a name written onto them ("งานพิมพ์ | ภายใน")
NAME_TRAILING_JOINED: frozenset[str] = frozenset(w for lang in _LANGUAGES if not lang.spaced for w in lang.name_trailing)

# "next Friday", "vendredi prochain": modifier word -> this/next/last.
MODIFIERS_BEFORE: dict[str, str] = {w: m for lang in _LANGUAGES for w, m in lang.modifiers_before.items()}
MODIFIERS_AFTER: dict[str, str] = {w: m for lang in _LANGUAGES for w, m in lang.modifiers_after.items()}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces flexible."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = re.escape(w).replace(r"\ ", r"\s+")
        parts.append("".join("['’]" if ch in "'’" else ch for ch in esc))
    return "(?:" + "|".join(parts) + ")"


def trie_regex(words: Iterable[str]) -> str:
    """A regex for ``words`` built as a prefix tree: fast to try at a position.

    Spaces match any run of blanks; an apostrophe matches ' or ’.
    """
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w.replace("’", "'"):
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            if ch == " ":
                edge = r"\s+"
            elif ch == "'":
                edge = "['’]"
            else:
                edge = re.escape(ch)
            alts.append(edge + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return "(?:" + emit(trie) + ")"


def strip_dot(word: str) -> str:
    return word.lower().rstrip(".")


_GAP, _STEM, _SPACE, _APOSTROPHE = "gap", "stem", "space", "apostrophe"
_IS_WIDE = re.compile(CJK_CHAR)
# The words of languages written without blanks between words (Thai): matched anywhere, like CJK ones.
_UNSPACED: frozenset[str] = frozenset(
    w for lang in languages() if not lang.spaced
    for section in (lang.status, lang.status_cells, lang.moves, lang.status_context, lang.fields, lang.noise)
    for words in section.values() for w in words)


def _tokens(word: str) -> list[str]:
    out: list[str] = []
    for i, part in enumerate(word.split(" … ")):
        if i:
            out.append(_GAP)
        stem = part.endswith("*")
        for ch in part.rstrip("*"):
            out.append(_SPACE if ch == " " else _APOSTROPHE if ch in "'’" else ch)
        if stem:
            out.append(_STEM)
    return out


_EDGES = {_SPACE: r"\s+", _GAP: r"\s+(?:[\w'’-]+\s+){0,4}?", _STEM: r"\w*", _APOSTROPHE: "['’]"}


def _trie(words: Iterable[str]) -> str:
    """A prefix tree of `words` as a regex."""
    trie: dict = {}
    for w in words:
        node = trie
        for token in _tokens(w):
            node = node.setdefault(token, {})
        node[""] = True

    def emit(node: dict) -> str:
        alts = [(_EDGES.get(key) or re.escape(key)) + emit(node[key]) for key in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def cue_regex(words: Iterable[str], *, joined: bool = False) -> str:
    """A regex (to compile with re.IGNORECASE) for the registry's cue `words`: each matched whole,
    blanks flexible, "*" any ending, " … " up to four words; CJK words anywhere.
    `joined`: the words are endings written onto what stands before them ("11'den", "10-ről")."""
    words = set(words)
    wide = {w for w in words if _IS_WIDE.search(w) or w in _UNSPACED}
    spaced = words - wide
    starts = {w for w in spaced if re.match(r"\w", w)}
    parts = []
    if starts:
        parts.append(("" if joined else r"(?<![\w-])") + _trie(starts) + r"(?!\w)")
    if spaced - starts:  # "'ll", "(from"
        parts.append(_trie(spaced - starts) + r"(?!\w)")
    if wide:
        parts.append(_trie(wide))
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


# A heading or label takes the first role whose words it holds, in this order: "Start date" is no
# due date, "Baseline finish" is the plan, "Actual finish" the day it was done, "Task name" no label.
HEADING_ROLES = ("start", "status", "previous", "revised", "actual", "stamp", "due", "date", "note", "name", "group",
                 "label")
# ... and these only when they are all it says: "Owner", "PO No.", "Week", "Priority" (a heading that
# merely holds "art" or "lead" is no code or owner). "week" is the registry's week labels ("KW", "Wk").
WHOLE_ROLES = ("week", "owner", "code", "other")
_ROLE_WORDS = {role: re.compile(cue_regex(FIELD_WORDS[role]), re.IGNORECASE) for role in HEADING_ROLES}
_WHOLE_WORDS = {role: re.compile(r"\W*(?:" + cue_regex(WEEK_LABELS if role == "week" else FIELD_WORDS[role]) +
                                 r"[\s./-]*)+\W*", re.IGNORECASE) for role in WHOLE_ROLES}
_HEADING_WORD_SPLIT = re.compile(r"[\s-]+")
_FIELD_OF_ITEM = ("code", "owner", "other")
_ANY_FIELD_WORD = cue_regex({w for role in (*HEADING_ROLES, "owner", "code", "other") for w in FIELD_WORDS[role]})
# A tool's field label is field words only ("Target Date", "Assigned to", "Due date changed").
_FIELD_LABEL = re.compile(r"\s*" + _ANY_FIELD_WORD + r"(?:[\s./-]*" + _ANY_FIELD_WORD + r")*[\s.]*"
                          r"(?:\s" + cue_regex(FIELD_WORDS["change"]) + r")?\s*", re.IGNORECASE)
_CHANGED = re.compile(r"\s" + cue_regex(FIELD_WORDS["change"]) + r"\s*$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def heading_role(heading: str) -> str | None:
    """The role a table's heading names ("due", "status", "name"...), or None. An item's heading
    that ends in the word of a code, an owner or another field names that field of the item, not
    the item ("Task ID", "Card URL", "Issue Type"): the last word of a compound heads it."""
    for role in HEADING_ROLES:
        if _ROLE_WORDS[role].search(heading):
            words = _HEADING_WORD_SPLIT.split(heading.strip())
            if role in ("name", "label") and len(words) > 1:
                return next((field for field in _FIELD_OF_ITEM if _WHOLE_WORDS[field].fullmatch(words[-1])), role)
            return role
    for role in WHOLE_ROLES:
        if _WHOLE_WORDS[role].fullmatch(heading):
            return role
    return None


@functools.lru_cache(maxsize=4096)
def field_role(label: str) -> str | None:
    """The role of a tool's field label, when the label is made of field words only; None for
    any other label ("Ex-factory", "Knitting start": items named in a list of dates)."""
    if not _FIELD_LABEL.fullmatch(label):
        return None
    return heading_role(_CHANGED.sub("", label) or label)


# "As per subject", "siehe Betreff": the body points to the subject for what it says.
SUBJECT_REFERENCE = re.compile(
    r"(?<!\w)(?:" + "|".join(sorted({re.escape(ref) for lang in _LANGUAGES for ref in lang.mail.subject_refs},
                                    key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
