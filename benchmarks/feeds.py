"""Calendar feeds: rendering 5,000 milestones, and serving conditional requests.

    .venv/bin/python benchmarks/feeds.py [--milestones 5000] [--requests 1000]

Fills a throwaway store with N milestones of 40 vendors in 8 zones (three
revisions each: a plan, a slip, the evidence; a third of them due at an
instant, the rest on a date), then times:

- loading them (`track.query.load`) and rendering the `all` feed of every one
  (`publish.feeds.render`, the issue's goal: under 0.5 s), and a team's feed
  in its zone with its VTIMEZONE;
- the daemon's server (waitress, on loopback, each request's token read from
  the store as in the daemon) answering N requests that carry the feed's
  ETag (304s, the steady state of a subscribed client) over one kept-alive
  connection, then 50 full downloads.

One process; the requests come from this process's own thread.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import statistics
import tempfile
import time
from pathlib import Path

from slipwatch.publish import tokens
from slipwatch.publish.feeds import FeedSpec, render
from slipwatch.publish.http import FeedApp, FeedServer
from slipwatch.store import Store
from slipwatch.track import query
from slipwatch.track.query import TeamScope

ZONES = ["Asia/Kolkata", "Europe/Warsaw", "Europe/Madrid", "Asia/Manila", "America/Sao_Paulo", "Asia/Tokyo",
         "Africa/Lagos", "Australia/Sydney"]
NOW = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)


def fill(store: Store, count: int) -> None:
    """N milestones straight into the tables (identity matching is not what is measured here)."""
    with store.transaction() as conn:
        for v in range(40):
            conn.execute("INSERT INTO vendors (id, name, timezone) VALUES (?, ?, ?)",
                         (v + 1, f"Vendor {v:02d}", ZONES[v % len(ZONES)]))
        for m in range(count):
            vendor = m % 40 + 1
            conn.execute("INSERT INTO milestones (id, vendor, name, created_at) VALUES (?, ?, ?, ?)",
                         (m + 1, vendor, f"Deliverable {m} for the spring catalogue", "2026-09-01T00:00:00+00:00"))
            day = dt.date(2026, 10, 1) + dt.timedelta(days=m % 120)
            first, second = day.isoformat(), (day + dt.timedelta(days=m % 9)).isoformat()
            if m % 3 == 0:
                first, second = f"{first}T17:00+05:30", f"{second}T09:30-04:00"
            for n, (due, status, previous) in enumerate(((first, "planned", None), (second, "delayed", first),
                                                         (second, "at_risk", None))):
                conn.execute(
                    "INSERT INTO milestone_revisions (milestone, author, sent, due, status, previous_due, evidence,"
                    " name, kind, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'mail', ?)",
                    (m + 1, f"pm@vendor{vendor}.example", f"2026-09-{n * 7 + 1:02d}T10:00:00+02:00", due, status,
                     previous, f"Deliverable {m}: now {due}, sorry for the delay; more on Monday.",
                     f"Deliverable {m}", "2026-09-01T00:00:00+00:00"),
                )


def timed(work, repeat: int = 5) -> tuple[float, object]:
    """The best of `repeat` runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def serve(feed, token: str, database: Path, requests: int) -> None:
    app = FeedApp(tokens.TokenCheck(database))  # as in the daemon: each request reads the token from the store
    app.publish([feed], NOW)
    server = FeedServer(app, "127.0.0.1:0")
    server.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        path = f"/feeds/{token}/{feed.slug}.ics"
        latencies = []
        start = time.perf_counter()
        for _ in range(requests):
            begin = time.perf_counter()
            conn.request("GET", path, headers={"If-None-Match": feed.etag})
            response = conn.getresponse()
            response.read()
            assert response.status == 304, response.status
            latencies.append(time.perf_counter() - begin)
        elapsed = time.perf_counter() - start
        cuts = statistics.quantiles(latencies, n=100)
        print(f"{requests} conditional requests (304): {requests / elapsed:,.0f} req/s, "
              f"p50 {cuts[49] * 1000:.2f} ms, p95 {cuts[94] * 1000:.2f} ms")
        start = time.perf_counter()
        for _ in range(50):
            conn.request("GET", path)
            response = conn.getresponse()
            assert len(response.read()) == len(feed.body)
        full = (time.perf_counter() - start) / 50
        print(f"50 full downloads of {len(feed.body) / 1e6:.1f} MB: {full * 1000:.1f} ms each")
        conn.close()
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--milestones", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db")
        fill(store, args.milestones)
        token = tokens.ensure(store, ["all"])["all"]
        team = TeamScope("Sourcing", vendors=[f"Vendor {v:02d}" for v in range(0, 40, 2)])
        load_s, views = timed(lambda: query.load(store, as_of=NOW, teams=[team]), repeat=3)
        everyone = FeedSpec("all", "Benchmark: all deadlines", None, None)
        sourcing = FeedSpec("sourcing", "Benchmark: Sourcing deadlines", "Sourcing", "America/New_York")
        render_s, feed = timed(lambda: render(views, everyone, domain="bench.example"))
        team_s, team_feed = timed(lambda: render(views, sourcing, domain="bench.example"))
        print(f"{len(views)} milestones: load {load_s:.3f} s; render the all feed {render_s:.3f} s "
              f"({len(feed.body) / 1e6:.1f} MB); a team's half in New York time {team_s:.3f} s")
        serve(feed, token, store.path, args.requests)
        store.close()


if __name__ == "__main__":
    main()
