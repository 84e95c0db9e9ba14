"""Mail on disk for `slipwatch ingest`: .eml files, folders of them, Maildirs, mbox files.

Each message's size is known before it is read (the file's, or its span of
the mbox), so that one over the limit is refused unread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from slipwatch.errors import SourceError
from slipwatch.sources import Incoming, read_file, read_within
from slipwatch.sources.maildir import is_maildir, maildir_messages
from slipwatch.store import Location

log = logging.getLogger(__name__)

SOURCE = "file"


@dataclass(frozen=True)
class Expansion:
    """What the arguments name: the paths to read, and the files left alone, each with why."""

    paths: tuple[Path, ...]
    # (resolved path, why), as messages are named: files in a folder that are not .eml files,
    # and files meant to be read that cannot be
    skipped: tuple[tuple[Path, str], ...] = ()
    unreadable: tuple[tuple[Path, str], ...] = ()


def is_mbox(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"From "


def expand(paths: list[Path]) -> Expansion:
    """The message files, Maildirs and mbox files named by the arguments, in a stable order.

    A folder gives its .eml files and Maildirs, at any depth; its other files
    are skipped (named, with why). A file named as an argument is read whatever its name.
    """
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder")
        if not path.is_dir() or is_maildir(path):
            found.append(path)
            continue
        entries = sorted(path.rglob("*"))
        maildirs = [p for p in entries if p.is_dir() and is_maildir(p)]
        inside = set(maildirs)  # a Maildir's files (messages, index files) are its own business
        for p in entries:
            if not p.is_file() or inside.intersection(p.parents):
                continue
            if p.suffix.lower() == ".eml":
                found.append(p)
            else:
                skipped.append((p.resolve(), _not_eml(p)))
        found.extend(maildirs)
    readable = {p: p.is_dir() or os.access(p, os.R_OK) for p in found}
    return Expansion(
        tuple(p for p, ok in readable.items() if ok),
        tuple(skipped),
        tuple((p.resolve(), "cannot read it: permission denied") for p, ok in readable.items() if not ok),
    )


def _not_eml(path: Path) -> str:
    if os.access(path, os.R_OK) and is_mbox(path):
        return "an mbox file, not an .eml file (name it on the command line to read it)"
    return "not an .eml file"


def read_paths(paths: Iterable[Path], limit: int) -> Iterator[Incoming]:
    """Every message under the paths (from `expand`); each keyed by its resolved path (and mbox index),
    those over `limit` bytes refused unread."""
    for path in paths:
        resolved = path.resolve()
        if path.is_dir():
            yield from maildir_messages(resolved, source=SOURCE, limit=limit, prefix=f"{resolved}/")
        elif is_mbox(path):
            yield from _mbox(resolved, limit)
        else:
            yield read_file(path, Location(source=SOURCE, key=str(resolved)), limit)


def _mbox(path: Path, limit: int) -> Iterator[Incoming]:
    with path.open("rb") as f:
        spans = list(mbox_spans(f))
        for index, (start, stop) in enumerate(spans):
            f.seek(start)
            yield read_within(f, stop - start, Location(source=SOURCE, key=f"{path}#{index}"), limit)


_LINE = 64 * 1024


def mbox_spans(f: BinaryIO) -> Iterator[tuple[int, int]]:
    """Where each message of an mbox file lies, as (start, stop) offsets: the bytes that
    mailbox.mbox would give for it (after its "From " line; the blank line that parts it from the
    next is not its own). Read in pieces of at most 64 KiB, so that no line, however long, is
    held whole, and no message is read before its size is known."""
    start: int | None = None
    pos = 0
    line_start = True  # the piece read next starts a line
    after_blank = False  # the line before was empty
    while piece := f.readline(_LINE):
        at, pos = pos, pos + len(piece)
        if line_start and piece.startswith(b"From "):
            if start is not None:
                yield start, at - 1 if after_blank else at
            while not piece.endswith(b"\n") and (piece := f.readline(_LINE)):  # the rest of a long "From " line
                pos += len(piece)
            start = pos
            after_blank, line_start = False, True
            continue
        after_blank = line_start and piece == b"\n"
        line_start = piece.endswith(b"\n")
    if start is not None:
        yield start, pos - 1 if after_blank else pos
