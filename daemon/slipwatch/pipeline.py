"""One message through the stages: store the raw bytes, read, record.

The raw bytes are committed first, on their own, so nothing received is ever
lost; reading and recording then happen in one transaction, so a message is
either fully recorded or still 'new'. A message that cannot be read is kept,
marked with the reason, and retried up to ``max_attempts`` times; nothing a
message contains can raise out of here.
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from slipwatch.config import Config
from slipwatch.errors import MessageError
from slipwatch.mail import read_message
from slipwatch.sources import Incoming
from slipwatch.store import Store

log = logging.getLogger(__name__)

_HEADERS = email.parser.BytesHeaderParser(policy=email.policy.compat32)
_MSGID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class Outcome:
    """What happened to one incoming message."""

    message: int
    message_id: str | None
    status: str  # "new" (recorded now), "duplicate", "failed" (for good), "retry" (failed, tried again later)
    error: str | None = None


def header_message_id(raw: bytes) -> str | None:
    """The Message-ID header's <id>, or None when missing or unreadable."""
    try:
        value = _HEADERS.parsebytes(raw).get("Message-ID")
    except Exception:  # compat32 is lenient; anything else means no usable id
        return None
    match = _MSGID.search(str(value or ""))
    return match.group(0) if match else None


def extract_report(raw: bytes) -> dict[str, Any]:
    """The `slipwatch extract --json` object for one message (RULES.md)."""
    message = read_message(raw)
    report: dict[str, Any] = {**message.envelope(), "milestones": []}
    if message.problems:
        report["problems"] = list(message.problems)
    return report


class Pipeline:
    """Takes incoming messages into the store and records what they say."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.max_attempts = config.source.max_attempts

    def accept(self, incoming: Incoming) -> Outcome:
        message_id = header_message_id(incoming.raw)
        admission = self.store.admit(incoming.raw, message_id, incoming.location)
        if incoming.refused and admission.new:
            self.store.record_failure(admission.id, incoming.refused, attempts=self.max_attempts)
            log.warning("failed %s (message %d): %s", message_id or "(no Message-ID)", admission.id, incoming.refused)
            return Outcome(admission.id, message_id, "failed", incoming.refused)
        if admission.state not in ("new", "failed") or admission.attempts >= self.max_attempts:
            log.debug("duplicate %s (message %d, %s)", message_id, admission.id, admission.state)
            return Outcome(admission.id, message_id, "duplicate")
        return self.process(admission.id, incoming.raw, message_id, admission.attempts)

    def resume(self) -> list[Outcome]:
        """Finish messages stored but never read (a crash, or a retry due)."""
        outcomes = []
        for message, attempts in self.store.unfinished(max_attempts=self.max_attempts):
            raw = self.store.raw(message)
            outcomes.append(self.process(message, raw, header_message_id(raw), attempts))
        return outcomes

    def process(self, message: int, raw: bytes, message_id: str | None, attempts: int) -> Outcome:
        try:
            report = extract_report(raw)
            if not report["from"]:
                raise MessageError("no sender address: the From header is missing or unreadable")
            with self.store.transaction() as conn:
                self.store.record_envelope(conn, message, report)
        except Exception as exc:  # one bad message must never stop the daemon
            reason = f"{type(exc).__name__}: {exc}"
            final = attempts + 1 >= self.max_attempts
            self.store.record_failure(message, reason)
            log.warning(
                "failed %s (message %d, attempt %d of %d): %s",
                message_id or "(no Message-ID)", message, attempts + 1, self.max_attempts, reason,
            )
            return Outcome(message, message_id, "failed" if final else "retry", reason)
        vendor = self.config.vendor_for_address(report["from"])
        log.info(
            "processed %s: vendor %s (%s), forwarded by %s, %d milestones",
            message_id or "(no Message-ID)",
            vendor.name if vendor else "unknown",
            report["from"],
            report["forwarded_by"] or "nobody",
            len(report["milestones"]),
        )
        return Outcome(message, message_id, "new")


@dataclass(frozen=True)
class IngestSummary:
    new: int = 0
    duplicate: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> IngestSummary:
        # a retry is a failure as far as this run is concerned: the reason is recorded
        kind = "failed" if outcome.status == "retry" else outcome.status
        return dataclasses.replace(self, **{kind: getattr(self, kind) + 1})


def ingest(pipeline: Pipeline, messages: Iterable[Incoming]) -> IngestSummary:
    """Take every message through the pipeline; one bad message never stops the rest."""
    summary = IngestSummary()
    for incoming in messages:
        summary = summary.add(pipeline.accept(incoming))
    return summary
