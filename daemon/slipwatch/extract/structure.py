"""The vendor's text as units: lines, bullets and numbered items, `label: value`
fields, leader lines, sentences and the clauses of a sentence that dates two
items, and the tables laid out in plain text (" | " rows, tab-separated
cells, columns aligned with spaces).

A paragraph is no item: each of its sentences is one, a run of `label: value`
(or `label   value`) lines gives one unit per line, and a sentence that dates
two things in clauses of their own ("the beta on 3 March and the final
release on 17 March") gives one unit per clause. A bullet is one unit even
when it wraps or holds several sentences. Lines laid out as table rows are
left to tables.py; `aligned_blocks` tells which lines those are.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from slipwatch.mail.model import Table

from .names import CJK_LIST_MARK, first_verb, strip_lead_in, strip_marker, topic_of
from .status import DELIVERED_WORDS
from .words import CLAUSE_OPENERS, WEEK_LABELS, alternation, trie_regex

# Kinds of unit, for the candidates' features.
SENTENCE, BULLET, NUMBERED, FIELD, RECORD, LEADER, CLAUSE, ROW = (
    "sentence", "bullet", "numbered", "field", "record", "leader", "clause", "row")
UNIT_KINDS = (SENTENCE, BULLET, NUMBERED, FIELD, RECORD, LEADER, CLAUSE, ROW)

# CJK writers put no space after a list mark: "・結合テスト", "１．要件定義書"
_BULLET = re.compile(r"^[ \t\u3000]*(?:(?:[-–—•*·▪◦●○■►]+|\(?\d{1,2}[.)]|\(?[a-h][.)])[ \t]+|"
                     + CJK_LIST_MARK + r"[ \t\u3000]*)\S")
_NUMBERED = re.compile(r"[ \t]*(?:\(?(?:\d{1,2}|[a-h])[.)][ \t]|[(（]?[\d０-９]{1,2}[.．、)）])")
_LEADER = re.compile(r"^(?P<label>[^\n]*?\S)\s*(?:\.{4,}|…{2,}|_{4,})\s*(?P<value>\S[^\n]*)$")
_SHORT_LEADER = re.compile(r"^(?P<label>[^\n]*?\S)\s(?:\.{1,3}|…)\s(?P<value>\S[^\n]*)$")


def _short_leader(line: str, around: Sequence[str]) -> re.Match[str] | None:
    """A leader cut short by a long label ("OOH adaptations (48-sheet, bus) . Fri 3 October"): a
    line whose value starts in the same column as a leader line's next to it."""
    short = _SHORT_LEADER.match(line)
    if short is None:
        return None
    for other in around:
        full = _LEADER.match(other) or _SHORT_LEADER.match(other)
        if full and full.start("value") == short.start("value"):
            return short
    return None
# A table row laid out in text ("Batch 1 | 2026-10-23"), or its rule line: tables.py reads those.
# Tabs between three or more cells are a row too: the plain-text part of a mail
# whose HTML holds a table (Outlook), or cells pasted from a spreadsheet.
TABLE_ROW = re.compile(r"\S[ \t]+\|[ \t]+\S|^[ \t]*\|.*\|[ \t]*$|^(?:[^\t\n]*\S\t+){2,}\S")
_RULE_LINE = re.compile(r"^[\s|+=:-]{6,}$")
# A full stop ends a sentence before a word that is not in lower case: a capital of any cased script
# ("... прототип. Реліз", "... αποκλίσεις. Η τελική"), a digit, or a letter of a script without case.
_SENTENCE_END = re.compile(r"[.!?।]+[\"'”’)\]]*(?=\s+[\"'“(¿¡«„]?(?P<next>[^\W_]))|[.!?।]+$")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:vol|vols|no|nr|pp|p|approx|incl|ca|est|e\.g|i\.e|vs|st|mr|ms|mrs|dr|fig|ref|tel|"
    r"ext|co|ltd|inc|sp|nos|art|abs|min|max|ap|avg|dept|ch|etc|resp|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|"
    r"nov|dec|[A-Z])$", re.IGNORECASE)
