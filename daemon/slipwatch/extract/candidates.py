"""The vendor's prose as candidate items: the units structure.py splits it into
(bullets, "label ..... value" and `label: value` lines, sentences, clauses),
each read for a name, a date and a status.

A bullet is one item even when it wraps or holds several sentences; its
date comes from its first dated sentence (later ones explain: "the Firebase
key only arrived this morning"), its status from all of it. A label before
":" or " – " is the item's name ("UAT build – 20 Nov"); otherwise the name is
the sentence's subject (names.py). Lines laid out as table rows (" | ") are
left to tables.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from . import dates as grammar
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .moves import Timing, earlier_plan, marks, settle
from .naming import choose
from .names import (BLANK, VERSION_WORD, action_item, clean_name, content_words, first_verb, is_action_head, is_task_owner,
                    is_vague, lead_in_length, own_subject, split_items, strip_marker, subject_name, topic_of)
from .noise import is_meeting, is_meeting_date, is_noise
from .status import DELIVERED_WORDS, read_status, without_reason
from .structure import PAREN, DateSpans, Segment, Span, clauses, dated_clause, segments, start_of, starting_in
from .words import CONTEXT_WORDS, MOVE_WORDS, THANKS_WORDS, alternation, cue_regex

log = logging.getLogger(__name__)

_THANKS = re.compile(r"^\W*(?:thank|" + alternation(THANKS_WORDS) + r")(?!\w)", re.IGNORECASE)
_PAREN_CLAUSE = re.compile(r"\b(?:we|it|they|i|you|he|she|which|that|who)\b", re.IGNORECASE)

def _blank(text: str, dates: DateSpans, start: int, end: int) -> str:
    """text[start:end] with the dates marked out (names end at a date)."""
    chars = list(text[start:end])
    for s, e in dates.reaching(start, end):
        for k in range(max(s, start), min(e, end)):
            chars[k - start] = BLANK
    return "".join(chars)


def _in_pronoun_paren(text: str, match: grammar.DateMatch, span: Span) -> bool:
    for m in PAREN.finditer(text, span.start, span.end):
        if m.start() < match.start < m.end() and _PAREN_CLAUSE.search(m.group(1)) \
                and not re.search(r"\b(?:was|were)\b", m.group(1), re.IGNORECASE):
            return True
    return False


# A verb in the past with its object inside a "name": the words tell an event, no item.
_PAST_CLAUSE = re.compile(r"\b[^\W\d_]{3,}ed\s+(?:our|your|the|their|its|his|her|this|that|these|those|a|an)\b",
                          re.IGNORECASE)
_IN_TOKEN_BEFORE = re.compile(r"[\w/@.:-]$")
_IN_TOKEN_AFTER = re.compile(r"\.[^\W\d_]|[\w/@]")
# Where those are grammar: a one-letter preposition joined by a hyphen ("ב-10 בדצמבר", Hebrew "on the 10th"),
# a Korean particle written onto a date ("10일까지", "by the 10th").
_JOINED_PREFIX = re.compile(r"(?<!\w)[^\W\da-zA-Z_]-$")
_WIDE_END = re.compile("[\uac00-\ud7af]")
# A date after these is a reference point, not the item's date: "after our year-end freeze".
_REFERENCE_BEFORE = re.compile(r"(?<![\w])(?:after|following|post|since|seit|depuis|desde|nach|apr[èe]s|despu[ée]s\s+de|"
                               r"depois\s+d[eoa]|dopo|po)\s+(?:(?:the|our|your|their|its|la|le|el|o|a|il)\s+)?$",
                               re.IGNORECASE)
# A date right after a decision is when it was taken: "descoped, as we agreed on Thursday".
_DECIDED_BEFORE = re.compile(
    r"(?<![\w])(?:agreed|decided|discussed|approved|acordamos|acordado|decidimos|decidido|combinamos|combinado|"
    r"vereinbart|besprochen|beschlossen|convenu|d[ée]cid[ée]|concordato|deciso|uzgodnili[śs]my|ustalili[śs]my|"
    r"afgesproken|besloten|kararla[şs]t[ıi]r\w*|sepakat\w*|disepakati)"
    r"\s+(?:(?:on|in|at|last|el|en|am|le|il|w|op|em|no|na)\s+)?(?:(?:the|el|la|le|o|a|il|der|dem|den)\s+)?$",
    re.IGNORECASE)
# A date the writer rules out: "say so now and not on 5 March", "talk with us today, not on
# Monday" (the registry's negations and the small words between a mark and its date; a small word
# must stand between, as "no" is also Portuguese "in the": "no dia 15"). "No later than", "not
# before" and "not until" are deadlines and bounds: other words stand between.
_NEGATED_BEFORE = re.compile(r"(?:" + cue_regex(CONTEXT_WORDS["negation"]) + r")\s+(?:(?:"
                             + cue_regex(w for w in MOVE_WORDS["link"]
                                         if " " not in w and w not in CONTEXT_WORDS["deadline"]) + r")\s+)$",
                             re.IGNORECASE)
# A bare weekday after a verb in the past names when something already happened
# ("the provider granted access only on Friday", "the kiln was repaired on Saturday"):
# no deliverable's date. Plan and move verbs ("scheduled on", "moved on") and
# deliveries ("shipped on Monday", read backwards by status.py) are not such events.
_PAST_EVENT_BEFORE = re.compile(
    r"(?<![\w'’])(?<!\bis\s)(?<!\bare\s)(?<!\bbe\s)(?<!\bbeen\s)"
    r"(?:(?!(?:plann|schedul|expect|book|slat|target|pencill?|moved|shift|reschedul|postpon|delay|push|need|"
    r"requir|commit|agre|confirm|arrang|fix|set)\w*ed\b)[^\W\d_]{3,}ed|got|came|took|gave|found|began|broke|told|said|"
    r"heard|met)\b(?:\s+[\w'’-]+){0,4}?\s+(?:only\s+)?(?:on|last)\s+$", re.IGNORECASE)
# A delivery told without its day is dated on the message's day, less surely:
# a table or attachment that gives the day wins (extractor.merge).
UNDATED_CONFIDENCE = 0.5
_TERSE = 8  # words: a sentence this short may take its name from the subject...
# ... and so may one that speaks of the thread's item: "Moving this out of the Launch milestone ..."
_REFERS_BACK = re.compile(r"\W*(?:[^\W\d_]+ing\s+)?(?:this|it)\b(?!\s+(?:is|was)\s+(?:to|a|an|the|our)\b)", re.IGNORECASE)
_DUE_WORD = re.compile(r"\b(?:eta|etd|due|deadline|target|ready|delivery|plazo|prazo|termin|[ée]ch[ée]ance|"
                       r"scadenza|entrega|livraison|lieferung|consegna|dostawa)\b", re.IGNORECASE)  # ...if it dates one


def _usable(text: str, match: grammar.DateMatch, span: Span, reading: Reading) -> bool:
    if _IN_TOKEN_BEFORE.search(text, max(0, match.start - 1), match.start) \
            and not _JOINED_PREFIX.search(text, max(0, match.start - 3), match.start) \
            or _IN_TOKEN_AFTER.match(text, match.end) and not _WIDE_END.match(text, match.end - 1):
        return False  # "https://acme.monday.example/boards", "release/1.0-friday"
    if is_meeting_date(text, match.start, match.end) or _in_pronoun_paren(text, match, span):
        return False
    if _NEGATED_BEFORE.search(text, max(0, match.start - 24), match.start) or _byline(text, match, reading):
        return False
    if _REFERENCE_BEFORE.search(text, max(0, match.start - 24), match.start) \
            or _DECIDED_BEFORE.search(text, max(0, match.start - 30), match.start):
        return False
    if match.kind == "weekday" and _PAST_EVENT_BEFORE.search(text, max(0, match.start - 60), match.start) \
            and not DELIVERED_WORDS.search(text, max(0, match.start - 60), match.start):
        return False
    if reading.forward_note and (match.when.date <= reading.sent.date() or match.kind == "relative"
                                 and match.when.date == reading.sent.date()):
        return False
    return True


def _byline(text: str, match: grammar.DateMatch, reading: Reading) -> bool:
    """True for a day alone on its line, not after the sending day and under no label: when a post
    or a notice was written ("Keisha Brooks (kbrooks)⏎August 25" atop a forum post), no item's."""
    start = text.rfind("\n", 0, match.start) + 1
    end = text.find("\n", match.end)
    if text[start:match.start].strip() or text[match.end:end if end >= 0 else len(text)].strip(" \t.,"):
        return False
    above = text[text.rfind("\n", 0, max(start - 1, 0)) + 1:max(start - 1, 0)].rstrip()
    return match.when.date <= reading.sent.date() and not above.endswith((":", "："))


