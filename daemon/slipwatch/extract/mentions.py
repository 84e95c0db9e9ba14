"""Every date expression of a text as a candidate, tied to the unit it sits in.

What decides whether a date is a milestone's, and whose, is read from its
surroundings: the kind of unit (a `label: value` line, a clause, a bullet),
where it stands, the words around it, the heading above it, the region of
the mail (the vendor's own text, a forwarded header, the signature) and
how far it lies from the day the mail was sent. A candidate
keeps all of that as plain values, so that rules or a model trained on
labelled mail can weigh them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from slipwatch.mail.forwards import find_blocks, split_quoted
from slipwatch.mail.model import Table

from . import dates as grammar
from .model import AT_RISK, CANCELLED, DELIVERED, PLANNED
from .moves import marks
from .names import first_verb
from .status import Cue, read_status
from .structure import ROW, Segment, clauses, segments, start_of, starting_in

# Quoted lines ("> ...") are no unit at all (structure.py): the history a reply
# quotes is not what the vendor states now.
BODY, FORWARD_HEADER, SIGNATURE = "body", "forward_header", "signature"
REGIONS = (BODY, FORWARD_HEADER, SIGNATURE)

_WORD = re.compile(r"[^\W\d_]+")
_NEAR = 4  # words on each side of a date that count as its cue words
_SIGNATURE_RULE = re.compile(r"^(?:-- ?|_{5,}|—{3,})$")


@dataclass(frozen=True)
class Candidate:
    """One date expression and what surrounds it."""

    text: str               # the expression as written: "17 March", "W02", "next Friday"
    start: int              # offsets into the text read
    end: int
    due: str                # the date it names: YYYY-MM-DD or YYYY-MM-DDTHH:MM+HH:MM
    date_kind: str          # the grammar's kind: "absolute", "weekday", "relative", "week", ...
    unit_kind: str          # structure.UNIT_KINDS: "field", "clause", "sentence", ...
    unit_index: int         # which unit of the text, from 0
    units: int              # how many units the text has
    in_label: bool          # the date stands in the unit's "Name:" part
    dates_in_unit: int      # how many dates the unit holds
    heading: str            # the heading the unit sits under, "" when none
    column: str             # the heading of its table column, "" outside tables
    region: str             # REGIONS
    words_before: tuple[str, ...]  # the few words before it, lower case
    words_after: tuple[str, ...]
    status: str             # the status the words of its sentence state (status.py), as the rules read it
    moved: bool             # those words tell a move
    days_from_sent: int     # the date less the sending day, in days
    marks: tuple[str, ...] = ()  # the move marks around it: "old", "from", "to", "plan" (moves.py)
    says: tuple[str, ...] = ()  # what else its sentence's words say: "later", "earlier", "reported", "held"
    heading_status: str = PLANNED  # the status the heading above states ("Delayed items:")
    unit_words: tuple[str, ...] = ()  # the words of its unit, lower case, each once
    dates_in_text: int = 1  # how many dates the whole text holds


class _Words:
    """The words of a text, found once: a date's near words are looked up, not searched for again
    in all the text before and after it (a line of a thousand dates would be read a thousand times)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in _WORD.finditer(text)]
        self.starts = [start for start, _ in self.spans]
        self.ends = [end for _, end in self.spans]

    def _words(self, spans: Sequence[tuple[int, int]], lo: int, hi: int) -> tuple[str, ...]:
        # cut at lo and hi, as the words of text[lo:hi] would be
        return tuple(self.text[max(start, lo):min(end, hi)].lower() for start, end in spans) if lo < hi else ()

    def before(self, lo: int, hi: int) -> tuple[str, ...]:
        """The last few words of text[lo:hi]."""
        last = bisect.bisect_left(self.starts, hi)
        first = max(bisect.bisect_right(self.ends, lo), last - _NEAR)
        return self._words(self.spans[first:last], lo, hi)

    def after(self, lo: int, hi: int) -> tuple[str, ...]:
        """The first few words of text[lo:hi]."""
        first = bisect.bisect_right(self.ends, lo)
        last = min(bisect.bisect_left(self.starts, hi), first + _NEAR)
        return self._words(self.spans[first:last], lo, hi)


def _candidate(m: grammar.DateMatch, sent: dt.datetime, words: _Words, unit_start: int, unit_end: int, cue: Cue,
               **unit) -> Candidate:
    """The candidate for date `m`, in the unit text[unit_start:unit_end] of the `words`' text."""
    if cue.status == DELIVERED:  # a delivery is dated in the past, as the rules read it ("shipped 28 Oct")
        m = grammar.resolve(m, sent, "delivered")
    return Candidate(
        text=m.text, start=m.start, end=m.end, due=m.value(sent), date_kind=m.kind,
        words_before=words.before(unit_start, m.start), words_after=words.after(m.end, unit_end),
        status=cue.status, moved=cue.any_move,
        says=tuple(flag for flag in ("later", "earlier", "reported", "held") if getattr(cue, flag)),
        days_from_sent=(dt.date.fromisoformat(m.value(sent)[:10]) - sent.date()).days, **unit)


