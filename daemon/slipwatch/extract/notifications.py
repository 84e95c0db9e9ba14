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

from slipwatch.mail.model import VendorMessage

from . import dates as grammar
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .moves import settle
from .names import clean_name, is_vague, subject_item
from .status import Cue, cell_status

_I = re.IGNORECASE
_ARROW = r"\s*(?:→|->|=>|⇒|➔)\s*"
_DUE_KEY = (r"(?:due(?:\s+date)?|target\s+date|end\s+date|finish\s+date|deadline|fecha\s+(?:l[íi]mite|de\s+"
            r"vencimiento|de\s+entrega)|f[äa]lligkeit(?:sdatum)?|f[äa]llig\s+am|date\s+d['’][ée]ch[ée]ance|"
            r"[ée]ch[ée]ance|prazo|data\s+de\s+entrega|scadenza|termin(?:\s+wykonania)?)")
# In a change sentence a bare "Date" or "Timeline" column is a due date too.
_CHANGE_KEY = r"(?:" + _DUE_KEY + r"|date|timeline)"
# "Due date:  A → B" or, column-aligned, "Target Date   A → B".
_FIELD = re.compile(r"^[ \t]*(?P<key>" + _DUE_KEY + r"|status|state|estado|statut|stato)"
                    r"(?:[ \t]*[:：]|[ \t]{2,}|\t)[ \t]*(?P<value>\S[^\n]*)$", _I | re.M)
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
# "moved the card Poster from Doing to Done".
_STATUS_CHANGE = re.compile(
    r"^[^\n]*?\b(?:changed\s+(?:the\s+)?(?:status|state)\s+(?:from\s+[^\n]+?\s+)?to\s+(?P<value>[^\n]+?)"
    r"\s+(?:on|for)\s+(?:the\s+)?(?:row|item|task|card|pulse)?\s*(?P<name>[^\n]+?)"
    r"|moved\s+(?:the\s+)?card\s+(?P<card>[^\n]+?)\s+from\s+[^\n]+?\s+to\s+(?P<list>[^\n]+?))[.\s]*$",
    _I | re.M)
# "Marta completed "Pricing sheet"", "Kim marked this task complete": a delivery today.
_COMPLETED = re.compile(
    r"^[^\n]*?\b(?:completed|closed|finished|marked)\s+(?:the\s+)?(?:task|card|item|issue)?\s*"
    r"(?P<name>[\"“][^\"”\n]+[\"”]|this\s+(?:task|card|item|issue))(?:\s+(?:as\s+)?(?:complete|completed|done))?"
    r"[.\s]*$", _I | re.M)
# Tool activity lines ("X commented on the card Y"): who did what, no item statement.
_ACTIVITY = re.compile(
    r"^[^\n]*?\b(?:commented\s+on|changed|set|added|moved|assigned|updated|created|completed|closed|"
    r"mentioned\s+you\s+in|attached|renamed)\b[^\n]*?\b(?:card|task|issue|item|ticket|story|pull\s+request|"
    r"merge\s+request|work\s+item|fields?|" + _DUE_KEY + r")\b[^\n]*$", _I | re.M)
# Cheap test first: most vendor mail is prose with none of the shapes above.
_HINT = re.compile(r"→|->|=>|⇒|➔|\b(?:changed|set|updated|moved|modified|milestone|completed|closed|finished|marked)\b"
                   r"|^[ \t]*(?:" + _DUE_KEY +
                   r"|status|state|estado|statut|stato)\b", _I | re.M)
_OLD_WORDS = re.compile(r"(?<![\w])(?:moved\s+from|from|was|previously|originally|instead\s+of)\s*[:：]?\s+$", _I)
_ANY_FIELD = re.compile(r"^[ \t]*[^\W\d_][^\n:]{0,30}(?::|[ \t]{2,}|\t)[ \t]*\S", re.M)


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
        if _OLD_WORDS.search(block[max(0, m.start - 20):m.start]):
            old = grammar.resolve(m, reading.sent, "previous").value(reading.sent)
            if old[:10] != due[:10]:
                return old
    return None


def _in_field_block(text: str, field: re.Match[str]) -> bool:
    """A tool's field list ("Status: ...⏎Due date: ...⏎Assignee: ...") is about the
    subject's item; a lone "Due: ..." line under a title is about that title."""
    before = text.rfind("\n", 0, max(0, field.start() - 1)) + 1
    after = field.end() + 1
    return any(_ANY_FIELD.match(text, pos) for pos in (before, after) if pos != field.start() and pos < len(text))


def notification_milestones(message: VendorMessage, reading: Reading) -> tuple[list[Milestone], str]:
    """Items stated as tool field changes, and the text left for the prose reader."""
    text = message.text
    if not _HINT.search(text):
        return [], text
    items: list[Milestone] = []
    used: list[tuple[int, int]] = []

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

    for m in _STATUS_CHANGE.finditer(text):
        name = clean_name(m.group("name") or m.group("card"))
        if cell_status(m.group("value") or m.group("list")) == DELIVERED and not is_vague(name):
            items.append(_item(name, reading.sent.date().isoformat(), None, DELIVERED, m.group(0)))
            used.append(m.span())
    for m in _COMPLETED.finditer(text):
        quoted = m.group("name")[:1] in "\"“"
        name = clean_name(m.group("name")) if quoted else subject_item(message.subject)
        if not is_vague(name):
            items.append(_item(name, reading.sent.date().isoformat(), None, DELIVERED, m.group(0)))
            used.append(m.span())

    fields = list(_FIELD.finditer(text))
    status_value = next((f.group("value") for f in fields if not re.fullmatch(_DUE_KEY, f.group("key"), _I)), None)
    status = cell_status(re.split(_ARROW, status_value)[-1]) if status_value else None
    changes: list[tuple[tuple[int, int], str, str | None, str | None]] = []  # (span, new, old, name)
    for f in fields:
        if re.fullmatch(_DUE_KEY, f.group("key"), _I) and _in_field_block(text, f):
            parts = re.split(_ARROW, f.group("value"), maxsplit=1)
            changes.append((f.span(), parts[-1], parts[0] if len(parts) == 2 else None, None))
    for regex in (_DUE_CHANGED, _MILESTONE_MOVE, _MILESTONE_ADD):
        for m in regex.finditer(text):
            groups = m.groupdict()
            changes.append((m.span(), groups["new"], groups.get("old"), groups.get("name")))
    subject_name = subject_item(message.subject)
    changes.sort()
    for i, (span, new, old, named) in enumerate(changes):
        name = clean_name(named) if named else subject_name
        timing = _timing(old, new, status if status in (AT_RISK, CANCELLED, DELIVERED) else None, reading)
        if timing is None or is_vague(name):
            continue
        due, previous, state = timing
        if previous is None:
            # "changed due date to Nov 20⏎⏎Was: Nov 13": the old value on a line of its own
            block_end = changes[i + 1][0][0] if i + 1 < len(changes) else len(text)
            previous = _old_date_nearby(text[span[1]:block_end], due, reading)
            if previous and state == PLANNED:
                state = DELAYED if due[:10] > previous[:10] else PLANNED
        items.append(_item(name, due, previous, state, text[span[0]:span[1]]))
        used.append(span)
    if items:
        used += [f.span() for f in fields] + [m.span() for m in _ACTIVITY.finditer(text)]
    return items, _without(text, used)


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