def text_milestones(text: str, reading: Reading) -> list[Milestone]:
    """Every dated item the prose of `text` states."""
    return [item for _, item in text_items(text, reading)]


def text_items(text: str, reading: Reading, found: Sequence[grammar.DateMatch] | None = None,
               units: Sequence[Segment] | None = None) -> list[tuple[Span, Milestone]]:
    """Every dated item the prose of `text` states, with the span of the unit that states it (its
    dates `found` and its `units`, when the caller has them already)."""
    if found is None:
        found = grammar.find_dates(text, reading.sent, day_first=reading.day_first)
    durations = grammar.find_durations(text)
    items: list[Milestone] = []
    stated: list[Span] = []
    # what the items so far tell, kept as they come so that no unit reads them all again:
    # the last item (its index) each content word names, and whether one slipped
    named: dict[str, int] = {}
    slipped = False
    moved_on: set[int] = set()  # items whose sentence only told the date the next one's item moved from
    spans = DateSpans((m.start, m.end) for m in found)
    if units is None:
        units = list(segments(text, spans))
    for seg in (part for whole in units for part in _listed(text, whole, found, spans, reading)):
        item = _read_segment(text, seg, found, durations, reading)
        if item is None and not _within(found, seg.span):
            item = _relative_item(text, seg, _within(durations, seg.span), items, named, reading)
        elif item is None and not reading.forward_note:
            item = _delivery_aside(text, seg, found, reading)
        if item is not None:
            item = _moved_along(item, slipped)
            if items and _moves_on(text, stated[-1], seg.span, items[-1], item):
                item = replace(item, previous_due=items[-1].due)
                moved_on.add(len(items) - 1)
            for name in split_items(item.name, item.evidence):
                items.append(replace(item, name=name))
                stated.append(seg.span)
                named.update(dict.fromkeys(content_words(name), len(items) - 1))
                slipped = slipped or item.status == DELAYED
    return [(span, item) for k, (span, item) in enumerate(zip(stated, items)) if k not in moved_on]