# Heads that speak about the message, not an item: "Short answer:", "Malas noticias:".
_DISCOURSE = re.compile(
    r"\b(?:news|answer|question|change|update|note|fyi|flag|summary|recap|heads-up|reminder|highlights?|"
    r"delay|slippage|problem|warning|correction|important|"
    r"noticias?|nachrichten?|nouvelles?|not[íi]cias?|notizie|wiadomo[śs][ćc]|respuesta|r[ée]ponse|antwort|"
    r"resposta|risposta|odpowied[źz]|pregunta|frage|pergunta|domanda|pytanie|cambio|changement|[äa]nderung|"
    r"mudan[çc]a|modifica|zmiana|aktualizacja|actualizaci[óo]n|atualiza[çc][ãa]o|aggiornamento|"
    # "The good part:", "One more thing:"; section titles: "Risks:", "Next steps:"
    r"part|thing|upside|downside|risks|issues|blockers|dependencies|next\s+steps|open\s+points|"
    r"riesgos|risques|riscos|rischi|ryzyka|risiken)\b"
    # a tool's list head names no item ("Tasks due soon:", "Your cards:"), but "Gift cards:" does
    r"|^\W*(?:(?:your|my|open|new|upcoming|overdue|due)\s+)*(?:tasks?|to-?dos?|cards?|tickets?|tarefas?|tareas?|"
    r"t[âa]ches?|aufgaben?|zadani[ea])\b",
    re.IGNORECASE)
# ... a pronoun as a word, not a piece of "Frame.io" or "my.site"
_WRITER = re.compile(r"(?<![\w.])(?:I|we|you|me|us|ich|wir|je|nous|vous|yo|nosotros|eu|n[óo]s|io|noi|ja|my)\b(?!\.\w)",
                     re.IGNORECASE)
# "Name: rest", "Name – rest"; a colon in "10:00" or a URL is no label.
_SEPARATOR = re.compile(r"[ \t]*(?::(?=\s)|[ \t][–—-]+[ \t]|[–—](?=[ \t]))[ \t]*")
PAREN = re.compile(r"\(([^()]*)\)")
_SENTENCE_BREAK = re.compile(r"[.!?]\n")
_FIELD_LINE = re.compile(
    r"^\s*(?:due(?:\s+date)?|deadline|target\s+date|prazo|fecha\s+l[íi]mite|vence|f[äa]llig(?:\s+am)?|"
    r"[ée]ch[ée]ance|scadenza|termin|completed\s+by|conclu[íi]da\s+por|completad[oa]\s+por|"
    r"termin[ée]e?\s+par|erledigt\s+von|assignee|owner|respons[áa]vel|responsable|verantwortlich)\b[^\n]*$",
    re.IGNORECASE)
_GREETING = re.compile(r"^(?:dear|hi|hello|hey|good\s+(?:morning|afternoon)|hola|ol[áa]|bonjour|salut|hallo|"
                       r"liebe[rs]?|sehr\s+geehrte[rs]?|guten\s+tag|ciao|gentile|buongiorno|caro|cara|estimad[oa]s?|"
                       r"prezado|cze[śs][ćc]|dzie[ńn]\s+dobry|witam|szanown\w+)\b[^.!?\n]{0,60}[,:!]$", re.IGNORECASE)
_SIGN_OFF = re.compile(r"^[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*){0,2}$")  # "Vivian", "O.", "Ana Lima"
_HEADING_SPLIT = re.compile(r"\s+[–—-]\s+|:\s*|\s*\(")


@dataclass(frozen=True)
class Span:
    """A piece of the text by offsets, so dates found once can be shared out."""

    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """One candidate item: a bullet, a leader line or a sentence.

    `label_end` ends the "Name:" part when there is one (`named`: False when
    that part is an opener like "Good news:"); `prefix` is the heading the
    item sits under ("Vol. 1" above "First proofs ...... 22nd Oct").
    """

    span: Span
    sentences: tuple[Span, ...]
    label_end: int | None = None
    prefix: str = ""
    named: bool = True
    kind: str = SENTENCE


def _segment(text: str, span: Span, sentences: tuple[Span, ...], prefix: str = "",
             fallback_label: int | None = None, kind: str = SENTENCE) -> Segment:
    opening = _opening(text, span)
    if opening is None:
        return Segment(span, sentences, fallback_label, prefix, kind=kind)
    return Segment(span, sentences, opening[0], prefix, named=opening[1], kind=kind)


