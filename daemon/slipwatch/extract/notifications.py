"""Mail from vendors' project tools (Jira, Trello, GitHub, GitLab, Azure DevOps,
Asana, monday.com, Smartsheet...): field changes rather than sentences.

The shapes they share:

- a field list, "Due date:  Oct 23, 2026  →  Oct 28, 2026" and
  "Status:  In Progress → Blocked": a run of `label: value` lines whose
  labels the language registry knows (lang/*.json "fields", in every
  language read), about the item its name field ("Task: ..."), the title
  above it or the subject names;
- an activity line, "X changed the due date of the card NAME to DATE",
  "Due date changed from A to B for row "NAME"", "X moved the card NAME
  from Doing to Done";
- a milestone move, "changed the milestone from Sprint 3 (due by A) to
  Sprint 4 (due by B)".

The lines read here are taken out of the prose, so the generic sentence
reader sees only the comments people wrote (which can state items too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from slipwatch.lang import language
from slipwatch.mail.model import VendorMessage

from . import dates as grammar
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .digests import DONE_FIELD as _DONE_FIELD
from .digests import DONE_LABEL as _DONE_LABEL
from .digests import BULLET, digest_milestones, is_header
from .moves import OLD_MARK, settle
from .names import clean_name, content_words, is_vague, subject_item
from .status import Cue, cell_status
from .tables import heads
from .words import ACTIVITY_WORDS, FIELD_WORDS, cue_regex, field_role, heading_role, trie_regex

_I = re.IGNORECASE
_ARROW = r"\s*(?:→|->|=>|⇒|➔)\s*"
_DUE = cue_regex(FIELD_WORDS["due"])
# The date an activity sentence changes: "the due date", "the target date", "the deadline", or a
# board's bare "Date" or "Timeline" column ("Date changed from A to B for row ..."); not any word
# for a delivery: "we moved the delivery to Friday" is the vendor's own sentence. The sentences
# read here are English, and so are their field words.
_EN_DUE, _EN_DATE = (r"\b" + trie_regex(language("en").fields[role]) + r"\b" for role in ("due", "date"))
_DUE_KEY = r"(?:" + _EN_DUE + r"\s+" + _EN_DATE + r"|due|deadline|" + _EN_DATE + r")"
# The verbs of activity sentences, by what they do (lang/*.json "activity"): "changed the due date",
# "Due date changed", "completed", "marked ... done", "commented on".
_CHANGE, _CHANGED, _COMPLETE, _MARK, _DONE, _OTHER = (
    cue_regex(ACTIVITY_WORDS[group]) for group in ("change", "changed", "complete", "mark", "done", "other"))
_NAMED_TAIL = (r"(?:\s+(?:for|on)\s+(?:the\s+)?(?:row|item|task|card|issue|pulse|story)?\s*"
               r"(?P<name>[\"“'][^\"”'\n]+[\"”']|[^\n]+?))?[.\s]*$")
_CARD_DUE = re.compile(
    r"^[^\n]*?" + _CHANGE + r"\s+the\s+" + _DUE_KEY +
    r"\s+(?:of|for|on)\s+(?:the\s+)?(?:card|task|issue|item|ticket|story|work\s+item|to-?do)?\s*"
    r"(?P<name>[^\n]+?)(?:\s+(?:from\s+(?P<old>[^\n]+?)\s+)?to\s+|[:：]\s*(?P<was>[^\n]+?)" + _ARROW + r")"
    r"(?P<new>[^\n]+)$", _I | re.M)
_DUE_CHANGED = re.compile(
    r"^[^\n]*?\b(?:" + _DUE_KEY + r"\s+(?:was\s+)?" + _CHANGED + "|" + _CHANGE + r"\s+"
    r"(?:the\s+)?" + _DUE_KEY + r")(?:\s+from\s+(?P<old>[^\n]+?))?\s+to\s+(?P<new>[^\n]+?)" + _NAMED_TAIL,
    _I | re.M)
# "changed the milestone from Sprint 3 (due by A) to Sprint 4 (due by B)", "Bumped this from the `v1.2` milestone
# (due A) to `v1.3` (due B)": whatever the verb, the item moves from one dated milestone to the other
_MILESTONE_MOVE = re.compile(
    r"^[^\n]*?\b(?:from|out\s+of)\s+[^\n()]*?"
    r"\(due\s+(?:by|on)?\s*(?P<old>[^)]+)\)\s+(?:to|into)\s+[^\n()]*?\(due\s+(?:by|on)?\s*(?P<new>[^)]+)\)[^\n]*$",
    _I | re.M)
_MILESTONE_ADD = re.compile(
    r"^[^\n]*?\badded\s+(?:this|it)\s+to\s+(?:the\s+)?[^\n]*?milestone[^\n]*?\(due\s+(?:by|on)?\s*"
    r"(?P<new>[^)]+)\)[^\n]*$", _I | re.M)
# A status change that reports a delivery today: "changed Status to Done on Site survey",
# "Status changed to Done on Hero banner", "moved the card Poster from Doing to Done";
# without a name it is about the item the mail is about.
_STATUS_CHANGE = re.compile(
    r"^[^\n]*?\b(?:(?:" + _CHANGE + r"\s+(?:the\s+)?(?:status|state)|(?:status|state)\s+(?:was\s+)?" + _CHANGED + ")"
    r"\s+(?:from\s+[^\n]+?\s+)?to\s+(?P<value>[^\n]+?)"
    r"(?:\s+(?:on|for)\s+(?:the\s+)?(?:row|item|task|card|pulse)?\s*(?P<name>[^\n]+?))?"
    r"|moved\s+(?:the\s+)?card\s+(?P<card>[^\n]+?)\s+from\s+[^\n]+?\s+to\s+(?P<list>[^\n]+?))[.\s]*$",
    _I | re.M)
# A verb in two parts around its object, as German and Dutch put it: "hat „Preisliste" abgeschlossen",
# "heeft "Prijslijst" voltooid" (the registry's "hat … abgeschlossen"): its head and its tail.
_HEADS, _TAILS = (cue_regex({w.split(" … ")[part] for w in ACTIVITY_WORDS["complete"] if " … " in w}) for part in (0, 1))
# "Marta completed "Pricing sheet"", "Kim marked this task complete", "Mia completed a
# to-do: Export the feed": a delivery today.
_COMPLETED = re.compile(
    r"^[^\n]*?(?:" + _COMPLETE + "|" + _MARK + r")\s+(?:the\s+|a\s+)?(?:task|card|item|issue|to-?do)?\s*"
    r"(?:(?P<name>[\"“][^\"”\n]+[\"”]|this\s+(?:task|card|item|issue|to-?do))"
    r"(?:\s+(?:as\s+)?" + _DONE + r")?(?:\s*\(\s*" + _DUE_KEY + r"\s*(?P<due>[^)\n]+)\))?"
    r"|[:：]\s*(?P<listed>[^\n]+?))[.\s]*$"
    r"|^[^\n]*?" + _HEADS + r"\s+[\"“„](?P<framed>[^\"”“\n]+)[\"”“]\s+"
    + _TAILS + r"[.\s]*$", _I | re.M)
# Tool activity lines ("X commented on the card Y"): who did what, no item statement.
_ACTIVITY = re.compile(
    r"^[^\n]*?(?:" + _OTHER + "|" + _CHANGE + "|" + _COMPLETE + r")[^\n]*?"
    r"\b(?:card|task|issue|item|ticket|story|pull\s+request|merge\s+request|work\s+item|fields?|" + _DUE_KEY + r")\b"
    r"[^\n]*$", _I | re.M)
# Cheap test first: most vendor mail is prose with none of the shapes above.
_HINT = re.compile(r"→|->|=>|⇒|➔|\bmilestone\b|" + _CHANGE + "|" + _COMPLETE + "|" + _MARK +
                   "|" + _HEADS + r"\s+[\"“„]" +
                   r"|^[ \t]*" + trie_regex(w.rstrip("*") for role in ("due", "date", "status") for w in FIELD_WORDS[role])
                   + r"[^\n:：]{0,30}(?:[:：]|[ \t]{2}|\t)", _I | re.M)
_ARROW_RE = re.compile(_ARROW)
# A tool's field: "Due date:  Oct 23 → Oct 28", "Status  In Progress", "Task: Safety deck"; a label,
# then a colon or a wide gap, then its value. The registry's field words tell what the label is.
_LABELLED = re.compile(r"^[ \t]*(?P<label>[^\W\d_][^\n:：]{0,30}?)(?:[ \t]*[:：]|[ \t]{2,}|\t)[ \t]*"
                       r"(?P<value>\S[^\n]*)$", re.M)
# "Due Wednesday, 2/4/2026" (Planner): a due field's label, a blank, its date.
_BARE_DUE = re.compile(r"^[ \t]*(?P<label>" + _DUE + r")[ \t]+(?=\d|[^\W\d_]{3,}[.,]?[ \t]+(?:[^\W\d_]{3,}\.?[ \t]+)?\d)"
                       r"(?P<value>[^\n]+)$", _I | re.M)
# What the roles of field labels do here: name the item, date it, or only keep a tool's records (the
# prose reader has no business with "Changed Date: 9/28/2026 2:05 PM" or "Status: Active").
_NAMING = ("name", "label")
_DATED = ("due", "revised", "date")
_RECORD = ("status", "stamp", "owner", "code", "other")
# Planner and Wrike print a task's fields on one line: "Due: 27/11 · Progress: In progress · Assigned to: X".
# Each separator before a label becomes a line break plus indent of the same length (offsets kept).
_INLINE_SEPARATOR = re.compile(r"[ \t]+[·•|][ \t]+(?=[^\W\d_][^\n:·•|]{0,30}[:：]|" + _DONE_LABEL + ")", _I)


def _timing(old_text: str | None, new_text: str, status: str | None, reading: Reading,
            ) -> tuple[str, str | None, str] | None:
    """(due, previous, status) from a field's old and new values."""
    line = f"{old_text} → {new_text}" if old_text else new_text
    matches = grammar.find_dates(line, reading.sent, day_first=reading.day_first)
    if not matches:
        return None
    cue = Cue(status=status or PLANNED, later=bool(old_text))
    timing = settle(line, matches, cue, reading.sent, default_today=False)
    if timing is None:
        return None
    return timing.due, timing.previous, timing.status


