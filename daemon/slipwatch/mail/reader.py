"""read_message: the vendor message inside whatever wrapped it.

A mail in the watched mailbox is a chain of messages, newest first: the
outer message, then the messages its body forwards or quotes (forward
blocks, reply history) and the messages attached to it (message/rfc822),
each of which is a chain again. RULES.md picks one of them:

- a reply or a direct mail: the outer message itself;
- a forward: the first message in the chain whose author is outside the
  forwarder's organisation (colleagues' layers are peeled off; what that
  message quotes is its history); when every layer is internal, the
  innermost forwarded one.

`sent` is the chosen message's own Date header when it is a real message
(attached or direct), else its forward line; a line printed without a zone
takes the offset of the message that holds it.
"""

from __future__ import annotations

import datetime as dt
import email.message
import enum
import logging
import re
import traceback
from dataclasses import dataclass

from slipwatch.config import LimitsConfig
from slipwatch.mail.dates import parse_header_date, parse_loose_date
from slipwatch.mail.forwards import (
    Block,
    BlockKind,
    QuotedLine,
    find_blocks,
    segments,
    split_quoted,
)
from slipwatch.mail.dedup import normalise_message_id
from slipwatch.mail.documents import read_documents
from slipwatch.mail.addresses import header_sender
from slipwatch.mail.mime import MimeMessage, header_text, message_ids, parse_message, raw_headers
from slipwatch.mail.model import Table, VendorMessage
from slipwatch.mail.quotes import new_text

logger = logging.getLogger(__name__)

_FORWARD_PREFIXES = (
    "fwd", "fw", "wg", "tr", "rv", "enc", "i", "pd", "vb", "vl", "vs", "doorst", "videresend",
    "továbbítás", "i̇lt", "ilt", "redir", "fs", "trs", "转发", "轉寄", "転送", "пересл", "пр",
)
_REPLY_PREFIXES = (
    "re", "aw", "sv", "antw", "antwort", "odp", "ynt", "vá", "răsp", "rasp", "r", "res", "réf",
    "ref", "svar", "atb", "ats", "vast", "回复", "答复", "回覆", "返信", "ответ", "отв", "відп",
    "automatic reply", "auto reply", "autoreply", "out of office", "abwesenheitsnotiz",
    "réponse automatique", "respuesta automática", "autosvar",
)
# Possessive blanks (*+): a long gap in a subject is crossed once, not tried in every split.
_PREFIX = re.compile(
    r"\s*+("
    + "|".join(re.escape(p) for p in sorted({*_FORWARD_PREFIXES, *_REPLY_PREFIXES}, key=len, reverse=True))
    + r"|İLT|İlt)\.?\s*+(?:\[\d+\]|\(\d+\))?\s*+[:：]\s*+",
    re.IGNORECASE,
)


class Hop(enum.Enum):
    OUTER = "outer"  # the mail as it arrived, or an attached message
    FORWARD = "forward"  # reached through a forward
    REPLY = "reply"  # quoted history of the message above it


@dataclass(frozen=True)
class Layer:
    """One message of the chain, as far as the mail shows it."""

    author: str | None
    author_name: str | None
    sent: dt.datetime | None
    subject: str
    lines: tuple[QuotedLine, ...]
    source: MimeMessage  # the MIME message whose body or headers hold it
    hop: Hop
    block: Block | None  # the forward/reply block that introduced it; None for a real message


def read_message(raw: bytes, limits: LimitsConfig = LimitsConfig(),
                 tree: email.message.Message | None = None) -> VendorMessage:
    """The vendor message of a raw mail (`tree`: its MIME tree, when already parsed), its office attachments
    read within `limits`; never raises, whatever the bytes."""
    try:
        return _read(raw if isinstance(raw, bytes) else bytes(raw), limits, tree)
    except Exception as exc:  # noqa: BLE001 - the daemon must go on with the next mail
        # the frames say where, without the exception's message, which may quote the mail
        logger.warning("mail could not be read: %s, raised at\n%s", type(exc).__name__,
                       "".join(traceback.format_tb(exc.__traceback__)).rstrip())
        return VendorMessage(
            message_id=None, author=None, author_name=None, forwarded_by=None, sent=None,
            subject="", text="", problems=(f"unreadable message: {type(exc).__name__}: {exc}",),
        )


def read_header(head: email.message.Message) -> VendorMessage:
    """The mail as its header block alone tells it, the body unread: who sent it (the outermost
    sender, as reading the whole mail takes it), when and about what. For what is decided before a
    body is read, and said of a mail whose body could not be read in time."""
    sender = header_sender(raw_headers(head, "From"))
    message_id = normalise_message_id(header_text(head, "Message-ID"))
    return VendorMessage(
        message_id=message_id, author=sender.address, author_name=sender.name, forwarded_by=None,
        sent=parse_header_date(header_text(head, "Date")),
        subject=strip_subject_prefixes(header_text(head, "Subject")), text="", mailbox_message_id=message_id,
        from_problem=sender.problem,
    )


