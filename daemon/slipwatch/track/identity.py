"""Which existing milestone an extracted item is about.

Vendors reword: "UAT build", "the UAT drop", "Build for UAT" are one thing;
"Beta 1" and "Beta 2" are two. Names are compared as sets of content words,
with generic deliverable nouns folded together and numbers required to agree;
the mail thread (a reply to a message about the milestone) and the old date
the mail names ("moved from Nov 28" when the milestone is due Nov 28) add
evidence. Every decision is returned with its reasons so it can be recorded
and undone.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import sys
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: The score at which an item is taken to be an existing milestone.
THRESHOLD = 0.75
THREAD_BONUS = 0.35
#: fuzz.ratio at which two words are taken for one (a typo, a plural)
NEARLY_EQUAL = 85
OLD_DATE_BONUS = 0.35

_STOPWORDS = frozenset(
    "the a an of for and to on in with our your their its this that final first new next "
    "de la el los las del y para le les des et du der die das und für von da do dos".split()
)

#: Generic nouns vendors use interchangeably for the same deliverable.
_SYNONYMS = {
    word: canonical
    for canonical, words in {
        "build": "build builds drop drops cut release releases version",
        "handover": "handover handoff delivery deliveries",
        "doc": "doc docs document documents documentation",
        "spec": "spec specs specification specifications",
        "design": "design designs mockup mockups mock mocks",
        "sample": "sample samples prototype prototypes",
        "golive": "golive go-live launch cutover",
    }.items()
    for word in words.split()
}


@functools.lru_cache(maxsize=8192)  # a vendor's milestone names are compared with every item it sends
def words(name: str) -> tuple[str, ...]:
    """The content words of a name, folded: lower case, no articles, synonyms merged."""
    text = re.sub(r"go[\s-]live", "golive", name.casefold())
    out = []
    for word in re.findall(r"[^\W_]+", text):
        if word in _STOPWORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        # interned: a vendor's thousands of names share a few hundred words, held once in memory
        out.append(sys.intern(_SYNONYMS.get(word, _SYNONYMS.get(word + "s", word))))
    return tuple(out)


_NO_NUMBERS: frozenset[str] = frozenset()  # one for the many names without a number


def similarity(a: str, b: str) -> float:
    """0..1: how likely two names mean the same deliverable."""
    return _Compared(Words.of(a)).similarity(Words.of(b))


@dataclass(frozen=True, slots=True)
class Words:
    """A name's content words (see `words`), as a set, and its numbers: worked out once per name."""

    words: tuple[str, ...]
    set: frozenset[str]
    numbers: frozenset[str]

    @staticmethod
    @functools.lru_cache(maxsize=32768)  # a milestone's names are read again each time it is revised
    def of(name: str) -> Words:
        ws = words(name)
        numbers = frozenset(w for w in ws if w.isdigit())
        return Words(ws, frozenset(ws), numbers or _NO_NUMBERS)


class _Compared:
    """One name compared with other names: each word of theirs is compared with its words once."""

    def __init__(self, a: Words) -> None:
        self.a = a
        self._near: dict[str, frozenset[str]] = {}  # a word of another name -> the words of this one nearly equal
        self._dice: dict[frozenset[str], float] = {}  # another name's words -> _overlap: its bound, then its score

    def similarity(self, b: Words, *, at_most: bool = False) -> float:
        """How likely the names mean one deliverable; `at_most`: a bound of it, without the costly part."""
        a = self.a
        if not a.words or not b.words:
            return 0.0
        if a.numbers and b.numbers and not (a.numbers <= b.numbers or b.numbers <= a.numbers):
            # numbers tell deliverables apart, unless one name just says more ("Batch 1 (40 images)" / "Batch 1")
            return 0.0  # "Beta 1" is not "Beta 2"
        if a.set == b.set:
            return 1.0
        dice = self._overlap(b.set)
        if a.set <= b.set or b.set <= a.set:
            return 0.8 + 0.2 * dice  # one name says more of the same thing: "Beta" / "Beta build"
        return dice if at_most else fuzz.token_set_ratio(" ".join(a.words), " ".join(b.words)) / 100 * dice

    def _overlap(self, other: frozenset[str]) -> float:
        """Dice coefficient of the two word sets, words matching when nearly equal (typos, plurals)."""
        dice = self._dice.get(other)
        if dice is None:
            dice = self._dice[other] = self._dice_of(other)
        return dice

    def _dice_of(self, other: frozenset[str]) -> float:
        matched: set[str] = set()
        for v in other:
            near = self._near.get(v)
            if near is None:
                near = self._near[v] = frozenset(w for w in self.a.set if w == v or fuzz.ratio(w, v) >= NEARLY_EQUAL)
            matched |= near
        return 2 * len(matched) / (len(self.a.set) + len(other))


def same_project(a: str | None, b: str | None) -> bool:
    """Projects as read from mail are named loosely ("Harbor", "Harbor Phase 2"): only names
    with no word in common are different projects."""
    return not (a and b) or bool(set(words(a)) & set(words(b)))


@dataclass(frozen=True)
class Candidate:
    """An existing milestone of the same vendor, as matching sees it."""

    id: int
    names: tuple[str, ...]  # every name it was called by
    project: str | None
    due: str | None

    @functools.cached_property
    def name_words(self) -> tuple[Words, ...]:
        """The words of each name (names of the same words once), worked out once for every item it is
        compared with."""
        return tuple(dict.fromkeys(Words.of(n) for n in self.names))


