"""Status words: how vendors say done, late, at risk or dropped, in the languages of the registry.

`read_status` reads a sentence (or a bullet, a table cell) and says which of
the RULES.md statuses its words express, plus whether they say the date
moved later or earlier. Dates themselves are weighed in moves.py: a new date
after the old one is a delay whatever the words say.

Precedence when several statuses are worded: cancelled > delivered >
delayed > at_risk > planned ("descoped, as agreed" is cancelled; "delivered
on the revised date" is delivered; "slips to the 13th, still at risk" is
delayed, since it has a new date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED
from .words import (CELL_WORDS, CONTEXT_WORDS, MODIFIERS_BEFORE, MONTHS, RELATIVE_DAYS, STATUS_CUE_WORDS, UNITS,
                    WEEK_LABELS, WEEKDAY_ABBR, WEEKDAYS, cue_regex)


def _cue(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(cue_regex(words), re.IGNORECASE)


CANCELLED_WORDS = _cue(STATUS_CUE_WORDS["cancelled"])
# A release "is out" (a person is out of office, out sick, out until Monday: a grammar, not a word list)
DELIVERED_WORDS = re.compile(cue_regex(STATUS_CUE_WORDS["delivered"]) + r"|(?<![\w-])(?:is|are)\s+(?:now\s+)?out"
                             r"(?!\s+(?:of|until|till|sick|on|for|today|this|next|and\s+about))(?!\w)", re.IGNORECASE)
DELAYED_WORDS = _cue(STATUS_CUE_WORDS["delayed"])
AT_RISK_WORDS = _cue(STATUS_CUE_WORDS["at_risk"])
EARLIER_WORDS = _cue(STATUS_CUE_WORDS["earlier"])
# A move whose direction only the dates tell ("moved from A to B").
MOVED_WORDS = _cue(STATUS_CUE_WORDS["moved"])
# A date that holds: "30 April, unchanged; we absorb the slip in the QC window".
UNCHANGED_WORDS = _cue(STATUS_CUE_WORDS["unchanged"])

# Words that keep a worded delivery in the future ("will be delivered"), to the end of their clause.
_FUTURE = re.compile(cue_regex(CONTEXT_WORDS["future"]) + r"[^,;:.()–—]*$", re.IGNORECASE)
# "75 % complete" is progress, not a delivery
_PARTIAL = re.compile(r"(?<!100)(?<!100\s)\b\d{1,2}\s?%\s*$")
# A delivery reported as a fact: "is done", "was delivered", "Status: complete".
_REPORTED = re.compile(cue_regex(CONTEXT_WORDS["reported"]) + r"\s+(?:\w+\s+)?$", re.IGNORECASE)
# "not yet", "has not yet been": up to two words between the negation and what it negates
_NEGATION = re.compile(cue_regex(CONTEXT_WORDS["negation"]) + r"\s+(?:\w+\s+){0,2}$", re.IGNORECASE)

_ORDER = (CANCELLED, DELIVERED, DELAYED, AT_RISK)
# The registry's delivery phrases state a fact ("já está disponível", "dodali jsme").
_REPORTING_WORDS = frozenset(w for w in STATUS_CUE_WORDS["delivered"] if " " in w)


@dataclass(frozen=True)
class Cue:
    """What the words of a text say about an item's status."""

    status: str = PLANNED
    later: bool = False      # the words say the date moved later
    earlier: bool = False    # ... or earlier
    moved: bool = False      # ... or moved, direction unsaid
    reported: bool = False   # a delivery stated as a fact ("is done"), datable on the day it is told
    held: bool = False       # the words say the date holds ("unchanged", "no impact")

    @property
    def any_move(self) -> bool:
        return self.later or self.earlier or self.moved


def _live(pattern: re.Pattern[str], text: str, *, future_guard: bool = False) -> list[re.Match[str]]:
    found = []
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        if _NEGATION.search(before):
            continue
        if future_guard and (_FUTURE.search(_clause_before(text, m.start())) or _PARTIAL.search(before)):
            continue
        found.append(m)
    return found


_CLAUSE_MARK = re.compile(r"[,;:.()–—][^,;:.()–—]*$")


def _clause_before(text: str, end: int) -> str:
    """The clause that runs up to `end`, at most 80 characters back: "once the last round of
    testing in the public clouds is " before "done"."""
    window = text[max(0, end - 80):end]
    mark = _CLAUSE_MARK.search(window)
    return window[mark.start():] if mark else window