def _field(text: str, line: Span, value: int, heading: str) -> Segment:
    """A `label: value` line; "Short answer: ..." opens with words about the message."""
    opening = _opening(text, line)
    named = opening[1] if opening is not None and opening[0] == value else True
    return Segment(line, (line,), value, heading, named=named, kind=FIELD)


T = TypeVar("T")


def _first(item: Any) -> int:
    return item[0]


def start_of(match: Any) -> int:
    """Where a date or duration match starts: the key of `starting_in` for matches."""
    return match.start


def starting_in(items: Sequence[T], start: int, end: int, key: Callable[[T], int] = _first) -> Sequence[T]:
    """The items, in text order, that start in text[start:end] (`key`: where an item starts; date
    spans by default). Found by bisection: every unit asks, and a text may hold thousands of dates."""
    lo = bisect.bisect_left(items, start, key=key)
    return items[lo:bisect.bisect_left(items, end, lo=lo, key=key)]


class DateSpans(Sequence[tuple[int, int]]):
    """The spans of a text's dates in the order of their starts, one maybe inside another (a
    weekday in its date's parentheses), read once: which dates lie in or reach into a stretch of
    the text is then found by bisection, not by reading them all for every unit and every name
    (a line of a thousand dates would be read a million times)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self.starts = [s for s, _ in self.spans]
        self.reach = list(itertools.accumulate((e for _, e in self.spans), max))  # the farthest end up to each

    def __len__(self) -> int:
        return len(self.spans)

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[int, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int] | Sequence[tuple[int, int]]:
        return self.spans[index]

    def farthest(self, pos: int) -> int:
        """The farthest end of the dates that start at or before `pos` (0 when none): `pos` lies in a
        date when it is before it."""
        k = bisect.bisect_right(self.starts, pos)
        return self.reach[k - 1] if k else 0

    def reaching(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that reach into text[start:end]: those before the first whose farthest end
        passes `start` all end before it."""
        first = bisect.bisect_right(self.reach, start)
        return [span for span in self.spans[first:bisect.bisect_left(self.starts, end, lo=first)] if span[1] > start]


def _lines(text: str) -> Iterator[Span]:
    pos = 0
    for line in text.splitlines(keepends=True):
        yield Span(pos, pos + len(line.rstrip("\r\n")))
        pos += len(line)


def _sentences(text: str, span: Span, dates: DateSpans) -> tuple[Span, ...]:
    out = []
    start = span.start
    for m in _SENTENCE_END.finditer(text, span.start, span.end):
        if m.group("next") and m.group("next").islower() and (
                text[m.start() - 1:m.start()].isdigit()
                or not (dates.reaching(start, m.start()) and starting_in(dates, m.end(), span.end))):
            # "e.g. the", "approx. three weeks", an ordinal's stop ("április 10. helyett"); but a writer who
            # types in lower case parts two dated statements so: "not 26 May. yarn house is full, production
            # start will be 5 June."
            continue
        if m.start() < dates.farthest(m.start()) - 1:
            continue  # "am 20. März", "Nov. 12": a date's own full stop
        line_end = text[m.end():m.end() + 1] in ("\n", "")
        if not line_end and _ABBREVIATION.search(text, max(span.start, m.start() - 6), m.start()):
            continue  # "Vol. 1", "approx. 26/12"; "... on 12 Nov.⏎" still ends a sentence
        if text[start:m.end()].strip():
            out.append(Span(start, m.end()))
        start = m.end()
    if text[start:span.end].strip():
        out.append(Span(start, span.end))
    return tuple(out)


_NARROWEST_WRAP = 60  # characters: mail is wrapped at 72 or more, rarely narrower
# A wrapper may leave its widest line a few characters short of its width: a line breaks by hand when
# the next word would fit well short of the widest line.
_WRAP_SLACK = 8


def _writer_broke(line: str, nxt: str, widest: int) -> bool:
    """True when the writer ended `line`, not a wrapper: the first word of `nxt` would have fit on it
    (a wrapper that fills lines up to a width of `widest` or more would have put it there)."""
    word = nxt.split(None, 1)[0] if nxt.strip() else ""
    return _columns(line.rstrip()) + 1 + _columns(word) <= widest