def _moves_on(text: str, before: Span, span: Span, told: Milestone, item: Milestone) -> bool:
    """The sentence right before `item`'s, in its paragraph, put off an item and only dated where it was,
    and `item` is late without its old date: that date is the old one, and the two sentences one item
    ("... is postponing the update releases that were scheduled for August 13. Pallas 18.4 and 17.8 will
    now be released on August 20.")."""
    return (item.status == DELAYED and item.previous_due is None and told.status == PLANNED
            and told.previous_due is None and told.day < item.day and before.end <= span.start
            and not text[before.end:span.start].count("\n") > 1 and read_status(told.evidence).later)


def _listed(text: str, seg: Segment, found: Sequence[grammar.DateMatch], dates: DateSpans,
            reading: Reading) -> list[Segment]:
    """A sentence that dates several items is one unit per item: "Vessel Aurora, ETD
    Mundra 30 Nov, ETA Sines 28 Dec", "the beta on 3 March and the final release
    on 17 March". A move keeps the dates of the sentence together ("moved from
    4 Dec, now 11 Dec"), and so does a clause with no name of its own ("shipped on
    2 Nov and arrives on 9 Nov"). `dates`: the spans of `found`."""
    if reading.forward_note:
        return [seg]  # the forwarder's summary of what the mail below dates item by item
    spans = DateSpans(dates.reaching(seg.span.start, seg.span.end))
    start = seg.label_end or seg.span.start
    verbs = first_verb(_blank(text, spans, start, seg.span.end)) is not None
    lead = lead_in_length(text[start:seg.span.end])
    if text[start:start + lead].rstrip().endswith(","):
        # "Since Friday is our holiday, ...": that date is no item's
        spans = DateSpans((s, e) for s, e in spans if s >= start + lead)
    if len(starting_in(spans, seg.span.start, seg.span.end)) < 2:
        return [seg]  # one date, one item
    whole = text[seg.span.start:seg.span.end]
    cue = read_status(whole)
    timing = settle(whole, [_shifted(m, seg.span.start) for m in _within(found, seg.span)], cue, reading.sent,
                    default_today=False)
    moves = cue.any_move or timing is not None and timing.previous is not None
    # a move's old and new day may share a clause: each clause one item with its own move
    parts = clauses(text, seg, spans, commas=not verbs, several=moves)
    if len(parts) < 2:
        return [seg]
    if moves and not _moves_apart(text, parts, found):
        return [seg]  # "two days later than 7 Nov": one item and the date it had
    blanked = [_blank(text, spans, p.span.start, p.span.end) for p in parts]
    if not all(content_words(b) for b in blanked):
        return [seg]
    if verbs and not all((name := subject_name(strip_marker(b))) and not is_vague(name) for b in blanked):
        return [seg]
    return parts


