"""The shared IMAP mailbox: fetch what is new, mark what is committed, push by IDLE.

Exactly-once rests on three things:

- a checkpoint per (folder, UIDVALIDITY) in the store: the highest UID whose
  message is committed; a poll fetches only UIDs above it, with BODY.PEEK[]
  so \\Seen is never set (other people read this mailbox too);
- the store's own dedup (Message-ID, else content hash), which makes fetching
  a message twice harmless: after a crash before the checkpoint moved, or
  after a UIDVALIDITY change, when the folder is scanned again from the start;
- marking on the server (a move to ``processed_folder`` or a keyword) only
  after the message's rows are committed. Nothing is ever deleted: without
  MOVE, a message is copied, flagged \\Deleted and removed by UID EXPUNGE,
  which touches that UID only.

The connection is watched: IDLE is ended and a NOOP sent every
``poll_seconds``, so a connection that died silently is noticed; a lost
connection is retried with capped exponential backoff and jitter, and a
refused login far more slowly, so a wrong password never turns into a tight
loop of failed logins.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import imapclient
from imapclient.exceptions import LoginError

from slipwatch import credentials
from slipwatch.config import SourceConfig
from slipwatch.errors import SourceError
from slipwatch.retry import backoff
from slipwatch.sources import RECORDED, Incoming, too_large
from slipwatch.store import Location, Store

log = logging.getLogger(__name__)

#: RFC 2177 servers may drop an IDLE after 30 minutes; re-issue well before.
IDLE_MAX_SECONDS = 25 * 60
RETRY_BASE_SECONDS = 1.0
RETRY_CAP_SECONDS = 300.0
LOGIN_RETRY_BASE_SECONDS = 60.0
LOGIN_RETRY_CAP_SECONDS = 3600.0

NETWORK_ERRORS = (imaplib.IMAP4.error, OSError, EOFError)

DEFAULT_PORTS = {"implicit": 993, "starttls": 143, "none": 143}


class ImapSource:
    """The daemon's IMAP source for one folder."""

    def __init__(
        self,
        config: SourceConfig,
        store: Store,
        *,
        client_factory: Callable[..., Any] = imapclient.IMAPClient,
    ) -> None:
        assert config.host and config.username  # the config loader requires both for imap
        self.config = config
        self.store = store
        self.client_factory = client_factory
        self.port = config.port or DEFAULT_PORTS[config.tls]
        self.name = f"imap:{config.username}@{config.host}:{self.port}"
        self.client: Any = None
        self.uidvalidity = 0
        self.uidnext = 1
        self.failures = 0
        self.login_refused = False
        self.commands = 0  # IMAP commands sent since connecting, for the benchmark and tests

    # -- connection ------------------------------------------------------------

    def open(self) -> None:
        """Connect, log in and select the folder; SourceError with the reason when that fails."""
        try:
            self._connect()
        except SourceError:
            self._lost(None)
            raise
        except NETWORK_ERRORS as exc:
            self._lost(exc)
            raise SourceError(self._describe(exc)) from exc
        self.failures = 0
        self.login_refused = False

    def _ssl_context(self) -> ssl.SSLContext:
        cafile = str(self.config.ca_file) if self.config.ca_file else None
        return ssl.create_default_context(cafile=cafile)

    def _connect(self) -> None:
        c = self.config
        timeout = imapclient.SocketTimeout(connect=min(15, c.timeout_seconds), read=c.timeout_seconds)
        implicit = c.tls == "implicit"
        client = self.client_factory(
            c.host, port=self.port, ssl=implicit, ssl_context=self._ssl_context() if implicit else None, timeout=timeout
        )
        self.client = client
        if c.tls == "starttls":
            client.starttls(self._ssl_context())
        secret = credentials.fetch(c, "source")
        try:
            self._login(client, secret)
        except LoginError:
            if secret.kind != "oauth2":
                raise
            # an expired token: the command is asked for a fresh one, once
            self._login(client, credentials.fetch(c, "source"))
        self.commands = 0
        try:
            info = client.select_folder(c.folder)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            raise SourceError(f"{self.name}: source.folder: cannot select {c.folder!r} ({exc})") from exc
        self.uidvalidity = int(info[b"UIDVALIDITY"])
        self.uidnext = int(info.get(b"UIDNEXT", 1))
        if c.processed_folder and not client.folder_exists(c.processed_folder):
            try:
                client.create_folder(c.processed_folder)
            except imaplib.IMAP4.abort:
                raise
            except imaplib.IMAP4.error as exc:
                raise SourceError(
                    f"{self.name}: source.processed_folder: cannot create {c.processed_folder!r} ({exc}); "
                    "create it by hand or name another (the hierarchy separator differs between servers)"
                ) from exc
        log.info(
            "connected to %s (folder %s, UIDVALIDITY %d, %d messages)",
            self.name, c.folder, self.uidvalidity, info.get(b"EXISTS", 0),
        )

    def _login(self, client: Any, secret: credentials.Secret) -> None:
        if secret.kind == "oauth2":
            client.oauth2_login(self.config.username, secret.value)
        else:
            client.login(self.config.username, secret.value)

    def _lost(self, exc: BaseException | None) -> None:
        self.failures += 1
        self.login_refused = isinstance(exc, LoginError)
        client, self.client = self.client, None
        if client is not None:
            try:
                client.shutdown()
            except Exception:  # the connection is already gone; nothing to release
                pass

    def _describe(self, exc: BaseException) -> str:
        if isinstance(exc, LoginError):
            return (
                f"{self.name}: login as {self.config.username!r} refused by the server ({exc}); "
                "check source.username and the password source; retrying slowly"
            )
        if isinstance(exc, ssl.SSLError):
            return f"{self.name}: TLS failed ({exc}); check source.tls and source.ca_file"
        if isinstance(exc, (ConnectionRefusedError, socket.gaierror, TimeoutError)):
            return f"{self.name}: cannot connect ({exc}); check source.host and source.port"
        return f"{self.name}: connection lost ({type(exc).__name__}: {exc})"

    def retry_delay(self) -> float:
        if self.login_refused:
            return backoff(self.failures, LOGIN_RETRY_BASE_SECONDS, LOGIN_RETRY_CAP_SECONDS)
        return backoff(self.failures, RETRY_BASE_SECONDS, RETRY_CAP_SECONDS)

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.logout()
            except NETWORK_ERRORS:
                pass
            self.client = None

    def _call(self, method: str, *args: Any) -> Any:
        """One IMAP command; a network failure drops the connection and becomes SourceError."""
        if self.client is None:
            self.open()
        self.commands += 1
        try:
            return getattr(self.client, method)(*args)
        except NETWORK_ERRORS as exc:
            self._lost(exc)
            raise SourceError(self._describe(exc)) from exc

    # -- fetching --------------------------------------------------------------

    def _start_uid(self) -> int:
        """The UID after which to fetch: the checkpoint, or what the backlog policy says."""
        known = self.store.checkpoints(self.name, self.config.folder)
        if self.uidvalidity in known:
            return known[self.uidvalidity]
        if known:
            log.warning(
                "%s: UIDVALIDITY of %s changed (%s -> %d); scanning the folder again, duplicates are skipped",
                self.name, self.config.folder, ", ".join(map(str, sorted(known))), self.uidvalidity,
            )
            return 0
        backlog = self.config.backlog
        if backlog == "all":
            return 0
        start = self.uidnext - 1
        if backlog.startswith("since:"):
            # SEARCH SINCE takes an IMAP date; no CHARSET argument is ever sent (Outlook rejects some)
            since = dt.date.fromisoformat(backlog[6:])
            newer = self._call("search", ["SINCE", since])
            start = min(newer) - 1 if newer else start
        self.store.set_checkpoint(self.name, self.config.folder, self.uidvalidity, start)
        return start

    def poll(self, skip: object = ()) -> Iterator[Incoming]:
        """Messages above the checkpoint, in UID order, fetched in batches."""
        if self.client is None:
            self.open()
        start = self._start_uid()
        uids = sorted(u for u in self._call("search", ["UID", f"{start + 1}:*"]) if u > start)
        size = self.config.batch_size
        for i in range(0, len(uids), size):
            yield from self._batch(uids[i : i + size])

    def _batch(self, uids: list[int]) -> Iterator[Incoming]:
        """The messages of `uids`, in order. Their sizes are asked first: a message over the limit
        is refused with its header alone fetched, and the others are fetched in runs of at most the
        limit in all (200 messages of 20 MB each would be 4 GB in one FETCH)."""
        limit = self.config.max_message_bytes
        asked = self._call("fetch", uids, ["RFC822.SIZE", "INTERNALDATE"])
        sizes = {uid: found.get(b"RFC822.SIZE", 0) for uid, found in asked.items()}
        large = [u for u in uids if sizes.get(u, 0) > limit]
        heads = self._call("fetch", large, ["BODY.PEEK[HEADER]"]) if large else {}
        runs = _runs([u for u in uids if u in sizes and u not in heads and sizes[u] <= limit], sizes, limit)
        bodies: dict[int, Any] = {}
        for uid in uids:
            location = Location(self.name, str(uid), self.config.folder, self.uidvalidity, uid)
            if runs and uid == runs[0][0]:
                bodies = self._call("fetch", runs.pop(0), ["BODY.PEEK[]"])
            if uid in bodies:
                yield Incoming(bodies.pop(uid)[b"BODY[]"], location, received=_arrived(asked[uid]))
            elif uid in heads:
                reason = too_large(sizes[uid], limit) + "; left on the server"
                yield Incoming(heads[uid][b"BODY[HEADER]"], location, refused=reason)

    def settle(self, incoming: Incoming, status: str) -> None:
        """After the message's rows are committed: mark it on the server, move the checkpoint."""
        uid = incoming.location.uid
        assert uid is not None
        if status in RECORDED:
            self._mark(uid)
        # failures are retried from the stored bytes, so the checkpoint passes them too
        self.store.set_checkpoint(self.name, self.config.folder, incoming.location.uidvalidity, uid)

    def _mark(self, uid: int) -> None:
        c = self.config
        if c.processed_folder:
            if self.client is not None and self.client.has_capability("MOVE"):
                self._call("move", [uid], c.processed_folder)
            else:
                self._call("copy", [uid], c.processed_folder)
                self._call("add_flags", [uid], [imapclient.DELETED])
                self._call("uid_expunge", [uid])
        elif c.processed_keyword:
            self._call("add_flags", [uid], [c.processed_keyword])

    # -- waiting ---------------------------------------------------------------

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """Until new mail may be there, `seconds` pass, or a stop is asked for."""
        if self.client is None:
            delay = self.retry_delay()
            log.info("%s: reconnecting in %.0f s", self.name, delay)
            stop.wait(delay)
            return
        if self.config.idle and self.client.has_capability("IDLE"):
            self._idle(min(seconds, IDLE_MAX_SECONDS), stop)
        else:
            stop.wait(seconds)
        self._call("noop")  # liveness: a dead connection fails here, not silently

    def _idle(self, seconds: float, stop: threading.Event) -> None:
        deadline = time.monotonic() + seconds
        self._call("idle")
        try:
            while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
                # short checks so that a stop request is seen within a second
                responses = self.client.idle_check(timeout=min(1.0, left))
                if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                    break
        except NETWORK_ERRORS as exc:
            self._lost(exc)
            raise SourceError(self._describe(exc)) from exc
        self._call("idle_done")


def _arrived(item: dict[bytes, Any]) -> dt.datetime | None:
    """When the server received the message (INTERNALDATE), aware; imapclient gives it in local time."""
    moment = item.get(b"INTERNALDATE")
    return moment.astimezone(dt.UTC) if isinstance(moment, dt.datetime) else None


def _runs(uids: list[int], sizes: dict[int, int], limit: int) -> list[list[int]]:
    """`uids` in order, cut into runs whose sizes add up to at most `limit` (each message is within it)."""
    runs: list[list[int]] = []
    total = limit + 1  # so that the first message starts a run
    for uid in uids:
        if total + sizes[uid] > limit:
            runs.append([])
            total = 0
        runs[-1].append(uid)
        total += sizes[uid]
    return runs


def open_imap(config: SourceConfig, store: Store) -> ImapSource:
    source = ImapSource(config, store)
    try:
        source.open()
    except SourceError as exc:
        # the daemon starts anyway and keeps retrying; the reason is in the log
        log.error("%s", exc)
    return source