def _regions(text: str) -> list[tuple[int, str]]:
    """(line start offset, region) of every line of `text`."""
    raw = text.split("\n")
    header_lines = {i for block in find_blocks(split_quoted(text)) for i in range(block.start, block.body_start)}
    out = []
    pos = 0
    signed = False
    for i, line in enumerate(raw):
        signed = signed or bool(_SIGNATURE_RULE.match(line.rstrip()))
        region = FORWARD_HEADER if i in header_lines else SIGNATURE if signed else BODY
        out.append((pos, region))
        pos += len(line) + 1
    return out


def _region_at(regions: Sequence[tuple[int, str]], offset: int) -> str:
    lo, hi = 0, len(regions) - 1
    while lo < hi:  # the last line starting at or before `offset`
        mid = (lo + hi + 1) // 2
        if regions[mid][0] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return regions[lo][1] if regions else BODY


def date_candidates(text: str, sent: dt.datetime, *, day_first: bool | None = None) -> list[Candidate]:
    """Every date expression of `text`, in order, with its unit and context."""
    return [c for _, inside in unit_candidates(text, sent, day_first=day_first) for c in inside]


def unit_candidates(text: str, sent: dt.datetime, *, day_first: bool | None = None,
                    found: Sequence[grammar.DateMatch] | None = None,
                    whole: Sequence[Segment] | None = None) -> list[tuple[Segment, list[Candidate]]]:
    """The dated units of `text`, in order, each with the candidates of its dates
    (its dates `found` and its `whole` units before clauses part them, when the caller has them already)."""
    if found is None:
        found = grammar.find_dates(text, sent, day_first=day_first)
    spans = [(m.start, m.end) for m in found]
    if whole is None:
        whole = list(segments(text, spans))
    units = [part for unit in whole for part in _clauses(text, unit, spans)]
    regions = _regions(text)
    headings: dict[str, str] = {}
    near = _Words(text)
    out = []
    for index, unit in enumerate(units):
        inside = starting_in(found, unit.span.start, unit.span.end, key=start_of)
        if not inside:
            continue
        whole = read_status(text[unit.span.start:unit.span.end])
        if unit.prefix and unit.prefix not in headings:
            headings[unit.prefix] = read_status(unit.prefix).status
        words = _words_between(text, unit.span.start, unit.span.end, inside)
        out.append((unit, [_candidate(
            m, sent, near, unit.span.start, unit.span.end, _sentence_cue(text, unit, m, whole),
            unit_kind=unit.kind, unit_index=index, units=len(units),
            in_label=unit.label_end is not None and m.start < unit.label_end, dates_in_unit=len(inside),
            heading=unit.prefix, column="", region=_region_at(regions, m.start), marks=marks(text, m),
            heading_status=headings.get(unit.prefix, PLANNED), unit_words=words,
            dates_in_text=len(found)) for m in inside]))
    return out


def _sentence_cue(text: str, unit: Segment, m: grammar.DateMatch, whole: Cue) -> Cue:
    """What the sentence of date `m` says, as the rules read an item: its own words, or a risk or
    a cancellation the unit's other sentences word ("Price list: Friday. The banner is delayed."
    leaves the price list planned)."""
    sentence = next((s for s in unit.sentences if s.start <= m.start < s.end), None)
    if sentence is None or len(unit.sentences) < 2:
        return whole
    cue = read_status(text[sentence.start:sentence.end])
    return whole if cue.status == PLANNED and whole.status in (AT_RISK, CANCELLED) else cue


def _words_between(text: str, start: int, end: int, dates: Sequence[grammar.DateMatch]) -> tuple[str, ...]:
    """The words of text[start:end] outside its `dates`, lower case, each once: what the unit
    says, not when (a month's name tells nothing of an item)."""
    words: dict[str, None] = {}
    for m in [*dates, None]:
        stop = m.start if m is not None else end
        words.update((w.lower(), None) for w in _WORD.findall(text, start, max(start, stop)))
        start = max(start, m.end) if m is not None else end
    return tuple(words)


def _clauses(text: str, unit: Segment, spans: Sequence[tuple[int, int]]) -> list[Segment]:
    if len(starting_in(spans, unit.span.start, unit.span.end)) < 2:
        return [unit]  # one date, one unit: spare reading its verbs
    return clauses(text, unit, spans, commas=not first_verb(text[unit.span.start:unit.span.end]))


def table_candidates(table: Table, sent: dt.datetime, *, day_first: bool | None = None) -> list[Candidate]:
    """Every date in the cells of `table`, each with its row as unit and the first
    row's cell above it as its column heading."""
    heading_row = table.rows[0] if table.rows else ()
    out = []
    for index, row in enumerate(table.rows[1:], start=1):
        dated = [(col, m) for col, cell in enumerate(row) for m in grammar.find_dates(cell, sent, day_first=day_first)]
        cue = read_status(" | ".join(row))
        cells = {col: _Words(row[col]) for col, _ in dated}
        for col, m in dated:
                out.append(_candidate(
                m, sent, cells[col], 0, len(row[col]), cue, unit_kind=ROW, unit_index=index,
                units=len(table.rows) - 1, in_label=False, dates_in_unit=len(dated), heading="",
                column=heading_row[col] if col < len(heading_row) else "", region=BODY))
    return out
