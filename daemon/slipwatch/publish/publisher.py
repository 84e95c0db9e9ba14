"""The feeds a config has, their URLs, and keeping them current: what the daemon and the CLI call.

A config has one feed per team (the milestones that team follows) and the
`all` feed of every milestone, for the core management team. The daemon
renders them all at start, after a poll that recorded mail or found the
store changed by another process (a correction from the CLI), and at least
once a minute otherwise (a milestone becomes overdue by the clock alone);
each time it hands the bytes to the HTTP server and writes the changed ones
to `[feeds] directory`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from slipwatch import clock
from slipwatch.config import ALL_FEED, Config
from slipwatch.errors import FeedError
from slipwatch.publish import links as urls, pages, tokens
from slipwatch.publish.feeds import Events, Feed, FeedSpec, render
from slipwatch.publish.files import write_atomic, write_feeds
from slipwatch.publish.http import FeedApp, FeedServer
from slipwatch.publish.stored import StoredMail
from slipwatch.publish.web import PageApp
from slipwatch.store import Store
from slipwatch.track import query

log = logging.getLogger(__name__)

RENDER_EVERY_SECONDS = 60  # "overdue" turns on by the clock, with no mail: render again this often


HIDDEN = "<token>"  # in a URL whose token was shown when made: the store keeps only its hash


@dataclass(frozen=True)
class Link:
    feed: str
    title: str
    url: str  # as base_url says (https in production); with HIDDEN for its token unless `new`
    webcal: str  # the same URL as webcal://, which opens the subscribe dialog of Apple Calendar and Outlook
    page: str  # the team's schedule page, opened by the same token
    made: str  # when its token was made (ISO 8601, UTC)
    new: bool  # its token was made just now: the one time the URL is shown whole


def specs(config: Config) -> list[FeedSpec]:
    """Every feed of the config: one per team, in the team's zone, then `all` (timed events in UTC)."""
    org = config.organisation.name
    teams = [FeedSpec(t.slug, f"{org}: {t.name} deadlines", t.name, t.timezone) for t in config.teams]
    return [*teams, FeedSpec(ALL_FEED, f"{org}: all deadlines", None, None)]


def spec_for(config: Config, team: str) -> FeedSpec:
    """The feed of a team given by name or feed name (`all` for every team's)."""
    wanted = team.casefold()
    for spec in specs(config):
        if wanted in (spec.slug, (spec.team or ALL_FEED).casefold()):
            return spec
    names = ", ".join(s.slug for s in specs(config))
    raise FeedError(f"no team {team!r} in {config.path}; feeds: {names}")


def links(config: Config, store: Store) -> list[Link]:
    """The URL of every feed: whole for a token made now (a feed without one gets it), else with HIDDEN."""
    all_specs = specs(config)
    new = tokens.ensure(store, [s.slug for s in all_specs])
    made = tokens.made_at(store.conn)
    return [_link(config, spec, new.get(spec.slug), made[spec.slug]) for spec in all_specs]


def rotate(config: Config, store: Store, team: str) -> Link:
    """A new URL for a team's feed (or `all`); the old one gets 404 from now on."""
    spec = spec_for(config, team)
    token = tokens.rotate(store, spec.slug)
    return _link(config, spec, token, tokens.made_at(store.conn)[spec.slug])


def _link(config: Config, spec: FeedSpec, token: str | None, made: str) -> Link:
    url = f"{urls.base_url(config)}/feeds/{token or HIDDEN}/{spec.slug}.ics"
    page = urls.pages_url(urls.base_url(config), token or HIDDEN, spec.slug)
    return Link(spec.slug, spec.title, url, "webcal://" + url.split("://", 1)[1], page, made, token is not None)


def page_teams(config: Config) -> list[pages.Team]:
    """Whose pages the daemon serves: one set per feed, opened by its token, in its team's zone (`all`: UTC)."""
    return [pages.Team(s.slug, s.title, s.team, s.timezone or "UTC") for s in specs(config)]


