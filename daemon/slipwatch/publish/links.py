"""The URLs of the schedule pages, in one place: the CLI, the digests, the feeds and the pages build them here.

A team's pages open with its feed's token, or with its link token, the one
the links in digests and feed events carry (`publish.tokens`).
"""

from __future__ import annotations

from slipwatch.config import Config

PAGES = "pages"


def base_url(config: Config) -> str:
    """Where the daemon's feeds and pages are reached: `[feeds] base_url`, else its listen address."""
    return (config.feeds.base_url or f"http://{config.feeds.listen}").rstrip("/")


def pages_url(base: str, token: str, feed: str) -> str:
    """The schedule page of a feed's team (`all`: every team), under `base` (`[feeds] base_url`, or a path)."""
    return f"{base.rstrip('/')}/{PAGES}/{token}/{feed}/"


def milestone_url(pages: str, milestone: int) -> str:
    """One milestone's story, under the pages' URL (`pages_url`)."""
    return f"{pages}milestones/{milestone}"
