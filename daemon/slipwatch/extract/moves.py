"""Which of a sentence's dates is the new one, which the old one, and the status
they add up to.

Vendors mark the old date with a handful of words ("was", "instead of",
"from A to B", "not Dec 11", "A → B") or imply it ("planned for 16.10, it is
slipping by a week"). The new date compared with the old one settles the
direction: later is `delayed`, earlier is `planned` with `previous_due`
(RULES.md "Status"), whatever the words say.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import dates as grammar
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED
from .status import Cue
from .words import CLAUSE_OPENERS, CONTEXT_WORDS, MOVE_WORDS, cue_regex

_I = re.IGNORECASE
_LINK = cue_regex(MOVE_WORDS["link"])
# Right before an old date: "(was 30.10)", "instead of Friday", ", not Dec 11", "(from 4 Dec"; a plan word
# may follow the mark ("was planned for", "était prévue le", "war geplant am").
_OLD_MARKED = re.compile(
    rf"(?:{cue_regex(MOVE_WORDS['old'])}|\(\s*{cue_regex(MOVE_WORDS['from'])})"
    rf"(?:\s+{cue_regex([*MOVE_WORDS['link'], *MOVE_WORDS['plan']])})*\s*[:(]?\s*$", _I)
# ... not after a negation: "no later than 5 Dec" is a deadline
_NEGATED = re.compile(cue_regex(CONTEXT_WORDS["negation"]) + r"\s+$", _I)
# "from A to B" style, an old date only when the sentence speaks of a move.
_FROM_BEFORE = re.compile(rf"{cue_regex(MOVE_WORDS['from'])}(?:\s+{_LINK})?\s*$", _I)
# Dates that were the plan, an old date only when the sentence moves them.
_PLAN_BEFORE = re.compile(rf"{cue_regex(MOVE_WORDS['plan'])}(?:\s+{_LINK})*\s*$", _I)
_DASH = re.compile(r"[-–—]")
_ARROW_AFTER = re.compile(r"^\s*(?:→|->|=>|⇒|➔|»|>)")
# A date introduced by these is where the item goes or ends.
_TARGET_BEFORE = re.compile(rf"{cue_regex(MOVE_WORDS['to'])}(?:\s+{_LINK})?\s*$", _I)
# The same marks written after the date: "10. helyett" (instead of), and endings joined to it, "11'den"
# (from), "12'ye" (to), "17일에서 ... 24일로", "3月10日から".
_OLD_AFTER = re.compile(rf"^[\s.,]*{cue_regex(MOVE_WORDS['old_after'])}", _I)
_FROM_AFTER = re.compile(rf"^[-'’]?{cue_regex(MOVE_WORDS['from_after'], joined=True)}", _I)
_TO_AFTER = re.compile(rf"^[-'’]?{cue_regex(MOVE_WORDS['to_after'], joined=True)}", _I)
# In a table cell or a tool's comment, where a date stands alone: "OPEN (was 1 Jun)", "pushed from Oct 30",
# "anticipato dal 08.02", "2026-03-06（原 02-27）".
OLD_MARK = re.compile(rf"{cue_regex([*MOVE_WORDS['old'], *MOVE_WORDS['from']])}\.?\s*[:：]?(?:\s+{_LINK})*\s*$", _I)
# "a week behind the May 1 plan"
_PLAN_AFTER = re.compile(rf"^\s*{cue_regex(MOVE_WORDS['plan_after'])}", _I)


@dataclass(frozen=True)
class Timing:
    """The outcome for one item: its due date, old date and status."""

    due: str
    previous: str | None
    status: str


def _before(text: str, match: grammar.DateMatch, span: int = 48) -> str:
    return text[max(0, match.start - span):match.start]


def _old_before(before: str) -> bool:
    """The text before a date marks it old."""
    m = _OLD_MARKED.search(before)
    return m is not None and not _NEGATED.search(before, 0, m.start())


def _after(text: str, match: grammar.DateMatch, span: int = 16) -> str:
    return text[match.end:match.end + span]


def _from(text: str, match: grammar.DateMatch) -> bool:
    """The date is where a move starts: "from 4 Dec", "11'den"."""
    return bool(_FROM_BEFORE.search(_before(text, match)) or _FROM_AFTER.match(_after(text, match)))


def _is_old(text: str, match: grammar.DateMatch, cue: Cue, other_exists: bool) -> bool:
    if _old_before(_before(text, match)) or _ARROW_AFTER.match(_after(text, match, 4)) \
            or _OLD_AFTER.match(_after(text, match)):
        return True
    # "from A to B", "B – moved from A"
    return cue.any_move and other_exists and _from(text, match)


def _plan(text: str, match: grammar.DateMatch) -> bool:
    """The date was a plan: "planned for 4 Dec", "the May 1 plan"."""
    return bool(_PLAN_BEFORE.search(_before(text, match, 24)) or _PLAN_AFTER.match(_after(text, match)))


def _targeted(text: str, match: grammar.DateMatch) -> bool:
    """The date is where the item goes: "to 5 Dec", "24일로" (but "prevista para el 8" is a plan,
    though "para" may also say where a move goes)."""
    return bool(_TARGET_BEFORE.search(_before(text, match, 16)) or _TO_AFTER.match(_after(text, match))) \
        and not _plan(text, match)


def marks(text: str, match: grammar.DateMatch) -> tuple[str, ...]:
    """The move marks around a date, whatever its sentence says: "old" ("was 4 Dec", "10. helyett"),
    "from" ("from 4 Dec"), "to" ("to 11 Dec", "24일로"), "plan" ("planned for 4 Dec")."""
    before, after = _before(text, match), _after(text, match)
    found = []
    if _old_before(before) or _ARROW_AFTER.match(after) or _OLD_AFTER.match(after):
        found.append("old")
    if _from(text, match):
        found.append("from")
    if _targeted(text, match):
        found.append("to")
    if _plan(text, match):
        found.append("plan")
    return tuple(found)


# A condition's clause: "Wk 41 if PP sample approved by end of this month".
_CONDITION = re.compile(cue_regex(CLAUSE_OPENERS["conditions"]) + r"[^,;:.()]*$", _I)


def _pick_new(text: str, matches: Sequence[grammar.DateMatch]) -> grammar.DateMatch:
    # a date in a condition dates what the item waits for, not the item, when another date is left
    matches = [m for m in matches if not _CONDITION.search(_before(text, m, 60))] or matches
    targeted = [m for m in matches if _targeted(text, m)]
    return targeted[-1] if targeted else matches[0]


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def settle(text: str, matches: Sequence[grammar.DateMatch], cue: Cue, sent: dt.datetime,
           durations: Sequence[grammar.Duration] = (), *, default_today: bool = True) -> Timing | None:
    """The item's timing from the dates of its sentence, or None when it has none.

    `matches` are the sentence's dates (role "due"), offsets into `text`.
    `default_today`: a delivery report without a date is dated on the
    message's own day (RULES.md 4).
    """
    status = cue.status
    if len(matches) == 1 and not durations and cue.any_move and status in (PLANNED, DELAYED) \
            and matches[0].range_from is None and _from(text, matches[0]):
        return None  # "moving this from Oct 2": the date it left, and where it goes is not said
    old: list[grammar.DateMatch] = []
    new: list[grammar.DateMatch] = []
    range_move: grammar.DateMatch | None = None
    for i, m in enumerate(matches):
        if m.range_from is not None and cue.any_move and not _DASH.search(m.text):
            range_move = m  # "se retrasa del 27 de noviembre al 2 de diciembre": from, to
            new.append(m)
            continue
        (old if _is_old(text, m, cue, other_exists=len(matches) > 1) else new).append(m)
    planned = [m for m in new if _plan(text, m)]
    if planned and (cue.any_move or durations) and (len(new) > len(planned) or durations):
        old += planned
        new = [m for m in new if m not in planned]
    elif cue.any_move and len(new) >= 2 and len(planned) == len(new):
        # "moved out of Sprint 3 (due Nov 17) into Sprint 4, due Dec 18": the last plan is the new one
        old += new[:-1]
        new = new[-1:]
    old.sort(key=lambda m: m.start)

    if status == DELIVERED:
        return _delivered(text, new or old, old if new else [], cue, sent, default_today)
    if not new and not old:
        return None
    if status == CANCELLED or (not new and status == AT_RISK):
        chosen = _pick_new(text, new) if new else old[-1]
        return Timing(chosen.value(sent), None, status)

    previous = grammar.resolve(old[-1], sent, "previous") if old else None
    if range_move is not None and previous is None:
        start = grammar.resolve(range_move, sent, "previous").range_from
        previous = replace(range_move, when=start) if start is not None else None
    if new:
        due = _pick_new(text, new).value(sent)
    elif durations and (cue.later or cue.earlier) and previous is not None:
        # "planned for 23 Nov, but they need two more days"
        due = grammar.shift(previous.when.date, durations[0], backwards=cue.earlier).isoformat()
    else:
        # only an old date and no way to the new one: a restated plan
        return Timing(old[-1].value(sent), None, status if status != DELAYED else PLANNED)
    if previous is None and durations and cue.later and len(new) == 1 and not _targeted(text, new[0]):
        # "Checkout UI: 16.10, slipping by a week": the one date is the old one
        previous = grammar.resolve(new[0], sent, "previous")
        due = grammar.shift(previous.when.date, durations[0]).isoformat()
    elif previous is None and (cue.later or cue.earlier) and len(new) == 1 and (length := _move_length(
            text, durations, new[0])) is not None:
        # "3.2 RC1 slips a week, to 10 March": where it goes less the length of the move is where it was
        prev_value = grammar.shift(_day(due), length, backwards=cue.later).isoformat()
        return Timing(due, prev_value, DELAYED if cue.later else PLANNED)
    prev_value = previous.value(sent) if previous is not None else None
    if prev_value is not None:
        if _day(due) > _day(prev_value):
            status = DELAYED
        elif _day(due) < _day(prev_value):
            status = PLANNED
        else:
            prev_value = None  # "unchanged, 20 Nov"
    return Timing(due, prev_value, status)


# between a move's length and the day it goes to: "a week, to 10 March", "um eine Woche auf den 10. März"
_LENGTH_TO_DAY = re.compile(r"[\s,]*(?:[^\W\d_]+\s+){0,2}", re.IGNORECASE)


def _move_length(text: str, durations: Sequence[grammar.Duration],
                 new: grammar.DateMatch) -> grammar.Duration | None:
    """The length of a move written right before the day it moves to, or None."""
    for d in durations:
        if d.end <= new.start and new.start - d.end <= 16 and _LENGTH_TO_DAY.fullmatch(text, d.end, new.start):
            return d
    return None


def earlier_plan(text: str, matches: Sequence[grammar.DateMatch], sent: dt.datetime, *,
                 plan_words: bool = False) -> str | None:
    """The old date another sentence of the item states ("They were planned for
    week 48", "It was due on the 5th"), or None. With `plan_words` a plain plan
    ("also due today") counts too: the item's label, when its sentence moves it."""
    old = [m for m in matches if _old_before(_before(text, m)) or plan_words and _plan(text, m)]
    return grammar.resolve(old[-1], sent, "previous").value(sent) if old else None


def _delivered(text: str, dated: Sequence[grammar.DateMatch], old: Sequence[grammar.DateMatch],
               cue: Cue, sent: dt.datetime, default_today: bool) -> Timing | None:
    previous = grammar.resolve(old[-1], sent, "previous").value(sent) if old else None
    if not dated:
        if not default_today or not cue.reported:
            return None
        return Timing(sent.date().isoformat(), previous, DELIVERED)
    chosen = grammar.resolve(_pick_new(text, dated), sent, "delivered")
    if previous is not None and _day(previous) == chosen.when.date:
        previous = None  # "6 Nov → 6 Nov, done": done on the date it had
    if chosen.when.date > sent.date():
        # "samples ready Oct 23, sent by courier the same day": still to come; later than the date it
        # had, it is late ("was 30 Oct, now in 3 working days (... the SKU master you sent on 9 Nov)")
        late = previous is not None and _day(previous) < chosen.when.date
        return Timing(chosen.value(sent), previous, DELAYED if late else PLANNED)
    return Timing(chosen.value(sent), previous, DELIVERED)
