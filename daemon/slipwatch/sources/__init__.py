"""Where raw mail comes from: files and folders, a Maildir, an IMAP mailbox.

A source hands out :class:`Incoming` messages and is told, through
``done()``, once a message's rows are committed; only then may it mark the
message processed on its side.

Every source learns a message's size before it reads it (the file's size, the
span of an mbox, the server's RFC822.SIZE): a message over
``source.max_message_bytes`` is handed out refused, with its header block
alone read, so that no mail, however large, is ever held in memory whole.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

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


#: of a refused message, at most this much is read: enough for its header block, which names and dates it
HEAD_BYTES = 256 * 1024


def too_large(size: int, limit: int) -> str:
    """Why a message of `size` bytes is refused."""
    return f"message is {size} bytes, over source.max_message_bytes = {limit}"


def header_block(data: bytes) -> bytes:
    """The header block at the start of a message's bytes, without the blank line that ends it."""
    return data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]


def read_within(f: BinaryIO, size: int, location: Location, limit: int,
                received: dt.datetime | None = None) -> Incoming:
    """The message of `size` bytes where `f` stands: read when within `limit`, else refused with
    its header block alone read (a 400 MiB file must not become 400 MiB of memory)."""
    if size > limit:
        return Incoming(header_block(f.read(min(size, HEAD_BYTES))), location, refused=too_large(size, limit),
                        received=received)
    return Incoming(f.read(size), location, received=received)


def read_file(path: Path, location: Location, limit: int, *, delivered: bool = False) -> Incoming:
    """A message file, its size taken from the open file before a byte of it is read. A `delivered`
    file (a Maildir's) arrived when it was written: a delivery agent writes it once, as the mail
    arrives; a file someone saved says nothing of when the mail arrived."""
    with path.open("rb") as f:
        stat = os.fstat(f.fileno())
        arrived = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC) if delivered else None
        return read_within(f, stat.st_size, location, limit, arrived)


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
    source = MaildirSource(config.path, config.seed, recent=config.seed_recent, limit=config.max_message_bytes)
    source.open()
    return source
