"""The answer to a staff member whose mailed correction could not be applied.

A correction that names no single milestone, an unknown one or a bad date
fails for good: reading the mail again gives the same answer. Its sender gets
one short reply, threaded to their mail, with the line, the reason and the
fix. The reply is queued in the outbox in the transaction that records the
failure, so it is sent once. Mail that is itself automatic (an out-of-office,
a bounce, a list) gets no answer (RFC 3834): two robots never talk in a loop.
The line and the reason (which names milestones, vendor text) show control and
bidi characters in visible form (slipwatch.sanitise).
"""

from __future__ import annotations

import email.errors
import email.parser
import email.policy
import logging
import re
import sqlite3
from email.message import EmailMessage, Message
from email.policy import SMTP
from email.utils import format_datetime

from slipwatch import clock
from slipwatch.config import Config
from slipwatch.mail.mime import message_ids
from slipwatch.publish.dispatch import message_id, sender
from slipwatch.publish.outbox import enqueue
from slipwatch.sanitise import one_line

log = logging.getLogger(__name__)

_HEADERS = email.parser.BytesHeaderParser(policy=email.policy.default)
_REPLY = re.compile(r"\A\s*re\s*:", re.I)


def _header(head: Message, name: str) -> str:
    try:
        return str(head.get(name) or "")
    except Exception:  # noqa: BLE001 - a hostile header must not stop the failure from being recorded
        return ""


def automatic(head: Message) -> bool:
    """Whether a mail was written by a program, which no program should answer (RFC 3834)."""
    auto = _header(head, "Auto-Submitted").split(";")[0].strip().lower()
    precedence = _header(head, "Precedence").strip().lower()
    return (
        auto not in ("", "no")
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or any(_header(head, h) for h in ("List-Id", "List-Unsubscribe", "X-Autoreply", "X-Autorespond"))
        or _header(head, "Return-Path").strip() == "<>"
    )


def queue(
    conn: sqlite3.Connection, config: Config, *, message: int, raw: bytes, to: str, line: str, reason: str
) -> int | None:
    """Queue the answer to the correction mail `raw` (message row `message`) inside the caller's
    transaction; its outbox id, or None when no answer goes out (no [smtp], or automatic mail)."""
    head = _HEADERS.parsebytes(raw)
    if config.smtp is None or automatic(head) or to.casefold() == sender(config).casefold():
        return None
    mid = message_id(config, "notice", str(message))
    try:
        answer = reply(config, head, mid, to, _body(line, reason), marks={"Notice": "correction refused"})
    except (ValueError, email.errors.MessageError) as exc:  # an address or header no mail can carry
        log.warning("no answer to message %d for %s: %s", message, to, exc)
        return None
    return enqueue(conn, team="", period=f"notice:{message}", kind="notice", message_id=mid, recipients=[to],
                   raw=answer)


def reply(config: Config, head: Message, mid: str, to: str, body: str, *, html: str | None = None,
          marks: dict[str, str] | None = None) -> bytes:
    """A reply to `head`: "Re:" subject, In-Reply-To and References, marked as an automatic answer; `html`
    an alternative to the text, `marks` the X-Slipwatch-* headers that say what it is."""
    subject = one_line(_header(head, "Subject")).strip() or "your mail to slipwatch"
    their_id = message_ids(_header(head, "Message-ID"))
    mail = EmailMessage()
    mail["From"] = sender(config)
    mail["To"] = to
    mail["Subject"] = subject if _REPLY.match(subject) else f"Re: {subject}"
    mail["Date"] = format_datetime(clock.now())
    mail["Message-ID"] = mid
    if their_id:
        mail["In-Reply-To"] = their_id[0]
        earlier = message_ids(_header(head, "References") or _header(head, "In-Reply-To"))
        mail["References"] = " ".join(dict.fromkeys((*earlier, their_id[0])))
    mail["Auto-Submitted"] = "auto-replied"
    for name, value in (marks or {}).items():
        mail[f"X-Slipwatch-{name}"] = value
    # quoted-printable: SMTP servers refuse lines over 998 bytes, and a table row or an HTML line can be long
    mail.set_content(body, cte="quoted-printable")
    if html is not None:
        mail.add_alternative(html, subtype="html", cte="quoted-printable")
    # CRLF line ends, as the outbox sends bytes as they are
    return mail.as_bytes(policy=SMTP)


def _body(line: str, reason: str) -> str:
    # the first line never starts with "slipwatch:": were this answer to reach the mailbox, it is no command
    line, reason = one_line(line), one_line(reason)
    return "\n".join((
        "Your correction was not applied:",
        "",
        f"    {line}",
        "",
        reason[:1].upper() + reason[1:] + ".",  # one line: mail clients wrap it, a milestone's name stays whole
        "",
        "Nothing was changed. Send the line again with the fix, as before.",
        "",
        "-- ",
        "slipwatch (an automatic answer)",
        "",
    ))