def _old_date_nearby(block: str, due: str, reading: Reading) -> str | None:
    """An old date a comment gives ("Moved from Nov 9") for the item just changed."""
    for m in grammar.find_dates(block, reading.sent, day_first=reading.day_first):
        if OLD_MARK.search(block[max(0, m.start - 20):m.start]):
            old = grammar.resolve(m, reading.sent, "previous").value(reading.sent)
            if old[:10] != due[:10]:
                return old
    return None


@dataclass(frozen=True)
class _Field:
    """A `label: value` line; `role` is what the registry says its label is (None: unknown)."""

    start: int
    end: int
    role: str | None
    value: str


def _field(line: str, pos: int, columns: frozenset[str] = frozenset()) -> _Field | None:
    """The field a line holds, at offset `pos`; None for any other line. A record's head holds
    its field in its value ("Row 5   Task: Mass production start"); a completion line ("Completed
    on 20/11/2026", "Terminée le 20/11") says the day the item was delivered. A label of `columns`
    is a field by the role its heading words give ("Material deadline": due)."""
    m = _LABELLED.match(line) or _BARE_DUE.match(line)
    role = field_role(m.group("label")) if m else None
    if role is None and m and m.group("label").strip().lower() in columns:
        role = heading_role(m.group("label"))
    if role is None:
        done = _DONE_FIELD.match(line)
        if done:
            return _Field(pos, pos + len(line), "actual", done.group("value"))
        inner = _LABELLED.match(m.group("value")) if m else None
        if inner and field_role(inner.group("label")) is not None:
            return _Field(pos, pos + len(line), field_role(inner.group("label")), inner.group("value"))
        if m is None:
            return None
    return _Field(pos, pos + len(line), role, m.group("value"))


