"""Log set-up for the command line and the daemon (library code only logs).

Under systemd, stderr goes to the journal ($JOURNAL_STREAM names it): lines
then carry a `<N>` syslog priority prefix and no timestamp, which journald
adds itself. Elsewhere lines are readable with their own timestamps. A log
line names subjects, senders and file names, which anyone can write: they
show in visible form (slipwatch.sanitise), and one message is one line.

`--log-level debug` is slipwatch's own debug: the libraries' debug output
stays off, since the IMAP library's is every line it exchanges with the
server, message bodies included. slipwatch's own lines name a message by its
Message-ID, its size and the reason, never by its text.
"""

from __future__ import annotations

import logging
import os
import sys

from slipwatch.sanitise import one_line, visible

LEVELS = ("debug", "info", "warning", "error")

# syslog priorities by logging level
_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3, logging.CRITICAL: 2}


class VisibleFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        return one_line(super().formatMessage(record))

    def format(self, record: logging.LogRecord) -> str:
        return visible(super().format(record), keep="\n")  # a traceback keeps its lines


class JournalFormatter(VisibleFormatter):
    def format(self, record: logging.LogRecord) -> str:
        priority = _PRIORITY.get(record.levelno, 6)
        return "\n".join(f"<{priority}>{line}" for line in super().format(record).splitlines())


def stderr_is_journal() -> bool:
    """True when stderr is the journal stream systemd set up ($JOURNAL_STREAM = device:inode)."""
    expected = os.environ.get("JOURNAL_STREAM", "")
    try:
        st = os.fstat(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):  # no real stderr (captured in tests)
        return False
    return expected == f"{st.st_dev}:{st.st_ino}"


def setup(level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if stderr_is_journal():
        handler.setFormatter(JournalFormatter("%(name)s: %(message)s"))
    else:
        handler.setFormatter(VisibleFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(logging.INFO, logging.getLevelName(level.upper())))
    logging.getLogger("slipwatch").setLevel(level.upper())
    # waitress warns of its task queue's depth each time a request waits for a thread: a flood of
    # requests would write a line each, and journald, rate-limiting, would drop slipwatch's own
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
