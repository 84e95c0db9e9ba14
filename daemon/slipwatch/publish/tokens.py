"""The secret token in each feed's URL, one per feed; the store keeps its hash (table feed_tokens).

A feed URL is the only thing standing between the schedule and whoever has
the link, so tokens carry 192 random bits from `secrets` and are replaced
(revoking the old URL) by `rotate`. The store keeps only their SHA-256: a copy
of the database opens no feed, and a token is shown once, when it is made. So
many random bits need no salt nor slow hash: nobody can guess one to match.

Checking a token does the same work for every request: the feed's hash, or a
hash no token has when the feed is unknown, compared in constant time with the
hash of the token given; a wrong token on a known feed answers no slower
than any other 404.

A team's schedule pages open with its feed's token, or with its link token:
the one in the links to its pages that digests and feed events carry. The
daemon writes that one into every link it makes, so the store keeps it as it
is (table page_links; a copy of the database opens the pages, as the digests
it queues show them, but no feed). `rotate` revokes both.
"""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from collections.abc import Iterable

from slipwatch.clock import utcnow
from slipwatch.publish.stored import ReadOnly
from slipwatch.store import Store
from slipwatch.store.migrations import token_hash

TOKEN_BYTES = 24  # 192 bits; URL-safe base64 makes 32 characters
# what an unknown feed's "hash" is compared with: the hash of no token
_NO_FEED = secrets.token_hex(32)


def ensure(store: Store, feeds: Iterable[str]) -> dict[str, str]:
    """Make a token for each feed named that has none; the new ones (the only time they are seen)."""
    made = {}
    with store.transaction() as conn:
        for feed in feeds:
            token = secrets.token_urlsafe(TOKEN_BYTES)
            if conn.execute(
                "INSERT OR IGNORE INTO feed_tokens (feed, token_sha256, created_at) VALUES (?, ?, ?)",
                (feed, token_hash(token), utcnow()),
            ).rowcount:
                made[feed] = token
    return made


def link_tokens(store: Store, feeds: Iterable[str]) -> dict[str, str]:
    """The link token of each feed named, made for those that have none."""
    with store.transaction() as conn:
        return link_tokens_in(conn, feeds)


def link_tokens_in(conn: sqlite3.Connection, feeds: Iterable[str]) -> dict[str, str]:
    """`link_tokens`, in a transaction already open (a receipt's, queued with the mail it answers)."""
    feeds = list(feeds)
    for feed in feeds:
        conn.execute("INSERT OR IGNORE INTO page_links (feed, token, created_at) VALUES (?, ?, ?)",
                     (feed, secrets.token_urlsafe(TOKEN_BYTES), utcnow()))
    return {f: t for f, t in conn.execute("SELECT feed, token FROM page_links") if f in feeds}


def rotate(store: Store, feed: str) -> str:
    """A new token for the feed: the URL with the old one stops working at once, and so do the page links
    made so far (new ones are made at the next render)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.transaction() as conn:
        conn.execute("DELETE FROM page_links WHERE feed = ?", (feed,))
        conn.execute(
            "INSERT INTO feed_tokens (feed, token_sha256, created_at) VALUES (?, ?, ?) ON CONFLICT (feed)"
            " DO UPDATE SET token_sha256 = excluded.token_sha256, created_at = excluded.created_at",
            (feed, token_hash(token), utcnow()),
        )
    return token


def made_at(conn: sqlite3.Connection) -> dict[str, str]:
    """When each feed's current token was made (ISO 8601, UTC)."""
    return dict(conn.execute("SELECT feed, created_at FROM feed_tokens").fetchall())


class TokenCheck(ReadOnly):
    """Tells whether a token opens a feed, reading the store on each request.

    Reading per request (rather than a copy taken at start) makes a rotation
    by `slipwatch feeds rotate` effective immediately, while the daemon runs.
    The HTTP server's worker threads each keep a read-only connection.
    """

    def __call__(self, feed: str, token: str) -> bool:
        row = self.conn().execute("SELECT token_sha256 FROM feed_tokens WHERE feed = ?", (feed,)).fetchone()
        return hmac.compare_digest(row[0] if row else _NO_FEED, token_hash(token)) and row is not None

    def pages(self, feed: str, token: str) -> bool:
        """Whether a token opens a feed's pages: its feed token or its link token (both compared, always)."""
        opens_feed = self(feed, token)
        row = self.conn().execute("SELECT token FROM page_links WHERE feed = ?", (feed,)).fetchone()
        link = token_hash(row[0]) if row else _NO_FEED
        return (hmac.compare_digest(link, token_hash(token)) and row is not None) or opens_feed
