"""Decisions learned from labelled mail: for each date candidate of the vendor's
prose (mentions.py), whether it is a milestone's due date, the date it had
before (previous), or neither, and the status it is stated with.

The weights are trained by `make train` (training.py, scikit-learn) on the
labelled mails and kept in model.json: plain numbers, nothing that runs.
Inference is a sum of the weights of a candidate's features and a softmax,
in pure Python.

How the learned decisions meet the hand rules of candidates.py is a choice
measured on blind mail (`DECISIONS`):
- "rules": the hand rules alone;
- "filter": a prose item the rules read is dropped when the model calls every
  candidate of its date no milestone;
- "combined": "filter", and a candidate the model is sure of that no rule item
  dates becomes an item, named as the rules name its unit;
- "learned": the prose items are the model's alone.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from . import dates as grammar
from .candidates import UNDATED_CONFIDENCE, text_items, unit_name, unit_states_nothing
from .mentions import Candidate, unit_candidates
from .model import PLANNED, Milestone, Reading
from .names import is_vague
from .noise import is_meeting
from .structure import Segment, Span, segments

RULES, FILTER, COMBINED, LEARNED = "rules", "filter", "combined", "learned"
MODES = (RULES, FILTER, COMBINED, LEARNED)
# Measured on the blind halves of held-out sets 4-11 (docs/mail.md); the winner is the default.
DECISIONS = COMBINED

NONE, DUE, PREVIOUS = "none", "due", "previous"
ROLES = (NONE, DUE, PREVIOUS)
# The thresholds are chosen by leave-one-set-out cross-validation (benchmarks/crossval.py).
KEEP = 0.15  # a rule item stays unless every candidate of its date is due with less than this
ADD = 0.9    # a candidate no rule item dates is added when it is due with at least this
RESTATE = 0.7  # a planned rule item takes the model's other status when it is this sure of it

# How far a date lies from the sending day, in days: the bucket's upper bound.
_DISTANCE = ((-31, "past_month+"), (-8, "past_month"), (-1, "past_week"), (0, "sent_day"), (7, "next_week"),
             (31, "next_month"), (92, "next_quarter"), (366, "next_year"))


def _distance(days: int) -> str:
    for bound, name in _DISTANCE:
        if days <= bound:
            return name
    return "later"


def _place(index: int, count: int) -> str:
    if count <= 1:
        return "only"
    return "first" if index == 0 else "last" if index == count - 1 else "middle"


def features(c: Candidate, index_in_unit: int = 0) -> list[str]:
    """The names of the features `c` has (each worth 1), sorted.

    `index_in_unit` is the place of its date among the dates of its unit: in
    "moved from 4 Dec to 11 Dec" the first is the old date."""
    unit_place = c.unit_index / max(1, c.units - 1)
    out = {
        f"date_kind={c.date_kind}", f"unit={c.unit_kind}", f"region={c.region}", f"status={c.status}",
        f"distance={_distance(c.days_from_sent)}", f"dates_in_unit={min(c.dates_in_unit, 3)}",
        f"place_in_unit={_place(index_in_unit, c.dates_in_unit)}",
        f"place_in_text={'start' if unit_place < 0.2 else 'end' if unit_place > 0.8 else 'middle'}",
        f"status={c.status}&moved={c.moved}&place={_place(index_in_unit, c.dates_in_unit)}",
        # a past date stated as planned is mostly none of the items'; a weekday in a clause, a reference
        f"distance={_distance(c.days_from_sent)}&status={c.status}", f"date_kind={c.date_kind}&unit={c.unit_kind}",
    }
    out.update(f"mark={mark}" for mark in c.marks)
    out.update(f"says={flag}" for flag in c.says)
    if c.heading_status != PLANNED:
        out.add(f"heading_status={c.heading_status}")
    if c.in_label:
        out.add("in_label")
    if c.moved:
        out.add("moved")
    if len(c.due) > 10:
        out.add("has_time")
    if c.heading:
        out.add("under_heading")
    out.update(f"word:{w}" for w in c.unit_words)
    out.add(f"dates_in_text={min(c.dates_in_text, 4)}")
    out.update(f"before:{w}" for w in c.words_before)
    out.update(f"after:{w}" for w in c.words_after)
    if c.words_before:
        out.add(f"just_before:{c.words_before[-1]}")
    if c.words_after:
        out.add(f"just_after:{c.words_after[0]}")
    return sorted(out)


@dataclass(frozen=True)
class Decision:
    """What the model makes of one candidate: the chance of each role and of each status."""

    roles: Mapping[str, float]
    statuses: Mapping[str, float]

    @property
    def status(self) -> str:
        return max(sorted(self.statuses), key=self.statuses.__getitem__)


def _softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True)
class Classifier:
    """A multinomial logistic regression: classes, their intercepts, and each feature's weight per class."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def predict(self, names: Iterable[str]) -> dict[str, float]:
        rows = [w for w in map(self.weights.get, names) if w]
        scores = [sum(column) for column in zip(self.intercepts, *rows)]  # each class: its intercept, then the weights
        if len(self.classes) == 1:
            return {self.classes[0]: 1.0}
        if len(scores) == 1:  # a binary model keeps one row of weights, for its second class
            p = 1 / (1 + math.exp(-scores[0]))
            return {self.classes[0]: 1 - p, self.classes[1]: p}
        return dict(zip(self.classes, _softmax(scores)))

    @classmethod
    def from_json(cls, data: Mapping) -> Classifier:
        return cls(tuple(data["classes"]), tuple(data["intercepts"]),
                   {name: tuple(w) for name, w in data["weights"].items()})


