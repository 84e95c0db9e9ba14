"""A Maildir watched by the daemon (the demo's inbox, or a local delivery target).

A message is left in ``new/`` until its rows are committed; ``done()`` then
moves it to ``cur/``, as a mail client does with mail it has read. Nothing is
ever deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Container, Iterator
from pathlib import Path

from slipwatch import clock
from slipwatch.config import SourceConfig
from slipwatch.errors import SourceError
from slipwatch.sources import RECORDED, Incoming, read_file, timeshift
from slipwatch.store import Location

log = logging.getLogger(__name__)

SUBDIRS = ("new", "cur", "tmp")


def is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in SUBDIRS)


def unique_name(index: int) -> str:
    return f"{time.time_ns()}.P{os.getpid()}Q{index}.{socket.gethostname()}"


def entry_key(name: str) -> str:
    """The part of a Maildir file name that stays when flags change."""
    return name.split(":", 1)[0]


def maildir_messages(
    path: Path, *, source: str, limit: int, skip: Container[str] = (), prefix: str = ""
) -> Iterator[Incoming]:
    """Messages of new/ then cur/, oldest name first, minus the keys in `skip`; those over `limit`
    bytes refused unread.

    Both folders are listed before the first message is handed out: a
    message settled meanwhile moves from new/ to cur/ and must not be seen twice.
    """
    # those in `skip` left out before sorting: on an idle poll that is every one, and a Maildir keeps years of them
    entries = [e for sub in ("new", "cur")
               for e in sorted((e for e in os.scandir(path / sub) if entry_key(e.name) not in skip),
                               key=lambda e: e.name)]
    for entry in entries:
        key = entry_key(entry.name)
        if not entry.is_file():
            continue
        try:
            incoming = read_file(Path(entry.path), Location(source=source, key=prefix + key), limit, delivered=True)
        except FileNotFoundError:  # moved by another reader meanwhile
            continue
        yield incoming


class MaildirSource:
    """The daemon's Maildir source.

    A new Maildir is filled from `seed` once; with `recent`, the seed mail is
    first moved by whole weeks so that its newest is less than a week old
    (the demo's sample mail tells its story on any day).
    """

    def __init__(self, path: Path, seed: Path | None = None, *, recent: bool = False,
                 limit: int = SourceConfig.max_message_bytes) -> None:
        self.path = path
        self.seed = seed
        self.recent = recent
        self.limit = limit
        self.name = f"maildir:{path}"

    def open(self) -> None:
        """Create the Maildir if needed; a new one is filled from `seed` once."""
        fresh = not self.path.exists()
        try:
            for sub in SUBDIRS:
                (self.path / sub).mkdir(parents=True, exist_ok=True)
            if fresh and self.seed is not None:
                self._fill_from(self.seed)
        except OSError as exc:
            raise SourceError(f"{self.path}: cannot create the Maildir: {exc}") from exc
        if not is_maildir(self.path):
            raise SourceError(f"{self.path}: not a Maildir (needs new/, cur/ and tmp/ folders)")

    def _fill_from(self, seed: Path) -> None:
        if not seed.is_dir():
            raise SourceError(f"{seed}: the seed folder does not exist (source.seed)")
        mails = [path.read_bytes() for path in sorted(seed.glob("*.eml"))]
        newest = timeshift.newest(mails) if self.recent else None
        if newest is not None:
            weeks = timeshift.weeks_to(newest, clock.now())
            mails = [timeshift.shift(raw, weeks) for raw in mails]
            log.info("seed mail moved by %+d weeks: the newest is from %s", weeks, newest + weeks * timeshift.WEEK)
        arrived = clock.now().timestamp()  # the file's time is when a mail arrived: now, by slipwatch's clock
        for index, raw in enumerate(mails):
            tmp = self.path / "tmp" / unique_name(index)
            tmp.write_bytes(raw)
            os.utime(tmp, (arrived, arrived))
            tmp.rename(self.path / "new" / tmp.name)
        log.info("seeded %s from %s", self.path, seed)

    def poll(self, skip: Container[str]) -> Iterator[Incoming]:
        """Every message not in `skip` (keys the store has finished with)."""
        return maildir_messages(self.path, source=self.name, limit=self.limit, skip=skip)

    def settle(self, incoming: Incoming, status: str) -> None:
        """After its rows are committed, a message is marked read: new/NAME -> cur/NAME:2,

        A failed one stays in new/, where people look for unread mail.
        """
        new = self.path / "new" / incoming.location.key
        if status in RECORDED and new.exists():
            new.rename(self.path / "cur" / f"{incoming.location.key}:2,")

    def wait(self, seconds: float, stop: threading.Event) -> None:
        stop.wait(seconds)

    def close(self) -> None:
        """Nothing to release: a Maildir holds no connection."""
