"""People fixing what the machine got wrong, and moving dates the vendor did not move.

A changed date, status or name is a revision too, with the person as its
author and the reason they gave, so the timeline shows who changed what, when
and why; merges, splits and ignores change no date and are logged beside it
(milestone_actions). Whom a date change is charged to depends on what it is
(the measure itself is slipwatch.track.timeline's):

- a misread fix (`correct --due D`): the vendor's mail did say D. The revision
  that gave the current date counts as if it had been read right, so the fix
  moves nothing and a later move by the vendor is measured from D;
- a vendor move told outside mail (`--moved-by vendor`, a phone call): the
  vendor's, like a mail;
- a staff move (`--moved-by staff`, "we asked them to hold until our API is
  ready"): the due date moves, the vendor's record does not;
- a rebaseline: the vendor is measured afresh from a date.

The same commands arrive by mail: a staff member replies to a message about
one milestone with a first line such as ``slipwatch: due 2026-12-09``,
``slipwatch: due 2026-12-18 moved by staff because we asked them to hold``,
``slipwatch: rebaseline because the new plan is agreed``, ``slipwatch: delivered``
or ``slipwatch: ignore`` (``#ID`` names the milestone when the message was about
several). A line written to slipwatch is never vendor status, whoever wrote it
and wherever it stands: the extractor never reads one (`without_commands`).

A reply to a receipt (slipwatch.publish.receipts) carries the same commands,
one a line and each naming its milestone first: ``#12 due 2026-12-05``,
``#12 delivered``, ``#12 not a milestone`` (ignore), ``#12 same as #9``
(merge), and ``add: UAT build due 5 Dec 18:00 IST`` for one the mail named
but slipwatch missed. Each line is applied or refused on its own (`apply_lines`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from slipwatch.errors import CorrectionError
from slipwatch.extract.model import STATUSES
from slipwatch.clock import utcnow
from slipwatch.track.query import revisions
from slipwatch.track.record import insert_revision, milestones_in_thread
from slipwatch.track.timeline import (
    CLOSED, CORRECTION, KINDS, REBASELINE, STAFF_MOVE, VENDOR_MOVE, Revision, committed, current_since, effective,
)

_COMMAND = re.compile(r"\A\s*slipwatch\s*:\s*(?P<rest>.*?)\s*\Z", re.I)
_ID = re.compile(r"\s*#(?P<id>\d+)\s*\Z")
_BECAUSE = re.compile(r"\s+because\s+", re.I)
_MOVED = re.compile(r"\A(?P<date>\S+)\s+moved\s+by\s+(?P<by>\S+)\Z", re.I)
_ALIASES = {"at risk": "at_risk", "at-risk": "at_risk", "done": "delivered", "canceled": "cancelled",
            "not a milestone": "ignore"}
# a line of a reply to a receipt: "#12 ..." or "add: ..."
_REPLY_LINE = re.compile(r"\A\s*(?:#(?P<id>\d+)\b\s*(?P<rest>.*?)|add\s*:\s*(?P<add>.*?))\s*\Z", re.I | re.S)
_SAME_AS = re.compile(r"\Asame\s+as\s+#(?P<id>\d+)\Z", re.I)
#: The lines of a reply to a receipt, for a person who wrote one wrong.
REPLY_USAGE = ("#ID due YYYY-MM-DD, #ID delivered (or another status), #ID not a milestone, #ID same as #OTHER, "
               "#ID name NEW NAME, or add: NAME due DATE")

#: Who moved a date, as a person says it: `--moved-by` on the command line, "moved by" in a mail.
MOVERS = {"staff": STAFF_MOVE, "vendor": VENDOR_MOVE}
#: The mail commands, for a person who wrote one wrong.
USAGE = (
    "due YYYY-MM-DD (what the vendor's mail said), due YYYY-MM-DD moved by staff|vendor because WHY, "
    f"rebaseline [YYYY-MM-DD] because WHY, name NEW NAME, ignore, or a status ({', '.join(STATUSES)}); "
    "then #ID when the message was about several milestones"
)


@dataclass(frozen=True)
class Command:
    verb: str  # "due", "status", "name", "ignore", "rebaseline"; in a reply to a receipt "merge" and "add" too
    value: str | None
    milestone: int | None  # named with #ID
    moved_by: str | None = None  # with "due": "staff" or "vendor" moved the date; None: a misread
    reason: str | None = None  # "because ..."


def command_line(text: str) -> str:
    """The first line of a mail that has words: where a command is."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def is_command(line: str) -> bool:
    """Whether a line is written to slipwatch (`slipwatch: ...`), applied or not."""
    return _COMMAND.match(line) is not None