@dataclass(frozen=True)
class Model:
    role: Classifier
    status: Classifier

    def decide(self, c: Candidate, index_in_unit: int = 0) -> Decision:
        names = features(c, index_in_unit)
        return Decision(self.role.predict(names), self.status.predict(names))


@cache
def model() -> Model:
    """The trained model shipped with the package (model.json)."""
    data = json.loads(resources.files(__package__).joinpath("model.json").read_text(encoding="utf-8"))
    return Model(Classifier.from_json(data["role"]), Classifier.from_json(data["status"]))


def prose_milestones(text: str, reading: Reading, mode: str = DECISIONS) -> list[Milestone]:
    """The items the prose `text` states, decided by the hand rules, the model or both, as `mode` says."""
    if mode not in MODES:
        raise ValueError(f"unknown decisions {mode!r}: use one of {', '.join(MODES)}")
    found = grammar.find_dates(text, reading.sent, day_first=reading.day_first)
    whole = list(segments(text, [(m.start, m.end) for m in found]))
    stated = text_items(text, reading, found, whole)
    rule_items = [item for _, item in stated]
    if mode == RULES:
        return rule_items
    units = unit_candidates(text, reading.sent, day_first=reading.day_first, found=found, whole=whole)
    decided = [(seg, inside, c, model().decide(c, i)) for seg, inside in units for i, c in enumerate(inside)]
    if mode == LEARNED:
        kept = [m for m in rule_items if m.confidence <= UNDATED_CONFIDENCE]
        return kept + _items(text, reading, decided, kept, threshold=0.5)
    surest: dict[str, Decision] = {}  # of each day, the decision of its likeliest due candidate
    for _, _, c, d in decided:
        if c.due[:10] not in surest or d.roles[DUE] > surest[c.due[:10]].roles[DUE]:
            surest[c.due[:10]] = d
    kept = [_restated(m, _own(span, m.day, decided)) for span, m in stated
            if m.day not in surest or surest[m.day].roles[DUE] >= KEEP or m.status != PLANNED]
    if mode == FILTER:
        return kept
    return kept + _items(text, reading, decided, kept, threshold=ADD)


def _own(item: Span, day: str, decided) -> Decision | None:
    """The surest due decision among the candidates of `day` in the unit `item` of a rule's item,
    or in a clause of it, or in the unit it is a clause of: another item on the same day ("Salad
    bowl: on hold indefinitely" beside "Colour samples: mid-January") says nothing of its status.
    `decided` is in text order: the units that lie in `item` or hold it are found by bisection."""
    last = bisect.bisect_right(decided, item.start, key=_unit_start)  # past the rows of the unit at or before it
    first = bisect.bisect_left(decided, _unit_start(decided[last - 1]), key=_unit_start) if last else 0
    best = None
    for seg, _, c, d in itertools.takewhile(lambda row: row[0].span.start < item.end, decided[first:]):
        inside = item.start <= seg.span.start and seg.span.end <= item.end
        holds = seg.span.start <= item.start and item.end <= seg.span.end
        if c.due[:10] == day and (inside or holds) and (best is None or d.roles[DUE] > best.roles[DUE]):
            best = d
    return best


def _unit_start(row) -> int:
    return row[0].span.start


def _restated(item: Milestone, decision: Decision | None) -> Milestone:
    """A rule item read as planned that the model is sure has another status ("tagged today", a RAG word)."""
    if decision is None or item.status != PLANNED or item.previous_due is not None \
            or decision.status == PLANNED or decision.statuses[decision.status] < RESTATE:
        return item
    return replace(item, status=decision.status)


def _items(text: str, reading: Reading, decided, known: Sequence[Milestone], *, threshold: float) -> list[Milestone]:
    """An item for every candidate due with at least `threshold` that no item of `known` dates."""
    days = {m.day for m in known} | {m.previous_due[:10] for m in known if m.previous_due}
    # a unit the rules read already says what its dates are ("As agreed on Tuesday's call, the docs follow on 12 Nov")
    read = {seg.span for seg, _, c, _ in decided if c.due[:10] in days}
    # of each unit, read once however many of its dates are items: its name, and its two first
    # candidates for a previous date on different days (the first whose day is not an item's own)
    names: dict[Segment, str] = {}
    previous_dates: dict[Segment, list[Candidate]] = {}
    for seg, _, o, od in decided:
        olds = previous_dates.setdefault(seg, [])
        if od.roles[PREVIOUS] > 0.5 and len(olds) < 2 and all(p.due[:10] != o.due[:10] for p in olds):
            olds.append(o)
    out: list[Milestone] = []
    for seg, inside, c, d in decided:
        if d.roles[DUE] < threshold or c.due[:10] in days or seg.span in read \
                or c.due[:10] < reading.sent.date().isoformat() and d.status == PLANNED:
            continue
        if unit_states_nothing(text, seg, [(o.start, o.end) for o in inside]):
            continue
        if seg not in names:
            names[seg] = unit_name(text, seg, inside)
        name = names[seg]
        if not name or is_vague(name) or is_meeting(name):
            continue
        previous = next((o.due for o in previous_dates[seg] if o.due[:10] != c.due[:10]), None)
        days.add(c.due[:10])
        out.append(Milestone(name=name, project=None, due=c.due, status=d.status, previous_due=previous,
                             evidence=" ".join(text[seg.span.start:seg.span.end].split()), origin="text",
                             confidence=round(d.roles[DUE], 2)))
    return out
