"""What the HTTP server reads from the store while the daemon writes it: a read-only connection per thread."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from slipwatch.config import LimitsConfig
from slipwatch import mail  # the reader loads on first use (mail.__init__): serving feeds never needs it
from slipwatch.mail.model import VendorMessage

class ReadOnly:
    """A read-only connection to the store for each of the server's worker threads, made on first use."""

    def __init__(self, database: Path) -> None:
        self.uri = f"{database.resolve().as_uri()}?mode=ro"
        self.local = threading.local()

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = sqlite3.connect(self.uri, uri=True)
        return conn


class StoredMail(ReadOnly):
    """A stored mail as the extractor read it (within the same limits), by its id; None when there is none."""

    def __init__(self, database: Path, limits: LimitsConfig) -> None:
        super().__init__(database)
        self.limits = limits

    def __call__(self, message: int) -> VendorMessage | None:
        row = self.conn().execute("SELECT raw FROM raw_messages WHERE message = ?", (message,)).fetchone()
        return mail.read_message(bytes(row[0]), self.limits) if row else None
