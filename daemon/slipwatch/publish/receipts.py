"""Receipts: the staff member who forwarded a vendor mail sees at once what slipwatch read of it.

A receipt answers the forward (threaded: "Re:" subject, In-Reply-To,
References) with each milestone read: its #ID, name, vendor, project, due in
the team's zone (and the vendor's, when that differs), status, what changed
and the sentence or row it came from; or, when the mail yielded nothing, says
so and how to add one. It is queued in the outbox in the transaction that
records the mail, so it goes out exactly once, like a digest: a crash before
the commit leaves neither, the same mail ingested again is a duplicate.

The forwarder fixes a wrong reading by replying with one line per fix
(slipwatch.track.corrections.apply_lines: the rules and trust of a `slipwatch:`
command); the answer names what changed and why a line was refused.

Only staff get one (never a vendor), and not when they asked for quiet: `[receipts]
mode` and a team's `receipts` override, and a daily cap per recipient. Mail that
slipwatch sent itself (a receipt, a digest, a notice) or any other program's
(RFC 3834) gets none, so that no two robots answer each other in a loop: our
Message-IDs, our X-Slipwatch-* headers and Auto-Submitted mark them.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import logging
import sqlite3
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message

from slipwatch import clock
from slipwatch.config import ALL_FEED, Config, TeamConfig
from slipwatch.mail.addresses import header_sender
from slipwatch.mail.dedup import normalise_message_id
from slipwatch.mail.mime import header_text, raw_headers
# the digest's templates and words: a receipt reads like one, vendor text kept to one line alike
from slipwatch.publish import links, tokens
from slipwatch.publish.digest import _env, _ordinal as ordinal
from slipwatch.publish.dispatch import message_id, sender
from slipwatch.publish.notices import automatic, reply
from slipwatch.publish.outbox import enqueue
from slipwatch.sanitise import one_line
from slipwatch.track.corrections import LineResult
from slipwatch.track.query import revisions
from slipwatch.track.record import Recorded
from slipwatch.track.timeline import day, moves

log = logging.getLogger(__name__)


#: The header every mail slipwatch answers with carries, naming what it is.
MARK = "X-Slipwatch-"
#: What this module sends, as outbox kinds: each counts against a recipient's daily cap.
KINDS = ("receipt", "confirmation", "quarantine")
_DAY = dt.timedelta(days=1)
#: An example of each correction, as the receipt teaches them.
EXAMPLES = ("due 2026-12-05", "delivered", "not a milestone")
ADD_EXAMPLE = "add: UAT build due 5 Dec 18:00 IST"


@dataclass(frozen=True)
class Item:
    """One milestone as a receipt shows it."""

    id: int
    name: str
    vendor: str
    project: str | None
    due: str  # in the team's zone, and the vendor's beside it when different
    status: str
    change: str  # "new", "moved from Fri 20 Nov to Fri 27 Nov: 2nd slip", ...
    evidence: str  # the sentence or row it was read from
    page: str  # the milestone's schedule page


@dataclass(frozen=True)
class Receipt:
    subject: str  # the vendor mail's
    vendor: str
    author: str  # the vendor's address
    sent: str  # when the vendor wrote it, in the team's zone
    zone: str
    items: tuple[Item, ...]

    def context(self) -> dict:
        # "same as" shows with two milestones to join: the receipt's own first two
        same = f"same as #{self.items[1].id}" if len(self.items) > 1 else None
        return {"r": self, "examples": (*EXAMPLES, same) if same else EXAMPLES, "add": ADD_EXAMPLE}


def ours(head: Message, config: Config) -> bool:
    """Whether slipwatch sent this mail itself: a receipt, digest, alert or notice come back to the mailbox."""
    if any(name.lower().startswith(MARK.lower()) for name in head.keys()):
        return True
    own = normalise_message_id(header_text(head, "Message-ID")) or ""
    if own.startswith("<slipwatch-") and own.endswith(tuple(f"@{d.lower()}>" for d in config.organisation.domains)):
        return True
    sent_by = header_sender(raw_headers(head, "From")).address
    return config.smtp is not None and (sent_by or "").casefold() == sender(config).casefold()


def teams_of(config: Config, forwarder: str, vendor: str) -> list[TeamConfig]:
    """The teams a forwarded mail concerns: the forwarder's own, else those that follow its vendor."""
    member = [t for t in config.teams if forwarder.casefold() in (m.casefold() for m in t.members)]
    return member or [t for t in config.teams if vendor in t.vendors]


