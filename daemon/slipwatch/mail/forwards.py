"""Forward and reply blocks in a message body, in the forms mail clients write them.

A body is a sequence of messages, newest first, each introduced by a block:

- a separator line, "---------- Forwarded message ---------",
  "-----Original Message-----", Outlook's underscore rule, Apple Mail's
  "Begin forwarded message:" (and their translations), followed by header lines;
- header lines alone, "From:/Sent:/To:/Subject:" in any client language
  (Outlook's reply history, new Outlook's forwards);
- an attribution line, "On <date>, <name> <address> wrote:" in any language.

The grammar is label driven: a header line is a known label, a colon (or
full-width colon) and a value; Yahoo glues the labels onto one line and
is split on the same labels. Lines keep their ">" quote depth so that a
quoted forward (Apple Mail quotes the whole forwarded message) is read at its
own depth.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from slipwatch.lang import language, languages
from slipwatch.mail.dates import MONTHS, ZONE_OFFSETS


class BlockKind(enum.Enum):
    FORWARD = "forward"  # the client says it is a forward
    ORIGINAL = "original"  # "Original Message": a reply or a forward, the subject tells
    HEADERS = "headers"  # header lines, possibly under a bare rule: either, the subject tells
    ATTRIBUTION = "attribution"  # "On ... wrote:": a reply unless the subject says forward


@dataclass(frozen=True)
class QuotedLine:
    """A body line without its ">" markers, and how many there were."""

    depth: int
    text: str


@dataclass(frozen=True)
class Block:
    """Where an earlier message starts in the body and what its header says."""

    kind: BlockKind
    start: int  # first line of the block (separator, first header or attribution)
    body_start: int  # first line of that message's own text
    depth: int
    author: str | None
    author_name: str | None
    date_text: str
    subject: str | None
    croatian: bool = False  # month words read as Croatian (see dates.py)


# Header labels of every language's clients (slipwatch.lang) -> the field they name.
_LABEL_FIELD = {
    label: name for lang in languages() for name, labels in lang.mail.labels.items() for label in labels
}


def _stem(word: str) -> str:
    """A registry word as a regex: literal, a space matching any run of blanks."""
    return re.escape(word).replace(r"\ ", r"\s+")


_LABEL_ALTERNATION = "|".join(re.escape(label) for label in sorted(_LABEL_FIELD, key=len, reverse=True))
_HEADER_LINE = re.compile(
    rf"^\s*[*_]{{0,2}}({_LABEL_ALTERNATION})[*_]{{0,2}}\s*[:：]\s*[*_]{{0,2}}\s*(.*)$", re.IGNORECASE
)
# Yahoo prints a whole header block on one line ("...<a@b.c>To: ...Sent: ...GMT+1Subject: ...");
# there, labels are found by their capital letter, wherever they start.
_GLUED_LABEL = re.compile(
    "("
    + "|".join(
        re.escape(label[0].upper() + label[1:])
        for label in sorted(_LABEL_FIELD, key=len, reverse=True)
        if label[0].isalpha()
    )
    + r"|CC)\s*[:：]"
)
_CROATIAN_LABELS = set(language("hr").mail.marks)

# Separator words: "Forwarded message", "Original Message", in every language.
_FORWARD_WORDS = re.compile(
    "|".join(_stem(mark) for lang in languages() for mark in lang.mail.forward_marks), re.IGNORECASE
)
_ORIGINAL_WORDS = re.compile(
    "|".join(_stem(mark) for lang in languages() for mark in lang.mail.original_marks), re.IGNORECASE
)
# The words end in a non-blank, so that the blanks before the closing rule are tried once, not from every word.
_DASHED = re.compile(r"^\s*[-=]{3,}\s*([^-=\s](?:.*?\S)??)\s*[-=]{3,}\s*(.*)$")
_RULE = re.compile(r"^\s*(?:_{8,}|-{8,})\s*$")
_INTRO = re.compile(r"^([^@<>:]{3,80}?)\s*[:：]\s*$")

# "wrote" of "On <date>, <name> wrote:"; a word start is required where words are spaced.
_ATTRIBUTION_VERB = re.compile(
    "|".join(
        (r"\b" if lang.spaced else "") + _stem(verb) for lang in languages() for verb in lang.mail.wrote
    ),
    re.IGNORECASE,
)
# How attributions without an address begin ("On", "Am", "Le", "El", "Em", "Il giorno", ...).
_ATTRIBUTION_LEAD = re.compile(
    "^(?:" + "|".join(_stem(lead) for lang in languages() for lead in lang.mail.reply_leads) + r"|\d)\b",
    re.IGNORECASE,
)
# An address's local part is at most 64 characters (RFC 5321) and starts where a word does; so bounded,
# a long run of word characters is not tried again from each of its letters.
_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]+(?:\.[\w-]+)+")
_MAILTO = re.compile(r"[<\[]\s*mailto:[^>\]]{0,320}[>\]]", re.IGNORECASE)
_BRACKETED = re.compile(
    rf"<\s*(?:mailto:\s*)?({_EMAIL.pattern})\s*>|\[\s*mailto:\s*({_EMAIL.pattern})\s*\]", re.IGNORECASE
)
_QUOTED_NAME = re.compile(r"\"[^\"]*\"|«[^»]*»|„[^“”]*[“”]|“[^”]*”|'[^']*'(?=\s*[<(])")
_QUOTE_PREFIX = re.compile(r"^((?:[ \t]{0,3}>)+)[ \t]?")
_TIME_FILLERS = frozenset({"am", "pm", "at", "on", "um", "op", "le", "el", "em", "il"})


def split_quoted(text: str) -> list[QuotedLine]:
    """Body lines with their quote depth; invisible marks and CRs removed."""
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.replace("\ufeff", "").replace("\u200b", "").replace("\xa0", " ")
        match = _QUOTE_PREFIX.match(line)
        if match:
            out.append(QuotedLine(match.group(1).count(">"), line[match.end():].rstrip()))
        else:
            out.append(QuotedLine(0, line.rstrip()))
    return out


def find_blocks(lines: Sequence[QuotedLine]) -> list[Block]:
    """Every forward or reply block, in body order (newest message first).

    In time linear in the body: the header lines are read once, up front
    (`_HeaderRuns`), so a line that starts no block costs what reading it costs,
    however many header lines follow it.
    """
    runs = _HeaderRuns(lines)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        if not text:
            i += 1
            continue
        found = (_separated_block(lines, runs, i) or _header_block(lines, runs, i, None)
                 or _attribution(lines, runs, i))
        if found is None:
            i += 1
            continue
        blocks.append(found)
        i = max(found.body_start, i + 1)
    return blocks


class _HeaderRuns:
    """The header lines of a body and the runs they form, read in one pass.

    A run is a stretch of header lines at one quote depth, with the wrapped
    lines of an address list between them. A block whose header starts at any
    header line of a run ends where the run ends: a wrapped line continues the
    header line above it, whatever line the block started at. So each run's
    end, and which fields its lines name from each line on, are known before
    the search for blocks begins, and trying a line as a block's start costs
    nothing more.
    """

    def __init__(self, lines: Sequence[QuotedLine]) -> None:
        self.match = [_HEADER_LINE.match(line.text) for line in lines]
        # of each header line: where its run ends, the fields named from it to there, and how many header lines
        self.end = [0] * len(lines)
        self.named: list[frozenset[str]] = [frozenset()] * len(lines)
        self.count = [0] * len(lines)
        i = 0
        while i < len(lines):
            if self.match[i] is None:
                i += 1
                continue
            end = self._run_end(lines, i)
            named: frozenset[str] = frozenset()
            count = 0
            for j in range(end - 1, i - 1, -1):
                found = self.match[j]
                if found is not None:
                    named |= {_LABEL_FIELD[found.group(1).lower()]}
                    count += 1
                    self.end[j], self.named[j], self.count[j] = end, named, count
            i = end

    def _run_end(self, lines: Sequence[QuotedLine], i: int) -> int:
        depth = lines[i].depth
        last, value = "", ""
        j = i
        while j < len(lines) and lines[j].depth == depth:
            found = self.match[j]
            text = lines[j].text
            if found is not None:
                last, value = _LABEL_FIELD[found.group(1).lower()], _field_value(found)
            elif not (last in ("to", "cc", "from") and text.strip() and ("@" in text or value.endswith((",", ";")))):
                break  # a wrapped address list goes on; anything else ends the header
            j += 1
        return j


def _field_value(match: re.Match[str]) -> str:
    return match.group(2).strip().strip("*").strip()


def _separator_kind(words: str) -> BlockKind | None:
    if _FORWARD_WORDS.search(words):
        return BlockKind.FORWARD
    if _ORIGINAL_WORDS.search(words):
        return BlockKind.ORIGINAL
    return None


def _separated_block(lines: Sequence[QuotedLine], runs: _HeaderRuns, i: int) -> Block | None:
    text = lines[i].text.strip()
    depth = lines[i].depth
    dashed = _DASHED.match(text)
    if dashed:
        kind = _separator_kind(dashed.group(1))
        if kind is None:
            return None
        if dashed.group(2):
            glued = _glued_block(dashed.group(2), kind, i, depth)
            if glued:
                return glued
    elif _RULE.match(text):
        kind = BlockKind.HEADERS
    else:
        intro = _INTRO.match(text) if text.endswith((":", "：")) else None
        if not intro or len(text.split()) > 8:
            return None
        kind = _separator_kind(intro.group(1)) or BlockKind.HEADERS
    j = i + 1
    while j < len(lines) and j <= i + 3 and not lines[j].text.strip():
        j += 1
    block = _header_block(lines, runs, j, kind) if j < len(lines) else None
    if block is not None:
        return Block(
            kind=kind, start=i, body_start=block.body_start, depth=block.depth,
            author=block.author, author_name=block.author_name, date_text=block.date_text,
            subject=block.subject, croatian=block.croatian,
        )
    if dashed and kind in (BlockKind.FORWARD, BlockKind.ORIGINAL):
        # A dashed rule is the client's own mark; the headers are in a form we do not know.
        return Block(kind, i, i + 1, depth, None, None, "", None)
    return None


def _header_block(lines: Sequence[QuotedLine], runs: _HeaderRuns, i: int, kind: BlockKind | None) -> Block | None:
    """Label lines from line i on; `kind` None means no separator was seen above."""
    if runs.match[i] is None:
        return None
    named, end = runs.named[i], runs.end[i]
    if kind is None:
        if "from" not in named or "date" not in named or not ({"subject", "to"} & named):
            return None
    elif not ({"from", "subject"} & named) or runs.count[i] < 2:
        return None
    fields: dict[str, str] = {}
    labels: set[str] = set()
    for found in runs.match[i:end]:
        if found is not None:
            label = found.group(1).lower()
            labels.add(label)
            fields.setdefault(_LABEL_FIELD[label], _field_value(found))
    return _block_from_fields(
        kind or BlockKind.HEADERS, i, end, lines[i].depth, fields, croatian=bool(_CROATIAN_LABELS & labels)
    )


def _glued_block(text: str, kind: BlockKind, i: int, depth: int) -> Block | None:
    marks = list(_GLUED_LABEL.finditer(text))
    fields: dict[str, str] = {}
    labels = []
    for n, mark in enumerate(marks):
        label = mark.group(1).lower()
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        labels.append(label)
        fields.setdefault(_LABEL_FIELD.get(label, "cc"), text[mark.end():end].strip())
    if "from" not in fields:
        return None
    return _block_from_fields(kind, i, i + 1, depth, fields, croatian=bool(_CROATIAN_LABELS & set(labels)))


def _block_from_fields(
    kind: BlockKind, start: int, body_start: int, depth: int, fields: dict[str, str], *, croatian: bool
) -> Block:
    author, name = parse_address(fields.get("from", ""))
    return Block(
        kind=kind, start=start, body_start=body_start, depth=depth, author=author,
        author_name=name, date_text=fields.get("date", ""), subject=fields.get("subject"),
        croatian=croatian,
    )


def _attribution(lines: Sequence[QuotedLine], runs: _HeaderRuns, i: int) -> Block | None:
    """"On <date>, <name> <address> wrote:", wrapped over up to three lines."""
    depth = lines[i].depth
    if runs.match[i] is not None:
        return None
    parts: list[str] = []
    for j in range(i, min(i + 3, len(lines))):
        if lines[j].depth != depth or not lines[j].text.strip():
            return None
        parts.append(lines[j].text.strip())
        joined = " ".join(parts)
        if len(joined) > 350:
            return None
        if not joined.endswith((":", "：")):
            continue
        verb = _ATTRIBUTION_VERB.search(joined)
        if not verb or not any(ch.isdigit() for ch in joined):
            continue
        if "@" not in joined and not _ATTRIBUTION_LEAD.match(joined):
            continue  # prose such as "As Tom wrote on 12 Nov:" is not history
        author, name = parse_address(joined)
        return Block(
            kind=BlockKind.ATTRIBUTION, start=i, body_start=j + 1, depth=depth, author=author,
            author_name=name, date_text=_attribution_date(joined, verb), subject=None,
        )
    return None


def _attribution_date(joined: str, verb: re.Match[str]) -> str:
    """The attribution without the verb, addresses and names, which could hold month words."""
    text = joined[:verb.start()] + " " + joined[verb.end():]
    text = _MAILTO.sub(" ", text)
    text = _QUOTED_NAME.sub(" ", text)
    email_at = _EMAIL.search(text)
    if email_at is None:
        return text
    before = text[:email_at.start()].rstrip(" <([")
    words = before.split(" ")
    dropped = 0
    while words and dropped < 4 and _looks_like_name_word(words[-1]):
        words.pop()
        dropped += 1
    return " ".join(words) + " " + text[email_at.end():].lstrip(">)] ")


def _looks_like_name_word(word: str) -> bool:
    bare = word.strip(",.()")
    if not bare or not bare[0].isupper() or not bare.replace("-", "").replace("'", "").isalpha():
        return False
    lower = bare.lower()
    return lower not in MONTHS and bare not in ZONE_OFFSETS and lower not in _TIME_FILLERS


def parse_address(value: str) -> tuple[str | None, str | None]:
    """The address of a From value (or an attribution line) and the display name before it.

    The address in angle brackets, or in Outlook's [mailto:...], when there is one, else the first bare one;
    a quoted display name is never taken for it, whatever it looks like ("maya@ours" <someone@else>).
    """
    # quoted names blanked in place, so that positions in it are positions in value
    unquoted = _QUOTED_NAME.sub(lambda m: " " * len(m.group()), value)
    match = _BRACKETED.search(unquoted) or _EMAIL.search(unquoted)
    if match is None:
        name = value.strip().strip("\"'").strip()
        return None, name or None
    address = next((g for g in match.groups() if g), match.group()).lower().strip("'.")
    name = value[:match.start()].strip().rstrip("<([").strip().strip("\"'«»„“”").strip()
    return address, name if name and name.lower() != address else None


def segments(lines: Sequence[QuotedLine], blocks: Sequence[Block]) -> list[list[QuotedLine]]:
    """Each message's own lines: before the first block, then each block's body.

    Depths become relative to the message: 0 is its own text, more is what it
    quotes. A block's body starts at the depth of its first line (Missive quotes
    the forwarded text one level deeper than its header lines).

    An answer written below the quote an "On ... wrote:" opens (bottom-posting,
    as on mailing lists, at any depth) is the answering message's: a paragraph
    that comes back out of the quote belongs to the nearest message around it
    whose own lines are quoted no deeper.
    """
    bounds = [(0, blocks[0].start if blocks else len(lines), -1)]
    own_depth = [0]  # how deep each message's own lines are quoted, in the order of bounds
    tails: dict[int, list[tuple[int, int]]] = {}  # message -> the lines it writes below quotes it answers
    for n, block in enumerate(blocks):
        end = blocks[n + 1].start if n + 1 < len(blocks) else len(lines)
        depth = block.depth
        if block.kind is BlockKind.ATTRIBUTION:
            depth = max(depth, next((line.depth for line in lines[block.body_start:] if line.text.strip()), 0))
            runs = _answers(lines, block.body_start, end, n + 1, own_depth + [depth])
            if runs:
                end = runs[0][1]
                for holder, first, last in runs:
                    tails.setdefault(holder, []).append((first, last))
        own_depth.append(depth)
        bounds.append((block.body_start, end, block.depth))
    out = []
    for n, (start, end, depth) in enumerate(bounds):
        own = list(lines[start:end])
        if depth < 0:  # the message's own top: anything quoted there is history
            base = 0
        else:
            base = max(depth, next((line.depth for line in own if line.text.strip()), depth))
        for first, last in tails.get(n, ()):
            own += lines[first:last]
        out.append([QuotedLine(max(0, line.depth - base), line.text) for line in own])
    return out


def _answers(lines: Sequence[QuotedLine], start: int, end: int, quoting: int,
             own_depth: Sequence[int]) -> list[tuple[int, int, int]]:
    """The paragraphs of lines[start:end] that come back out of the quote that message
    `quoting` is, as (message, first line, end) runs; `own_depth` of each message so far."""
    runs: list[tuple[int, int, int]] = []
    holder = quoting
    for k in range(start + 1, end):
        line = lines[k]
        if not line.text.strip() or lines[k - 1].text.strip() or line.depth >= own_depth[holder]:
            continue  # a wrapped line that lost its ">" is still the quote
        holder = quoting - 1
        while holder > 0 and own_depth[holder] > line.depth:
            holder -= 1
        if runs:
            runs[-1] = (*runs[-1][:2], k)
        runs.append((holder, k, end))
    return runs