@dataclass(frozen=True)
class _Block:
    """A tool's field list ("Status: ...⏎Due date: ...⏎Assignee: ..."), by offsets.

    It is about the item its name field names ("Task: Safety deck"), the `title`
    line it is indented under or that heads its paragraph ("Alder bench⏎  Date:
    ...⏎  Status: ..."), or the subject's item.
    """

    start: int
    end: int
    title: str
    fields: tuple[_Field, ...]

    def first(self, *roles: str) -> _Field | None:
        return next((f for f in self.fields if f.role in roles), None)


# A line above a field list that reports activity or heads a section names no item.
_NOT_TITLE = re.compile(_CHANGE + "|" + _OTHER + r"|\b(?:fields?|changes|details|summary|updates?)\b|[:：]\s*$", _I)
_TITLE_CHARS = 90


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


_HEAD_LINES = 3  # a paragraph this short may head the field list under it: "Web shop / WS-112⏎Cart styling"


# A project's path beside the item's title: "Web shop / WS-112", "in Orrin › Patient diary"
_PATH = re.compile(r"[›»]|\s[/>]\s")


def _title(lines: Sequence[str], i: int, subject: str) -> str:
    """The item the field list starting at line `i` is under: a line indented less just above
    it, or one that opens its paragraph ("FAI report EH-01 rev B⏎Bucket: ...⏎Due Wed, 2/4/2026"),
    or else a short paragraph of titles just above it ("Web shop / WS-112⏎Cart styling⏎⏎Changed
    by: ...⏎Due date: ..."): the last of its lines that are no project path, unless the subject names
    one of them (a batch of a tool's updates names each item above its fields, not in the subject)."""
    if i > 1 and not lines[i - 1].strip() and lines[i - 2].strip():
        top = i - 2
        while top > 0 and lines[top - 1].strip() and i - 2 - top < _HEAD_LINES:
            top -= 1
        if (top and lines[top - 1].strip()) or not all(_heads_paragraph(line) for line in lines[top:i - 1]):
            return ""
        titles = [line.strip() for line in lines[top:i - 1] if not _PATH.search(line)]
        said = set(content_words(subject))
        if any(set(content_words(line)) & said for line in titles):
            return ""  # the subject names the item (and says it without the tool's key)
        return titles[-1] if titles else ""
    above = lines[i - 1] if i > 0 else ""
    stripped = above.strip()
    if not stripped or _NOT_TITLE.search(above) or is_header(stripped):
        return ""
    if _indent(above) < _indent(lines[i]):
        return stripped
    opens = i == 1 or not lines[i - 2].strip()
    if opens and len(stripped) <= _TITLE_CHARS and not stripped.endswith((".", ",", ";", "!", "?")) \
            and re.search(r"[^\W\d_]", stripped):
        return stripped
    return ""