def _moves_apart(text: str, parts: Sequence[Segment], found: Sequence[grammar.DateMatch]) -> bool:
    """Each clause holds a date of its own that no word marks as the one a move left: "the WGLC would
    then start on 7 September, and we'll update the charter milestone to 30 October (was 30 June)"
    is two items, "moved from 4 Dec, now 11 Dec" one."""
    return all(any(not {"old", "from"} & set(marks(text, m)) for m in _within(found, part.span)) for part in parts)


def _moved_along(item: Milestone, slipped: bool) -> Milestone:
    """An item that "moves with it" or "becomes" its new date, its old date
    unsaid, after an item that `slipped`: it slipped too."""
    if item.status != PLANNED or item.previous_due is not None or not slipped:
        return item
    cue = read_status(item.evidence)
    return replace(item, status=DELAYED) if cue.moved and not cue.earlier else item


# "Thanks for the comments on layout v1 (sent on 4/12)": an aside reporting the
# delivery of the noun phrase it follows, whatever the sentence is about.
_ASIDE = re.compile(r"(?P<before>[^()]{2,80}?)\s*\((?P<what>[^()]{3,60})\)")
_PHRASE_START = re.compile(r".*(?:^|[,;:]|\s(?:on|for|of|about|to|with|from|re|the|our|your|their|and)\s)", re.IGNORECASE)


def _delivery_aside(text: str, seg: Segment, found: Sequence[grammar.DateMatch], reading: Reading) -> Milestone | None:
    for m in _ASIDE.finditer(text, seg.span.start, seg.span.end):
        what = m.group("what")
        dates = _within(found, Span(m.start("what"), m.end("what")))
        if not dates or not DELIVERED_WORDS.match(what.strip()) or read_status(what).status != DELIVERED:
            continue
        before = m.group("before")
        start = _PHRASE_START.match(before)
        name = clean_name(before[start.end():] if start else before)
        if not name or is_vague(name) or is_meeting(name) or len(name.split()) > 5:
            continue
        when = grammar.resolve(dates[0], reading.sent, "delivered")
        if when.when.date > reading.sent.date():
            continue
        return Milestone(name=name, project=None, due=when.value(reading.sent), status=DELIVERED,
                         evidence=" ".join(text[seg.span.start:seg.span.end].split()), origin="text", confidence=0.7)
    return None


# "two working days after the batch": a date told relative to another item.
_RELATIVE_TO = re.compile(r"\s+(?P<way>after|before|following|nach|vor|apr[èe]s|avant|despu[ée]s\s+de|antes\s+de|"
                          r"depois\s+d[eoa]|dopo|prima\s+di|po|przed)\s+(?P<ref>[^,.;:()]{2,60})", re.IGNORECASE)


def _relative_item(text: str, seg: Segment, durations: Sequence[grammar.Duration], earlier: Sequence[Milestone],
                   named: Mapping[str, int], reading: Reading) -> Milestone | None:
    """An item dated by a length of time from an item stated before it (`named`: which of the
    `earlier` items is the last to name each content word)."""
    for duration in durations:
        m = _RELATIVE_TO.match(text, duration.end)
        if not m:
            continue
        last = max((named[word] for word in set(content_words(m.group("ref"))) if word in named), default=None)
        ref = None if last is None else earlier[last]
        name = unit_name(text, seg, [])
        if ref is None or not name or is_vague(name) or is_meeting(name):
            continue
        backwards = m.group("way").lower() in ("before", "vor", "avant", "antes de", "prima di", "przed")
        due = grammar.shift(dt.date.fromisoformat(ref.day), duration, backwards=backwards).isoformat()
        return Milestone(name=name, project=None, due=due, status=PLANNED, evidence=" ".join(
            text[seg.span.start:seg.span.end].split()), origin="text", confidence=0.6)
    return None


def _within(matches: Sequence, span: Span) -> Sequence:
    """The matches (dates, durations; in text order) that start in the span."""
    return starting_in(matches, span.start, span.end, key=start_of)


