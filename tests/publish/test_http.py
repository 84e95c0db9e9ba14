"""The daemon serves each feed at its secret URL: cacheable, never compressed, 404 for anything else."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import http.client
import json
import os
import socket
import time
import urllib.parse
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from slipwatch.publish import publisher
from slipwatch.publish.feeds import Feed
from slipwatch.publish.http import FeedApp
from slipwatch.store import Store
from tests.publish.deadlines import NOW


def request(url: str, method: str = "GET", timeout: float = 10, **headers: str) -> tuple[int, dict[str, str], bytes]:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_a_feed_is_served_as_utf8_calendar_with_a_strong_etag_and_never_gzipped(daemon):
    status, headers, body = request(daemon.url("platform"), Accept_Encoding="gzip, deflate")
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert headers["etag"].startswith('"') and not headers["etag"].startswith("W/")
    assert "content-encoding" not in headers and int(headers["content-length"]) == len(body)
    assert parsedate_to_datetime(headers["last-modified"]) <= NOW
    # the same bytes as the feed file written for nginx, and as rendering the store gives
    assert body == (daemon.config.feeds.directory / "platform.ics").read_bytes()
    store = Store.open(daemon.config.store.path)
    try:
        rendered = {f.slug: f.body for f in publisher.render_all(daemon.config, store, NOW)}
    finally:
        store.close()
    assert body == rendered["platform"]


def test_a_repeat_request_gets_304_without_a_body(daemon):
    url = daemon.url("coast")
    _, first, _ = request(url)
    status, headers, body = request(url, If_None_Match=first["etag"])
    assert (status, body, headers["etag"]) == (304, b"", first["etag"])
    assert request(url, If_Modified_Since=first["last-modified"])[0] == 304
    assert request(url, If_None_Match='"something else"')[0] == 200
    earlier = format_datetime(parsedate_to_datetime(first["last-modified"]) - dt.timedelta(seconds=1), usegmt=True)
    assert request(url, If_Modified_Since=earlier)[0] == 200


def test_head_gives_the_headers_of_get_without_the_body(daemon):
    _, get_headers, body = request(daemon.url("all"))
    status, headers, empty = request(daemon.url("all"), "HEAD")
    assert (status, empty) == (200, b"")
    assert {k: headers[k] for k in ("etag", "last-modified", "content-length", "content-type")} == {
        k: get_headers[k] for k in ("etag", "last-modified", "content-length", "content-type")
    }


def test_anything_but_a_known_token_and_its_feed_is_404(daemon):
    good = daemon.url("platform")
    base, token = good.rsplit("/feeds/", 1)[0], good.split("/feeds/")[1].split("/")[0]
    for url in (
        f"{base}/feeds/{'x' * len(token)}/platform.ics",  # a made-up token
        daemon.url("brand").replace("brand.ics", "platform.ics"),  # another feed's token
        f"{base}/feeds/{token}/nosuchteam.ics",
        f"{base}/feeds/{token}/",
        f"{base}/",
    ):
        assert request(url)[0] == 404, url


def test_rotate_gives_a_new_url_and_the_old_one_stops_working(daemon, cli):
    old = daemon.url("brand")
    out = cli("feeds", "rotate", "Brand", "--config", daemon.config.path).output
    daemon.tokens["brand"] = out.split("/feeds/")[1].split("/")[0]
    new = daemon.url("brand")
    assert new != old and new in out and new.replace("http://", "webcal://") in out
    assert request(old)[0] == 404
    assert request(new)[0] == 200


def test_a_correction_reaches_the_served_feed_with_a_new_etag_and_sequence(daemon, cli, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_NOW", NOW.isoformat())  # the daemon's moment: the correction is not in its future
    url = daemon.url("brand")
    _, before, body = request(url)
    rows = json.loads(cli("milestones", "--team", "Brand", "--json", "--config", daemon.config.path).output)
    logo = next(m for m in rows if m["name"] == "Logo final")
    cli("correct", logo["id"], "--status", "at_risk", "--config", daemon.config.path)
    deadline = time.monotonic() + 15
    while (after := request(url, If_None_Match=before["etag"]))[0] == 304:
        assert time.monotonic() < deadline, "the daemon never served the corrected feed"
        time.sleep(0.2)
    status, headers, changed = after
    assert status == 200 and headers["etag"] != before["etag"]
    assert "SEQUENCE:1\r\n" in event_of(body, logo["id"]) and "SEQUENCE:2\r\n" in event_of(changed, logo["id"])
    assert "Logo final — ⚠ at risk" in event_of(changed, logo["id"])


def event_of(feed: bytes, milestone: int) -> str:
    return feed.decode().split(f"UID:milestone-{milestone}@")[1].split("END:VEVENT")[0]


def test_last_modified_moves_on_when_the_bytes_change_without_a_newer_change():
    # a milestone ignored or merged away changes the feed, yet no remaining milestone changed later:
    # If-Modified-Since must not answer 304 for bytes the client has not seen
    app = FeedApp(lambda feed, token: token == "t")
    day = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    app.publish([Feed("all", b"two events", '"a"', day)], NOW)
    app.publish([Feed("all", b"one event", '"b"', day - dt.timedelta(days=1))], NOW + dt.timedelta(minutes=1))
    assert app.feeds["all"].last_modified == NOW + dt.timedelta(minutes=1)
    app.publish([Feed("all", b"one event", '"b"', day - dt.timedelta(days=1))], NOW + dt.timedelta(minutes=2))
    assert app.feeds["all"].last_modified == NOW + dt.timedelta(minutes=1)  # same bytes: unchanged


def test_doctor_run_while_the_daemon_runs_finds_its_feed_server_on_the_taken_port(daemon, cli):
    listen = daemon.config.feeds.listen
    result = cli("doctor", "--config", daemon.config.path)
    assert f"ok   feeds listen: {listen} is served by a running slipwatch (its feed server answered)" in result.output
    assert "FAIL" not in result.output


# -- the server exposed to whoever can reach it ---------------------------------------------------------


def address(daemon) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(daemon.config.feeds.base_url)
    return parts.hostname, parts.port


def test_idle_connections_held_open_do_not_keep_a_real_request_waiting(daemon):
    # a connection that never sends a request once kept its place until waitress's 120 s
    # channel_timeout: a hundred of them stopped the server accepting anyone else
    idle = [socket.create_connection(address(daemon), timeout=5) for _ in range(150)]
    try:
        status, _, body = request(daemon.url("platform"), timeout=5)  # generous: it is answered at once
    finally:
        for sock in idle:
            sock.close()
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")


def test_a_post_is_refused_from_its_headers_before_any_body_is_read(daemon):
    huge = 300 * 1024 * 1024
    with socket.create_connection(address(daemon), timeout=5) as sock:
        sock.sendall(f"POST /upload HTTP/1.1\r\nHost: feeds\r\nContent-Length: {huge}\r\n\r\n".encode())
        answer = sock.recv(4096)  # not one byte of the body was sent
        spilled = spill(daemon, sock)
    assert answer.startswith(b"HTTP/1.1 405 ") and b"\r\nAllow: GET, HEAD\r\n" in answer
    assert spilled == []  # nothing of the body was written to a temporary file


def test_a_get_announcing_a_body_of_more_than_a_few_kilobytes_gets_413_at_once(daemon):
    with socket.create_connection(address(daemon), timeout=5) as sock:
        sock.sendall(f"GET {urllib.parse.urlsplit(daemon.url('all')).path} HTTP/1.1\r\nHost: feeds\r\n"
                     f"Content-Length: {300 * 1024 * 1024}\r\n\r\n".encode())
        answer = sock.recv(4096)
        spilled = spill(daemon, sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert spilled == []


def spill(daemon, sock: socket.socket) -> list[str]:
    """Send a megabyte of body (the server may have hung up already), then the daemon's open files in its $TMPDIR.

    waitress keeps a body of over 512 KB in a temporary file, unlinked at once: only /proc sees it.
    """
    try:
        for _ in range(16):
            sock.sendall(b"x" * 65536)
    except OSError:  # refused and closed: the rest of the body was never read
        pass
    time.sleep(0.5)  # let the server take in what was sent before looking
    fds = Path(f"/proc/{daemon.process.pid}/fd")
    targets = []
    for fd in fds.iterdir():
        try:
            targets.append(os.readlink(fd))
        except OSError:  # closed meanwhile
            continue
    return [t for t in targets if t.startswith(str(daemon.temp))]


def test_a_flood_of_wrong_tokens_writes_no_warning_per_request(daemon):
    # waitress logs its task queue's depth as a warning each time a request waits for a thread:
    # fifty clients once wrote thousands of lines in seconds, and journald dropped slipwatch's own
    good = daemon.url("platform")
    wrong = good.replace(good.split("/feeds/")[1].split("/")[0], "x" * 32)
    before = daemon.log.read_text()

    def client() -> list[int]:
        return [request(wrong)[0] for _ in range(20)]

    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        answers = [status for statuses in pool.map(lambda _: client(), range(50)) for status in statuses]
    assert answers == [404] * 1000
    written = daemon.log.read_text()[len(before):]
    assert "waitress.queue" not in written and "WARNING" not in written, written[:500]