def _heads_paragraph(line: str) -> bool:
    """True for a line of a paragraph of titles: short, no sentence, no field the registry knows but
    a name (a title may hold a colon: "Product configurator: 3D viewer"), no activity."""
    stripped = line.strip()
    return (len(stripped) <= _TITLE_CHARS and not stripped.endswith((".", ",", ";", "!", "?", ":"))
            and not _NOT_TITLE.search(stripped) and not ((m := _LABELLED.match(line)) and field_role(m.group("label")) not in (None, *_NAMING))
            and not is_header(stripped) and bool(re.search(r"[^\W\d_]", stripped)))


_CELL_GAP = re.compile(r"[ \t]{2,}|\t|[ \t]\|[ \t]")


def _heads_table(line: str) -> bool:
    """True for a table's heading row laid out in text: three cells or more, no field's colon."""
    cells = _CELL_GAP.split(line.strip())
    return len(cells) >= 3 and ":" not in line and heads(cells)


def _tools(run: Sequence[_Field], reading: Reading) -> bool:
    """True when a run of field lines is a tool's field list: the registry knows a label of it other
    than a name ("ACTION: ..." lines are items), and no label it does not know dates something
    ("Delivery: 12 Nov⏎Installation: 20 Nov" names its items, though "Delivery" may label a date)."""
    return len(run) >= 2 and any(f.role not in (None, *_NAMING) for f in run) and not any(
        f.role is None and grammar.find_dates(f.value, reading.sent, day_first=reading.day_first) for f in run)


def _columns(lines: Sequence[str]) -> frozenset[str]:
    """The labels that a tool repeats on lines indented under several items ("Row 4 – Poster⏎  Material
    deadline: ...⏎Row 9 – Radio spot⏎  Material deadline: ..."): a sheet's columns, which name a field
    however they are worded, not an item as "Artwork deadline: 12 Nov" does in a list of dates."""
    seen: dict[str, int] = {}
    for line in lines:
        m = _LABELLED.match(line) if line[:1] in (" ", "\t") else None
        if m and heading_role(m.group("label")) is not None:
            label = m.group("label").strip().lower()
            seen[label] = seen.get(label, 0) + 1
    return frozenset(label for label, count in seen.items() if count >= 2)


