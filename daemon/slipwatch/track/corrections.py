"""People fixing what the machine got wrong: a due date, a status, a name, a merge, a split.

A changed date, status or name is a revision too, with the person as its
author, so the timeline shows who changed what and when; merges, splits and
ignores change no date and are logged beside it (milestone_actions). The same commands arrive by mail: a
staff member replies to a message about one milestone with a first line such
as ``slipwatch: due 2026-12-09``, ``slipwatch: delivered`` or ``slipwatch: ignore``
(``#ID`` names the milestone when the message was about several).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from slipwatch.errors import CorrectionError
from slipwatch.extract.model import STATUSES
from slipwatch.clock import utcnow
from slipwatch.track.record import insert_revision, milestones_in_thread

_COMMAND = re.compile(r"\A\s*slipwatch\s*:\s*(?P<rest>.*?)\s*(?:#(?P<id>\d+))?\s*\Z", re.I)
_ALIASES = {"at risk": "at_risk", "at-risk": "at_risk", "done": "delivered", "canceled": "cancelled"}


@dataclass(frozen=True)
class Command:
    verb: str  # "due", "status", "name", "ignore"
    value: str | None
    milestone: int | None  # named with #ID


def parse_command(text: str) -> Command | None:
    """The command on the first line of a staff mail, if it starts with `slipwatch:`."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    match = _COMMAND.match(first)
    if not match:
        return None
    rest, milestone = match["rest"], int(match["id"]) if match["id"] else None
    verb, _, arg = rest.partition(" ")
    status = _ALIASES.get(rest.lower(), rest.lower())
    if status in STATUSES:
        return Command("status", status, milestone)
    if verb.lower() in ("due", "name") and arg.strip():
        return Command(verb.lower(), arg.strip(), milestone)
    if rest.lower() == "ignore":
        return Command("ignore", None, milestone)
    raise CorrectionError(
        f"slipwatch: {rest!r} is not a command; write one of: due YYYY-MM-DD, name NEW NAME, ignore, "
        f"or a status ({', '.join(STATUSES)}), optionally followed by #ID"
    )


def _target(conn: sqlite3.Connection, milestone: int) -> int:
    row = conn.execute("SELECT coalesce(merged_into, id) FROM milestones WHERE id = ?", (milestone,)).fetchone()
    if row is None:
        raise CorrectionError(f"no milestone {milestone}; `slipwatch milestones` lists them")
    return row[0]


def _current(conn: sqlite3.Connection, milestone: int) -> tuple[str | None, str]:
    """(due, status) of the newest revision of a milestone and those merged into it."""
    row = conn.execute(
        "SELECT r.due, r.status FROM milestone_revisions r JOIN milestones m ON m.id = r.milestone"
        " WHERE coalesce(m.merged_into, m.id) = ? ORDER BY r.sent_utc DESC, r.id DESC LIMIT 1",
        (milestone,),
    ).fetchone()
    return (row[0], row[1]) if row else (None, "planned")


def _check_due(value: str) -> str:
    try:
        dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    except ValueError:
        raise CorrectionError(f"due {value!r}: write a date as YYYY-MM-DD or an instant as YYYY-MM-DDTHH:MM+HH:MM") from None
    return value


def correct(
    conn: sqlite3.Connection,
    milestone: int,
    *,
    author: str,
    at: dt.datetime,
    due: str | None = None,
    status: str | None = None,
    name: str | None = None,
    message: int | None = None,
) -> int:
    """Record a person's correction as the newest revision; returns the revision id."""
    target = _target(conn, milestone)
    if status is not None and status not in STATUSES:
        raise CorrectionError(f"status {status!r}: use one of {', '.join(STATUSES)}")
    current_due, current_status = _current(conn, target)
    if name:
        conn.execute("UPDATE milestones SET name = ? WHERE id = ?", (name, target))
    changes = ", ".join(f"{k} {v}" for k, v in (("due", due), ("status", status), ("name", name)) if v)
    return insert_revision(
        conn, target, sent=at, message=message, author=author, due=_check_due(due) if due else current_due,
        status=status or current_status, previous_due=current_due if due and due != current_due else None,
        evidence=f"corrected by {author}: {changes}", name=name, kind="correction",
    )


def _log(conn: sqlite3.Connection, milestone: int, action: str, detail: str, author: str, at: dt.datetime) -> None:
    """Merges, splits and ignores change no date or status: they are logged, not revisions."""
    conn.execute(
        "INSERT INTO milestone_actions (milestone, action, detail, author, at) VALUES (?, ?, ?, ?, ?)",
        (milestone, action, detail, author, at.isoformat()),
    )


def ignore(conn: sqlite3.Connection, milestone: int, *, author: str, at: dt.datetime, undo: bool = False) -> None:
    """Hide a milestone that is not one (or show it again)."""
    target = _target(conn, milestone)
    conn.execute("UPDATE milestones SET ignored = ? WHERE id = ?", (0 if undo else 1, target))
    _log(conn, target, "shown" if undo else "ignored", "", author, at)


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
    if command.milestone is not None:
        target = _target(conn, command.milestone)
    else:
        about = milestones_in_thread(conn, thread)
        if len(about) != 1:
            raise CorrectionError(
                f"the correction replies to a message about {len(about)} milestones; "
                "name one as '#ID' after the command (slipwatch milestones lists the ids)"
            )
        target = about.pop()
    if command.verb == "ignore":
        ignore(conn, target, author=author, at=at)
    else:
        correct(conn, target, author=author, at=at, message=message, **{command.verb: command.value})
    return target