# "[tessellate-dev]", "[ANN]": a list's or a tool's tags in front of a subject
_SUBJECT_TAGS = re.compile(r"\[[^\]]*\]")


def subject_milestones(subject: str, reading: Reading) -> list[Milestone]:
    """A release the subject line of a new thread announces ("firmware 2.4.0-rc2 is out",
    "21.1.0-rc1 tagged", "Corvid Linux 46 is released!"): delivered on the day of the mail, as a
    sentence that gives no date is (RULES.md 4). A subject is a headline: its delivery word
    reports the fact on its own."""
    title = " ".join(_SUBJECT_TAGS.sub(" ", subject).split())
    if not DELIVERED_WORDS.search(title) or states_nothing(title) or read_status(title).status != DELIVERED \
            or grammar.find_dates(title, reading.sent, day_first=reading.day_first):
        return []
    name = subject_name(title)
    if not name or is_vague(name) or is_meeting(name):
        return []
    return [Milestone(name=name, project=None, due=reading.sent.date().isoformat(), status=DELIVERED,
                      evidence=title, origin="text", confidence=UNDATED_CONFIDENCE)]


def announced(items: Sequence[Milestone], subject: str, reading: Reading) -> list[Milestone]:
    """`items` with the release a new thread's subject names by its version ("[ANNOUNCE] Apache Larch
    3.4.0 released", "Ferrule 7.4-rc1") as the name of the prose's first delivery of the day, when no
    delivery names a version and that one's sentence speaks of the release: "On behalf of the Corvid
    team, I am pleased to announce ..." reports the subject's release, "the migration guide went out
    today" an item of its own."""
    title = " ".join(_SUBJECT_TAGS.sub(" ", subject).split())
    name = subject_name(title)
    today = reading.sent.date().isoformat()
    if not VERSION_WORD.search(name) or len(name.split()) > _ANNOUNCED_WORDS \
            or not all(w[0].isupper() or any(c.isdigit() for c in w) for w in _HEADLINE_WORD.findall(name)) \
            or grammar.find_dates(title, reading.sent, day_first=reading.day_first):
        return list(items)
    delivered = [i for i, m in enumerate(items) if m.status == DELIVERED and m.day == today and m.origin == "text"]
    if not delivered or any(VERSION_WORD.search(items[i].name) for i in delivered):
        return list(items)
    # the sentence speaks of the release ("the Corvid team is pleased ..."), its name does not
    first = delivered[0]
    if not _naming_words(name) & _naming_words(items[first].evidence):
        return list(items)
    return [*items[:first], replace(items[first], name=name), *items[first + 1:]]


# a subject that names a release is its name and little more, proper names and versions ("Release Apache
# Larch 3.4.0 (RC2)"), not a report of it ("4.2 release schedule")
_ANNOUNCED_WORDS = 5
_HEADLINE_WORD = re.compile(r"[^\W_][\w.-]*")


def _naming_words(text: str) -> set[str]:
    """The words of `text` that could name a release: "Corvid", "rc1" of "25.10.0-rc1", no bare number."""
    return {w.lower() for w in re.findall(r"[^\W_]+", text) if not w.isdigit()}


def states_nothing(unit: str) -> bool:
    """Noise, a line introducing a list, a question, thanks for the customer's input: no item, whatever its dates."""
    return is_noise(without_reason(unit)) or unit.rstrip().endswith((":", "?")) or bool(_THANKS.match(unit))


def unit_states_nothing(text: str, seg: Segment, dates: Sequence[tuple[int, int]]) -> bool:
    """`states_nothing` for the unit `seg`, read on the sentences that hold its `dates` (spans, in text order)
    when it has several: in "Periodic report: due 29 August. UNITIG is closed from 9 to 20 August."
    the closure is another sentence's matter."""
    if not states_nothing(text[seg.span.start:seg.span.end]):
        return False
    dated = [s for s in seg.sentences if starting_in(dates, s.start, s.end)]
    if len(seg.sentences) < 2 or not dated:
        return True
    first = Span(seg.span.start, dated[0].end)  # with the unit's label
    return all(states_nothing(text[s.start:s.end]) for s in [first, *dated[1:]])