def _field_blocks(text: str, reading: Reading, subject: str = "") -> list[_Block]:
    """The tool field lists of `text`. A lone "Due: ..." line is no field list (it belongs to the
    title above it, which the prose reader sees), nor are the rows under a table's headings
    ("Field   New value   Old value": tables.py reads which column is which)."""
    blocks: list[_Block] = []
    pos, start, run, first = 0, 0, [], 0
    table = False
    lines = text.split("\n")
    columns = _columns(lines)
    for i, line in enumerate(lines + [""]):
        table = bool(line.strip()) and (table or _heads_table(line))
        field = _field(line, pos, columns) if line.strip() and not table else None
        if field is not None:
            if not run:
                start, first = pos, i
            run.append(field)
        else:
            if _tools(run, reading):
                blocks.append(_Block(start, pos - 1, _title(lines, first, subject), tuple(run)))
            run = []
        pos += len(line) + 1
    return blocks


def _value_parts(field: _Field, reading: Reading) -> list[str]:
    """A field's value as [new] or [old, new]: "A → B", or two dates side by side, the old one
    first (Jira: "Due Date: | 14/Nov/25 21/Nov/25")."""
    parts = _ARROW_RE.split(field.value, maxsplit=1)
    found = grammar.find_dates(field.value, reading.sent, day_first=reading.day_first) if len(parts) == 1 else []
    if len(found) == 2:
        value = field.value
        rest = value[:found[0].start] + value[found[0].end:found[1].start] + value[found[1].end:]
        if not rest.strip(" \t|"):
            return [found[0].text, found[1].text]
    return parts


def _field_changes(blocks: Sequence[_Block], first_status: str | None, used: list[tuple[int, int]], reading: Reading,
                   ) -> list[tuple[tuple[int, int], str, str | None, str | None, str | None]]:
    """(span, new, old, name, status) of each dated field of the field lists; `first_status` is the
    first any of them states."""
    statuses = {id(b): _status_of(b) for b in blocks}
    changes = []
    for block in blocks:
        named = block.first(*_NAMING)
        title = named.value if named else block.title or None
        # an item of a digest has its own status; a tool's one item may list its status apart
        status = statuses[id(block)] if block.title else statuses[id(block)] or first_status
        done = block.first("actual")
        before = block.first("previous")
        moved = block.first("status")
        if block.title and statuses[id(block)] == DELIVERED and moved and _ARROW_RE.search(moved.value) \
                and block.first(*_DATED) is None:
            # "Status: In Review → Done" under the item's title and no date: delivered today
            changes.append(((moved.start, moved.end), reading.sent.date().isoformat(), None, title, DELIVERED))
            continue
        for f in block.fields:
            if f.role not in _DATED:
                continue
            parts = _value_parts(f, reading)
            if f.role == "date" and len(parts) == 1 and statuses[id(block)] is None:
                continue  # "Date: Mon, 2 Nov" heads a message; it dates no item
            if done and f.role != "date":
                # delivered on the completion line's day; the due field is the plan it was measured against
                changes.append(((f.start, f.end), done.value, parts[-1], title, DELIVERED))
                used.append((done.start, done.end))
                continue
            old = parts[0] if len(parts) == 2 else before.value if before else None
            changes.append(((f.start, f.end), parts[-1], old, title, status))
    return changes


_OPEN_QUOTE = re.compile(r'"|“|”')


def _unwrapped(text: str) -> str:
    """`text` with a quoted title that wraps onto the next line joined to it ('completed "Press kit
    uploaded to⏎      Dropbox" (due Mar 17)', a digest wrapped at 72 columns); a blank stands for
    the line break, so that offsets are kept. A blank line closes any quote left open."""
    lines = text.split("\n")
    out: list[str] = []
    open_quote = False
    for i, line in enumerate(lines):
        open_quote = open_quote and bool(line.strip())
        open_quote ^= len(_OPEN_QUOTE.findall(line)) % 2 == 1
        out.append(line)
        if i + 1 < len(lines):
            out.append(" " if open_quote and lines[i + 1].strip() else "\n")
    return "".join(out)