def command_lines(text: str) -> list[str]:
    """Every line of the text written to slipwatch, in order."""
    return [line.strip() for line in text.splitlines() if is_command(line)]


def without_commands(text: str) -> str:
    """The text without its lines written to slipwatch: what is left may be status."""
    return "".join(line for line in text.splitlines(keepends=True) if not is_command(line))


def parse_command(text: str) -> Command | None:
    """The command on the first line of a staff mail, if it starts with `slipwatch:`."""
    match = _COMMAND.match(command_line(text))
    if not match:
        return None
    rest = match["rest"]
    head, *why = _BECAUSE.split(rest, maxsplit=1)
    reason = why[0] if why else None
    milestone = None
    # #ID ends the command, before "because" or after the reason
    for part in (head, reason):
        found = _ID.search(part or "")
        if found and milestone is None:
            milestone = int(found["id"])
            if part is head:
                head = head[: found.start()]
            else:
                reason = (reason or "")[: found.start()]
    verb, _, arg = head.partition(" ")
    verb, arg = verb.lower(), arg.strip()
    status = _ALIASES.get(head.lower(), head.lower())
    if status in STATUSES:
        return Command("status", status, milestone, reason=reason)
    if verb == "due" and arg:
        moved = _MOVED.match(arg)
        if moved:
            return Command("due", moved["date"], milestone, moved_by=moved["by"].lower(), reason=reason)
        return Command("due", arg, milestone, reason=reason)
    if verb == "name" and arg:
        return Command("name", arg, milestone, reason=reason)
    if verb == "rebaseline":
        return Command("rebaseline", arg or None, milestone, reason=reason)
    if _ALIASES.get(head.lower(), head.lower()) == "ignore":
        return Command("ignore", None, milestone, reason=reason)
    raise CorrectionError(f"slipwatch: {rest!r} is not a command; write one of: {USAGE}")


def _choices(conn: sqlite3.Connection, milestones: Collection[int]) -> str:
    """`#4 Beta build (due 2026-12-11), #5 ...`: milestones for a person to choose from."""
    out = []
    for mid, name in conn.execute(
        f"SELECT id, name FROM milestones WHERE id IN ({','.join('?' * len(milestones))}) ORDER BY id",
        tuple(milestones),
    ):
        setter = committed(revisions(conn, mid))
        out.append(f"#{mid} {name}" + (f" (due {setter.due})" if setter and setter.due else ""))
    return ", ".join(out)


def _target(conn: sqlite3.Connection, milestone: int, about: Collection[int] = ()) -> int:
    """The milestone a correction is for (the one it was merged into); `about`: the mail thread's."""
    row = conn.execute("SELECT coalesce(merged_into, id) FROM milestones WHERE id = ?", (milestone,)).fetchone()
    if row is None:
        hint = f"the message you replied to is about {_choices(conn, about)}" if about else "`slipwatch milestones` lists them"
        raise CorrectionError(f"no milestone {milestone}; {hint}")
    return row[0]


def _check_due(value: str) -> str:
    try:
        dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    except ValueError:
        raise CorrectionError(f"due {value!r}: write a date as YYYY-MM-DD or an instant as YYYY-MM-DDTHH:MM+HH:MM") from None
    return value


@dataclass(frozen=True)
class _Standing:
    """What a correction starts from: the due date, since which revision it was given, the status."""

    due: str | None
    since: Revision | None
    status: str
    newest: Revision | None

    @classmethod
    def of(cls, conn: sqlite3.Connection, milestone: int) -> _Standing:
        history = effective(revisions(conn, milestone))
        setter, newest = committed(history), (history[-1] if history else None)
        return cls(setter.due if setter else None, current_since(history), newest.status if newest else "planned",
                   newest)