def _dated_lines(text: str, lines: Sequence[Span], dates: DateSpans) -> Iterator[Span]:
    """The parts of a paragraph its writer broke at dated lines: "14 Apr - housing CAD freeze⏎
    25 Apr - appearance model", "Deadline for A: 30 December.⏎Deadline for B: 9 January." are two
    items each, though no full stop (or one a date owns) parts them. A paragraph wrapped to a width
    stays one text to split into sentences."""
    if not lines:
        return
    widest = max(_NARROWEST_WRAP, max(_columns(text[line.start:line.end]) for line in lines) - _WRAP_SLACK)
    start = lines[0].start
    for line, nxt in zip(lines, lines[1:]):
        if dates.reaching(line.start, line.end) and starting_in(dates, nxt.start, nxt.end) \
                and dates.farthest(line.end) <= line.end \
                and _writer_broke(text[line.start:line.end], text[nxt.start:nxt.end], widest):
            yield Span(start, line.end)
            start = nxt.start
    yield Span(start, lines[-1].end)


def _opening(text: str, span: Span) -> tuple[int, bool] | None:
    """The "Name:" / "Name – " opening of a span: (its end, whether it names the item).

    "UAT build – 20 Nov" opens with the item's name; "Good news from sprint 7:"
    or "One change I should flag:" open with words about the message, and
    the item is named in what follows.
    """
    body = text[span.start:span.end]
    lead = len(body) - len(strip_marker(body))
    window = body[:lead + 160]
    for sep in _SEPARATOR.finditer(window, lead):
        before = window[lead:sep.start()]
        if before.count("(") + before.count("[") > before.count(")") + before.count("]"):
            continue  # inside "(24 Dec – 3 Jan)"
        if _SENTENCE_BREAK.search(before):
            return None
        head = PAREN.sub(" ", before)
        if not head.strip() or len(head.split()) > 12:
            return None
        if topic_of(head + ": x"):
            return span.start + sep.end(), True
        if _DISCOURSE.search(head) or strip_lead_in(head + ": x") == "x" or (
                ":" in sep.group(0) and first_verb(head) and _WRITER.search(head)):
            return span.start + sep.end(), False
        if first_verb(head):
            return None  # "Beta 2 will be a day late: ...", a sentence
        return span.start + sep.end(), True
    return None


