"""Serving the schedule pages: the WSGI app behind `/pages/<token>/<feed>/` on the feeds' address.

A team's pages open with its feed's token or its link token (checked as the
feeds' are, in constant time, on every request, so a rotation is effective at
once); a wrong token, an unknown page, and a milestone or mail that is not the
team's get the feeds' 404. The pages
are drawn from the snapshot the daemon hands over after each render (one
assignment: a request sees the old snapshot or the new one), so serving a page
never touches the store the daemon is writing mail into.

Every answer forbids what a page has no use for: a Content-Security-Policy
that allows nothing but this origin's stylesheet (no script at all, no other
origin), `nosniff`, and `no-referrer`, since the token is in the URL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from slipwatch.mail.model import VendorMessage
from slipwatch.publish import pages
from slipwatch.publish.http import CACHE_CONTROL, NOT_FOUND, StartResponse, etag_matches, plain
from slipwatch.publish.links import PAGES

HTML = "text/html; charset=utf-8"
CSS = "text/css; charset=utf-8"
SVG = "image/svg+xml"
SECURITY = [
    ("Content-Security-Policy",
     "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
]
# pages kept per snapshot, without a query string only: a filtered page is one of countless, and anyone may ask
KEPT_PAGES = 1000
_Answer = tuple[str, bytes, str] | None
_PATH = re.compile(rf"(?P<prefix>(?:/[^/]+)*?)/{PAGES}/(?P<token>[^/]+)/(?P<feed>[^/]+)/(?P<page>[^/]*(?:/[^/]+)?)")
_MILESTONE = re.compile(r"milestones/(?P<id>[0-9]{1,12})")
_MESSAGE = re.compile(r"messages/(?P<id>[0-9]{1,12})")
_STYLE = resources.files("slipwatch.publish").joinpath("templates/pages/style.css").read_bytes()
# a browser asks for an icon: without one of ours it would fetch /favicon.ico, outside the token's path
_ICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" '
         b'fill="#243b53"/><rect x="3" y="5" width="10" height="3" rx="1" fill="#d69e2e"/>'
         b'<rect x="6" y="10" width="7" height="3" rx="1" fill="#3b82c4"/></svg>')


class PageApp:
    """The pages of every team, from the latest snapshot; `handles` tells a page's path from a feed's."""

    def __init__(self, check: Callable[[str, str], bool], teams: Iterable[pages.Team],
                 mail: Callable[[int], VendorMessage | None]) -> None:
        self.check = check
        self.mail = mail  # a stored mail by its id
        self.teams = {t.feed: t for t in teams}
        # the snapshot, and the pages rendered from it so far (a page is rendered once per snapshot)
        self._current: tuple[pages.Snapshot, dict[tuple[str, str], _Answer]] | None = None

    def publish(self, snapshot: pages.Snapshot) -> None:
        self._current = (snapshot, {})  # one assignment: a request sees the old pair or the new one

    def _page(self, snapshot: pages.Snapshot, team: pages.Team, root: str, page: str, query: str) -> _Answer:
        """(content type, body, ETag) of a page, or None for no such page."""
        if page == "style.css":
            return _answer(CSS, _STYLE)
        if page == "icon.svg":
            return _answer(SVG, _ICON)
        html: str | None = None
        if page == "":
            html = pages.schedule(snapshot, team, root, _filters(query))
        elif page == "vendors":
            html = pages.vendors(snapshot, team, root)
        elif page == "quarantine":
            html = pages.quarantine(snapshot, team, root)
        elif milestone := _MILESTONE.fullmatch(page):
            html = pages.story(snapshot, team, root, int(milestone["id"]))
        elif (message := _MESSAGE.fullmatch(page)) and pages.shows_message(snapshot, team, int(message["id"])):
            mail = self.mail(int(message["id"]))
            html = pages.message(snapshot, team, root, mail) if mail else None
        return None if html is None else _answer(HTML, html.encode())

    @staticmethod
    def handles(path: str) -> bool:
        return _PATH.fullmatch(path) is not None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        match = _PATH.fullmatch(environ.get("PATH_INFO", ""))
        feed, token = match.group("feed", "token") if match else ("", "")
        opens = self.check(feed, token)  # first, whatever the path, as the feeds do
        team, current = self.teams.get(feed), self._current
        if match is None or team is None or current is None or not opens:
            return plain(start_response, "404 Not Found", NOT_FOUND)
        snapshot, rendered = current
        root = f"{environ.get('SCRIPT_NAME', '')}{match['prefix']}/{PAGES}/{token}/{feed}/"
        query = environ.get("QUERY_STRING", "")
        key = (root, match["page"])
        answer = None if query else rendered.get(key)
        if answer is None:
            answer = self._page(snapshot, team, root, match["page"], query)
            if not query and len(rendered) < KEPT_PAGES:
                rendered[key] = answer
        if answer is None:
            return plain(start_response, "404 Not Found", NOT_FOUND)
        content_type, body, etag = answer
        headers = [("ETag", etag), ("Cache-Control", CACHE_CONTROL), *SECURITY]
        if etag_matches(environ, etag):
            start_response("304 Not Modified", headers)
            return []
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _answer(content_type: str, body: bytes) -> tuple[str, bytes, str]:
    return content_type, body, '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def _filters(query: str) -> Mapping[str, str]:
    """The schedule's filters from the query string; anything else in it is ignored."""
    try:
        given = parse_qs(query, max_num_fields=10)
    except ValueError:  # more fields than a filter has: nobody's form
        return {}
    return {k: given[k][0] for k in ("vendor", "project", "status") if given.get(k, [""])[0]}