def _why(reason: str | None) -> str:
    """A reason as people write it, without the "because" they may have started it with."""
    return re.sub(r"\Abecause\s+", "", (reason or "").strip(), flags=re.I)


def _because(text: str, reason: str | None) -> str:
    why = _why(reason)
    return f"{text}, because {why}" if why else text


def _about(r: Revision) -> str:
    return f"the {KINDS.get(r.kind, r.kind)} of {r.sent:%Y-%m-%d}"


def _rename(conn: sqlite3.Connection, milestone: int, name: str | None) -> None:
    if name:
        conn.execute("UPDATE milestones SET name = ? WHERE id = ?", (name, milestone))


def correct(
    conn: sqlite3.Connection,
    milestone: int,
    *,
    author: str,
    at: dt.datetime,
    due: str | None = None,
    status: str | None = None,
    name: str | None = None,
    moved_by: str | None = None,
    reason: str | None = None,
    message: int | None = None,
) -> int:
    """Record a person's correction as revisions; returns the id of the last one written.

    `due` alone fixes a misread: the revision that gave the current date is
    counted as if it had said `due`. With `moved_by` ("staff" or "vendor") it
    is a move of the date, made now, and needs a `reason`.
    """
    target = _target(conn, milestone)
    if status is not None and status not in STATUSES:
        raise CorrectionError(f"status {status!r}: use one of {', '.join(STATUSES)}")
    if moved_by is not None:
        return _move(conn, target, moved_by, due, status=status, name=name, reason=reason, author=author,
                     at=at, message=message)
    if not (due or status or name):
        raise CorrectionError("nothing to correct: give a due date, a status or a name")
    written = 0
    if due:
        written = _fix_misread(conn, target, _Standing.of(conn, target), _check_due(due), reason=reason,
                               author=author, at=at, message=message, alone=not (status or name))
    if status or name:
        standing = _Standing.of(conn, target)  # with the date just fixed
        _rename(conn, target, name)
        changes = ", ".join(f"{k} {v}" for k, v in (("status", status), ("name", name)) if v)
        written = insert_revision(
            conn, target, sent=at, message=message, author=author, due=standing.due,
            status=status or standing.status, evidence=_because(f"corrected by {author}: {changes}", reason),
            name=name, kind=CORRECTION, reason=reason,
        )
    return written


def _fix_misread(
    conn: sqlite3.Connection, target: int, standing: _Standing, due: str, *, reason: str | None, author: str,
    at: dt.datetime, message: int | None, alone: bool,
) -> int:
    """The revisions that gave the current date said `due`: a fix pointing at the first (0 when they say so)."""
    fixed = standing.since or standing.newest
    if standing.due == due:
        if alone:
            raise CorrectionError(f"milestone {target} is already due {due}; nothing to correct")
        return 0
    read = f"not {standing.due} as read since {_about(fixed)}" if fixed and standing.due else "a date not read before"
    return insert_revision(
        conn, target, sent=at, message=message, author=author, due=due, status=standing.status,
        evidence=_because(f"corrected by {author}: due {due}, {read}", reason), kind=CORRECTION,
        amends=fixed.id if fixed else None, reason=reason,
    )


def _move(
    conn: sqlite3.Connection, target: int, moved_by: str, due: str | None, *, status: str | None,
    name: str | None, reason: str | None, author: str, at: dt.datetime, message: int | None,
) -> int:
    """The date moved now, by staff or (told outside mail) by the vendor."""
    kind = MOVERS.get(moved_by)
    if kind is None:
        raise CorrectionError(f"moved by {moved_by!r}: write staff (we moved it) or vendor (they did)")
    if not due:
        raise CorrectionError("a move needs the new date: --due YYYY-MM-DD (in a mail: due YYYY-MM-DD moved by ...)")
    if not _why(reason):
        raise CorrectionError(f"a move by {moved_by} needs a reason: --reason WHY (in a mail: ... because WHY)")
    standing = _Standing.of(conn, target)
    _open(target, status or standing.status, "there is no date left to move")
    if standing.due == _check_due(due):
        raise CorrectionError(f"milestone {target} is already due {due}; nothing moves")
    _rename(conn, target, name)
    who = "staff move by" if kind == STAFF_MOVE else "vendor move recorded by"
    return insert_revision(
        conn, target, sent=at, message=message, author=author, due=due, status=status or standing.status,
        previous_due=standing.due, name=name, kind=kind, reason=reason,
        evidence=_because(f"{who} {author}: due {standing.due or '-'} → {due}", reason),
    )