@dataclass(frozen=True)
class Decision:
    milestone: int | None  # None: a new milestone
    score: float
    reasons: tuple[str, ...]


def decide(
    name: str,
    project: str | None,
    previous_due: str | None,
    in_thread: Collection[int],
    candidates: Sequence[Candidate],
) -> Decision:
    """The best existing milestone for an item, or a new one when none is close enough.

    `in_thread`: the milestones that the messages this one replies to spoke of.
    """
    best, top = Decision(None, 0.0, ("no existing milestone is close enough",)), 0.0
    item = _Compared(Words.of(name))
    for c in candidates:
        if not same_project(project, c.project):
            continue
        thread = c.id in in_thread
        old_date = previous_due[:10] if previous_due and c.due and previous_due[:10] == c.due[:10] else None
        # most candidates cannot reach the threshold even at the bound of their name score: spared the costly part
        if _evidence(max(item.similarity(wn, at_most=True) for wn in c.name_words), thread, old_date)[0] < THRESHOLD:
            continue
        score, reasons = _evidence(max(item.similarity(wn) for wn in c.name_words), thread, old_date)
        if score >= THRESHOLD and score > top:  # the score itself, not as recorded (rounded)
            best, top = Decision(c.id, round(score, 3), reasons), score
    return best


def _evidence(name_score: float, thread: bool, old_date: str | None) -> tuple[float, tuple[str, ...]]:
    """The score of a candidate with the name score given, and why."""
    score, reasons = name_score, [f"name {name_score:.2f}"]
    if thread:
        score += THREAD_BONUS
        reasons.append("same thread")
    if old_date and score > 0:
        score += OLD_DATE_BONUS
        reasons.append(f"old date {old_date} is its due date")
    return score, tuple(reasons)


#: An item name of more words than this is not split into all its subsets (2**n lookups) to find the
#: names made only of its words: every name sharing a word with it is taken instead.
_MAX_SUBSET_WORDS = 10


class WordIndex:
    """Milestones by the words of their names and by how many words those names have, so that an item is
    compared only with the milestones whose names can reach THRESHOLD against its name by themselves.

    A name b of m words reaches it against the item's name a of n words (`_Compared.similarity`) only if
    - b has every word of a: then b is in the posting of each of a's words;
    - every word of b is one of a's: found by looking up b's word set among the subsets of a's; or
    - their Dice coefficient 2o/(n+m) passes it, o being how many of a's words are nearly equal to one
      of b's (passes: the fuzzy factor it is multiplied by is below 1 when neither name holds the
      other): then b matches more than THRESHOLD*(n+m)/2 of a's words, so one of any n - that + 1 of
      them: the rarest among names of m words are looked up, and what they give kept when it matches
      enough words. (THRESHOLD * (n+m) / 2 is exact in binary for THRESHOLD = 0.75.)
    The thread and the old date lift milestones whose names alone fall short (`decide`): the caller adds
    those. Words are only added (a name a milestone no longer has leaves a few extra candidates, which
    `decide` scores as before).
    """

    def __init__(self) -> None:
        self._postings: dict[tuple[str, int], set[int]] = {}  # (word, words in the name) -> milestones
        self._sizes: dict[str, set[int]] = {}  # word -> how many words the names it is in have
        self._vocabulary: list[str] = []  # the keys of _sizes, for the nearly-equal search
        self._by_words: dict[frozenset[str], set[int]] = {}

    def add(self, milestone: int, name_words: Iterable[Words]) -> None:
        for ws in name_words:
            self._by_words.setdefault(ws.set, set()).add(milestone)
            for w in ws.set:
                sizes = self._sizes.get(w)
                if sizes is None:
                    sizes = self._sizes[w] = set()
                    self._vocabulary.append(w)
                sizes.add(len(ws.set))
                self._postings.setdefault((w, len(ws.set)), set()).add(milestone)

    def named(self, name: str) -> set[int]:
        """The milestones one of whose names has the words of `name`: they score 1, which no other name
        reaches (`_Compared.similarity`)."""
        return set(self._by_words.get(frozenset(words(name)), ()))

    def could_match(self, name: str) -> set[int]:
        """The milestones one of whose names may score THRESHOLD against `name` by the name alone."""
        a = frozenset(words(name))
        n = len(a)
        near = {w: [v for v, _, _ in process.extract_iter(w, self._vocabulary, scorer=fuzz.ratio, processor=None,
                                                           score_cutoff=NEARLY_EQUAL)] for w in a}
        found: set[int] = set()
        for m in set().union(*(self._sizes[v] for vs in near.values() for v in vs)):
            postings = {w: [self._postings.get((v, m), ()) for v in vs] for w, vs in near.items()}
            needed = min(n, math.floor(THRESHOLD * (n + m) / 2) + 1)
            ranked = sorted(a, key=lambda w: sum(map(len, postings[w])))
            rarest, others = ranked[:n - needed + 1], ranked[n - needed + 1:]
            hits = Counter(mid for w in rarest for mid in set().union(*postings[w]))
            for mid, count in hits.items():
                # a milestone with two names of m words may count a word of each: more candidates, never fewer
                count += sum(any(mid in posting for posting in postings[w]) for w in others)
                if count >= needed:
                    found.add(mid)
        if n <= _MAX_SUBSET_WORDS:
            for size in range(1, n):
                for subset in itertools.combinations(a, size):
                    found |= self._by_words.get(frozenset(subset), set())
        else:
            for w in a:
                found.update(*(self._postings.get((w, m), ()) for m in range(1, n)))
        return found
