"""Feed files on disk, for sites that serve them with nginx or another web server.

Each feed is `<directory>/<feed>.ics`, replaced atomically (a temporary file
in the same directory, then os.replace), so a web server never sends half a
feed. The files carry no token: the directory must be served under a path
nobody can guess (see docs/feeds.md, "Serving the files with nginx").
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from slipwatch.errors import FeedError
from slipwatch.publish.feeds import Feed

log = logging.getLogger(__name__)


def write_atomic(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` in one step; False (and no write) when it already holds them."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise FeedError(f"{path}: cannot read the feed file: {exc.strerror}") from exc
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o644)  # mkstemp makes it 0600; the web server must read it
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as exc:
        raise FeedError(f"{path}: cannot write the feed file: {exc.strerror}") from exc
    return True


def write_feeds(directory: Path, feeds: Iterable[Feed]) -> list[Path]:
    """Write each feed as `<directory>/<feed>.ics` (unchanged files are left alone); the paths of all."""
    paths = []
    for feed in feeds:
        path = directory / f"{feed.slug}.ics"
        if write_atomic(path, feed.body):
            log.info("feed %s written to %s", feed.slug, path)
        paths.append(path)
    return paths