def notification_milestones(message: VendorMessage, reading: Reading) -> tuple[list[Milestone], str]:
    """Items stated as tool field changes, and the text left for the prose reader."""
    original = message.text
    if not _HINT.search(original):
        return [], original
    # the same length, so that offsets into `text` are offsets into `original`
    text = _unwrapped(_INLINE_SEPARATOR.sub(lambda m: "\n" + " " * (len(m.group()) - 1), original))
    # a digest's items first: each title with its own lines; the rest is read as below
    items, used = digest_milestones(text, reading)
    if used:
        text = _without(text, used)

    cards = list(_CARD_DUE.finditer(text))
    told: list[Milestone] = []  # by activity sentences
    for i, m in enumerate(cards):
        # "... to Apr 2", "... from Mar 26 to Apr 2", Basecamp's '... on "Preview": Mar 26 -> Apr 2'
        timing = _timing(m.group("old") or m.group("was"), m.group("new"), None, reading)
        name = clean_name(m.group("name"))
        if timing is None or is_vague(name):
            continue
        due, previous, status = timing
        block_end = cards[i + 1].start() if i + 1 < len(cards) else len(text)
        previous = previous or _old_date_nearby(text[m.end():block_end], due, reading)
        if previous and due[:10] > previous[:10]:
            status = DELAYED
        told.append(_item(name, due, previous, status, m.group(0)))
        items.append(told[-1])
        used.append(m.span())

    subject_name = subject_item(_without_field_change(message.subject))
    blocks = _field_blocks(text, reading, subject_name)
    named = next((f for b in blocks for f in b.fields if f.role in _NAMING), None)
    item_name = clean_name(named.value) if named else subject_name
    for m in _STATUS_CHANGE.finditer(text):
        name = clean_name(m.group("name") or m.group("card") or "") or _heading_above(text, m.start()) or item_name
        if cell_status(m.group("value") or m.group("list")) == DELIVERED and not is_vague(name):
            items.append(_item(name, reading.sent.date().isoformat(), None, DELIVERED, m.group(0)))
            used.append(m.span())
    for m in _COMPLETED.finditer(text):
        quoted = m.group("name") and m.group("name")[:1] in "\"“"
        quoted = quoted or m.group("framed")
        name = clean_name(m.group("listed") or m.group("framed") or m.group("name")) \
            if m.group("listed") or quoted else item_name
        if not is_vague(name):
            # the day its detail lines give, or else the due date it names ('(due Mar 17)'), or today
            done = (_done_on(text, m.end(), reading) or _due_named(m.group("due"), reading)
                    or reading.sent.date().isoformat())
            items.append(_item(name, done, None, DELIVERED, m.group(0)))
            used.append(m.span())

    first_status = next((s for s in map(_status_of, blocks) if s is not None), None)
    changes = _field_changes(blocks, first_status, used, reading)
    for regex in (_DUE_CHANGED, _MILESTONE_MOVE, _MILESTONE_ADD):
        for m in regex.finditer(text):
            groups = m.groupdict()
            name = groups.get("name") or _heading_above(text, m.start())
            changes.append((m.span(), groups["new"], groups.get("old"), name, first_status))
    changes.sort()
    listed: list[Milestone] = []  # by field lists and change lines
    for i, (span, new, old, named_as, status) in enumerate(changes):
        name = clean_name(named_as) if named_as else ""
        name = subject_name if is_vague(name) else name
        timing = _timing(old, new, status if status in (AT_RISK, CANCELLED, DELIVERED) else None, reading)
        if timing is None or is_vague(name):
            continue
        due, previous, state = timing
        if previous is None:
            # "changed due date to Nov 20⏎⏎Was: Nov 13": the old value on a line of its own; with one
            # change in the mail, a comment above it may give it too ("Moving the due date from March 24")
            block_end = changes[i + 1][0][0] if i + 1 < len(changes) else len(text)
            previous = _old_date_nearby(text[span[1]:block_end], due, reading) or (
                _old_date_nearby(text[:span[0]], due, reading) if len(changes) == 1 else None)
            if previous and state == PLANNED:
                state = DELAYED if due[:10] > previous[:10] else PLANNED
        listed.append(_item(name, due, previous, state, text[span[0]:span[1]]))
        used.append(span)
    # "X changed the due date of SXT-231 to Jun 19" above "Due date: Jun 12 → Jun 19": one change, told
    # twice; the field list names the item and keeps its old date
    twice = [m for m in told if any(f.due[:10] == m.due[:10] and (
        f.name == subject_name or set(content_words(f.name)) & set(content_words(m.name))) for f in listed)]
    items = [m for m in items if not any(m is t for t in twice)] + listed
    # a tool's record keeping ("Changed Date: 9/28/2026 2:05 PM", "Assigned to: ...") dates no item
    used += [(f.start, f.end) for b in blocks for f in b.fields
             if f.role in _RECORD or items and f.role is not None]
    if items:
        used += [m.span() for m in _ACTIVITY.finditer(text)]
    return items, _without(original, used)


