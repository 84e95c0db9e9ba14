"""Digests of vendors' project tools (Wrike, Trello, Asana, ClickUp, Linear,
Basecamp, monday.com...): several items in one mail, each a title line with
the lines that belong to it below (indented or following, up to a blank line
or the next title).

    3 updates since your last notification        <- a digest header, no item
    Hull fairing                                  <- the item
      Ana Reis changed the due date: Mar 3 → Mar 9
      Ana Reis: "Resin cure takes longer (was Mar 3)."
    Cabin ceiling panels
      Ana Reis moved this card from Doing to Done

Header and activity lines ("5 tasks updated in X", "X and 2 others updated
tasks in Y", "Weekly digest", "Upcoming", "Ana Reis commented") name no item,
in English and the other UI languages vendors use; a person is never an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import dates as grammar
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .moves import OLD_MARK
from .names import DIGEST_HEADER, clean_name, is_vague, without_digest_header
from .status import cell_status, read_status

_I = re.IGNORECASE
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:de|da|do|dos|das|del|van|von|der|di|el|la|le)?\s*[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,3}"
_ACTS = (r"(?:commented|replied|changed|moved|assigned|unassigned|completed|updated|added|created|posted|set|marked|"
         r"mentioned|attached|removed|reopened|closed|renamed|archived|"
         r"comentou|alterou|mudou|concluiu|moveu|atribuiu|atualizou|adicionou|criou|"
         r"coment[óo]|cambi[óo]|complet[óo]|movi[óo]|asign[óo]|actualiz[óo]|agreg[óo]|cre[óo]|"
         r"a\s+(?:comment[ée]|modifi[ée]|d[ée]plac[ée]|termin[ée]|assign[ée]|ajout[ée]|cr[ée]{2})|"
         r"hat\s+\w+|ha\s+(?:commentato|modificato|spostato|completato|assegnato))")
# "Ana Reis commented", "Ana Reis changed the due date: ...", "Ana Reis: "text"".
PERSON_ACTIVITY = re.compile(r"^\s*" + _NAME + r"\s+" + _ACTS + r"\b", re.UNICODE)
_COMMENT = re.compile(r"^\s*" + _NAME + r"\s*[:：]\s*[\"“«„']", re.UNICODE)
_FIELD_LINE = re.compile(r"^\s*[^\W\d_][^\n:：]{0,30}[:：]\s*\S")
_DUE_LINE = re.compile(
    r"^\s*(?:due(?:\s+date)?|target\s+date|deadline|prazo|data\s+de\s+entrega|fecha\s+(?:l[íi]mite|de\s+vencimiento)|"
    r"vencimento|vence|[ée]ch[ée]ance|f[äa]llig(?:keit)?|scadenza)\s*(?:(?:changed|updated|set)\s*)?(?:[:：]\s*)?"
    r"(?P<value>\S[^\n]*)$", _I)
_STATUS_LINE = re.compile(r"^\s*(?:status|state|estado|statut|stato|health|progress|progresso|progreso|progression)"
                          r"\s*[:：]\s*(?P<value>[^\n]+)$", _I)
_ARROW = re.compile(r"\s*(?:→|->|=>|⇒|➔)\s*")
_DUE_CHANGE = re.compile(
    r"\b(?:changed|set|updated|moved|alterou|mudou|cambi[óo]|a\s+modifi[ée])\s+(?:the\s+|a\s+|la\s+|o\s+)?"
    r"(?:due(?:\s+date)?|deadline|data\s+de\s+entrega|prazo|fecha\s+l[íi]mite|date\s+d['’][ée]ch[ée]ance|[ée]ch[ée]ance)"
    r"(?:\s+(?:of|for|on)\s+(?:this|the)\s+\w+)?"
    r"(?:\s*[:：]\s*(?P<a>[^\n]+?)" + r"\s*(?:→|->|=>|⇒|➔)\s*" + r"(?P<b>[^\n]+)"
    r"|\s+from\s+(?P<old>[^\n]+?)\s+to\s+(?P<new>[^\n]+)|\s+to\s+(?P<to>[^\n]+)|\s*[:：]\s*(?P<only>[^\n]+))?", _I)
_STATUS_CHANGE = re.compile(
    r"\b(?:changed|set|updated|alterou|cambi[óo]|a\s+modifi[ée])\s+(?:the\s+)?(?:status|state|estado|statut)"
    r"(?:\s*[:：]\s*[^\n]*?(?:→|->|=>|⇒|➔)\s*|\s+from\s+[^\n]+?\s+to\s+|\s+to\s+)(?P<value>[^\n]+)"
    r"|\bmoved\s+(?:this|the)\s+(?:card|task|item)\b[^\n]*?\s+to\s+(?P<list>[^\n]+)", _I)
_COMPLETED = re.compile(r"\b(?:completed|finished|closed|concluiu|complet[óo]|termin[óo]|a\s+termin[ée]|"
                        r"marked\s+(?:this|it|a)\s+\w+\s+(?:as\s+)?(?:complete|done))\b", _I)
_CHECKED = re.compile(r"^\s*(?:[✓✔☑✅]|\[[xX✓]\])\s*")
_UNCHECKED = re.compile(r"^\s*(?:\[ \]|[☐□○])\s*")
# a ticked or empty box opens an item of its own, under a section head such as "COMPLETED"
_BOX = re.compile(r"^\s*(?:[✓✔☑✅☐□]|\[[ xX✓]\])\s*\S")
BULLET = re.compile(r"^\s*(?:[-*•–·▪]|\d{1,2}[.)])\s+")
_TAIL = re.compile(r"\s+[·•|]\s+(?=(?:due|prazo|vence|[ée]ch[ée]ance|f[äa]llig|scadenza|fecha)\b)", _I)

# A field list's completion line, "Completed on 20/11/2026", "Terminée le 20/11", "Erledigt am 3.11.":
# the item was delivered that day, its due date becomes the previous one.
DONE_LABEL = (r"(?:completed|done|finished|closed|termin[ée]e?|achev[ée]e?|abgeschlossen|erledigt|conclu[íi]d[oa]|"
               r"completad[oa]|terminad[oa]|finalizad[oa]|completat[oa]|terminat[oa]|voltooid|afgerond|"
               r"tamamland[ıi]|selesai|zako[ńn]czon[aey]?)(?:[ \t]+(?:by|par|von|por|da|door)[ \t]+[^\n:]{1,40}?)?"
               r"(?:[ \t]+(?:on|le|am|em|el|il|op|pada|dne))?[ \t]*[:：]?[ \t]*"
               r"(?=\d|[^\W\d_]{3,}[.,]?[ \t]+(?:[^\W\d_]{3,}\.?[ \t]+)?\d)")
DONE_FIELD = re.compile(r"^[ \t]*" + DONE_LABEL + r"(?P<value>[^\n]+)$", _I | re.M)


@dataclass
class _Section:
    title: str
    start: int
    end: int
    lines: list[str]
    done: bool = False  # an activity line above the title completed it
    active: bool = False  # it holds a person's activity or a due line of a tool
    tooled: bool = False  # a tool's due, status or completion line is indented under it
    foreign: bool = False  # it holds a field line the digest does not read
    read: list[tuple[int, int]] = field(default_factory=list)  # the title's and the tool's lines, not comments
    spans: list[tuple[int, int]] = field(default_factory=list)  # of `lines`


# the quote comes before any colon: after one it is a comment ("Ana commented: "...")
_NAMES_ITS_ITEM = re.compile(r"^[^:：«\n]*?(?:[\"“]|\b(?:of|on|for)\s+(?:the\s+)?(?:card|task|item|row|issue)\s+"
                             r"(?!from\b|to\b)\w)", _I)


def is_header(line: str) -> bool:
    """A digest's header or a person's activity line: it names no item."""
    return bool(DIGEST_HEADER.match(line) or PERSON_ACTIVITY.match(line) or _COMMENT.match(line))


def _is_title(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 90 or is_header(s) or BULLET.match(s) or s.endswith((":", ".", "!", "?", '"', "”", "»", ",")) \
            or s[0].islower():
        return False
    head = _TAIL.split(s, maxsplit=1)[0]
    return not _FIELD_LINE.match(head) and not _DUE_LINE.match(head) and not DONE_FIELD.match(head) \
        and not head.startswith(("http", "<", ">"))


def _sections(text: str) -> list[_Section]:
    """Title lines with the lines below them; only those a tool's activity or due line marks."""
    out: list[_Section] = []
    pos = 0
    current: _Section | None = None
    pending_done = False  # "Ana completed a task" above the title it completed
    pending_activity = False  # "Ana changed the due date" above the title it changed
    pending_change: tuple[str, int, int] | None = None  # that line, when it tells a due date's change
    for line in text.split("\n"):
        end = pos + len(line)
        if not line.strip():
            current, pending_done, pending_activity, pending_change = None, False, False, None
        elif DIGEST_HEADER.match(line) or PERSON_ACTIVITY.match(line) and _NAMES_ITS_ITEM.search(line):
            # a header, or an activity line that names its own item: the field readers' business
            current, pending_done, pending_activity, pending_change = None, False, False, None
        elif current is not None and (line[:1] in " \t" or not _is_title(line)) and not _BOX.match(line):
            current.lines.append(line)
            current.spans.append((pos, end))
            current.end = end
            said = _COMMENT.match(line)
            if said:  # "Ana Reis: "..."": the person is no item; the words stay for the prose reader
                current.read.append((pos, pos + said.end() - 1))
            elif (PERSON_ACTIVITY.match(line) or _DUE_LINE.match(line)
                                             or _STATUS_LINE.match(line) or DONE_FIELD.match(line)):
                current.read.append((pos, end))
            # a person's activity marks a digest's item, and so does a tool's due, status or completion
            # line indented under its title ("KLP-311  Landing page⏎    Due date: A -> B")
            tool_line = bool(_DUE_LINE.match(line) or _STATUS_LINE.match(line) or DONE_FIELD.match(line))
            current.active |= bool(PERSON_ACTIVITY.match(line))
            current.tooled |= tool_line and line[:1] in " \t"
            # a field the digest does not read ("Date:", "Owner:"): the list is the field reader's
            current.foreign |= not tool_line and not said and bool(_FIELD_LINE.match(line))
        elif _is_title(line):
            title = _UNCHECKED.sub("", _CHECKED.sub("", line.strip()))
            head, *tail = _TAIL.split(title, maxsplit=1)
            done = pending_done or bool(_CHECKED.match(line))
            current = _Section(head, pos, end, tail, done=done, active=bool(tail) or done or pending_activity,
                               read=[(pos, end)], spans=[(pos, end)] * len(tail))
            if pending_change is not None:
                # "Ana changed the due date from Jan 14 to Jan 21⏎Homepage build" (Asana): the change is the title's
                changed, start, stop = pending_change
                current.start = start
                current.lines.insert(0, changed)
                current.spans.insert(0, (start, stop))
                current.read.append((start, stop))
            out.append(current)
            pending_done = pending_activity = False
            pending_change = None
        else:
            current = None
            pending_activity = bool(PERSON_ACTIVITY.match(line))
            pending_done = pending_activity and bool(_COMPLETED.search(line))
            pending_change = (line, pos, end) if pending_activity and _DUE_CHANGE.search(line) else None
        pos = end + 1
    return [s for s in out if s.active or s.tooled and not s.foreign]