def _read(raw: bytes, limits: LimitsConfig, tree: email.message.Message | None) -> VendorMessage:
    outer = parse_message(raw, tree)
    problems = list(_all_problems(outer))
    chain = _chain(outer, problems)
    top = chain[0]
    forward = _is_forward(outer, chain)
    vendor = _pick_vendor(chain, top) if forward else top
    unresolved = forward and vendor is top
    if unresolved:
        problems.append("forwarded mail without a readable forward block")
    note = new_text(top.lines) if forward and not unresolved else ""
    text = new_text(vendor.lines)
    written = message_ids(vendor.source.in_reply_to, vendor.source.references, outer.in_reply_to, outer.references)
    references = tuple(dict.fromkeys(filter(None, map(normalise_message_id, written))))
    documents, unread = read_documents(vendor.source.attachments, limits)
    problems += unread
    return VendorMessage(
        message_id=vendor.source.message_id if vendor.block is None else outer.message_id,
        author=None if unresolved else vendor.author,
        author_name=None if unresolved else vendor.author_name,
        forwarded_by=top.author if forward else None,
        sent=vendor.sent,
        subject=strip_subject_prefixes(vendor.subject),
        text=text,
        tables=_tables_in(vendor.source, text),
        attachments=vendor.source.attachments,
        documents=tuple(documents),
        references=references,
        problems=tuple(problems),
        forward_note=note,
        mailbox_message_id=outer.message_id,
        from_problem=outer.sender.problem,
    )


def _all_problems(message: MimeMessage) -> list[str]:
    found = list(message.problems)
    for attached in message.attached:
        found.extend(_all_problems(attached))
    return found


def _chain(message: MimeMessage, problems: list[str]) -> list[Layer]:
    """The message, the messages its body holds, then its attached messages' chains."""
    author, name = message.sender.address, message.sender.name
    sent = parse_header_date(message.date_header)
    if sent is None and message.date_header:
        problems.append(f"unreadable Date header: {message.date_header[:60]!r}")
    lines = split_quoted(message.body)
    blocks = find_blocks(lines)
    parts = segments(lines, blocks)
    chain = [Layer(author, name, sent, message.subject, tuple(parts[0]), message, Hop.OUTER, None)]
    for block, part in zip(blocks, parts[1:]):
        holder = chain[-1]
        forward = block.kind is BlockKind.FORWARD or _prefix_kind(holder.subject) == "forward"
        chain.append(Layer(
            author=block.author,
            author_name=block.author_name,
            sent=_block_sent(block, holder.sent, problems),
            subject=block.subject if block.subject is not None else holder.subject,
            lines=tuple(part),
            source=message,
            hop=Hop.FORWARD if forward else Hop.REPLY,
            block=block,
        ))
    for attached in message.attached:
        chain.extend(_chain(attached, problems))
    return chain


def _block_sent(block: Block, holder_sent: dt.datetime | None, problems: list[str]) -> dt.datetime | None:
    american = holder_sent is not None and (holder_sent.utcoffset() or dt.timedelta(0)) < dt.timedelta(0)
    parsed = (
        parse_loose_date(block.date_text, croatian=block.croatian, american=american)
        if block.date_text
        else None
    )
    if parsed is None:
        if block.date_text:
            problems.append(f"unreadable forward date line: {block.date_text[:60]!r}")
        return holder_sent
    if parsed.has_zone:
        return parsed.moment
    if holder_sent is None or holder_sent.tzinfo is None:
        return parsed.moment.replace(tzinfo=dt.timezone.utc)
    return parsed.moment.replace(tzinfo=holder_sent.tzinfo)


def _is_forward(outer: MimeMessage, chain: list[Layer]) -> bool:
    """A forward by what the body holds first, else by the subject prefix.

    A top-level block the client itself calls a forward settles it, whatever
    the subject ("Re: X" forwarded from a phone keeps its prefix). Otherwise
    the prefix decides; without one, a top-level header block is a forward
    (Outlook) and "On ... wrote:" or quoted headers are a reply.
    """
    first = chain[1].block if len(chain) > 1 else None
    if first is not None and first.kind is BlockKind.FORWARD and first.depth == 0:
        return True
    kind = _prefix_kind(outer.subject)
    if kind == "reply":
        return False
    if kind == "forward" or outer.attached:
        return True
    if first is None:
        return False
    return first.kind is BlockKind.FORWARD or (first.kind is not BlockKind.ATTRIBUTION and first.depth == 0)


def _pick_vendor(chain: list[Layer], top: Layer) -> Layer:
    rest = chain[1:]
    if not rest:
        return top
    org = _domain(top.author)
    for layer in rest:
        if layer.author and org and not _same_org(_domain(layer.author), org):
            return layer
    innermost = rest[0]
    for layer in rest[1:]:
        if layer.hop is Hop.REPLY:
            break
        innermost = layer
    return innermost


def _domain(address: str | None) -> str:
    return address.rsplit("@", 1)[-1].lower() if address and "@" in address else ""


def _same_org(domain: str, org: str) -> bool:
    return domain == org or domain.endswith("." + org) or org.endswith("." + domain)


def _prefix_kind(subject: str) -> str | None:
    match = _PREFIX.match(subject or "")
    if not match:
        return None
    word = match.group(1).lower()
    return "reply" if word in _REPLY_PREFIXES else "forward"


def strip_subject_prefixes(subject: str) -> str:
    """The subject without leading reply/forward prefixes, however many."""
    subject = subject or ""
    at = 0
    while (match := _PREFIX.match(subject, at)) and match.end() > at:
        at = match.end()
    return subject[at:].strip()


def _tables_in(message: MimeMessage, text: str) -> tuple[Table, ...]:
    """The HTML tables of the message whose cells the vendor's text shows."""
    if message.html is None or not message.html.tables:
        return ()
    flat = " ".join(text.split())
    kept = []
    for table in message.html.tables:
        cells = [" ".join(cell.split()) for row in table.rows for cell in row if cell.strip()]
        if cells and sum(cell in flat for cell in cells) * 2 >= len(cells):
            kept.append(table)
    return tuple(kept)

