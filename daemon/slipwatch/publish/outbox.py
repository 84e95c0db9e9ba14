"""The outbox: digests and alerts queued in SQLite, delivered once.

A mail is queued with its Message-ID fixed, in the transaction that decides
to send it. The sender marks a row sent only after the SMTP server accepted
it (or the .eml file is in place, for `kind = "outbox"`); a failure is kept
with the reason and retried with backoff. A sender holds a row while it sends
it, so the daemon and `slipwatch digest send` running at once never both send it. The one window in which a crash can
send a mail twice is between the server's acceptance and the commit that
marks the row sent: the mail then goes out again after the restart, with the
same Message-ID, which mail clients show as one message.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import smtplib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

from pathlib import Path

from slipwatch.config import SmtpConfig
from slipwatch.publish import smtp
from slipwatch.retry import backoff
from slipwatch.store import Store
from slipwatch.clock import utcnow

log = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 60.0
RETRY_CAP_SECONDS = 3600.0
#: How long a sender holds a row it is sending: the daemon and `digest send` may deliver at once.
CLAIM_SECONDS = 600


@dataclass(frozen=True)
class Queued:
    id: int
    team: str
    kind: str
    message_id: str
    recipients: tuple[str, ...]
    raw: bytes
    attempts: int


def enqueue(conn, *, team: str, period: str, kind: str, message_id: str, recipients: Sequence[str], raw: bytes) -> int:
    """Queue a mail inside the caller's transaction; returns its outbox id."""
    return conn.execute(
        "INSERT INTO outbox (team, period, kind, message_id, recipients, raw, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (team, period, kind, message_id, ",".join(recipients), raw, utcnow()),
    ).lastrowid


def pending(store: Store, now: dt.datetime) -> list[Queued]:
    rows = store.conn.execute(
        "SELECT id, team, kind, message_id, recipients, raw, attempts FROM outbox"
        " WHERE sent_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id",
        (_iso(now),),
    )
    return [Queued(r[0], r[1], r[2], r[3], tuple(filter(None, r[4].split(","))), r[5], r[6]) for r in rows]


def rows(store: Store) -> list[dict]:
    """Every outbox row, newest first, for `slipwatch outbox`."""
    return list(store.db.query(
        "SELECT id, team, kind, period, message_id, recipients, created_at, sent_at, attempts, last_error,"
        " next_attempt_at FROM outbox ORDER BY id DESC"
    ))


def retry_now(store: Store) -> int:
    """Make every unsent row due at once (after fixing the SMTP settings, say)."""
    with store.transaction() as conn:
        return conn.execute("UPDATE outbox SET next_attempt_at = NULL WHERE sent_at IS NULL").rowcount


class Sender:
    """Delivers a queued mail; raises on failure."""

    def send(self, mail: Queued) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release a connection, if any."""


class SmtpSender(Sender):
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.client: smtplib.SMTP | None = None

    def send(self, mail: Queued) -> None:
        if self.client is None:
            self.client = smtp.connect(self.config)
        assert self.config.from_  # required for kind = "smtp"
        refused = self.client.sendmail(self.config.from_, list(mail.recipients), mail.raw)
        if refused:
            log.warning("outbox %d: some recipients refused: %s", mail.id, sorted(refused))

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except smtplib.SMTPException:
                pass
            self.client = None


class FolderSender(Sender):
    """Writes each mail as an .eml file named by its Message-ID (the demo's outbox)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []  # the files this sender wrote, for the person who asked

    def send(self, mail: Queued) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the files are 0600 (mkstemp)
        path = self.folder / (re.sub(r"[^A-Za-z0-9._-]+", "_", mail.message_id.strip("<>")) + ".eml")
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(mail.raw)
        os.replace(tmp, path)  # the same Message-ID again replaces, never duplicates
        self.written.append(path)


def sender_for(config: SmtpConfig) -> Sender:
    if config.kind == "smtp":
        return SmtpSender(config)
    assert config.outbox_path is not None
    return FolderSender(config.outbox_path)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _claim(store: Store, mail: Queued, now: dt.datetime) -> bool:
    """Hold a row while sending it, so that a second sender (the CLI beside the daemon) skips it.

    The hold is a next attempt some minutes away: if this process dies while
    sending, the row falls due again then, with the same Message-ID.
    """
    with store.transaction() as conn:
        return conn.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND sent_at IS NULL"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
            (_iso(now + dt.timedelta(seconds=CLAIM_SECONDS)), mail.id, _iso(now)),
        ).rowcount == 1


def deliver(store: Store, sender: Sender, now: dt.datetime) -> tuple[int, int]:
    """Send what is due; returns (sent, failed). A row is marked sent only after it was accepted."""
    sent = failed = 0
    try:
        for mail in pending(store, now):
            if not _claim(store, mail, now):
                continue  # another sender took it meanwhile
            try:
                sender.send(mail)
            except (OSError, smtplib.SMTPException) as exc:
                failed += 1
                sender.close()  # a fresh connection for the next attempt
                delay = backoff(mail.attempts + 1, RETRY_BASE_SECONDS, RETRY_CAP_SECONDS)
                with store.transaction() as conn:
                    conn.execute(
                        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                        (f"{type(exc).__name__}: {exc}", _iso(now + dt.timedelta(seconds=delay)), mail.id),
                    )
                log.warning("outbox %d (%s) not sent, retry in %.0f s: %s", mail.id, mail.message_id, delay, exc)
                continue
            with store.transaction() as conn:
                conn.execute(
                    "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                    (utcnow(), mail.id),
                )
            sent += 1
            log.info("outbox %d sent: %s %s to %s", mail.id, mail.kind, mail.message_id, ", ".join(mail.recipients))
    finally:
        sender.close()
    return sent, failed


