"""Which words of its unit name an item: a choice learned from labelled mail.

The hand rules (names.py) give an item one name: its label, or the subject
or object of its dated sentence. Vendors' wording defeats them often ("Link
staging bisa kami kirim lebih cepat, yaitu Senin, 9 Maret", "- 4.12.1:
Tuesday, 2025-06-10"), so the name is chosen among candidate spans instead, as Gmail's extraction does (Sheng et
al., KDD 2018): every run of words of the item's label and its dated sentence
that crosses no date and no sentence or clause break is a candidate, the
rules' name among them. A linear model trained on the labelled mails
(training.py) scores each span; the best one names the item.

A span's features are general: its length, where it starts and ends (the
label, the sentence, the rules' name, the date), the shape of its first and
last words (capitalised, a code, a version), those words and the words
around it as they are (so the model learns each language's function words
from the data), registry cues that work as parts of speech across
languages (months, weekdays, relative days, numbers, units, ordinals,
status words, move and context marks, table heading words, the words a
name does not start or end with), and the punctuation inside it. Every feature belongs to the span's
first word, its last word, a word it holds or the pair, so a unit's spans
are scored by sums over its words: the cost is a few additions a span.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from itertools import repeat

from .names import BLANK, VERSION, clean_name, is_vague, lead_in_length, split_items, strip_marker
from .noise import is_meeting
from .status import AT_RISK_WORDS, CANCELLED_WORDS, DELAYED_WORDS, DELIVERED_WORDS, MOVED_WORDS
from .structure import Segment
from .words import (CJK_CHAR, CONTEXT_WORDS, FIELD_WORDS, MONTHS, MOVE_WORDS, NAME_LEADING, NAME_TRAILING,
                    NUMBER_WORDS, ORDINALS, RELATIVE_DAYS, THANKS_WORDS, UNITS, WEEK_LABELS, WEEKDAY_ABBR, WEEKDAYS)

MAX_WORDS = 8  # a longer span is a candidate only when the rules chose it
_NOTHING = repeat(0.0)  # the weight of a feature the model does not know

_SEPARATORS = r"\s,;:!?()\[\]{}\"“”„«»<>|*–—" + BLANK
# A word: what lies between separators, without the full stops and quotes at its edges ("approx.",
# "'Stand'"), holding a letter or a digit (a run of signs, "&" or "-", is none)
_TOKEN = re.compile(r"(?=[^" + _SEPARATORS + r"]*?[^\W_])[^" + _SEPARATORS + r".'’‘`](?:[^" + _SEPARATORS
                    + r"]*[^" + _SEPARATORS + r".'’‘`])?")
_CJK = re.compile(CJK_CHAR)
# What lies between two words: a span crosses soft breaks, never hard ones.
_HARD = re.compile(r"[.!?;:：；。！？]")
_STATUS_WORDS = (DELIVERED_WORDS, DELAYED_WORDS, AT_RISK_WORDS, CANCELLED_WORDS, MOVED_WORDS)
# What the registry says a word is, as a part of speech would: a word of one language's schedule
# grammar stands for the same cue in every other (a later group wins a word two groups hold).
_CUES: dict[str, str] = {
    **{w: "trailing" for w in NAME_TRAILING}, **{w: "leading" for w in NAME_LEADING},
    **{w: f"heading_{role}" for role, words in FIELD_WORDS.items() for w in words},
    **{w: "unit" for w in UNITS}, **{w: "ordinal" for w in ORDINALS}, **{w: "week" for w in WEEK_LABELS},
    **{w: "thanks" for w in THANKS_WORDS},
    **{w: f"context_{group}" for group, words in CONTEXT_WORDS.items() for w in words},
    **{w: f"move_{group}" for group, words in MOVE_WORDS.items() for w in words},
    **{w: "number" for w in NUMBER_WORDS}, **{w: "relative" for w in RELATIVE_DAYS},
    **{w: "weekday" for w in WEEKDAY_ABBR}, **{w: "weekday" for w in WEEKDAYS}, **{w: "month" for w in MONTHS},
}


@lru_cache(maxsize=8192)
def _status_cue(word: str) -> str:
    """ "status" when `word` alone says a status or a move (status.py's words), else ""."""
    return "status" if any(p.fullmatch(word) for p in _STATUS_WORDS) else ""


def _gap(text: str) -> str:
    """What separates two words: "space", or the kind of punctuation."""
    if text == " ":
        return "space"
    if BLANK in text:
        return "date"
    if _HARD.search(text):
        return "break"
    if not text.strip():
        return "space"
    for mark, kind in ((",", "comma"), ("(", "paren"), (")", "paren"), ("[", "paren"), ("]", "paren"),
                       ("\"", "quote"), ("“", "quote"), ("”", "quote"), ("«", "quote"), ("»", "quote"),
                       ("–", "dash"), ("—", "dash"), (" - ", "dash")):
        if mark in text:
            return kind
    return "other"


@lru_cache(maxsize=8192)
def _shape(word: str) -> str:
    """What a word looks like: "capital", "lower", "upper", "mixed", "digits", "version", "code", ..."""
    if _CJK.search(word):
        return "cjk"
    if word.isdigit():
        return "digits"
    if VERSION.fullmatch(word):
        return "version"
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "symbol"
    if any(c.isdigit() for c in word):
        return "code"
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    if letters[0].isupper():
        return "mixed" if any(c.isupper() for c in letters[1:]) else "capital"
    return "lower"


def _bucket(n: int) -> str:
    return str(n) if n <= 3 else "4-7" if n <= 7 else "8+"


def _length(n: int) -> str:
    return str(n) if n <= 5 else "6-7" if n <= 7 else "8-10" if n <= 10 else "11+"


@dataclass(frozen=True)
class Window:
    """The words a name is chosen from, and what the features need to know of them."""

    text: str                         # the unit's text, its dates blanked out
    words: tuple[tuple[int, int], ...]  # offsets of each word in `text`
    gaps: tuple[str, ...]             # gaps[k]: what lies before word k ("start" for the first of a part)
    part: tuple[int, ...]             # 0 for the label's words, 1 for the sentence's
    rule: tuple[int, int]             # the words of the rules' name, first and last
    label: tuple[int, int] | None
    date_before: tuple[int | None, ...]  # words from word k back to the nearest date (None: no date before)
    date_after: tuple[int | None, ...]   # ... and on to the nearest date after it
    cues: tuple[str, ...]             # the registry cue of each word, "" when none
    lower: tuple[str, ...]            # each word in lower case
    shapes: tuple[str, ...]           # the shape of each word (_shape)

    def span_text(self, i: int, j: int) -> str:
        return self.text[self.words[i][0]:self.words[j][1]]


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The words of text[start:end] by their offsets."""
    return [m.span() for m in _TOKEN.finditer(text, start, end)]


def _find(words: Sequence[str], name: str) -> tuple[int, int] | None:
    """Where the words of `name` stand in `words`, first to last, or None."""
    wanted = [name[a:b].lower() for a, b in _tokens(name, 0, len(name))]
    if not wanted:
        return None
    n = len(wanted)
    for i in range(len(words) - n + 1):
        if words[i:i + n] == wanted:
            return i, i + n - 1
    return None


def window(text: str, seg: Segment, dates: Sequence, rule: str) -> Window | None:
    """The words of the item's label and of its dated sentence (`dates` blanked out), or None
    when the rules' name stays: the unit has no date (the model knows dated units only), the
    name says nothing of its own or names a meeting (the unit states no item), states two items
    ("the installer and the admin guide are due ...": the rules part them), is written in CJK (no
    spaces part its words) or is not among the words."""
    base = seg.span.start
    if not dates or not rule or _CJK.search(rule) or is_vague(rule) or is_meeting(rule) \
            or len(split_items(rule, " ".join(text[base:seg.span.end].split()))) > 1:
        return None
    blanked = text[base:seg.span.end]
    for m in dates:  # a name ends at a date
        a, b = max(m.start, base) - base, min(m.end, seg.span.end) - base
        if a < b:
            blanked = blanked[:a] + BLANK * (b - a) + blanked[b:]
    pieces: list[tuple[int, int]] = []
    label = None
    marker = len(blanked) - len(strip_marker(blanked))
    if seg.label_end is not None and seg.named:
        pieces.append((marker, seg.label_end - base))
    start = (seg.label_end or seg.span.start) - base
    parts = [(max(s.start - base, start, marker), s.end - base) for s in seg.sentences if s.end - base > start]
    if parts:
        dated = next((p for p in parts if any(p[0] <= m.start - base < p[1] for m in dates)), parts[0])
        pieces.append(dated)
    words: list[tuple[int, int]] = []
    gaps: list[str] = []
    part: list[int] = []
    for n, (a, b) in enumerate(pieces):
        found = _tokens(blanked, a, b)
        if n == 0 and len(pieces) == 2:
            label = (0, len(found) - 1) if found else None
        for k, (s, e) in enumerate(found):
            gaps.append("start" if k == 0 else _gap(blanked[found[k - 1][1]:s]))
            words.append((s, e))
            part.append(1 if n == len(pieces) - 1 else 0)
    if not words:
        return None
    lowered = [blanked[a:b].lower() for a, b in words]
    where = _find(lowered, rule)
    if where is None:
        return None
    date_before: list[int | None] = []
    last = None
    for k, (a, _) in enumerate(words):
        if k and (gaps[k] == "date" or gaps[k] == "start" and BLANK in blanked[:a]):
            last = k
        date_before.append(None if last is None else k - last)
    date_after: list[int | None] = [None] * len(words)
    nxt = None
    for k in range(len(words) - 1, -1, -1):
        if k + 1 < len(words) and gaps[k + 1] == "date":
            nxt = k
        elif k == len(words) - 1 and BLANK in blanked[words[k][1]:]:
            nxt = k
        date_after[k] = None if nxt is None else nxt - k
    cues = [_CUES.get(w) or _status_cue(w) for w in lowered]
    return Window(blanked, tuple(words), tuple(gaps), tuple(part), where, label, tuple(date_before),
                  tuple(date_after), tuple(cues), tuple(lowered), tuple(_shape(blanked[a:b]) for a, b in words))


def _own(role: str, word: str, shape: str, cue: str) -> list[str]:
    """The features a word has as the first or last word of a span, or as one it holds (`role`)."""
    out = [f"{role}={word}", f"{role}_shape={shape}"]
    if cue:
        out.append(f"{role}_cue={cue}")
    return out


def start_context(w: Window, k: int) -> list[str]:
    """The features a span has by starting at word `k`, beyond the word itself: what stands before it,
    where it stands to the rules' name and to the date."""
    gap = w.gaps[k]
    out = [f"gap_before={gap}"]
    if gap in ("space", "other"):
        out += [f"word_before={w.lower[k - 1]}", f"shape_before>first={w.shapes[k - 1]}>{w.shapes[k]}"]
        if w.cues[k - 1]:
            out.append(f"cue_before={w.cues[k - 1]}")
    rule_first, rule_last = w.rule
    where = ("rule" if k == rule_first else "in_rule" if rule_first < k <= rule_last
             else "before_rule" if k < rule_first else "after_rule")
    back, ahead = w.date_before[k], w.date_after[k]
    return [*out, f"starts={where}&gap_before={gap}", f"start_from_date={'none' if back is None else _bucket(back)}",
            f"start_to_date={'none' if ahead is None else _bucket(ahead)}"]


def end_context(w: Window, k: int) -> list[str]:
    """The features a span has by ending at word `k`, beyond the word itself."""
    gap = "end" if k == len(w.words) - 1 or w.part[k + 1] != w.part[k] else w.gaps[k + 1]
    out = [f"gap_after={gap}"]
    if gap in ("space", "other"):
        out += [f"word_after={w.lower[k + 1]}", f"last>shape_after={w.shapes[k]}>{w.shapes[k + 1]}"]
        if w.cues[k + 1]:
            out.append(f"cue_after={w.cues[k + 1]}")
    rule_first, rule_last = w.rule
    where = ("rule" if k == rule_last else "in_rule" if rule_first <= k < rule_last
             else "after_rule" if k > rule_last else "before_rule")
    ahead = w.date_after[k]
    return [*out, f"ends={where}&gap_after={gap}", f"end_to_date={'none' if ahead is None else _bucket(ahead)}"]


def start_features(w: Window, k: int) -> list[str]:
    """The features a span has by starting at word `k`."""
    return [*_own("first", w.lower[k], w.shapes[k], w.cues[k]), *start_context(w, k)]


def end_features(w: Window, k: int) -> list[str]:
    """The features a span has by ending at word `k`."""
    return [*_own("last", w.lower[k], w.shapes[k], w.cues[k]), *end_context(w, k)]


def word_features(w: Window, k: int) -> list[str]:
    """The features a span has for holding word `k` (counted once for each word it holds)."""
    return _own("has", w.lower[k], w.shapes[k], w.cues[k])


_INSIDE = ("comma", "paren", "dash", "quote", "other")  # the gaps a span may hold


def pair_features(w: Window, i: int, j: int) -> list[str]:
    """The features of the span from word `i` to word `j` as a whole."""
    out = [f"length={_length(j - i + 1)}"]
    if (i, j) == w.rule:
        out.append("is_rule")
    if (i, j) == w.label:
        out.append("is_label")
    inner = w.gaps[i + 1:j + 1]
    for kind in _INSIDE:
        n = inner.count(kind)
        if n:
            out.append(f"{kind}s_inside={min(n, 2)}")
    return out


_ENDS_SPAN = ("date", "break", "start")  # gaps no span crosses


def spans(w: Window) -> list[tuple[int, int]]:
    """The candidate spans of `w`: runs of up to MAX_WORDS words within one part that cross
    no date and no hard break, and the rules' name."""
    out = []
    n = len(w.words)
    for i in range(n):
        for j in range(i, min(n, i + MAX_WORDS)):
            if j > i and w.gaps[j] in _ENDS_SPAN:
                break
            out.append((i, j))
    if w.rule not in out:
        out.append(w.rule)
    return out


def features(w: Window, i: int, j: int) -> list[str]:
    """The features of the span from word `i` to word `j`; a feature of its words once per word."""
    inner = [f for k in range(i, j + 1) for f in word_features(w, k)]
    return [*start_features(w, i), *end_features(w, j), *pair_features(w, i, j), *inner]


@dataclass(frozen=True)
class NameModel:
    """A linear scorer of spans: each feature's weight; the intercept does not change the choice."""

    weights: Mapping[str, float]

    @cached_property
    def _pairs(self) -> tuple[list[float], dict[str, tuple[float, float, float]]]:
        """The weights of the pair features by value: of each length up to MAX_WORDS, and of holding
        0, 1, 2 or more gaps of each kind."""
        get = self.weights.get
        return ([get(f"length={_length(m)}", 0.0) for m in range(MAX_WORDS + 1)],
                {kind: (0.0, get(f"{kind}s_inside=1", 0.0), get(f"{kind}s_inside=2", 0.0)) for kind in _INSIDE})

    @cached_property
    def _own_weights(self) -> Callable[[str, str, str], tuple[float, float, float]]:
        """The weights a word (lower case, shape, cue) brings as a span's first word, its last and
        one it holds; remembered, since words recur from mail to mail."""
        get = self.weights.get

        @lru_cache(maxsize=16384)
        def weights(word: str, shape: str, cue: str) -> tuple[float, float, float]:
            first, last, held = (sum(map(get, _own(role, word, shape, cue), _NOTHING))
                                 for role in ("first", "last", "has"))
            return first, last, held
        return weights

    def best(self, w: Window) -> tuple[int, int]:
        """The span of `w` that scores highest; the rules' name unless another scores higher.

        The score of a span is the sum of the weights of its features (`features`), added up
        here from tables over its first word, its last word, the words it holds and the pair."""
        get = self.weights.get
        n = len(w.words)
        own = [self._own_weights(w.lower[k], w.shapes[k], w.cues[k]) for k in range(n)]
        starts = [own[k][0] + sum(map(get, start_context(w, k), _NOTHING)) for k in range(n)]
        ends = [own[k][1] + sum(map(get, end_context(w, k), _NOTHING)) for k in range(n)]
        held = [0.0]  # held[k]: what the words before word k add to a span holding them all
        for k in range(n):
            held.append(held[-1] + own[k][2])
        lengths, inside = self._pairs
        first, last = w.rule
        best, top = w.rule, (starts[first] + ends[last] + held[last + 1] - held[first]
                             + sum(map(get, pair_features(w, first, last), _NOTHING)))
        # the label is scored here too, whole; every other span in the loop, which passes these two by
        spared = {w.rule, w.label}
        if w.label is not None and w.label != w.rule:
            i, j = w.label
            total = starts[i] + ends[j] + held[j + 1] - held[i] + sum(map(get, pair_features(w, i, j), _NOTHING))
            if total > top:
                best, top = w.label, total
        for i in range(n):
            opening = starts[i] - held[i]
            held_gaps = 0.0  # what the gaps inside the span add, kept up as it grows
            counts = dict.fromkeys(_INSIDE, 0)
            for j in range(i, min(n, i + MAX_WORDS)):
                if j > i:
                    gap = w.gaps[j]
                    if gap in _ENDS_SPAN:
                        break
                    if gap in counts:
                        before = counts[gap]
                        counts[gap] = before + 1
                        table = inside[gap]
                        held_gaps += table[min(before + 1, 2)] - table[min(before, 2)]
                total = opening + ends[j] + held[j + 1] + lengths[j - i + 1] + held_gaps
                if total > top and (i, j) not in spared:
                    best, top = (i, j), total
        return best


@cache
def model() -> NameModel:
    """The trained weights shipped with the package (names.json)."""
    data = json.loads(resources.files(__package__).joinpath("names.json").read_text(encoding="utf-8"))
    return NameModel(data["weights"])


def choose(text: str, seg: Segment, dates: Sequence, rule: str) -> str:
    """The name the shipped model prefers for the item `seg` states; `rule`, the rules' name,
    when it cannot tell."""
    w = window(text, seg, dates, rule)
    if w is None:
        return rule
    i, j = model().best(w)
    if (i, j) == w.rule:
        return rule
    # a sentence's lead-in ("Raj also said on our call that ...") never holds the item's name
    lead = lead_in_length(text[seg.span.start:seg.span.end])
    if lead and w.span_text(i, j) in text[seg.span.start:seg.span.start + lead]:
        return rule
    name = clean_name(w.span_text(i, j))
    if all(_status_cue(word.lower()) for word in name.split()):
        return rule  # "Livrare: amânată de la 20 ... la 27 ...": a status word says what befell the item
    return name if name and not is_vague(name) else rule
