"""Serving the feeds: a small WSGI app, run by waitress in a thread of the daemon.

``GET`` and ``HEAD`` of ``/feeds/<token>/<feed>.ics`` (under any path prefix,
for a reverse proxy that keeps one) answer with the latest rendered bytes, a
strong ETag and Last-Modified; ``If-None-Match`` (or, without it,
``If-Modified-Since``) gives 304. A wrong token, an unknown feed and every
other path get the same 404, so a URL reveals nothing. Never gzipped: Outlook
subscriptions break on compressed feeds. Tokens are secrets, so paths are
never logged.

The server may face the internet, so it takes no more than a feed reader needs:
any other method is answered 405 from its headers, before a byte of its body is
read; a body of more than a few KB is 413 at once (waitress would otherwise
keep up to 1 GiB of it in a temporary file); idle connections are closed after
a short while, and when the connection limit is reached the longest idle one
makes room, so connections held open by someone else never keep a feed reader
waiting.
"""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Protocol

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.utilities import Error, RequestEntityTooLarge

from slipwatch.errors import FeedError
from slipwatch.publish.feeds import Feed

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"
SERVER = "slipwatch"  # waitress's ident: the Server header of every answer
NOT_FOUND = b"no such feed\n"
# private: the URL holds a secret, so no shared cache keeps it; no-cache: revalidate (a cheap 304) each time
CACHE_CONTROL = "private, no-cache"
_PATH = re.compile(r"(?:/[^/]+)*?/feeds/(?P<token>[^/]+)/(?P<feed>[^/]+)\.ics")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class PageServer(Protocol):
    """What serves the schedule pages beside the feeds (publish.web.PageApp)."""

    def handles(self, path: str) -> bool: ...

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class Published:
    body: bytes
    etag: str
    last_modified: dt.datetime  # whole seconds, UTC