def mode(config: Config, teams: Sequence[TeamConfig]) -> str:
    """`forwarder` or `off`: the first of these teams' own setting, else [receipts] mode (on with [smtp])."""
    if config.smtp is None:
        return "off"
    return next((t.receipts for t in teams if t.receipts), None) or config.receipts_mode


def _capped(conn: sqlite3.Connection, config: Config, to: str) -> bool:
    """Whether the recipient had their daily cap of receipts, confirmations and notices in the last 24 hours."""
    since = (clock.now() - _DAY).astimezone(dt.UTC).isoformat(timespec="seconds")
    marks = ",".join("?" * len(KINDS))
    sent = conn.execute(
        f"SELECT count(*) FROM outbox WHERE kind IN ({marks}) AND lower(recipients) = ? AND created_at > ?",
        (*KINDS, to.casefold(), since),
    ).fetchone()[0]
    if sent >= config.receipts.daily_cap:
        log.info("no answer to %s: %d sent in the last 24 hours (receipts.daily_cap)", to, sent)
        return True
    return False


def _may_answer(conn: sqlite3.Connection, config: Config, head: Message, to: str | None) -> bool:
    return bool(to) and config.smtp is not None and not automatic(head) and not ours(head, config) \
        and not _capped(conn, config, to or "")


def queue(
    conn: sqlite3.Connection, config: Config, head: Message, *, message: int, forwarder: str | None, vendor: str,
    author: str, subject: str, sent: dt.datetime, recorded: Sequence[Recorded],
) -> int | None:
    """Queue the receipt for a forwarded vendor mail inside the transaction that records it; its outbox id,
    or None when none goes out (not forwarded, receipts off, automatic or our own mail, the cap reached)."""
    if not forwarder:
        return None
    teams = teams_of(config, forwarder, vendor)
    if mode(config, teams) == "off" or not _may_answer(conn, config, head, forwarder):
        return None
    zone = zoneinfo.ZoneInfo(teams[0].timezone if teams else config.timezone)
    vendor_config = next((v for v in config.vendors if v.name == vendor), None)
    vendor_zone = zoneinfo.ZoneInfo(vendor_config.timezone) if vendor_config else zone
    # the `all` pages: a team's pages show only the vendors it follows, which need not be this one
    pages = links.pages_url(links.base_url(config), tokens.link_tokens_in(conn, [ALL_FEED])[ALL_FEED], ALL_FEED)
    items = tuple(_item(conn, r, zone, vendor_zone, pages) for r in dict((r.milestone, r) for r in recorded).values())
    receipt = Receipt(one_line(subject), vendor, author, f"{sent.astimezone(zone):%a %d %b %H:%M %Z}", str(zone), items)
    return _answer(conn, config, head, "receipt", message, forwarder,
                   _env.get_template("receipt.txt.j2").render(receipt.context()),
                   html=_env.get_template("receipt.html.j2").render(receipt.context()))


def _answer(conn: sqlite3.Connection, config: Config, head: Message, kind: str, message: int, to: str, body: str, *,
            html: str | None = None) -> int | None:
    """Queue an answer of this kind to message `message`, once (its outbox period says which); its outbox id,
    or None when no mail can carry it (an address or a header of the mail it answers)."""
    mid = message_id(config, kind, str(message))
    try:
        raw = reply(config, head, mid, to, body, html=html, marks={kind.capitalize(): str(message)})
    except (ValueError, email.errors.MessageError) as exc:
        log.warning("no %s for message %d to %s: %s", kind, message, to, exc)
        return None
    return enqueue(conn, team="", period=f"{kind}:{message}", kind=kind, message_id=mid, recipients=[to], raw=raw)