def _read_segment(text: str, seg: Segment, found: Sequence[grammar.DateMatch],
                  durations: Sequence[grammar.Duration], reading: Reading) -> Milestone | None:
    whole = text[seg.span.start:seg.span.end]
    if unit_states_nothing(text, seg, [(m.start, m.end) for m in _within(found, seg.span)]):
        return None
    dates = [m for m in _within(found, seg.span) if _usable(text, m, seg.span, reading)]
    if not dates and not DELIVERED_WORDS.search(whole):
        return None  # no date, and no delivery to date on the message's day
    label = Span(seg.span.start, seg.label_end) if seg.label_end and seg.named else None
    body = Span(seg.label_end or seg.span.start, seg.span.end)
    dated = _dated_sentence(text, seg, body, dates) or (label if label and _within(dates, label) else None)
    if dated is not None and dated is not label and label is not None and _within(dates, label) \
            and not content_words(_blank(text, DateSpans((m.start, m.end) for m in dates), label.start, label.end)):
        # a label that is the item's day and a value that moves it: "Aug 12: rc2 (moved up from Aug 26)"
        dated = Span(label.start, dated.end)
    dated_matches = _within(dates, dated) if dated else []
    wording = dated if dated and dated is not label else body
    cue = read_status(text[wording.start:wording.end])
    if cue.status == PLANNED:
        # a risk or a cancellation may be worded in the bullet's other sentences
        rest = read_status(text[body.start:body.end])
        if rest.status in (AT_RISK, CANCELLED):
            cue = rest
    if not dated_matches and cue.status != DELIVERED:
        return None
    if reading.forward_note and cue.status == DELIVERED:
        return None
    window = dated or wording
    lengths = _within(durations, window)
    if not lengths and cue.status == PLANNED and _within(durations, body):
        # "Ledger migration: needs two more days. It was planned for tomorrow, ...":
        # the slip told in one sentence of the bullet, the old date in another
        rest = read_status(text[body.start:body.end])
        if rest.later:
            lengths, cue = _within(durations, body), rest
    timing = settle(text[window.start:window.end], [_shifted(m, window.start) for m in dated_matches],
                    cue, reading.sent, [_shifted(d, window.start) for d in lengths],
                    default_today=not reading.forward_note)
    if timing is None:
        return None
    if timing.previous is None and timing.status in (DELAYED, DELIVERED, PLANNED):
        timing = _with_old_date(text, seg, window, dates, timing, reading)
    if timing.previous is None and label is not None and dated is not label and cue.any_move:
        timing = _with_label_plan(text, label, dates, timing, reading)
    name = unit_name(text, seg, dates)
    if (not name or is_vague(name)) and reading.fallback_name \
            and (len(whole.split()) <= _TERSE or _REFERS_BACK.match(strip_marker(whole))) \
            and (cue.status != PLANNED or _DUE_WORD.search(whole)):
        name = reading.fallback_name
    if not name or is_vague(name) or is_meeting(name):
        log.debug("no usable name in a sentence of %d characters", len(whole))  # its words stay out of the log
        return None
    today = reading.sent.date().isoformat()
    if timing.status != DELIVERED and timing.previous is None and timing.due[:10] < today:
        return None  # a past date that is no delivery: thanks for the call yesterday, ...
    if timing.status == PLANNED and timing.due[:10] == today and _PAST_CLAUSE.search(name):
        return None  # what someone did today: "the bank only activated our account this afternoon"
    undated = timing.status == DELIVERED and not dated_matches
    return Milestone(name=name, project=None, due=timing.due, status=timing.status,
                     previous_due=timing.previous, evidence=" ".join(whole.split()), origin="text",
                     confidence=UNDATED_CONFIDENCE if undated else 0.8)


# A sentence that speaks of the same item: "They were planned for week 48".
_SAME_ITEM = re.compile(r"\W*(?:it|they|this|that|these|which|originally|initially|previously)\b", re.IGNORECASE)


def _with_old_date(text: str, seg: Segment, window: Span, dates: Sequence[grammar.DateMatch],
                   timing: Timing, reading: Reading) -> Timing:
    """The timing with the old date a later sentence of the bullet gives
    ("Fixes: slip to end of next week. They were planned for week 48.")."""
    for sentence in seg.sentences:
        if sentence.start < window.end or not _SAME_ITEM.match(text, sentence.start):
            continue
        others = [_shifted(m, sentence.start) for m in _within(dates, sentence)]
        old = earlier_plan(text[sentence.start:sentence.end], others, reading.sent)
        if old is None or old[:10] == timing.due[:10]:
            continue
        if timing.status == DELIVERED:
            return replace(timing, previous=old)
        return replace(timing, previous=old, status=DELAYED if old[:10] < timing.due[:10] else PLANNED)
    return timing


