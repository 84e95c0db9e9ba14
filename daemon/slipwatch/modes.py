"""File permissions: what slipwatch writes is its user's alone, and who else can read a file.

The command line and the daemon run with umask 077 (set in `cli.main`), so
whatever they create is private whatever the user's own umask. The database
and its -wal and -shm hold every message and the feed tokens' hashes: a
database found readable by others (an older slipwatch, a copy made by hand)
is made private when opened. The feed files are the exception: they are meant
for a web server, which reads them through their folder's group (see
publish/files.py).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

UMASK = 0o077
PRIVATE_FILE = 0o600


def readers(mode: int) -> str | None:
    """Who besides the owner may read a file of this mode: "its group", "others", "its group and others"."""
    who = [name for bit, name in ((0o040, "its group"), (0o004, "others")) if mode & bit]
    return " and ".join(who) or None


def make_private(path: Path, holds: str) -> None:
    """Take every permission of the group and others from `path` (when it exists), saying so in the log."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        return
    if not mode & 0o077:
        return
    who = readers(mode) or "its group and others (write or run)"
    try:
        os.chmod(path, mode & 0o700)
    except OSError as exc:
        log.warning("%s can be read by %s (mode %04o) and cannot be made private (%s): `chmod 600 %s`; it holds %s",
                    path, who, mode, exc.strerror, path, holds)
        return
    log.warning("%s could be read by %s (mode %04o); now %04o: it holds %s", path, who, mode, mode & 0o700, holds)