# "[Wrike] UI strings – checkout pages: due date changed": the tool names the field it changed after the item.
_FIELD_CHANGED = re.compile(
    r"\s*[:：|–—-]\s*(?P<label>[^:：|–—-]{1,40}?\s" + cue_regex(FIELD_WORDS["change"]) + r")\s*$", _I)


# 'Ioana mentioned you in "Website localisation – batch 2 (ES, FR)"', 'Ana commented on “Dielines”': a
# tool's subject quotes the item its activity is about, right after a small word of the activity or a
# colon (in 'an update on Reel "Knit the night"' the item's name starts before the quote)
_QUOTED_ITEM = re.compile(r"(?:(?<=\s)[^\W\d_A-Z]+\s+|[:：]\s*)[\"“„«]([^\"“”„«»\n]{3,120})[\"”“»]\s*$")


def _without_field_change(subject: str) -> str:
    """The item a tool's subject names: the one it quotes, or what stands before the field it
    says changed ('Logo final: due date changed')."""
    quoted = _QUOTED_ITEM.search(subject)
    if quoted:
        return quoted.group(1)
    m = _FIELD_CHANGED.search(subject)
    return subject[:m.start()] if m and field_role(m.group("label")) is not None else subject


def _heading_above(text: str, pos: int) -> str | None:
    """The item a digest paragraph is about: its first line, when the activity at `pos` is
    under it ("Proto samples⏎Ana changed due date from Nov 20 to Nov 25")."""
    start = text.rfind("\n\n", 0, pos)
    start = 0 if start < 0 else start + 2
    line_end = text.find("\n", start)
    if line_end < 0 or line_end >= pos:
        return None
    heading = text[start:line_end].strip()
    # a bullet is an item of its own, not the heading of the lines below it
    if not heading or len(heading) > 80 or BULLET.match(heading) or _NOT_TITLE.search(heading) \
            or _field(heading, 0) is not None:
        return None
    return heading


_DETAIL_LINE = re.compile(r"\n([ \t]+\S[^\n]*)")


def _due_named(text: str | None, reading: Reading) -> str | None:
    """The first day `text` gives that is not after the mail: the day a task was done."""
    for found in grammar.find_dates(text or "", reading.sent, day_first=reading.day_first):
        when = grammar.resolve(found, reading.sent, "delivered")
        if when.when.date <= reading.sent.date():
            return when.value(reading.sent)
    return None


def _done_on(text: str, pos: int, reading: Reading) -> str | None:
    """The day a completion's indented detail lines give ("  Completed Oct 13"), if any."""
    while m := _DETAIL_LINE.match(text, pos):
        line = m.group(1)
        done = _due_named(line, reading) if cell_status(line) == DELIVERED else None
        if done:
            return done
        pos = m.end()
    return None


def _status_of(block: _Block) -> str | None:
    """The status a field list's "Status: In progress → Stuck" line gives, if any."""
    field = block.first("status")
    return cell_status(_ARROW_RE.split(field.value)[-1]) if field else None


def _item(name: str, due: str, previous: str | None, status: str, evidence: str) -> Milestone:
    return Milestone(name=name, project=None, due=due, status=status, previous_due=previous,
                     evidence=" ".join(evidence.split()), origin="notification", confidence=0.9)


def _without(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the given spans blanked, offsets kept."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for k in range(start, end):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)