# A reason clause speaks of something else: "moved from Dec 18 because the policy is
# still being finalised", "slips, as the fabric shipped late".
_REASON = _cue(CONTEXT_WORDS["reason"])


# "done by Thursday", "completed before the 20th": a deadline, not a delivery.
_DEADLINE_AFTER = re.compile(
    r"\s+" + cue_regex(CONTEXT_WORDS["deadline"]) + r"[\s-]+(?:" + cue_regex(MODIFIERS_BEFORE) + r"\s+)?(?:\d|"
    + cue_regex([*MONTHS, *WEEKDAYS, *WEEKDAY_ABBR, *RELATIVE_DAYS, *WEEK_LABELS, *UNITS]) + r"|(?:eod|cob|eow|q[1-4])\b)",
    re.IGNORECASE)


def _delivered_now(text: str) -> list[re.Match[str]]:
    """Delivery words that report a delivery, not a deadline ("done by Friday")."""
    found = []
    for m in _live(DELIVERED_WORDS, text, future_guard=True):
        before = text[max(0, m.start() - 30):m.start()]
        if _DEADLINE_AFTER.match(text, m.end()) and not _REPORTED.search(before):
            continue
        found.append(m)
    return found


def without_reason(text: str) -> str:
    """`text` without its reason clause ("..., because the trainers are on leave")."""
    reason = _REASON.search(text)
    if reason and text[:reason.start()].strip(" \t\n,;:–—-"):
        return text[:reason.start()]
    return text


def read_status(text: str) -> Cue:
    """The status the words of `text` express (PLANNED when they say none);
    the words of a reason clause ("because ...") do not count."""
    text = without_reason(text)
    risk = _live(AT_RISK_WORDS, text)
    risk_spans = [(m.start(), m.end()) for m in risk]
    delivered = _delivered_now(text)
    hits: dict[str, bool] = {
        CANCELLED: bool(_live(CANCELLED_WORDS, text)),
        DELIVERED: bool(delivered),
        # "may slip" is a risk, not a slip
        DELAYED: any(not any(s <= m.start() < e for s, e in risk_spans) for m in _live(DELAYED_WORDS, text)),
        AT_RISK: bool(risk),
    }
    earlier = bool(_live(EARLIER_WORDS, text))
    held = bool(_live(UNCHANGED_WORDS, text))
    status = next((s for s in _ORDER if hits[s]), PLANNED)
    if status == DELAYED and (earlier or held):
        status = PLANNED  # "moved up ... earlier than the revised plan", "unchanged; we absorb the slip"
    reported = any(not text[:m.start()].strip(" \t\n:–—-") or _REPORTED.search(text[max(0, m.start() - 30):m.start()])
                   or re.match(r"(?:is|are|went)\b", m.group(0), re.IGNORECASE)
                   or " ".join(m.group(0).lower().split()) in _REPORTING_WORDS for m in delivered)
    return Cue(status=status, later=hits[DELAYED] and not earlier and not held, earlier=earlier,
               moved=bool(MOVED_WORDS.search(text)), reported=reported, held=held)


# Table and tool status cells say more with fewer words: "Done", "Green", "100%", "Working on it".
# Checked in this order (a cell "Done (was late)" is delivered).
_CELL_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (status, _cue(CELL_WORDS[status])) for status in (CANCELLED, DELIVERED, AT_RISK, DELAYED, PLANNED))
# A RAG column may hold the letter alone: R, A, G (B for blue, complete).
_RAG_LETTER = {"r": AT_RISK, "a": AT_RISK, "g": PLANNED, "b": DELIVERED}


# Where a status cell's own word ends and its explanation begins: "Delayed – comparator lot arrived late".
_CELL_EXPLAINED = re.compile(r"\s+[-–—:]\s+|\s*[(;,]")


def cell_status(text: str) -> str | None:
    """The status a status cell states, or None when it states none. A cell leads with its status and
    may explain it ("Delayed – comparator lot arrived late" is late, whatever arrived); a neutral lead
    leaves the explanation to tell ("Green – signed off today" is delivered)."""
    letter = _RAG_LETTER.get(text.strip().lower())
    if letter:
        return letter
    lead = _CELL_EXPLAINED.split(text.strip(), maxsplit=1)
    if len(lead) == 2 and lead[0] and (said := cell_status(lead[0])) not in (None, PLANNED):
        return said
    cue = read_status(text)
    if cue.status != PLANNED:
        return cue.status
    for status, words in _CELL_WORDS:
        if words.search(text):
            return status
    return PLANNED if cue.earlier else None