def _open(target: int, status: str, what: str) -> None:
    if status in CLOSED:
        raise CorrectionError(
            f"milestone {target} is {status}: {what}; if that status is wrong, correct it first (--status)"
        )


def rebaseline(
    conn: sqlite3.Connection,
    milestone: int,
    *,
    author: str,
    at: dt.datetime,
    reason: str | None,
    due: str | None = None,
    message: int | None = None,
) -> int:
    """Measure the vendor afresh from `due` (default: the current due date); returns the revision id.

    With another date the due date moves there too, as a staff move would. A
    milestone reported delayed is planned again: late against the old plan is
    not late against the new one.
    """
    target = _target(conn, milestone)
    if not _why(reason):
        raise CorrectionError("a rebaseline needs a reason: --reason WHY (in a mail: rebaseline ... because WHY)")
    standing = _Standing.of(conn, target)
    _open(target, standing.status, "a baseline measures what is still to come")
    new = _check_due(due) if due else standing.due
    if new is None:
        raise CorrectionError(f"milestone {target} has no due date to measure from; give one (--due YYYY-MM-DD)")
    was = f" (due was {standing.due})" if standing.due and standing.due != new else ""
    return insert_revision(
        conn, target, sent=at, message=message, author=author, due=new,
        status="planned" if standing.status == "delayed" else standing.status,
        previous_due=standing.due if was else None, kind=REBASELINE, reason=reason,
        evidence=_because(f"rebaselined by {author}: the vendor is measured from {new}{was}", reason),
    )


def _log(conn: sqlite3.Connection, milestone: int, action: str, detail: str, author: str, at: dt.datetime) -> None:
    """Merges, splits and ignores change no date or status: they are logged, not revisions."""
    conn.execute(
        "INSERT INTO milestone_actions (milestone, action, detail, author, at) VALUES (?, ?, ?, ?, ?)",
        (milestone, action, detail, author, at.isoformat()),
    )


def ignore(
    conn: sqlite3.Connection, milestone: int, *, author: str, at: dt.datetime, undo: bool = False,
    reason: str | None = None,
) -> None:
    """Hide a milestone that is not one (or show it again)."""
    target = _target(conn, milestone)
    conn.execute("UPDATE milestones SET ignored = ? WHERE id = ?", (0 if undo else 1, target))
    why = _why(reason)
    _log(conn, target, "shown" if undo else "ignored", f"because {why}" if why else "", author, at)


def merge(conn: sqlite3.Connection, keep: int, other: int, *, author: str, at: dt.datetime) -> None:
    """Two milestones are one: `other` is folded into `keep` (undone by `split`)."""
    keep, other = _target(conn, keep), _target(conn, other)
    if keep == other:
        raise CorrectionError(f"milestones {keep} and {other} are already one")
    conn.execute("UPDATE milestones SET merged_into = ? WHERE id = ? OR merged_into = ?", (keep, other, other))
    _log(conn, keep, "merged", f"milestone {other} merged into {keep}", author, at)