def segments(text: str, dates: Sequence[tuple[int, int]] = ()) -> Iterator[Segment]:
    """The units of `text`, in order; `dates` are the spans of its date expressions,
    whose full stops end no sentence."""
    lines = list(_lines(text))
    dated = DateSpans(dates)
    heading = ""
    paragraph: list[Span] = []
    bullet: list[Span] = []
    record: list[Span] = []

    def flush_paragraph() -> Iterator[Segment]:
        for part in _dated_lines(text, paragraph, dated):
            for sentence in _sentences(text, part, dated):
                yield _segment(text, sentence, (sentence,))
        paragraph.clear()

    def flush_bullet() -> Iterator[Segment]:
        if bullet:
            whole = Span(bullet[0].start, bullet[-1].end)
            first = strip_marker(text[bullet[0].start:bullet[0].end]).strip()
            title = None
            if len(bullet) > 1 and not first.endswith((".", "!", "?", ",")) \
                    and len(first.split()) <= 12 and not first_verb(first):
                title = bullet[0].end  # a task title with its details below it
            kind = NUMBERED if _NUMBERED.match(text, bullet[0].start) else BULLET
            yield _segment(text, whole, _sentences(text, whole, dated), heading, title, kind)
            bullet.clear()
        if record:
            whole = Span(record[0].start, record[-1].end)
            yield Segment(whole, _sentences(text, whole, dated), record[0].end, heading, kind=RECORD)
            record.clear()

    last = max((i for i, line in enumerate(lines) if text[line.start:line.end].strip()), default=-1)
    in_table = {i for block in aligned_blocks(text) for i in range(block.first, block.last + 1)}
    fields = [_field_value(_dates_closed(text, line, dated)) for line in lines]
    record_indent = 0
    wrapped_until = 0  # the lines up to here carry on a field's cell
    for i, line in enumerate(lines):
        if i < wrapped_until:
            continue
        raw = text[line.start:line.end]
        stripped = raw.strip()
        if i == last and _SIGN_OFF.match(stripped) and not DELIVERED_WORDS.match(stripped) \
                or _GREETING.match(stripped):
            stripped = ""  # "Vivian" signing off, "Dear Anna," opening
        if not stripped or i in in_table or TABLE_ROW.search(raw) or _RULE_LINE.match(raw) \
                or stripped.startswith(">"):
            yield from flush_bullet()
            yield from flush_paragraph()
            if not stripped:
                heading = ""
            continue
        leader = _LEADER.match(raw) or _short_leader(raw, [text[lines[j].start:lines[j].end]
                                                          for j in (i - 1, i + 1) if 0 <= j < len(lines)])
        if leader:
            yield from flush_bullet()
            yield from flush_paragraph()
            yield Segment(line, (line,), line.start + leader.start("value"), heading, kind=LEADER)
            continue
        if _BULLET.match(raw):
            yield from flush_bullet()
            yield from flush_paragraph()
            bullet.append(line)
            continue
        nxt = text[lines[i + 1].start:lines[i + 1].end] if i + 1 < len(lines) else ""
        if fields[i] is not None and _hanging(raw, nxt) and _indent(nxt) > fields[i]:
            # "Second proofs   23 August   NEW - we'd planned a single⏎ (under NEW:) proof round, ...":
            # a cell wrapped under its own words; the field goes on over those lines
            wrapped_until = i + 1
            while wrapped_until < len(lines) and _indent(text[lines[wrapped_until].start:lines[wrapped_until].end]) \
                    == _indent(nxt) and not fields[wrapped_until]:
                wrapped_until += 1
            yield from flush_bullet()
            yield from flush_paragraph()
            whole = Span(line.start, lines[wrapped_until - 1].end)
            yield dataclasses.replace(_field(text, line, line.start + fields[i], heading), span=whole,
                                      sentences=(whole,))
            continue
        if fields[i] is not None and nxt.strip() and _indent(nxt) > _indent(raw):
            # "Row 5   Task: Mass production start" over its indented fields: one
            # record, named by the head's value
            yield from flush_bullet()
            yield from flush_paragraph()
            record.append(Span(line.start + _innermost_value(raw), line.end))
            record_indent = _indent(raw)
            continue
        if record and _indent(raw) > record_indent:
            record.append(line)
            continue
        if fields[i] is not None and not (bullet and _indent(raw) > _indent(text[bullet[0].start:bullet[0].end])) \
                and (i > 0 and fields[i - 1] is not None or fields[i + 1:i + 2] not in ([], [None])):
            # one of several "label: value" lines: each is an item of its own
            yield from flush_bullet()
            yield from flush_paragraph()
            yield _field(text, line, line.start + fields[i], heading)
            continue
        if _FIELD_LINE.match(raw) and not bullet and paragraph \
                and not dated.reaching(paragraph[-1].start, paragraph[-1].end):
            # "Wireframes for checkout⏎  Due: Fri, Nov 6": a tool's task and its fields (a dated line
            # above is an item of its own: "Deadline for A: 30 December.⏎Deadline for B: 9 January.")
            title = paragraph.pop()
            yield from flush_paragraph()
            bullet.extend((title, line))
            continue
        if bullet and (raw[:1] in " \t" or not text[bullet[-1].end - 1:bullet[-1].end] in ".!?"):
            bullet.append(line)
            continue
        yield from flush_bullet()
        if not paragraph and _hanging(raw, nxt) and dated.reaching(line.start, line.end):
            # "2026-03-09 (Monday) - Internet-Draft submission cutoff (for all drafts,⏎
            #                       including -00s) by 23:59 UTC.": a dated line wrapped under its own
            # words is one unit, like a bullet
            bullet.append(line)
            continue
        if not paragraph and (nxt[:1] in " \t" and nxt.strip() or _LEADER.match(nxt)) \
                and not stripped.endswith((".", ":", "!", "?")) and len(stripped.split()) <= 10:
            # a heading over indented or leader lines: "Vol. 1 – The Drowned Bell"
            heading = _HEADING_SPLIT.split(stripped, maxsplit=1)[0]
            continue
        paragraph.append(line)
    yield from flush_bullet()
    yield from flush_paragraph()




# "Beta 1:   March 3, 2025", "ETD HKG        06-Nov", "3.5.0-rc1 : 12月17日": a short
# label, then a colon (a colon in "10:00" or a URL is none) or a wide gap, then its value.
_FIELD = re.compile(r"^[ \t]*(?P<label>[^\s:：][^:：\t]{0,80}?)"
                    r"(?:[ \t]*:[ \t]+|[ \t]*：[ \t]*|[ \t]*\t[ \t]*|[ \t]{3,}|(?<![.!?,;])[ \t]{2})(?P<value>\S.*)$")
