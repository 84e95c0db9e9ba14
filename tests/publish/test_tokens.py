"""Feed tokens at rest: the store keeps their hashes, and checking one does the same work whatever the feed."""

from __future__ import annotations

import hmac
import re
import sqlite3

from slipwatch.publish import tokens
from slipwatch.publish.feeds import Feed
from slipwatch.publish.http import FeedApp
from slipwatch.store import Store
from slipwatch.store.migrations import MIGRATIONS, migrate
from tests.publish.deadlines import NOW


def test_the_store_keeps_no_token_only_its_hash(tmp_path):
    path = tmp_path / "slipwatch.db"
    store = Store.open(path)
    made = tokens.ensure(store, ["platform", "all"])
    rotated = tokens.rotate(store, "all")
    assert set(made) == {"platform", "all"} and tokens.ensure(store, ["platform", "all"]) == {}  # made once
    store.close()
    stored = path.read_bytes()
    assert not [t for t in (*made.values(), rotated) if t.encode() in stored]
    check = tokens.TokenCheck(path)
    assert check("platform", made["platform"]) and check("all", rotated)
    assert not check("all", made["all"]) and not check("platform", rotated)  # revoked; another feed's


def test_the_migration_hashes_the_tokens_of_an_older_store_and_their_urls_keep_working(tmp_path):
    path = tmp_path / "slipwatch.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:8])  # as the last slipwatch that kept tokens left it
    old = "vL8IRWIAuBqRttzgYqmWY67pYJ0yCADl"
    conn.execute("INSERT INTO feed_tokens (feed, token, created_at) VALUES ('platform', ?, '2026-01-05T10:00:00Z')",
                 (old,))
    conn.close()
    Store.open(path).close()
    assert old.encode() not in path.read_bytes()  # nor in a page freed by the migration
    assert tokens.TokenCheck(path)("platform", old)  # subscribers need not subscribe again
    assert not tokens.TokenCheck(path)("platform", old[:-1] + "x")


def test_a_known_feed_and_an_unknown_one_take_the_same_path(tmp_path, monkeypatch):
    # checked by what is done, not by timing: one query, one hash, one comparison of equal lengths
    path = tmp_path / "slipwatch.db"
    store = Store.open(path)
    token = tokens.ensure(store, ["platform"])["platform"]
    store.close()
    check = tokens.TokenCheck(path)
    check("platform", token)  # opens this thread's connection, to watch it
    queries: list[str] = []
    check.local.conn.set_trace_callback(queries.append)
    compared: list[tuple[int, int]] = []
    real = hmac.compare_digest
    monkeypatch.setattr(tokens.hmac, "compare_digest", lambda a, b: compared.append((len(a), len(b))) or real(a, b))
    app = FeedApp(check)
    app.publish([Feed("platform", b"BEGIN:VCALENDAR", '"e"', NOW)], NOW)
    statuses = []
    for path_info in (f"/feeds/{'x' * len(token)}/platform.ics",  # a known feed, a wrong token
                      f"/feeds/{token}/nosuch.ics",  # an unknown feed
                      "/favicon.ico"):  # no feed at all
        body = app({"PATH_INFO": path_info, "REQUEST_METHOD": "GET"}, lambda status, headers: statuses.append(status))
        assert body == [b"no such feed\n"]
    assert statuses == ["404 Not Found"] * 3
    assert len(compared) == 3 and len(set(compared)) == 1 and compared[0][0] == compared[0][1]
    assert len(queries) == 3 and len({re.sub(r"'[^']*'", "?", q) for q in queries}) == 1  # the feed's name aside
