"""One message through the stages: store the raw bytes, read, record.

The raw bytes are committed first, on their own, so nothing received is ever
lost; reading and recording then happen in one transaction, so a message is
either fully recorded or still 'new'. Before the body is read, its header is:
a message whose sender could not be trusted whatever it says is quarantined
unread (slipwatch.trust.screen). A message that cannot be read is kept, marked
with the reason, and retried up to ``max_attempts`` times, unless reading it
again cannot end otherwise (a limit broken, reading past its time, no mail):
then it fails at once, for good. Nothing a message contains can raise out of
here. A staff member's correction that
cannot be applied fails for good at once, and its sender is told why
(slipwatch.publish.notices).

Only staff give commands: the first line of a staff member's own mail. Any
other line written to slipwatch (a vendor's, one further down, one on top of a
forward) is refused, the refusal kept with the message; no such line is ever
read as status.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from typing import Any

from slipwatch.config import Config, LimitsConfig
from slipwatch import trust
from slipwatch.errors import (CorrectionError, LimitExceeded, MessageError, NotMail, ReadingTimedOut, SlipwatchError,
                              StoreError)
from slipwatch.extract import Milestone, extract
from slipwatch.extract.learned import DECISIONS
from slipwatch.limits import parse_checked, time_budget
from slipwatch.mail import VendorMessage, read_message
from slipwatch.mail.reader import read_header
from slipwatch.mail.received import believed
from slipwatch.mail.dedup import normalise_message_id
from slipwatch.mail.mime import header_text, parse_headers
from slipwatch.mail.sniff import check_is_mail
from slipwatch.publish import notices, receipts
from slipwatch.sources import Incoming, header_block, too_large
from slipwatch.store import Store
from slipwatch.track import corrections
from slipwatch.track.record import Observation, Recorded, record, vendor_id
from slipwatch.trust import Verdict

log = logging.getLogger(__name__)

# reading these again changes nothing: failed at once, not retried
_FOR_GOOD = (LimitExceeded, NotMail)
# the log holds no text of a mail: a reason that may quote one is left to this command
_SHOWS_WHY = "`slipwatch messages --state failed` shows why"
# why a line written to slipwatch was not applied
_NOT_STAFF = "only staff (organisation.domains) give slipwatch: commands, and {author} is not staff"
_NOT_FIRST = "a command is read only from the first line of a staff member's own mail"
_OWN = "sent by slipwatch itself (a receipt, a digest or a notice): not read as status"


@dataclass(frozen=True)
class Outcome:
    """What happened to one incoming message."""

    message: int
    message_id: str | None
    # "new" (recorded now), "quarantined" (recorded, untrusted), "duplicate", "failed" (for good),
    # "retry" (failed, tried again later)
    status: str
    error: str | None = None


def header_message_id(raw: bytes) -> str | None:
    """The Message-ID header's <id>, normalised (slipwatch.mail.dedup), or None when missing or unreadable."""
    return normalise_message_id(header_text(parse_headers(raw), "Message-ID"))


@dataclass(frozen=True)
class Reading:
    """A message read and its milestones extracted: what the store records and `extract` prints."""

    message: VendorMessage
    milestones: tuple[Milestone, ...]

    def report(self) -> dict[str, Any]:
        """The `slipwatch extract --json` object (RULES.md), with evidence and origin besides."""
        report: dict[str, Any] = {
            **self.message.envelope(),
            "milestones": [
                {k: getattr(m, k) for k in ("name", "project", "due", "status", "previous_due", "evidence", "origin")}
                for m in self.milestones
            ],
        }
        if self.message.problems:
            report["problems"] = list(self.message.problems)
        return report


def read(
    raw: bytes, limits: LimitsConfig = LimitsConfig(), decisions: str = DECISIONS, *,
    received: dt.datetime | None = None,
) -> Reading:
    """Read a message and extract its milestones, within the limits (LimitExceeded past one; NotMail for no mail);
    `decisions` as extract takes them. Given when the mail arrived, its send time is believed only up to then
    (slipwatch.mail.received)."""
    check_is_mail(raw)
    tree = parse_checked(raw, limits)
    with time_budget(limits.extract_seconds, "reading"):
        message = read_message(raw, limits, tree)
        if received is not None:
            message = believed(message, received)
        return Reading(message, tuple(extract(_status_only(message), limits, decisions)))


def _status_only(vm: VendorMessage) -> VendorMessage:
    """The message without its lines written to slipwatch: a command is never a milestone ("slipwatch")."""
    return dataclasses.replace(
        vm,
        subject="" if corrections.is_command(vm.subject) else vm.subject,
        text=corrections.without_commands(vm.text),
        forward_note=corrections.without_commands(vm.forward_note),
    )


