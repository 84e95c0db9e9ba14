"""The URLs of the schedule pages, in one place: the CLI, the digest, the feeds and the pages build them here.

A team's pages open with its feed token (`publish.tokens`): whoever may read a
team's calendar may read its schedule, and `slipwatch feeds rotate` revokes both.
"""

from __future__ import annotations

PAGES = "pages"


def pages_url(base: str, token: str, feed: str) -> str:
    """The schedule page of a feed's team (`all`: every team), under `base` (`[feeds] base_url`)."""
    return f"{base.rstrip('/')}/{PAGES}/{token}/{feed}/"


def milestone_url(base: str, token: str, feed: str, milestone: int) -> str:
    """One milestone's story, as seen from a team's pages."""
    return f"{pages_url(base, token, feed)}milestones/{milestone}"