def split(
    conn: sqlite3.Connection, milestone: int, revisions: Sequence[int] = (), *, author: str, at: dt.datetime
) -> int:
    """Undo a wrong match: a merged milestone stands alone again, or the given revisions move to a new one."""
    row = conn.execute("SELECT merged_into FROM milestones WHERE id = ?", (milestone,)).fetchone()
    if row is None:
        raise CorrectionError(f"no milestone {milestone}; `slipwatch milestones` lists them")
    if not revisions:
        if row[0] is None:
            raise CorrectionError(f"milestone {milestone} was not merged; name the revisions to split off (--revision)")
        conn.execute("UPDATE milestones SET merged_into = NULL WHERE id = ?", (milestone,))
        _log(conn, row[0], "split", f"milestone {milestone} split off {row[0]}", author, at)
        return milestone
    owned = conn.execute(
        f"SELECT r.id, r.name FROM milestone_revisions r WHERE r.milestone = ? AND r.id IN ({','.join('?' * len(revisions))})",
        (milestone, *revisions),
    ).fetchall()
    if len(owned) != len(set(revisions)):
        raise CorrectionError(f"revisions {_listed(revisions)} are not all revisions of milestone {milestone}")
    new = conn.execute(
        "INSERT INTO milestones (vendor, project, name, created_at)"
        " SELECT vendor, project, ?, ? FROM milestones WHERE id = ?",
        (owned[0][1] or f"split from {milestone}", utcnow(), milestone),
    ).lastrowid
    conn.execute(
        f"UPDATE milestone_revisions SET milestone = ?, decision = ? WHERE id IN ({','.join('?' * len(owned))})",
        (new, json.dumps({"split_from": milestone, "by": author}), *[r[0] for r in owned]),
    )
    for mid in (milestone, new):  # the names each is known by follow its revisions
        conn.execute("DELETE FROM milestone_names WHERE milestone = ?", (mid,))
        conn.execute("INSERT OR IGNORE INTO milestone_names SELECT milestone, name FROM milestone_revisions"
                     " WHERE milestone = ? AND name IS NOT NULL", (mid,))
    _log(conn, milestone, "split", f"revisions {_listed(r[0] for r in owned)} moved to milestone {new}", author, at)
    return new


def _listed(ids: Iterable[int]) -> str:
    """Revision ids as a person reads them: "3, 4"."""
    return ", ".join(str(i) for i in sorted(set(ids)))


def apply_mail(
    conn: sqlite3.Connection, command: Command, *, message: int, author: str, at: dt.datetime, thread: Sequence[str]
) -> int:
    """Apply a staff member's mailed command to the one milestone it is about; returns that milestone."""
    about = milestones_in_thread(conn, thread)
    if command.milestone is not None:
        target = _target(conn, command.milestone, about)
    elif len(about) == 1:
        (target,) = about
    elif about:
        raise CorrectionError(
            f"the message you replied to is about {len(about)} milestones: {_choices(conn, about)}; "
            f"say which by adding its #ID at the end of the line (e.g. #{min(about)})"
        )
    else:
        raise CorrectionError(
            "the message you replied to is about no milestone slipwatch knows; add the milestone's #ID at the "
            "end of the line (`slipwatch milestones` lists them)"
        )
    if command.verb == "ignore":
        ignore(conn, target, author=author, at=at, reason=command.reason)
    elif command.verb == "merge":
        merge(conn, int(command.value or 0), target, author=author, at=at)
    elif command.verb == "rebaseline":
        rebaseline(conn, target, author=author, at=at, due=command.value, reason=command.reason, message=message)
    else:
        correct(conn, target, author=author, at=at, message=message, moved_by=command.moved_by,
                reason=command.reason, **{command.verb: command.value})
    return target


def reply_lines(text: str) -> list[str]:
    """The lines of a reply to a receipt that are corrections ("#12 ...", "add: ..."), in order; the
    rest (a greeting, a signature) is the person's own."""
    return [line.strip() for line in text.splitlines() if _REPLY_LINE.match(line)]


def parse_reply_line(line: str) -> Command:
    """One line of a reply to a receipt as the command it is (CorrectionError when it is none)."""
    match = _REPLY_LINE.match(line)
    if match is None:
        raise CorrectionError(f"{line!r} is not a correction; write one of: {REPLY_USAGE}")
    if match["id"] is None:
        if not match["add"]:
            raise CorrectionError("add: what? write the name, then due and a date: add: UAT build due 5 Dec 18:00 IST")
        return Command("add", match["add"], None)
    milestone, rest = int(match["id"]), match["rest"]
    same = _SAME_AS.match(rest)
    if same:
        return Command("merge", same["id"], milestone)
    try:
        command = parse_command(f"slipwatch: {rest} #{milestone}")
    except CorrectionError:
        raise CorrectionError(f"{rest!r} is not a correction; write one of: {REPLY_USAGE}") from None
    assert command is not None  # a "slipwatch:" line is a command or an error
    return command