_FIELD_WORDS = 8


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


_HANGING_INDENT = 4  # characters: an indent this deep that meets a word of the line above continues it


def _hanging(line: str, nxt: str) -> bool:
    """True when `nxt` is indented to where a word of `line` starts: its wrapped rest."""
    depth = _indent(nxt)
    return bool(nxt.strip()) and _HANGING_INDENT <= depth < len(line) and depth > _indent(line) \
        and line[depth - 1] == " " and line[depth] != " "


def _innermost_value(line: str) -> int:
    """Where the value of "Row 5   Task: Mass production start" starts: at its name."""
    pos = 0
    while (value := _field_value(line[pos:])) is not None:
        pos += value
    return pos


def _dates_closed(text: str, line: Span, dates: DateSpans) -> str:
    """The line with the gaps inside its dates filled, so that a day aligned under
    wider ones ("Aug  1: 21.1.0-rc1" under "Aug 12: 21.1.0-rc2") is no wide gap
    between a label and its value."""
    raw = text[line.start:line.end]
    if "  " not in raw and "\t" not in raw:
        return raw
    chars = list(raw)
    for start, end in dates.reaching(line.start, line.end):
        for k in range(max(start, line.start), min(end, line.end)):
            if chars[k - line.start] in " \t":
                chars[k - line.start] = "\u00a0"
    return "".join(chars)


def _field_value(line: str) -> int | None:
    """Where the value of a `label: value` line starts; None for any other line.

    Fields of a tool's task ("Due: Fri, Nov 6" under its title) stay with their task."""
    m = _FIELD.match(line)
    if not m or _FIELD_LINE.match(line) or _BULLET.match(line) or len(m.group("label").split()) > _FIELD_WORDS:
        return None
    return m.start("value")


@dataclass(frozen=True)
class AlignedBlock:
    """A table laid out with spaces: its lines (`first`..`last`, by index) and its cells."""

    first: int
    last: int
    table: Table


_GAP = re.compile(r"\t+|[ ]{2,}")
_MIN_COLUMNS = 3
_DIGIT = re.compile(r"\d")


@functools.cache
def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _columns(line: str) -> int:
    """How wide `line` is on screen: a CJK character takes two columns."""
    return len(line) if line.isascii() else sum(_width(ch) for ch in line)


def _cells(line: str) -> list[tuple[int, int, str]]:
    """The cells of a line split at gaps of two spaces or more, with the screen
    columns each spans (a CJK character takes two: "工序 Process" lines up with
    the rows below it as the writer saw it)."""
    if "\t" not in line and (line.isascii() or all(_width(ch) == 1 for ch in set(line))):
        cols: Sequence[int] = range(len(line) + 1)  # one column a character: spare counting them one by one
    else:
        cols = [0]
        for ch in line:
            cols.append(cols[-1] + (8 - cols[-1] % 8 if ch == "\t" else _width(ch)))
    cells = []
    pos = 0
    for gap in [*_GAP.finditer(line), None]:
        end = gap.start() if gap else len(line)
        if line[pos:end].strip():
            start = pos + len(line[pos:end]) - len(line[pos:end].lstrip())
            cells.append((cols[start], cols[end], line[start:end].strip()))
        pos = gap.end() if gap else end
    return cells


def _column(starts: Sequence[int], cell: tuple[int, int, str]) -> int:
    """The heading column a cell sits under: the one holding its middle."""
    middle = (cell[0] + cell[1]) / 2
    col = 0
    for j, start in enumerate(starts):
        if start <= middle:
            col = j
    return col


# A plan chart's heading of a week: "KW36", "CW 12", "Wk 47", "W3"
_WEEK_HEADING = re.compile(r"(?:" + trie_regex(WEEK_LABELS) + r")\.?\s*\d{1,2}|W\d{1,2}", re.IGNORECASE)