def _with_label_plan(text: str, label: Span, dates: Sequence[grammar.DateMatch], timing: Timing,
                     reading: Reading) -> Timing:
    """The old date the item's label gives when its sentence moves it: "Stills pack
    (also due today): pushed to next Thursday"."""
    others = [_shifted(m, label.start) for m in _within(dates, label)]
    old = earlier_plan(text[label.start:label.end], others, reading.sent, plan_words=True)
    if old is None or old[:10] == timing.due[:10] or timing.status not in (DELAYED, PLANNED):
        return timing
    return replace(timing, previous=old, status=DELAYED if old[:10] < timing.due[:10] else PLANNED)


def _shifted(match, offset: int):
    return replace(match, start=match.start - offset, end=match.end - offset)


def _dated_sentence(text: str, seg: Segment, body: Span, dates: Sequence[grammar.DateMatch]) -> Span | None:
    for sentence in seg.sentences:
        part = Span(max(sentence.start, body.start), sentence.end)
        if part.start >= part.end:
            continue
        # dates in an opening clause ("Since Friday is our holiday, ...") are not the item's
        lead = lead_in_length(text[part.start:part.end])
        if text[part.start:part.start + lead].rstrip().endswith(","):
            part = Span(part.start + lead, part.end)
        if _within(dates, part):
            return part
    return None


_SHORT_HEAD = 2  # words: a label this short may head its sentence's subject


def _with_body_subject(text: str, seg: Segment, spans: DateSpans, label: str) -> str:
    """A short label that heads what its sentence is about: "Chairs: strength
    test passed on Friday" is the chairs' strength test."""
    first = next((s for s in seg.sentences if s.end > seg.label_end), None)
    if first is None:
        return label
    subject = own_subject(_blank(text, spans, max(first.start, seg.label_end), first.end))
    if not subject or set(content_words(subject)) & set(content_words(label)) or len(subject.split()) > 6:
        return label
    return f"{label} {subject}"


def unit_name(text: str, seg: Segment, dates: Sequence[grammar.DateMatch]) -> str:
    """The name of the item `seg` states, as the learned model chooses it among the spans of
    its unit (naming.py), under the heading the unit sits under; `dates` are blanked out."""
    name, headed = rule_name(text, seg, dates)
    name = choose(text, seg, dates, name)
    return f"{seg.prefix} {name}".strip() if headed and seg.prefix and name else name


def rule_name(text: str, seg: Segment, dates: Sequence[grammar.DateMatch]) -> tuple[str, bool]:
    """The name the hand rules give the item `seg` states (its label, or its dated sentence's
    subject), and whether the heading above goes before it (not before an action item's)."""
    spans = DateSpans((m.start, m.end) for m in dates)
    name = ""
    if seg.label_end is not None and seg.named:
        label = _blank(text, spans, seg.span.start, seg.label_end)
        head = strip_marker(label).strip().rstrip(":").strip()
        if is_action_head(head):  # "ACTION: Maria to send the budget by ..."
            body = _blank(text, spans, seg.label_end, seg.span.end).split(BLANK)[0]
            return action_item(body.strip(" :-–—\t")), False
        if is_task_owner(label, head):  # "- [ ] tkowal: triage the flake -- by Thursday": the task as written
            body = _blank(text, spans, seg.label_end, seg.span.end).split(BLANK)[0]
            return clean_name(body.strip(" :-–—\t")), False
        name = clean_name(topic_of(strip_marker(label) + ": x") or label)
        if name and len(name.split()) <= _SHORT_HEAD and not is_vague(name):
            name = _with_body_subject(text, seg, spans, name)
    if not name or is_vague(name):
        start = seg.label_end or seg.span.start
        parts = [Span(max(s.start, start), s.end) for s in seg.sentences if s.end > start]
        if not parts:
            return "", True
        part = next((p for p in parts if _within(dates, p)), parts[0])
        clause = dated_clause(text, part, spans)
        name = subject_name(strip_marker(_blank(text, spans, clause.start, clause.end)))
        if clause != part and (not name or is_vague(name)):  # "..., delivered to your DC by 15 Jan": no subject
            name = subject_name(strip_marker(_blank(text, spans, part.start, part.end)))
    return name, True
