"""The daemon: poll the source, take each message through the pipeline, repeat.

SIGINT and SIGTERM ask for a stop; the current message is finished first, so
a stop never leaves a message half-recorded. Under systemd the loop reports
READY once the store is open and the source connected, a STATUS line after
each poll, and WATCHDOG pings only while it makes progress, so a read that
hangs gets the service restarted.

The calendar feeds are rendered at start, after a pass that recorded mail and
once a minute otherwise (overdue comes with the clock), and served over HTTP
while the daemon runs; after each poll the digests and alerts that are due are
queued and the outbox delivered (slipwatch.publish).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from slipwatch import clock, credentials
from slipwatch.config import Config
from slipwatch.errors import FeedError, SourceError, StoreError
from slipwatch.notify import Notifier
from slipwatch.pipeline import Pipeline
from slipwatch.publish import dispatch, outbox
from slipwatch.publish.publisher import Publisher
from slipwatch.sources import Source, open_source
from slipwatch.store import Store, open_store

log = logging.getLogger(__name__)


@dataclass
class PassSummary:
    """What one pass over the source did, by outcome status."""

    counts: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return counted(self.counts) or "nothing new"


def counted(counts: Mapping[str, int]) -> str:
    """Counts by state in words, for the log and systemctl status: "12 processed, 1 failed"."""
    most_first = sorted(counts.items(), key=lambda c: (-c[1], c[0]))
    return ", ".join(f"{n} {state}" for state, n in most_first if n)


class Service:
    def __init__(
        self, config: Config, store: Store, source: Source, notifier: Notifier | None = None,
        publisher: Publisher | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.source = source
        self.publisher = publisher
        self.pipeline = Pipeline(store, config)
        self.stop_requested = threading.Event()
        self.notifier = notifier or Notifier()
        self.last_ping = 0.0

    def request_stop(self, signum: int | None = None, frame: object = None) -> None:
        if not self.stop_requested.is_set():
            log.info("stopping after the current message")
            self.notifier.stopping()
        self.stop_requested.set()

    def alive(self, *, force: bool = False) -> None:
        """A watchdog ping, at most every third of the watchdog interval, while the loop makes progress."""
        interval = self.notifier.watchdog_seconds
        if interval is not None and (force or time.monotonic() - self.last_ping >= interval / 3):
            self.notifier.watchdog()
            self.last_ping = time.monotonic()

    def run(self, *, once: bool = False) -> None:
        resumed = self.pipeline.resume()
        for outcome in resumed:
            log.debug("resumed message %d: %s", outcome.message, outcome.status)
        self.refresh_feeds(recorded=any(o.status == "new" for o in resumed))
        self.notifier.ready(f"watching {self.source.name}")
        while not self.stop_requested.is_set():
            try:
                summary = self.poll_once()
                stored = counted(self.store.counts()) or "empty"
                # an idle poll every few seconds would flood the journal: those are for debugging
                log.log(logging.INFO if summary.counts else logging.DEBUG, "poll: %s; store: %s", summary, stored)
                self.refresh_feeds(recorded=summary.counts["new"] > 0)
                self.send_digests()
                self.notifier.status(f"last poll {clock.now():%Y-%m-%d %H:%M:%S %Z}: {summary}; store: {stored}")
            except (SourceError, StoreError) as exc:
                # an outage of the mailbox or of the database (locked, disk full): nothing was
                # marked processed, so waiting and polling again loses nothing
                if once:
                    raise
                log.error("%s", exc)
                self.notifier.status(f"waiting, then retrying: {exc}")
            # the iteration came back (a handled outage included): the loop is not hung
            self.alive(force=True)
            if once:
                break
            try:
                # a source that lost its connection waits out its backoff here
                self.source.wait(self.config.source.poll_seconds, self.stop_requested)
            except SourceError as exc:
                log.error("%s", exc)

    def refresh_feeds(self, *, recorded: bool) -> None:
        """Feeds change with recorded mail and with the clock; one that cannot be written waits for the next."""
        if self.publisher is None:
            return
        try:
            self.publisher.refresh(force=recorded)
        except FeedError as exc:
            log.error("%s", exc)

    def send_digests(self) -> None:
        """Queue the digests and alerts that are due, then deliver the outbox (retries included)."""
        if self.config.smtp is None:
            return
        now = clock.now()
        try:
            dispatch.queue_due(self.store, self.config, now, self.publisher.views if self.publisher else None)
            outbox.deliver(self.store, outbox.sender_for(self.config.smtp), now)
        except Exception:  # a digest that cannot be built must not stop mail from being read
            log.exception("digests could not be queued or sent; trying again after the next poll")

    def poll_once(self) -> PassSummary:
        summary = PassSummary()
        finished = self.store.known_keys(self.source.name, max_attempts=self.pipeline.max_attempts)
        for incoming in self.source.poll(finished):
            outcome = self.pipeline.accept(incoming)
            summary.counts[outcome.status] += 1
            self.source.settle(incoming, outcome.status)
            self.alive()
            if self.stop_requested.is_set():
                break
        return summary


def run(config: Config, *, once: bool = False) -> None:
    """Open the store and the source, then run until stopped (or one pass)."""
    for warning in credentials.exposed(config):
        log.warning("%s", warning)
    store = open_store(config)
    try:
        source = open_source(config.source, store)
        publisher = Publisher(config, store, serve=not once)  # a single pass only writes the feed files
        service = Service(config, store, source, publisher=publisher)
        previous = {sig: signal.signal(sig, service.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            publisher.start()
            service.run(once=once)
        finally:
            publisher.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            source.close()
    finally:
        store.close()