def extract_report(raw: bytes, limits: LimitsConfig = LimitsConfig()) -> dict[str, Any]:
    """The `slipwatch extract --json` object for one message (RULES.md).

    A message past a limit still gets its envelope, with the reason under "error"; one read past
    its time, the envelope its header gives (reading it again would take as long).
    """
    try:
        return read(raw, limits).report()
    except MessageError as exc:
        vm = read_header(parse_headers(raw)) if isinstance(exc, ReadingTimedOut) else read_message(raw, limits)
        return {**Reading(vm, ()).report(), "error": str(exc)}


class Pipeline:
    """Takes incoming messages into the store and records what they say."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.max_attempts = config.source.max_attempts

    def accept(self, incoming: Incoming) -> Outcome:
        message_id = header_message_id(incoming.raw)
        where = incoming.location.describe()
        limit = self.config.source.max_message_bytes
        if len(incoming.raw) > limit and not incoming.refused:
            # the sources refuse what they measure as too large before reading it; this holds when the
            # measure was wrong (an IMAP server's RFC822.SIZE): kept where it is, the store keeps its header
            reason = too_large(len(incoming.raw), limit)
            incoming = Incoming(header_block(incoming.raw), incoming.location, refused=reason)
        admission = self.store.admit(incoming.raw, message_id, incoming.location, received=incoming.received)
        if incoming.refused and admission.new:
            self.store.record_failure(admission.id, incoming.refused, attempts=self.max_attempts)
            log.warning("failed %s (message %d): %s", message_id or where, admission.id, incoming.refused)
            return Outcome(admission.id, message_id, "failed", incoming.refused)
        if admission.state == "failed" and admission.attempts >= self.max_attempts:
            # the same bytes again (another empty file, say): still failed, not a duplicate of something recorded
            log.warning("failed %s (message %d, as before; %s)", message_id or where, admission.id, _SHOWS_WHY)
            return Outcome(admission.id, message_id, "failed", admission.error)
        if admission.state not in ("new", "failed") or admission.attempts >= self.max_attempts:
            log.debug("duplicate %s (message %d, %s)", message_id or where, admission.id, admission.state)
            return Outcome(admission.id, message_id, "duplicate")
        return self.process(admission.id, incoming.raw, message_id, admission.attempts, where)

    def resume(self) -> list[Outcome]:
        """Finish messages stored but never read (a crash, or a retry due)."""
        outcomes = []
        for message, attempts in self.store.unfinished(max_attempts=self.max_attempts):
            raw = self.store.raw(message)
            outcomes.append(self.process(message, raw, header_message_id(raw), attempts, self._where(message)))
        return outcomes

    def release(self, message: int, who: str) -> Outcome:
        """Record a quarantined message as if it were trusted: a person vouched for it."""
        row = self.store.conn.execute("SELECT state, attempts FROM messages WHERE id = ?", (message,)).fetchone()
        if row is None or row[0] != "quarantined":
            raise CorrectionError(f"message {message} is not in quarantine; `slipwatch quarantine` lists those that are")
        raw = self.store.raw(message)
        return self.process(
            message, raw, header_message_id(raw), row[1], self._where(message), vouched=f"released by {who}"
        )

    def _where(self, message: int) -> str:
        seen = self.store.location(message)
        return seen.describe() if seen else f"message {message}"

    def process(
        self, message: int, raw: bytes, message_id: str | None, attempts: int, where: str, *,
        vouched: str | None = None,
    ) -> Outcome:
        """Read and record a stored message; `where` names it in the log when it has no Message-ID."""
        label = message_id or where
        try:
            check_is_mail(raw)
            head = parse_headers(raw)
            unread = None if vouched else trust.screen(head, self.config)
            if unread is not None:
                return self._quarantine_unread(message, message_id, label, head, unread)
            reading = read(raw, self.config.limits, received=self.store.received(message))
            vm = reading.message
            assert vm.sent is not None  # believed() gives every message a send time
            verdict = Verdict(True, vouched) if vouched else trust.assess(vm, head, self.config)
            if verdict.trusted and not vm.author:  # trusted without trust checks, or vouched for
                raise MessageError(f"no sender address: {vm.from_problem or 'the From header is missing or unreadable'}")
            # what slipwatch sent itself (a receipt, a digest) coming back to the mailbox is no status nor command
            own = verdict.trusted and receipts.ours(head, self.config)
            staff = verdict.trusted and not own and self._from_staff(vm)
            command = corrections.parse_command(vm.text) if staff else None
            # a staff member's answer to a receipt: its "#12 ..." and "add: ..." lines, never status
            receipt_of = receipts.answered(self.store.conn, vm.references) if staff and command is None else None
            if verdict.trusted:
                vm = self._refuse_commands(vm, applied=command is not None, label=label)
            if own:
                vm = dataclasses.replace(vm, problems=(*vm.problems, _OWN))
            with self.store.transaction() as conn:
                self.store.record_message(conn, message, vm, quarantine=None if verdict.trusted else verdict.reason)
                # a quarantined message is kept and listed, but writes nothing into the schedule
                if not verdict.trusted:
                    self._quarantine_notice(conn, message, head, vm.forwarded_by or vm.author, verdict.reason)
                elif command is not None:
                    corrections.apply_mail(
                        conn, command, message=message, author=vm.author, at=vm.sent, thread=vm.references
                    )
                elif receipt_of is not None:
                    self._answer_receipt(conn, message, head, vm, receipt_of)
                elif not own:
                    recorded = record(conn, self._observation(message, vm, reading.milestones)) \
                        if reading.milestones else []
                    self._receipt(conn, message, head, vm, recorded)
        except StoreError:
            raise  # the database, not the message, is at fault (busy, full): the caller waits and retries
        except CorrectionError as exc:
            return self._refuse(message, message_id, label, raw, vm, exc)
        except Exception as exc:  # one bad message must never stop the daemon
            # our own errors are written for people; anything else is a bug, named by its type
            reason = str(exc) if isinstance(exc, SlipwatchError) else f"{type(exc).__name__}: {exc}"
            final = isinstance(exc, _FOR_GOOD) or attempts + 1 >= self.max_attempts
            self.store.record_failure(message, reason, attempts=self.max_attempts if final else None)
            tries = "not retried" if isinstance(exc, _FOR_GOOD) else f"attempt {attempts + 1} of {self.max_attempts}"
            # our own errors name limits and headers; anything else may quote the mail: its type, and where to look
            logged = reason if isinstance(exc, SlipwatchError) else f"{type(exc).__name__} ({_SHOWS_WHY})"
            log.warning("failed %s (message %d, %s): %s", label, message, tries, logged)
            return Outcome(message, message_id, "failed" if final else "retry", reason)
        if not verdict.trusted:
            log.warning("quarantined %s: %s", label, verdict.reason)
            return Outcome(message, message_id, "quarantined", verdict.reason)
        log.info(
            "processed %s: vendor %s (%s), forwarded by %s, %s",
            label,
            self._vendor(vm.author),
            vm.author,
            vm.forwarded_by or "nobody",
            f"correction: {command.verb}" if command else f"{len(reading.milestones)} milestones",
        )
        return Outcome(message, message_id, "new")

    def _quarantine_unread(
        self, message: int, message_id: str | None, label: str, head: Message, verdict: Verdict
    ) -> Outcome:
        """Record a message its header put in quarantine, as its header tells it: its body is read if
        someone releases it."""
        vm = believed(read_header(head), self.store.received(message))
        with self.store.transaction() as conn:
            self.store.record_message(conn, message, vm, quarantine=verdict.reason)
            self._quarantine_notice(conn, message, head, vm.author, verdict.reason)
        log.warning("quarantined %s, unread: %s", label, verdict.reason)
        return Outcome(message, message_id, "quarantined", verdict.reason)

    def _receipt(
        self, conn: sqlite3.Connection, message: int, head: Message, vm: VendorMessage, recorded: list[Recorded]
    ) -> None:
        """Queue the receipt to the staff member who forwarded the mail, in the transaction that records it."""
        forwarder = vm.forwarded_by if trust.is_staff(vm.forwarded_by, self.config) else None
        assert vm.author is not None and vm.sent is not None
        outbox = receipts.queue(conn, self.config, head, message=message, forwarder=forwarder,
                                vendor=self._vendor(vm.author), author=vm.author, subject=vm.subject, sent=vm.sent,
                                recorded=recorded)
        if outbox:
            log.info("message %d: receipt queued as outbox %d", message, outbox)

    def _answer_receipt(
        self, conn: sqlite3.Connection, message: int, head: Message, vm: VendorMessage, receipt_of: int
    ) -> None:
        """Apply the correction lines of a reply to a receipt, and tell its writer what each did."""
        assert vm.author is not None and vm.sent is not None
        (vendor_author,) = conn.execute("SELECT author FROM messages WHERE id = ?", (receipt_of,)).fetchone()
        vendor = self._vendor(vendor_author or vm.author)
        results = corrections.apply_lines(
            conn, corrections.reply_lines(vm.text), vendor=vendor_id(conn, vendor), about=receipt_of, message=message,
            author=vm.author, at=vm.sent, thread=vm.references,
        )
        receipts.queue_confirmation(conn, self.config, head, message=message, to=vm.author, results=results)
        refused = sum(1 for r in results if r.refused)
        if refused:  # the reasons quote the lines: the answer says which; the log counts them
            log.warning("message %d: %d of %d correction line(s) refused", message, refused, len(results))

    def _quarantine_notice(
        self, conn: sqlite3.Connection, message: int, head: Message, to: str | None, reason: str
    ) -> None:
        """Tell the staff member whose mail is held why, and how to release it (never anyone outside)."""
        receipts.queue_quarantine_notice(conn, self.config, head, message=message, to=to, reason=reason,
                                         staff=trust.is_staff(to, self.config))

    def _refuse(
        self, message: int, message_id: str | None, label: str, raw: bytes, vm: VendorMessage, exc: CorrectionError
    ) -> Outcome:
        """A staff member's correction that cannot be applied fails for good (reading it again gives the
        same answer), and its sender is told why, once: the answer is queued with the failure."""
        reason = f"correction not applied: {exc}"
        with self.store.transaction() as conn:
            self.store.mark_failed(conn, message, reason, attempts=self.max_attempts)
            notice = notices.queue(conn, self.config, message=message, raw=raw, to=vm.author or "",
                                   line=corrections.command_line(vm.text), reason=str(exc))
        # the reason quotes the command line and names milestones: the sender's answer and the store keep it
        log.warning("failed %s (message %d, for good%s): correction not applied (%s)", label, message,
                    f"; answer queued as outbox {notice}" if notice else "", _SHOWS_WHY)
        return Outcome(message, message_id, "failed", reason)

    def _refuse_commands(self, vm: VendorMessage, *, applied: bool, label: str) -> VendorMessage:
        """The message with a note for each line written to slipwatch that is not its applied command."""
        if self._from_staff(vm):
            lines, why = corrections.command_lines(vm.text)[1 if applied else 0:], _NOT_FIRST
        else:
            subject = [vm.subject] if corrections.is_command(vm.subject) else []
            lines, why = [*subject, *corrections.command_lines(vm.text)], _NOT_STAFF.format(author=vm.author)
        notes = [f"refused `{line}`: {why}; the line was not read as status" for line in lines]
        notes += [f"refused `{line}`: {_NOT_FIRST}, not on top of a forward; the line was not read as status"
                  for line in corrections.command_lines(vm.forward_note)]
        if notes:
            # the notes quote the lines, text of a mail: the log only counts them
            log.warning("%s: refused %d slipwatch: line(s) (`slipwatch messages` shows why)", label, len(notes))
        return dataclasses.replace(vm, problems=(*vm.problems, *notes)) if notes else vm

    def _vendor(self, author: str) -> str:
        """The configured vendor the author belongs to, else the author's mail domain."""
        vendor = self.config.vendor_for_address(author)
        return vendor.name if vendor else author.rpartition("@")[2]

    def _from_staff(self, vm: VendorMessage) -> bool:
        """Written to the mailbox by a staff member (not forwarded): it may carry a correction."""
        domain = (vm.author or "").rpartition("@")[2]
        return vm.forwarded_by is None and domain in self.config.organisation.domains

    def _observation(self, message: int, vm: VendorMessage, items: tuple[Milestone, ...]) -> Observation:
        assert vm.author is not None and vm.sent is not None
        return Observation(
            message=message,
            vendor=self._vendor(vm.author),
            author=vm.author,
            sent=vm.sent,
            items=items,
            thread=vm.references,
        )


@dataclass(frozen=True)
class IngestSummary:
    new: int = 0
    quarantined: int = 0
    duplicate: int = 0
    failed: int = 0
    failures: tuple[tuple[str, str], ...] = ()  # (where, why) of each failed message, in order

    def add(self, outcome: Outcome, where: str) -> IngestSummary:
        # a retry is a failure as far as this run is concerned: the reason is recorded
        kind = "failed" if outcome.status == "retry" else outcome.status
        failures = (*self.failures, (where, outcome.error or "")) if kind == "failed" else self.failures
        return dataclasses.replace(self, **{kind: getattr(self, kind) + 1}, failures=failures)


def ingest(pipeline: Pipeline, messages: Iterable[Incoming]) -> IngestSummary:
    """Take every message through the pipeline; one bad message never stops the rest."""
    summary = IngestSummary()
    for incoming in messages:
        summary = summary.add(pipeline.accept(incoming), incoming.location.describe())
    return summary
