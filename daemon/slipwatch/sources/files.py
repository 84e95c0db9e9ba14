"""Mail on disk for `slipwatch ingest`: .eml files, folders of them, Maildirs, mbox files."""

from __future__ import annotations

import logging
import mailbox
from collections.abc import Iterator
from pathlib import Path

from slipwatch.errors import SourceError
from slipwatch.sources import Incoming
from slipwatch.sources.maildir import is_maildir, maildir_messages
from slipwatch.store import Location

log = logging.getLogger(__name__)

SOURCE = "file"


def is_mbox(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"From "


def expand(paths: list[Path]) -> list[Path]:
    """The message files, Maildirs and mbox files named by the arguments, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder")
        if path.is_dir() and not is_maildir(path):
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() == ".eml")
            found.extend(p for p in sorted(path.rglob("*")) if p.is_dir() and is_maildir(p))
        else:
            found.append(path)
    return found


def read_paths(paths: list[Path]) -> Iterator[Incoming]:
    """Every message under the paths; each keyed by its resolved path (and mbox index)."""
    for path in expand(paths):
        resolved = path.resolve()
        if path.is_dir():
            yield from maildir_messages(resolved, source=SOURCE, prefix=f"{resolved}/")
        elif is_mbox(path):
            yield from _mbox(resolved)
        else:
            yield Incoming(path.read_bytes(), Location(source=SOURCE, key=str(resolved)))


def _mbox(path: Path) -> Iterator[Incoming]:
    box = mailbox.mbox(path, create=False)
    try:
        for index, key in enumerate(box.iterkeys()):
            yield Incoming(box.get_bytes(key), Location(source=SOURCE, key=f"{path}#{index}"))
    finally:
        box.close()