def _heads_columns(cells: Sequence[tuple[int, int, str]]) -> bool:
    """True for a row that may head a table: three or more cells without a digit ("PO No.  Part No.  Orig. ETD"),
    but for the weeks of a plan chart ("KW36  KW37  KW38")."""
    return len(cells) >= _MIN_COLUMNS and not any(
        _DIGIT.search(c[2]) and not _WEEK_HEADING.fullmatch(c[2]) for c in cells)


def _aligned_table(rows: Sequence[list[tuple[int, int, str]]]) -> Table | None:
    """The table whose heading is the first row (`_heads_columns`), and rows that line
    up under it. A row whose first column is empty carries on the cells of the row above."""
    header = rows[0]
    if not _heads_columns(header) or len(rows) < 2:
        return None
    starts = [c[0] for c in header]
    out: list[list[str]] = [[c[2] for c in header]]
    if all(cells[0][1] <= starts[0] for cells in rows[1:] if cells):
        # a blank corner: the rows' labels stand left of the first heading ("M142   Mon Sep 29")
        starts, out = [0, *starts], [["", *out[0]]]
    for cells in rows[1:]:
        row = [""] * len(starts)
        for cell in cells:
            j = _column(starts, cell)
            row[j] = f"{row[j]} {cell[2]}".strip()
        if not row[0] and len(out) > 1:
            out[-1] = [f"{a} {b}".strip() for a, b in zip(out[-1], row)]
        else:
            out.append(row)
    if sum(1 for row in out[1:] if sum(1 for c in row if c) >= 2) < max(1, (len(out) - 1) // 2 + 1):
        return None
    return Table(rows=tuple(tuple(row) for row in out))


def _groups_rows(cells: Sequence[tuple[int, int, str]], following: str) -> bool:
    """True for a table's group row: one cell over rows of the table ("Stability (lots C01 / C02)" over
    "  12-month stability report    10/30     11/4     Complete")."""
    return len(cells) == 1 and not TABLE_ROW.search(following) and len(_cells(following)) >= 2


@functools.lru_cache(maxsize=8)  # the prose reader and the table reader ask for the same text
def aligned_blocks(text: str) -> tuple[AlignedBlock, ...]:
    """The tables of `text` whose columns are aligned with spaces."""
    blocks = []
    run: list[tuple[int, list[tuple[int, int, str]]]] = []
    lines = [*text.splitlines(), ""]
    for i, line in enumerate(lines):
        if _RULE_LINE.match(line) and run:
            continue
        cells = _cells(line) if line.strip() and not TABLE_ROW.search(line) else []
        if len(cells) >= 2 or run and cells and (cells[0][0] > run[0][1][0][1] or _groups_rows(cells, lines[i + 1])):
            run.append((i, cells))
            continue
        # a heading may come under lines of two cells that are no table ("Customer:      Brackwater" above
        # "Pos.  Item  Qty  Delivery" on an order confirmation): the table starts there
        run = run[next((k for k, (_, cells) in enumerate(run) if _heads_columns(cells)), 0):]
        if len(run) >= 2:
            table = _aligned_table([cells for _, cells in run])
            if table is not None:
                blocks.append(AlignedBlock(run[0][0], run[-1][0], table))
        run = [(i, cells)] if len(cells) >= 2 else []
    return tuple(blocks)


# Where a sentence that dates two things parts them: "the beta on 3 March and the
# final release on 17 March", "Vessel Aurora, ETD Mundra 30 Nov, ETA Sines 28 Dec".
_CLAUSE_BREAK = re.compile(
    # a comma before the next step of a sequence parts two items as "and" does: "ready 27/10, then truck ..."
    r"[ \t]*[;,，；、][ \t]*(?:" + alternation(CLAUSE_OPENERS["sequence"]) + r")(?!\w)[ \t,]*"
    r"|[ \t]*[;,，；、][ \t]*(?:(?:and|y|e|et|und|i|en|és|és|và|ve|dan|oraz|și|a)\s+)?"
    r"|\s+(?:and|y|e|et|und|i|en|és|và|ve|dan|oraz|și|while|whereas)\s+", re.IGNORECASE)


_PUNCTUATED = re.compile(r"[;,，；、]")
_BARE_COMMA = re.compile(r"[ \t]*[,，、][ \t]*")
_WORDY = re.compile(r"[^\W_]")


def clauses(text: str, seg: Segment, dates: Sequence[tuple[int, int]], *, commas: bool = True,
            several: bool = False) -> list[Segment]:
    """The clauses of a one-sentence unit that each hold one of its dates, as units
    of their own; [seg] when its dates do not fall one to a clause. Without
    `commas`, only "and" or ";" part them ("..., now tooling will finish Friday"
    goes on the sentence before the comma), unless every part a comma gives says
    its own verb ("rc.0 is still cut on March 10, Docs Freeze stays on March 24, and ...").
    With `several`, a clause may hold more than one date (a move's old and new day)."""
    start = seg.span.start
    inside = starting_in(dates, start, seg.span.end)
    if len(inside) < 2 or len(seg.sentences) > 1:
        return [seg]
    spans = DateSpans(inside)
    parts = _clause_spans(text, seg, spans, commas, several)
    if parts is None and not commas:
        parts = _clause_spans(text, seg, spans, True, several)
        if parts is not None and not all(first_verb(_without(text, part, spans)) for part in parts):
            parts = None
    if parts is None:
        return [seg]
    return [_segment(text, part, (part,), seg.prefix, kind=CLAUSE) for part in parts]


def _clause_spans(text: str, seg: Segment, inside: DateSpans, commas: bool,
                  several: bool = False) -> list[Span] | None:
    """The clauses of `seg` holding one of its dates `inside` each (with `several`, one or more), or None
    when they do not fall so."""
    start = seg.span.start
    # a date in brackets goes with its clause: "le PAD sera livré le 2 juin (il était prévu aujourd'hui)";
    # brackets that hold nothing but a date date the words before them: "the returns module (30 July)
    # and the label fix (6 August)"
    brackets = DateSpans((m.start(), m.end()) for m in PAREN.finditer(text, start, seg.span.end))
    asides = DateSpans((m.start(), m.end()) for m in PAREN.finditer(text, start, seg.span.end)
                       if _WORDY.search(_without(text, Span(m.start(1), m.end(1)), inside)))
    main = [(s, e) for s, e in inside if not s < asides.farthest(s)]
    cuts = [m for m in _CLAUSE_BREAK.finditer(text, seg.label_end or start, seg.span.end)
            if not m.start() < max(inside.farthest(m.start()), brackets.farthest(m.start()))
            and (commas or not _BARE_COMMA.fullmatch(m.group()))]
    bounds = zip([start] + [m.end() for m in cuts], [m.start() for m in cuts] + [seg.span.end])
    parts = [Span(a, b) for a, b in bounds if starting_in(main, a, b)]
    if len(main) < 2 or (len(parts) != len(main) and not (several and len(parts) > 1)):
        return None
    return parts


def dated_clause(text: str, sentence: Span, dates: DateSpans) -> Span:
    """The clause of a one-date `sentence` that holds its date, when a clause before it says its own verb
    and the dated one does too: "Quilting takes approx 3 weeks, so goods will be ready by 13 August"
    is about the goods, "the yarn house is full, production start will be 5 June" about the start.
    Otherwise the whole sentence ("After the review, the report follows on 20 Nov": one clause has no verb)."""
    inside = DateSpans(dates.reaching(sentence.start, sentence.end))
    if len(inside) != 1:
        return sentence
    brackets = DateSpans((m.start(), m.end()) for m in PAREN.finditer(text, sentence.start, sentence.end))
    # at a comma or a semicolon: "and" joins the parts of a name as often ("to TestFlight and Google Play")
    cuts = [m for m in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end)
            if not m.start() < max(inside.farthest(m.start()), brackets.farthest(m.start()))
            and _PUNCTUATED.search(m.group())]
    bounds = list(zip([sentence.start] + [m.end() for m in cuts], [m.start() for m in cuts] + [sentence.end]))
    for k, (a, b) in enumerate(bounds):
        if k and a <= inside[0][0] < b:
            before = Span(bounds[k - 1][0], bounds[k - 1][1])
            dated = Span(a, b)
            if first_verb(_without(text, before, inside)) and first_verb(_without(text, dated, inside)):
                return dated
    return sentence


def _without(text: str, part: Span, dates: DateSpans) -> str:
    """The words of `part` with its dates blanked ("Tuesday" is no verb)."""
    chars = list(text[part.start:part.end])
    for s, e in dates.reaching(part.start, part.end):
        for k in range(max(s, part.start), min(e, part.end)):
            chars[k - part.start] = " "
    return "".join(chars)
