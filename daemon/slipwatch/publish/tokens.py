"""The secret token in each feed's URL, one per feed, kept in the store (table feed_tokens).

A feed URL is the only thing standing between the schedule and whoever has
the link, so tokens carry 192 random bits from `secrets`, are compared in
constant time, and are replaced (revoking the old URL) by `rotate`.
"""

from __future__ import annotations

import hmac
import secrets
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from slipwatch.store import Store
from slipwatch.clock import utcnow

TOKEN_BYTES = 24  # 192 bits; URL-safe base64 makes 32 characters


def ensure(store: Store, feeds: Iterable[str]) -> dict[str, str]:
    """The token of every feed named, creating the missing ones."""
    with store.transaction() as conn:
        for feed in feeds:
            conn.execute(
                "INSERT OR IGNORE INTO feed_tokens (feed, token, created_at) VALUES (?, ?, ?)",
                (feed, secrets.token_urlsafe(TOKEN_BYTES), utcnow()),
            )
    return current(store.conn)


def rotate(store: Store, feed: str) -> str:
    """A new token for the feed: the URL with the old one stops working at once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO feed_tokens (feed, token, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (feed) DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
            (feed, token, utcnow()),
        )
    return token


def current(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT feed, token FROM feed_tokens").fetchall())


class TokenCheck:
    """Tells whether a token opens a feed, reading the store on each request.

    Reading per request (rather than a copy taken at start) makes a rotation
    by `slipwatch feeds rotate` effective immediately, while the daemon runs.
    The HTTP server's worker threads each keep a read-only connection.
    """

    def __init__(self, database: Path) -> None:
        self.uri = f"{database.resolve().as_uri()}?mode=ro"
        self.local = threading.local()

    def __call__(self, feed: str, token: str) -> bool:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = sqlite3.connect(self.uri, uri=True)
        row = conn.execute("SELECT token FROM feed_tokens WHERE feed = ?", (feed,)).fetchone()
        return row is not None and hmac.compare_digest(row[0].encode(), token.encode())
