"""Mail from vendors' project tools (Jira, Trello, GitHub, GitLab, Azure DevOps,
Asana, monday.com, Smartsheet...): field changes rather than sentences.

The shapes they share:

- a field list, "Due date:  Oct 23, 2026  →  Oct 28, 2026" and
  "Status:  In Progress → Blocked", about the item the subject names;
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

from slipwatch.mail.model import VendorMessage

from . import dates as grammar
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .digests import DONE_FIELD as _DONE_FIELD
from .digests import DONE_LABEL as _DONE_LABEL
from .digests import BULLET, digest_milestones
from .moves import OLD_MARK, settle
from .names import clean_name, is_vague, subject_item
from .status import Cue, cell_status

_I = re.IGNORECASE
_ARROW = r"\s*(?:→|->|=>|⇒|➔)\s*"
_DUE_KEY = (r"(?:due(?:\s+date)?|target\s+date|end\s+date|finish\s+date|deadline|fecha\s+(?:l[íi]mite|de\s+"
            r"vencimiento|de\s+entrega)|f[äa]lligkeit(?:sdatum)?|f[äa]llig\s+am|date\s+d['’][ée]ch[ée]ance|"
            r"[ée]ch[ée]ance|prazo|data\s+de\s+entrega|scadenza|termin(?:\s+wykonania)?)")
# In a change sentence a bare "Date" or "Timeline" column is a due date too.
_CHANGE_KEY = r"(?:" + _DUE_KEY + r"|date|timeline)"
_STATUS_KEY = (r"(?:status|state|estado|statut|stato|durum|progress|progression|progresso|progreso|"
               r"fortschritt|voortgang|ilerleme|kemajuan|avancement)")
# A bare "Date" or "Timeline" column is the item's date in a field list that
# also gives its status or shows the date changing ("Date: Nov 13 → Nov 9").
_DATE_KEY = r"(?:date|dates|timeline|datum|fecha|data|tarih|tanggal)"
# "Due date:  A → B", "Due date changed: A → B" or, column-aligned, "Target Date   A → B".
_FIELD = re.compile(r"^[ \t]*(?P<key>" + _DUE_KEY + r"|" + _DATE_KEY + r"|" + _STATUS_KEY + r")"
                    r"(?:[ \t]+(?:changed|updated|set))?"
                    r"(?:[ \t]*[:：]|[ \t]{2,}|\t)[ \t]*(?P<value>\S[^\n]*)$", _I | re.M)
# The item a field list is about, when it says so: "Task: Safety deck", "Card: Poster".
_NAME_FIELD = re.compile(r"^[ \t]*(?:task|to-?do|card|item|title|work\s+item|tarea|tarefa|aufgabe|t[âa]che|"
                         r"zadanie|g[öo]rev|tugas|taak)[ \t]*[:：][ \t]*(?P<name>\S[^\n]*)$", _I | re.M)
_NAMED_TAIL = (r"(?:\s+(?:for|on)\s+(?:the\s+)?(?:row|item|task|card|issue|pulse|story)?\s*"
               r"(?P<name>[\"“'][^\"”'\n]+[\"”']|[^\n]+?))?[.\s]*$")
_CARD_DUE = re.compile(
    r"^[^\n]*?\b(?:changed|set|updated|moved|modified)\s+the\s+" + _DUE_KEY +
    r"\s+(?:of|for|on)\s+(?:the\s+)?(?:card|task|issue|item|ticket|story|work\s+item)?\s*"
    r"(?P<name>[^\n]+?)\s+(?:from\s+(?P<old>[^\n]+?)\s+)?to\s+(?P<new>[^\n]+)$", _I | re.M)
_DUE_CHANGED = re.compile(
    r"^[^\n]*?\b(?:" + _CHANGE_KEY + r"\s+(?:was\s+)?(?:changed|moved|updated)|(?:changed|set|updated|moved)\s+"
    r"(?:the\s+)?" + _CHANGE_KEY + r")(?:\s+from\s+(?P<old>[^\n]+?))?\s+to\s+(?P<new>[^\n]+?)" + _NAMED_TAIL,
    _I | re.M)
_MILESTONE_MOVE = re.compile(
    r"^[^\n]*?\b(?:changed\s+the\s+milestone|moved\s+(?:this|it)|modified\s+the\s+milestones?)\s+from\s+[^\n]*?"
    r"\(due\s+(?:by|on)?\s*(?P<old>[^)]+)\)\s+to\s+[^\n]*?\(due\s+(?:by|on)?\s*(?P<new>[^)]+)\)[^\n]*$", _I | re.M)
_MILESTONE_ADD = re.compile(
    r"^[^\n]*?\badded\s+(?:this|it)\s+to\s+(?:the\s+)?[^\n]*?milestone[^\n]*?\(due\s+(?:by|on)?\s*"
    r"(?P<new>[^)]+)\)[^\n]*$", _I | re.M)
# A status change that reports a delivery today: "changed Status to Done on Site survey",
# "Status changed to Done on Hero banner", "moved the card Poster from Doing to Done";
# without a name it is about the item the mail is about.
_STATUS_CHANGE = re.compile(
    r"^[^\n]*?\b(?:(?:changed\s+(?:the\s+)?(?:status|state)|(?:status|state)\s+(?:was\s+)?changed)"
    r"\s+(?:from\s+[^\n]+?\s+)?to\s+(?P<value>[^\n]+?)"
    r"(?:\s+(?:on|for)\s+(?:the\s+)?(?:row|item|task|card|pulse)?\s*(?P<name>[^\n]+?))?"
    r"|moved\s+(?:the\s+)?card\s+(?P<card>[^\n]+?)\s+from\s+[^\n]+?\s+to\s+(?P<list>[^\n]+?))[.\s]*$",
    _I | re.M)
# "Marta completed "Pricing sheet"", "Kim marked this task complete", "Mia completed a
# to-do: Export the feed": a delivery today.
_COMPLETED = re.compile(
    r"^[^\n]*?\b(?:completed|closed|finished|marked)\s+(?:the\s+|a\s+)?(?:task|card|item|issue|to-?do)?\s*"
    r"(?:(?P<name>[\"“][^\"”\n]+[\"”]|this\s+(?:task|card|item|issue|to-?do))"
    r"(?:\s+(?:as\s+)?(?:complete|completed|done))?|[:：]\s*(?P<listed>[^\n]+?))[.\s]*$", _I | re.M)
# Tool activity lines ("X commented on the card Y"): who did what, no item statement.
_ACTIVITY = re.compile(
    r"^[^\n]*?\b(?:commented\s+on|changed|set|added|moved|assigned|updated|created|completed|closed|"
    r"mentioned\s+you\s+in|attached|renamed)\b[^\n]*?\b(?:card|task|issue|item|ticket|story|pull\s+request|"
    r"merge\s+request|work\s+item|fields?|" + _DUE_KEY + r")\b[^\n]*$", _I | re.M)
# Cheap test first: most vendor mail is prose with none of the shapes above.
_HINT = re.compile(r"→|->|=>|⇒|➔|\b(?:changed|set|updated|moved|modified|milestone|completed|closed|finished|marked)\b"
                   r"|^[ \t]*(?:" + _DUE_KEY + r"|" + _STATUS_KEY + r")\b", _I | re.M)
_ARROW_RE = re.compile(_ARROW)
_STATUS_RE = re.compile(_STATUS_KEY, _I)
_DATE_RE = re.compile(_DATE_KEY, _I)
_ANY_FIELD = re.compile(r"^[ \t]*[^\W\d_][^\n:]{0,30}(?::|[ \t]{2,}|\t)[ \t]*\S", re.M)
# A field list's completion line, "Completed on 20/11/2026", "Terminée le 20/11", "Erledigt am 3.11.":
# the item was delivered that day, its due date becomes the previous one.
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
class _Block:
    """A tool's field list ("Status: ...⏎Due date: ...⏎Assignee: ..."), by offsets.

    It is about the subject's item, or about the `title` line it is indented
    under when a digest lists several items ("Alder bench⏎  Date: ...⏎  Status: ...").
    """

    start: int
    end: int
    title: str


# A line above a field list that reports activity or heads a section names no item.
_NOT_TITLE = re.compile(r"\b(?:changed|updated|set|added|moved|modified|created|assigned|fields?|changes|details|"
                        r"summary|updates?)\b|[:：]\s*$", _I)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _field_blocks(text: str) -> list[_Block]:
    """The runs of field lines in `text`; a lone "Due: ..." line is no field list
    (it belongs to the title above it, which the prose reader sees)."""
    blocks: list[_Block] = []
    pos, run_start, size, title = 0, None, 0, ""
    lines = text.split("\n")
    for i, line in enumerate(lines + [""]):
        if line.strip() and (_ANY_FIELD.match(line) or _DONE_FIELD.match(line)):
            if run_start is None:
                above = lines[i - 1] if i > 0 else ""
                titled = above.strip() and _indent(above) < _indent(line) and not _NOT_TITLE.search(above)
                run_start, size, title = pos, 0, above.strip() if titled else ""
            size += 1
        else:
            if run_start is not None and size >= 2:
                blocks.append(_Block(run_start, pos - 1, title))
            run_start = None
        pos += len(line) + 1
    return blocks


def notification_milestones(message: VendorMessage, reading: Reading) -> tuple[list[Milestone], str]:
    """Items stated as tool field changes, and the text left for the prose reader."""
    original = message.text
    if not _HINT.search(original):
        return [], original
    # the same length, so that offsets into `text` are offsets into `original`
    text = _INLINE_SEPARATOR.sub(lambda m: "\n" + " " * (len(m.group()) - 1), original)
    # a digest's items first: each title with its own lines; the rest is read as below
    items, used = digest_milestones(text, reading)
    if used:
        text = _without(text, used)

    cards = list(_CARD_DUE.finditer(text))
    for i, m in enumerate(cards):
        timing = _timing(m.group("old"), m.group("new"), None, reading)
        name = clean_name(m.group("name"))
        if timing is None or is_vague(name):
            continue
        due, previous, status = timing
        block_end = cards[i + 1].start() if i + 1 < len(cards) else len(text)
        previous = previous or _old_date_nearby(text[m.end():block_end], due, reading)
        if previous and due[:10] > previous[:10]:
            status = DELAYED
        items.append(_item(name, due, previous, status, m.group(0)))
        used.append(m.span())

    named = _NAME_FIELD.search(text)
    item_name = clean_name(named.group("name")) if named else subject_item(message.subject)
    for m in _STATUS_CHANGE.finditer(text):
        name = clean_name(m.group("name") or m.group("card") or "") or _heading_above(text, m.start()) or item_name
        if cell_status(m.group("value") or m.group("list")) == DELIVERED and not is_vague(name):
            items.append(_item(name, reading.sent.date().isoformat(), None, DELIVERED, m.group(0)))
            used.append(m.span())
    for m in _COMPLETED.finditer(text):
        quoted = m.group("name") and m.group("name")[:1] in "\"“"
        name = clean_name(m.group("listed") or m.group("name")) if m.group("listed") or quoted else item_name
        if not is_vague(name):
            done = _done_on(text, m.end(), reading) or reading.sent.date().isoformat()
            items.append(_item(name, done, None, DELIVERED, m.group(0)))
            used.append(m.span())

    fields = list(_FIELD.finditer(text))
    blocks = _field_blocks(text)
    statuses = {id(b): _status_of(fields, b) for b in blocks}
    first_status = next((v for v in statuses.values() if v is not None), None)
    changes: list[tuple[tuple[int, int], str, str | None, str | None, str | None]] = []  # span, new, old, name, status
    for f in fields:
        block = next((b for b in blocks if b.start <= f.start() < b.end), None)
        if block is None or _STATUS_RE.fullmatch(f.group("key")):
            continue
        parts = _ARROW_RE.split(f.group("value"), maxsplit=1)
        if _DATE_RE.fullmatch(f.group("key")) and len(parts) == 1 and statuses[id(block)] is None:
            continue  # "Date: Mon, 2 Nov" heads a message; it dates no item
        # an item of a digest has its own status; a tool's one item may list its status apart
        status = statuses[id(block)] if block.title else statuses[id(block)] or first_status
        named = _NAME_FIELD.search(text, block.start, block.end)
        title = block.title or (named.group("name") if named else None)
        done = _DONE_FIELD.search(text, block.start, block.end)
        if done and not _DATE_RE.fullmatch(f.group("key")):
            # delivered on the completion line's day; the due field is the plan it was measured against
            changes.append((f.span(), done.group("value"), parts[-1], title, DELIVERED))
            used.append(done.span())
            continue
        changes.append((f.span(), parts[-1], parts[0] if len(parts) == 2 else None, title, status))
    for regex in (_DUE_CHANGED, _MILESTONE_MOVE, _MILESTONE_ADD):
        for m in regex.finditer(text):
            groups = m.groupdict()
            name = groups.get("name") or _heading_above(text, m.start())
            changes.append((m.span(), groups["new"], groups.get("old"), name, first_status))
    subject_name = subject_item(message.subject)
    changes.sort()
    for i, (span, new, old, named, status) in enumerate(changes):
        name = clean_name(named) if named else subject_name
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
        items.append(_item(name, due, previous, state, text[span[0]:span[1]]))
        used.append(span)
    if items:
        used += [f.span() for f in fields] + [m.span() for m in _ACTIVITY.finditer(text)]
    return items, _without(original, used)


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
            or _ANY_FIELD.match(heading):
        return None
    return heading


_DETAIL_LINE = re.compile(r"\n([ \t]+\S[^\n]*)")


def _done_on(text: str, pos: int, reading: Reading) -> str | None:
    """The day a completion's indented detail lines give ("  Completed Oct 13"), if any."""
    while m := _DETAIL_LINE.match(text, pos):
        line = m.group(1)
        if cell_status(line) == DELIVERED:
            for found in grammar.find_dates(line, reading.sent, day_first=reading.day_first):
                when = grammar.resolve(found, reading.sent, "delivered")
                if when.when.date <= reading.sent.date():
                    return when.value(reading.sent)
        pos = m.end()
    return None


def _status_of(fields: Sequence[re.Match[str]], block: _Block) -> str | None:
    """The status a field list's "Status: In progress → Stuck" line gives, if any."""
    for f in fields:
        if block.start <= f.start() < block.end and _STATUS_RE.fullmatch(f.group("key")):
            return cell_status(_ARROW_RE.split(f.group("value"))[-1])
    return None


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
