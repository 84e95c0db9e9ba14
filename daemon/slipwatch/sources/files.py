"""Mail on disk for `slipwatch ingest`: .eml files, folders of them, Maildirs, mbox files."""

from __future__ import annotations

import logging
import mailbox
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from slipwatch.errors import SourceError
from slipwatch.sources import Incoming
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


def read_paths(paths: Iterable[Path]) -> Iterator[Incoming]:
    """Every message under the paths (from `expand`); each keyed by its resolved path (and mbox index)."""
    for path in paths:
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