class FeedApp:
    """The WSGI application: the published feeds, and a check of tokens."""

    def __init__(self, check: Callable[[str, str], bool], pages: PageServer | None = None) -> None:
        self.check = check
        self.pages = pages  # the schedule pages, served beside the feeds
        self.feeds: dict[str, Published] = {}

    def publish(self, feeds: Iterable[Feed], now: dt.datetime) -> None:
        """Serve these bytes from now on; Last-Modified never goes back while the bytes change.

        A feed's own Last-Modified is its newest milestone change, but a
        milestone that leaves it (ignored, say) changes the bytes without a
        newer change: then the moment of publication is used, so that
        If-Modified-Since never answers 304 for bytes a client has not seen.
        """
        now = now.astimezone(dt.UTC).replace(microsecond=0)
        fresh = {}
        for feed in feeds:
            old = self.feeds.get(feed.slug)
            if old is not None and old.etag == feed.etag:
                fresh[feed.slug] = old
                continue
            modified = feed.last_modified or now
            if old is not None and modified <= old.last_modified:
                modified = max(now, old.last_modified + dt.timedelta(seconds=1))
            fresh[feed.slug] = Published(feed.body, feed.etag, modified)
        self.feeds = fresh  # one assignment: request threads see the old map or the new one

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if self.pages is not None and self.pages.handles(environ.get("PATH_INFO", "")):
            return self.pages(environ, start_response)
        match = _PATH.fullmatch(environ.get("PATH_INFO", ""))
        name, token = match.group("feed", "token") if match else ("", "")
        opens = self.check(name, token)  # first, whatever the path: an unknown feed costs what a known one does
        feed = self.feeds.get(name)
        if feed is None or not opens:
            return plain(start_response, "404 Not Found", NOT_FOUND)
        headers = [
            ("ETag", feed.etag),
            ("Last-Modified", format_datetime(feed.last_modified, usegmt=True)),
            ("Cache-Control", CACHE_CONTROL),
        ]
        if _not_modified(environ, feed):
            start_response("304 Not Modified", headers)
            return []
        start_response("200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(feed.body))), *headers])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [feed.body]


def plain(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def _not_modified(environ: dict[str, Any], feed: Published) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since only without it."""
    if environ.get("HTTP_IF_NONE_MATCH") is not None:
        return etag_matches(environ, feed.etag)
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since is None:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC says
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return feed.last_modified <= moment


def etag_matches(environ: dict[str, Any], etag: str) -> bool:
    """Whether If-None-Match names this ETag (weakly compared, as RFC 9110 says for it)."""
    tags = {t.strip().removeprefix("W/") for t in environ.get("HTTP_IF_NONE_MATCH", "").split(",")}
    return "*" in tags or etag in tags


def split_listen(listen: str) -> tuple[str, int]:
    """`HOST:PORT` (IPv6 in brackets) as waitress wants it."""
    host, _, port = listen.rpartition(":")
    return host.strip("[]"), int(port)


def feed_server_at(listen: str, timeout: float = 3.0) -> bool:
    """Whether what listens at `listen` answers as a slipwatch feed server does (`doctor` asks, the port being taken).

    It asks for a path that is no feed: the 404 and the Server header tell
    slipwatch, and the request holds no token, so whoever holds the port learns nothing.
    """
    host, port = split_listen(listen)
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # a wildcard: ask this machine
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", "/")
        answer = conn.getresponse()
        return answer.status == 404 and answer.getheader("Server") == SERVER and answer.read(64) == NOT_FOUND
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


METHODS = ("GET", "HEAD")


class MethodNotAllowed(Error):
    code = 405
    reason = "Method Not Allowed"

    def to_response(self, ident: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
        status, headers, body = super().to_response(ident)
        return status, [*headers, ("Allow", ", ".join(METHODS))], body


class _Request(HTTPRequestParser):
    """waitress's request parser, refusing any method but GET and HEAD as soon as the headers are in."""

    def received(self, data: bytes) -> int:
        consumed = super().received(data)
        refusable = self.error is None or isinstance(self.error, RequestEntityTooLarge)
        if self.headers_finished and refusable and getattr(self, "command", "GET") not in METHODS:
            self.error = MethodNotAllowed(f"{', '.join(METHODS)} only")
            self.completed = True
            self.expect_continue = False  # no "100 Continue": the body is never read
        return consumed


class _Channel(HTTPChannel):
    parser_class = _Request


class _Server(TcpWSGIServer):
    """waitress's server, except that a full house closes its longest idle connection instead of refusing.

    waitress stops accepting at the connection limit until its periodic clean-up
    closes connections idle for `channel_timeout`; a hundred connections that
    never send a request held every feed reader off for that long.
    """

    channel_class = _Channel

    def readable(self) -> bool:
        # waitress's periodic clean-up, without its stop at the limit; on waitress's clock (last_activity)
        now = time.time()
        if now >= self.next_channel_cleanup:
            self.next_channel_cleanup = now + self.adj.cleanup_interval
            self.maintenance(now)
        return bool(self.accepting)

    def handle_accept(self) -> None:
        super().handle_accept()
        # here, not in readable(): a channel closed while the loop builds its select() list would be polled closed
        if len(self.active_channels) > self.adj.connection_limit:
            idle = [c for c in self.active_channels.values() if not c.requests and not c.total_outbufs_len]
            if idle:
                min(idle, key=lambda c: c.last_activity).handle_close()


class FeedServer:
    """waitress serving a FeedApp on one address, in a background thread."""

    THREADS = 4
    CONNECTIONS = 100  # open at once; beyond, the longest idle one is closed
    IDLE_SECONDS = 20  # a connection without a request is closed after this long (waitress: 120)
    BODY_BYTES = 4096  # feed readers send no body at all (waitress: 1 GiB, kept in a temporary file)
    HEADER_BYTES = 16384  # (waitress: 256 KiB)

    def __init__(self, app: FeedApp, listen: str) -> None:
        self.app = app
        self.listen = listen
        self._map: dict[int, Any] = {}  # waitress's socket map, ours so that stop() can close every channel
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound port (the one asked for, or the one the system chose for port 0)."""
        return int(self._server.effective_port)

    def start(self) -> None:
        host, port = split_listen(self.listen)
        try:
            adjustments = Adjustments(
                host=host, port=port, threads=self.THREADS, ident=SERVER, connection_limit=self.CONNECTIONS,
                channel_timeout=self.IDLE_SECONDS, cleanup_interval=self.IDLE_SECONDS // 4,
                max_request_body_size=self.BODY_BYTES, max_request_header_size=self.HEADER_BYTES,
            )
            self._server = _Server(self.app, map=self._map, adj=adjustments)
        except OSError as exc:
            raise FeedError(f"feeds.listen: cannot serve feeds on {self.listen}: {exc.strerror}") from exc
        self._thread = threading.Thread(target=self._server.run, name="feed-server", daemon=True)
        self._thread.start()
        log.info("serving calendar feeds on http://%s:%d/", host, self.port)

    def stop(self) -> None:
        """Close the listener and every open connection, from the server's own loop, and wait for it."""
        if self._thread is None:
            return
        self._server.trigger.pull_trigger(self._close_all)
        self._thread.join(timeout=10)
        self._server.task_dispatcher.shutdown()
        self._thread = None

    def _close_all(self) -> None:
        for dispatcher in list(self._map.values()):
            dispatcher.close()