def _item(conn: sqlite3.Connection, recorded: Recorded, zone: dt.tzinfo, vendor_zone: dt.tzinfo, pages: str) -> Item:
    mid, name, vendor, project = conn.execute(
        "SELECT m.id, m.name, v.name, p.name FROM milestones m JOIN vendors v ON v.id = m.vendor"
        " LEFT JOIN projects p ON p.id = m.project WHERE m.id = ?", (recorded.milestone,)
    ).fetchone()
    history = revisions(conn, mid)
    this = next(r for r in history if r.id == recorded.revision)
    return Item(mid, name, vendor, project, due_text(this.due, zone, vendor_zone), this.status.replace("_", " "),
                _change(history, recorded, zone), one_line(this.evidence).strip().lstrip("-•*–· ").strip(),
                links.milestone_url(pages, mid))


def due_text(value: str | None, zone: dt.tzinfo, vendor_zone: dt.tzinfo) -> str:
    """A due date as written; an instant in the team's zone, with the vendor's own clock beside it when it differs."""
    if not value:
        return "no date"
    if len(value) == 10:
        return f"{day(value):%a %d %b %Y}"
    moment = dt.datetime.fromisoformat(value)
    here, there = moment.astimezone(zone), moment.astimezone(vendor_zone)
    text = f"{here:%a %d %b %Y %H:%M %Z}"
    return text if here.utcoffset() == there.utcoffset() else f"{text} ({there:%a %d %b %H:%M %Z} vendor time)"


def _short(value: str) -> str:
    return f"{day(value):%a %d %b}"


def _change(history, recorded: Recorded, zone: dt.tzinfo) -> str:
    """What this mail changed of the milestone, in words: new, moved (and which slip), a status, nothing."""
    all_moves = moves(history)
    slips = [m for m in all_moves if m.revision.by_vendor and m.days > 0]
    move = next((m for m in all_moves if m.revision.id == recorded.revision), None)
    if move is not None:
        said = f"moved from {_short(move.old)} to {_short(move.new)}"
        if move in slips:
            return f"{said}: {ordinal(slips.index(move) + 1)} slip"
        return f"{said} (earlier)" if move.days < 0 else said
    if recorded.new:
        return "new"
    before = [r for r in history if r.id != recorded.revision and r.id < recorded.revision]
    this = next(r for r in history if r.id == recorded.revision)
    if before and before[-1].status != this.status:
        return f"status {before[-1].status.replace('_', ' ')} → {this.status.replace('_', ' ')}"
    return "as before"


def answered(conn: sqlite3.Connection, references: Sequence[str]) -> int | None:
    """The message a receipt among these Message-IDs was about (a reply to the receipt); None when none is."""
    ids = [i for i in references if i]
    if not ids:
        return None
    row = conn.execute(
        f"SELECT period FROM outbox WHERE kind = 'receipt' AND message_id IN ({','.join('?' * len(ids))})"
        " ORDER BY id DESC LIMIT 1", tuple(ids),
    ).fetchone()
    return int(row[0].partition(":")[2]) if row else None


def queue_confirmation(
    conn: sqlite3.Connection, config: Config, head: Message, *, message: int, to: str, results: Sequence[LineResult]
) -> int | None:
    """Answer a reply to a receipt with what each of its lines changed, or why it was refused."""
    if not results or not _may_answer(conn, config, head, to):
        return None
    done = [r for r in results if r.done]
    refused = [r for r in results if r.refused]
    body = _env.get_template("confirmation.txt.j2").render({"done": done, "refused": refused})
    return _answer(conn, config, head, "confirmation", message, to, body)


def queue_quarantine_notice(
    conn: sqlite3.Connection, config: Config, head: Message, *, message: int, to: str | None, reason: str,
    staff: bool,
) -> int | None:
    """Tell the staff member whose forward was quarantined why, and how to release it; once per message."""
    if not staff or not _may_answer(conn, config, head, to):
        return None
    assert to is not None
    body = _env.get_template("quarantined.txt.j2").render({"reason": one_line(reason), "message": message})
    return _answer(conn, config, head, "quarantine", message, to, body)