def _when(text: str, reading: Reading, role: str = "due") -> str | None:
    """The last date of `text`; a due date is not one marked old ("Due Nov 12 (was Nov 5)")."""
    found = [m for m in grammar.find_dates(text, reading.sent, day_first=reading.day_first)
             if role != "due" or not OLD_MARK.search(text[max(0, m.start - 16):m.start])]
    if not found:
        return None
    return grammar.resolve(found[-1], reading.sent, role).value(reading.sent)


def _undated(text: str, reading: Reading) -> str:
    """`text` without its dates."""
    kept, pos = [], 0
    for m in grammar.find_dates(text, reading.sent, day_first=reading.day_first):
        kept.append(text[pos:m.start])
        pos = m.end
    return " ".join([*kept, text[pos:]])


def _old_in(line: str, reading: Reading) -> str | None:
    for m in grammar.find_dates(line, reading.sent, day_first=reading.day_first):
        if OLD_MARK.search(line[max(0, m.start - 16):m.start]):
            return grammar.resolve(m, reading.sent, "previous").value(reading.sent)
    return None


def _item(section: _Section, reading: Reading) -> Milestone | None:
    name = clean_name(section.title)
    if is_vague(name):
        return None
    due = previous = None
    status: str | None = None
    done_on: str | None = None
    changed = False
    comments: list[str] = []
    for k, line in enumerate(section.lines):
        change = _DUE_CHANGE.search(line)
        field = _DUE_LINE.match(line)
        if change and PERSON_ACTIVITY.match(line) or change and not _COMMENT.match(line):
            new = change.group("b") or change.group("new") or change.group("to") or change.group("only")
            old = change.group("a") or change.group("old")
            due = (_when(new, reading) if new else None) or due
            changed = True
            if old:
                previous = _when(old, reading, "previous")
            continue
        if field and not _COMMENT.match(line):
            parts = _ARROW.split(field.group("value"), maxsplit=1)
            due = _when(parts[-1], reading) or due
            if len(parts) == 2:
                previous = _when(parts[0], reading, "previous")
            else:
                previous = _old_in(parts[-1], reading) or previous
            # the status a tool prints after the date: "Due Nov 19 · At risk"
            status = cell_status(_undated(parts[-1], reading)) or status
            continue
        moved = _ARROW.split(line, maxsplit=1)
        if len(moved) == 2 and not _COMMENT.match(line):
            # "Jan 5 → Jan 12" (Asana), "Was due Fri, Feb 5 → Now due Fri, Feb 12" (Basecamp) under the
            # item a due date change names: the old date and the new one
            old, new = _when(moved[0], reading, "previous"), _when(moved[1], reading)
            if old and new:
                due, previous = new, old
                continue
        completion = DONE_FIELD.match(line)
        if completion:
            status, done_on = DELIVERED, _when(completion.group("value"), reading, "delivered") or done_on
            continue
        moved = _STATUS_CHANGE.search(line)
        plain = _STATUS_LINE.match(line)
        if moved or plain:
            value = moved.group("value") or moved.group("list") if moved else _ARROW.split(plain.group("value"))[-1]
            status = cell_status(value) or status
            continue
        if PERSON_ACTIVITY.match(line) and _COMPLETED.search(line):
            status = DELIVERED
            done_on = _when(line, reading, "delivered")
            continue
        # a comment: an old date ("was Nov 27", "pushed from Oct 30") or a warning
        old = None if previous else _old_in(line, reading)
        if old:
            previous = old
            section.read.append(section.spans[k])  # its date is the old one, told: no item of its own
        comments.append(line)
    # each comment line, and the comment as a whole, since it wraps over lines ("schuift⏎een week op")
    cues = [read_status(text).status for text in (*comments, " ".join(comments))]
    risk = next((cue for cue in cues if cue in (AT_RISK, CANCELLED)), None)
    if section.done:
        status = DELIVERED
    if status == DELIVERED:
        day = done_on or reading.sent.date().isoformat()
        planned = due if due and due[:10] != day[:10] else None
        return _milestone(name, day, planned, DELIVERED, section)
    if due is None:
        return None
    if previous and previous[:10] == due[:10]:
        previous = None
    if status in (CANCELLED, AT_RISK):
        pass
    elif risk and not (previous and due[:10] > previous[:10]):
        status = risk
    elif previous:
        status = DELAYED if due[:10] > previous[:10] else PLANNED
    elif changed and DELAYED in cues:
        status = DELAYED  # the due date changed and a comment says it slipped ("draaidag schuift een week op")
    else:
        status = PLANNED if status not in (CANCELLED, AT_RISK) else status
    return _milestone(name, due, previous, status, section)


def _milestone(name: str, due: str, previous: str | None, status: str, section: _Section) -> Milestone:
    evidence = " ".join(" ".join([section.title, *section.lines]).split())
    return Milestone(name=name, project=None, due=due, status=status, previous_due=previous,
                     evidence=evidence, origin="notification", confidence=0.9)


def digest_milestones(text: str, reading: Reading) -> tuple[list[Milestone], list[tuple[int, int]]]:
    """The items a tool digest lists, and the spans of the lines read (comments excepted)."""
    sections = _sections(text)
    if len(sections) < 2:
        return [], []
    items: list[Milestone] = []
    spans: list[tuple[int, int]] = []
    for section in sections:
        item = _item(section, reading)
        if item is None:
            continue
        items.append(item)
        spans += section.read
    if items:
        # the digest's own header ("Your weekly digest (Oct 26 - Nov 2)") dates no item
        pos = 0
        for line in text.split("\n"):
            if DIGEST_HEADER.match(line):
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
    return items, spans