def render_all(config: Config, store: Store, as_of: dt.datetime, chosen: Sequence[FeedSpec] = (),
               events: Events | None = None, views: Sequence[query.MilestoneView] | None = None) -> list[Feed]:
    """The feeds (every one, or those chosen) as the schedule stands at `as_of` (`views`, when loaded
    already); `events` as render takes them."""
    if views is None:
        views = query.load(store, as_of=as_of, teams=query.scopes(config.teams))
    domain = config.organisation.domains[0]
    events = events or Events()
    chosen = chosen or specs(config)
    roots = page_roots(config, store, chosen)
    return [render(views, spec, domain=domain, events=events, pages=roots[spec.slug]) for spec in chosen]


def page_roots(config: Config, store: Store, chosen: Sequence[FeedSpec]) -> dict[str, str]:
    """The URL of each chosen feed's pages with its link token (made when missing): what digests and feeds link to."""
    made = tokens.link_tokens(store, [s.slug for s in chosen])
    return {s.slug: urls.pages_url(urls.base_url(config), made[s.slug], s.slug) for s in chosen}


def write(config: Config, store: Store, as_of: dt.datetime, *, team: str | None, output: Path | None) -> list[Path]:
    """Write feed files without the daemon; the paths they are at.

    One team's feed goes to `output` as a file, or into it when it is a
    folder; every feed goes into `output` as `<feed>.ics`. Without `output`
    the folder is `[feeds] directory`.
    """
    chosen = [spec_for(config, team)] if team else specs(config)
    folder = output or config.feeds.directory
    if folder is None:
        raise FeedError(f"{config.path}: feeds.directory is not set; pass --output FILE or DIR")
    feeds = render_all(config, store, as_of, chosen)
    if team and output is not None and not output.is_dir():
        write_atomic(output, feeds[0].body)
        return [output]
    return write_feeds(folder, feeds)


class Publisher:
    """The daemon's feeds: rendered from the store, served over HTTP, written to the feeds directory."""

    def __init__(self, config: Config, store: Store, *, serve: bool = True,
                 now: Callable[[], dt.datetime] = clock.now) -> None:
        self.config = config
        self.store = store
        self.now = now
        check = tokens.TokenCheck(config.store.path)
        self.pages = PageApp(check.pages, page_teams(config), StoredMail(config.store.path, config.limits))
        self.app = FeedApp(check, self.pages)
        self.server = FeedServer(self.app, config.feeds.listen) if serve else None
        self._rendered: float | None = None  # time.monotonic() of the last render
        self._data_version: int | None = None
        self._events = Events()  # a milestone's event is rendered again only when it changed
        self.views = query.LiveViews(store, query.scopes(config.teams))  # and loaded again only then (digests too)

    def start(self) -> None:
        """Render every feed, then serve them (so no request ever finds a feed missing).

        A feed without a token is served to nobody until `slipwatch feeds` makes
        one: made here, its URL would never be seen.
        """
        self.refresh(force=True)
        if self.server is not None:
            self.server.start()

    def refresh(self, *, force: bool = False) -> None:
        """Render again when something was recorded (force), changed in the store, or a minute went by."""
        changed = self._store_changed()
        stale = self._rendered is None or time.monotonic() - self._rendered >= RENDER_EVERY_SECONDS
        if not (force or changed or stale):
            return
        now = self.now()
        views = self.views.at(now)
        feeds = render_all(self.config, self.store, now, events=self._events, views=views)
        self._events.next_round()
        self.app.publish(feeds, now)
        self.pages.publish(pages.Snapshot(now, tuple(views), pages.held(self.store.messages("quarantined"))))
        if self.config.feeds.directory is not None:
            write_feeds(self.config.feeds.directory, feeds)
        self._rendered = time.monotonic()
        log.debug("%d feeds rendered for %s", len(feeds), now)

    def _store_changed(self) -> bool:
        """Whether another connection committed since the last look: a correction or merge from the CLI."""
        version = self.store.conn.execute("PRAGMA data_version").fetchone()[0]
        changed, self._data_version = version != self._data_version, version
        return changed

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