@dataclass(frozen=True)
class LineResult:
    """What became of one line of a reply: `done` says what changed, `refused` why nothing did."""

    line: str
    done: str | None = None
    refused: str | None = None


def apply_lines(
    conn: sqlite3.Connection, lines: Sequence[str], *, vendor: int, about: int, message: int, author: str,
    at: dt.datetime, thread: Sequence[str],
) -> list[LineResult]:
    """Apply each line of a reply to a receipt for itself, as a staff member's mailed command: a line that
    cannot be applied is refused with its reason and changes nothing, the others stand. `vendor` (its row)
    wrote the mail the receipt was about (message `about`): an added milestone is theirs, and in the
    project of that mail's milestones when they share one."""
    projects = {row[0] for row in conn.execute(
        "SELECT DISTINCT m.project FROM milestone_revisions r JOIN milestones m ON m.id = r.milestone"
        " WHERE r.message = ?", (about,))}
    project = projects.pop() if len(projects) == 1 else None
    out = []
    for line in lines:
        conn.execute("SAVEPOINT reply_line")
        try:
            command = parse_reply_line(line)
            if command.verb == "add":
                done = add(conn, vendor, command.value or "", project=project, author=author, at=at, message=message)
            else:
                target = apply_mail(conn, command, message=message, author=author, at=at, thread=thread)
                done = _done(conn, command, target)
        except CorrectionError as exc:
            conn.execute("ROLLBACK TO reply_line")
            out.append(LineResult(line, refused=str(exc)))
        else:
            out.append(LineResult(line, done=done))
        conn.execute("RELEASE reply_line")
    return out


def _named(conn: sqlite3.Connection, milestone: int) -> str:
    return f"#{milestone} {conn.execute('SELECT name FROM milestones WHERE id = ?', (milestone,)).fetchone()[0]}"


def _done(conn: sqlite3.Connection, command: Command, target: int) -> str:
    """What a command applied to a milestone changed, in a few words."""
    if command.verb == "merge":
        return f"{_named(conn, target)} is now one with {_named(conn, int(command.value or 0))}"
    if command.verb == "ignore":
        return f"{_named(conn, target)} is no milestone: hidden from feeds and digests"
    if command.verb == "status":
        return f"{_named(conn, target)} is {(command.value or '').replace('_', ' ')}"
    if command.verb == "rebaseline":
        return f"{_named(conn, target)} is measured from {_Standing.of(conn, target).due}"
    return f"{_named(conn, target)}: {command.verb} {command.value}"


def add(conn: sqlite3.Connection, vendor: int, text: str, *, project: int | None = None, author: str,
        at: dt.datetime, message: int | None) -> str:
    """A milestone the vendor's mail named and the reading missed, from "NAME due DATE" written by a person
    (`project`: its row, if any); says what was added."""
    from slipwatch.extract.dates import find_dates  # the grammar compiles on first use: most commands never need it

    found = [d for d in find_dates(text, at) if text[:d.start].strip()]
    if not found:
        raise CorrectionError(f"add: {text!r} names no date after the milestone's name; write it as "
                              "add: UAT build due 5 Dec 18:00 IST")
    when = found[-1]
    name = re.sub(r"\s+(?:due|on|by|at)\s*:?\s*\Z", "", text[:when.start].strip(), flags=re.I).strip(" :-")
    if not name:
        raise CorrectionError(f"add: {text!r} names no milestone before its date")
    due = when.value(at)
    milestone = conn.execute(
        "INSERT INTO milestones (vendor, project, name, created_at) VALUES (?, ?, ?, ?)",
        (vendor, project, name, utcnow())
    ).lastrowid
    insert_revision(conn, milestone, sent=at, message=message, author=author, due=due, status="planned", name=name,
                    kind=CORRECTION, evidence=f"added by {author}: {text}")
    return f"#{milestone} {name}: added, due {due}"
