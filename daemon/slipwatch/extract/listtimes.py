"""A time of day stated once for a whole list.

    All freezes start at 00:00 UTC on the day listed.

      2026-01-12  Transition and toolchain freeze
      2026-02-09  Soft freeze

RULES.md dates an item with the instant the message ties to it; a sentence
that gives a time (and maybe a zone) but no date, and says it holds for all
the items ("all", "both", "each", "times are": the registry's `lists` words),
ties that time to every dated item of the list beside it: the paragraph of
dated lines right after it, or else right before it ("Both deadlines are 23:59
AoE" under the two deadlines). An item that gives its own time keeps it; a
delivery reports a day, not a deadline's time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from . import dates as grammar
from .model import DELIVERED, Milestone, Reading
from .names import content_words
from .words import LIST_WORD_GROUPS, cue_regex

_EVERY = re.compile(cue_regex(LIST_WORD_GROUPS["every"]), re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
# A list is two dated lines or more.
_LISTED_LINES = 2


def with_list_times(items: Sequence[Milestone], text: str, reading: Reading) -> list[Milestone]:
    """`items`, those of a list that a sentence of `text` gives one time of day for at that time."""
    out = list(items)
    if not out or not _EVERY.search(text):
        return out
    paragraphs = _paragraphs(text)
    for i, paragraph in enumerate(paragraphs):
        shared = _shared_time(paragraph, reading) if _EVERY.search(paragraph) else None
        if shared is None:
            continue
        listed = _dated_list(paragraphs[i + 1], reading) if i + 1 < len(paragraphs) else None
        if listed is None and i > 0:
            listed = _dated_list(paragraphs[i - 1], reading)
        if listed is None:
            continue
        days, words = listed
        time, zone = shared
        out = [_at(m, time, zone, reading) if _in_list(m, days, words) else m for m in out]
    return out


def _paragraphs(text: str) -> list[str]:
    return [p for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def _shared_time(paragraph: str, reading: Reading) -> tuple[dt.time, dt.tzinfo | None] | None:
    """The time of day a sentence of `paragraph` gives for every item ("All freezes start at 00:00 UTC
    on the day listed"): a sentence with a list word, one time and no date."""
    for sentence in _SENTENCE_END.split(paragraph):
        if not _EVERY.search(sentence):
            continue
        shared = grammar.time_of_day(sentence)
        if shared is not None and not grammar.find_dates(sentence, reading.sent, day_first=reading.day_first):
            return shared
    return None


def _dated_list(paragraph: str, reading: Reading) -> tuple[frozenset[dt.date], frozenset[str]] | None:
    """The days and the words of `paragraph` when it is a list of dated lines; else None. A line that
    gives its own time ("2026-11-27  Test report, 12:00 CET") lends the list no day."""
    days: set[dt.date] = set()
    dated = 0
    for line in paragraph.split("\n"):
        found = grammar.find_dates(line, reading.sent, day_first=reading.day_first) if line.strip() else []
        dated += bool(found)
        if grammar.time_of_day(line) is None:
            days.update(m.when.date for m in found)
    if dated < _LISTED_LINES:
        return None
    return frozenset(days), frozenset(content_words(paragraph))


def _in_list(item: Milestone, days: frozenset[dt.date], words: frozenset[str]) -> bool:
    if item.status == DELIVERED or len(item.due) != 10 or dt.date.fromisoformat(item.due) not in days:
        return False
    named = content_words(item.name)
    return bool(named) and set(named) <= words


def _at(item: Milestone, time: dt.time, zone: dt.tzinfo | None, reading: Reading) -> Milestone:
    due = grammar.When(dt.date.fromisoformat(item.due), time, zone).value(reading.sent)
    return dataclasses.replace(item, due=due)
