"""Where raw mail comes from: files and folders, a Maildir, an IMAP mailbox.

A source hands out :class:`Incoming` messages and is told, through
``done()``, once a message's rows are committed; only then may it mark the
message processed on its side.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Container, Iterator
from dataclasses import dataclass
from typing import Protocol

from slipwatch.config import SourceConfig
from slipwatch.store import Location, Store


#: Outcomes after which a message's rows are committed and it may be marked processed at its source.
RECORDED = frozenset({"new", "quarantined", "duplicate"})


@dataclass(frozen=True)
class Incoming:
    """A message as a source hands it over.

    `refused` is set when the source would not read the whole message (too
    large): `raw` then holds what it did read (the header), and the message
    is recorded as failed for good with that reason. `received` is when the
    mail arrived, where the source can tell (a Maildir file's delivery, IMAP
    INTERNALDATE); else it arrived when it was read.
    """

    raw: bytes
    location: Location
    refused: str | None = None
    received: dt.datetime | None = None


class Source(Protocol):
    """What the daemon needs of a source."""

    name: str

    def poll(self, skip: Container[str]) -> Iterator[Incoming]:
        """New messages, minus the keys in `skip` that the store has finished with."""

    def settle(self, incoming: Incoming, status: str) -> None:
        """Called once the message's outcome is committed: one of RECORDED, or "failed" or "retry"."""

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """Block until new mail may be there, `seconds` pass, or `stop` is set."""

    def close(self) -> None: ...


def open_source(config: SourceConfig, store: Store) -> Source:
    """The daemon's source for a config's [source] section, ready to poll."""
    from slipwatch.sources.imap import open_imap
    from slipwatch.sources.maildir import MaildirSource

    if config.kind == "imap":
        return open_imap(config, store)
    assert config.path is not None  # the config loader requires it for maildir
    source = MaildirSource(config.path, config.seed, recent=config.seed_recent)
    source.open()
    return source
