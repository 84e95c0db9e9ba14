"""Schedule pages: the timeline of 5,000 open milestones, and the other pages on the same data.

    .venv/bin/python benchmarks/pages.py [--milestones 5000]

Fills a throwaway store as benchmarks/feeds.py does (40 vendors in 8 zones,
three revisions each, every milestone slipped and still open), loads it once
(the daemon does so at each render, for the feeds and the pages together) and
times rendering, from that snapshot, the `all` schedule page (the issue's goal:
under 300 ms), a filtered one, the vendors page and a milestone's story.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from feeds import NOW, fill, timed  # the sibling benchmark: these scripts run with benchmarks/ on the path
from slipwatch.publish import pages
from slipwatch.store import Store
from slipwatch.track import query

ALL = pages.Team("all", "Bench: all deadlines", None, "UTC")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--milestones", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db")
        fill(store, args.milestones)
        seconds, views = timed(lambda: query.load(store, as_of=NOW), repeat=3)
        print(f"load {args.milestones} milestones: {seconds * 1000:.0f} ms")
        snapshot = pages.Snapshot(NOW, tuple(views))  # type: ignore[arg-type]
        root = "/pages/token/all/"
        for name, work in (
            ("schedule page (all)", lambda: pages.schedule(snapshot, ALL, root, {})),
            ("schedule page, one vendor", lambda: pages.schedule(snapshot, ALL, root, {"vendor": "Vendor 07"})),
            ("vendors page", lambda: pages.vendors(snapshot, ALL, root)),
            ("one milestone's story", lambda: pages.story(snapshot, ALL, root, 2500)),
        ):
            seconds, html = timed(work)
            print(f"{name}: {seconds * 1000:.0f} ms, {len(str(html).encode()) / 1e6:.1f} MB")
        store.close()


if __name__ == "__main__":
    main()
