"""The daemon: poll the source, take each message through the pipeline, repeat.

SIGINT and SIGTERM ask for a stop; the current message is finished first, so
a stop never leaves a message half-recorded.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import Counter
from dataclasses import dataclass, field

from slipwatch.config import Config
from slipwatch.pipeline import Pipeline
from slipwatch.errors import SourceError
from slipwatch.sources import Source, open_source
from slipwatch.store import Store

log = logging.getLogger(__name__)


@dataclass
class PassSummary:
    """What one pass over the source did, by outcome status."""

    counts: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return ", ".join(f"{n} {status}" for status, n in sorted(self.counts.items())) or "nothing new"


class Service:
    def __init__(self, config: Config, store: Store, source: Source) -> None:
        self.config = config
        self.store = store
        self.source = source
        self.pipeline = Pipeline(store, config)
        self.stop_requested = threading.Event()

    def request_stop(self, signum: int | None = None, frame: object = None) -> None:
        if not self.stop_requested.is_set():
            log.info("stopping after the current message")
        self.stop_requested.set()

    def run(self, *, once: bool = False) -> None:
        for outcome in self.pipeline.resume():
            log.debug("resumed message %d: %s", outcome.message, outcome.status)
        while not self.stop_requested.is_set():
            try:
                summary = self.poll_once()
                log.info("poll: %s; store: %s", summary, self.store.counts())
            except SourceError as exc:
                if once:
                    raise
                log.error("%s", exc)
            if once:
                break
            try:
                # a source that lost its connection waits out its backoff here
                self.source.wait(self.config.source.poll_seconds, self.stop_requested)
            except SourceError as exc:
                log.error("%s", exc)

    def poll_once(self) -> PassSummary:
        summary = PassSummary()
        finished = self.store.known_keys(self.source.name, max_attempts=self.pipeline.max_attempts)
        for incoming in self.source.poll(finished):
            outcome = self.pipeline.accept(incoming)
            summary.counts[outcome.status] += 1
            self.source.settle(incoming, outcome.status)
            if self.stop_requested.is_set():
                break
        return summary


def run(config: Config, *, once: bool = False) -> None:
    """Open the store and the source, then run until stopped (or one pass)."""
    store = Store.open(config.store.path)
    try:
        store.sync_directory(
            [{"name": v.name, "timezone": v.timezone, "domains": v.domains} for v in config.vendors],
            [{"name": t.name, "timezone": t.timezone} for t in config.teams],
        )
        source = open_source(config.source, store)
        service = Service(config, store, source)
        previous = {sig: signal.signal(sig, service.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            service.run(once=once)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            source.close()
    finally:
        store.close()
