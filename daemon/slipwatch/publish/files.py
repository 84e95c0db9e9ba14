"""Feed files on disk, for sites that serve them with nginx or another web server.

Each feed is `<directory>/<feed>.ics`, replaced atomically (a temporary file
in the same directory, then os.replace), so a web server never sends half a
feed. The files carry no token: the directory must be served under a path
nobody can guess (see docs/feeds.md, "Serving the files with nginx").

The files are the schedule, for the web server and nobody else: mode 0640,
so the web server reads them through the folder's group (a folder with the
setgid bit gives its group to every file written in it), and a folder
slipwatch creates is 0750. Everything else slipwatch writes is private
(slipwatch.modes).
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

FILE_MODE = 0o640
FOLDER_MODE = 0o750


def write_atomic(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` in one step; False (and no write) when it already holds them."""
    try:
        if path.read_bytes() == data:
            if path.stat().st_mode & 0o777 != FILE_MODE:  # as an older slipwatch left it: readable by anyone
                os.chmod(path, FILE_MODE)
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise FeedError(f"{path}: cannot read the feed file: {exc.strerror}") from exc
    try:
        _folder(path.parent)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, FILE_MODE)  # mkstemp makes it 0600; the web server must read it
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as exc:
        raise FeedError(f"{path}: cannot write the feed file: {exc.strerror}") from exc
    return True


def _folder(path: Path) -> None:
    """Create the feeds' folder, readable by its group (the umask, 077 for slipwatch, would make it 0700)."""
    try:
        path.mkdir(parents=True)
    except FileExistsError:
        return
    os.chmod(path, FOLDER_MODE)


def write_feeds(directory: Path, feeds: Iterable[Feed]) -> list[Path]:
    """Write each feed as `<directory>/<feed>.ics` (unchanged files are left alone); the paths of all."""
    paths = []
    for feed in feeds:
        path = directory / f"{feed.slug}.ics"
        if write_atomic(path, feed.body):
            log.info("feed %s written to %s", feed.slug, path)
        paths.append(path)
    return paths
