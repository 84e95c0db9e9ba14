"""The daemon serves each feed at its secret URL: cacheable, never compressed, 404 for anything else."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import time
import urllib.parse
from email.utils import format_datetime, parsedate_to_datetime

from slipwatch.publish import publisher
from slipwatch.publish.feeds import Feed
from slipwatch.publish.http import FeedApp
from slipwatch.store import Store
from tests.publish.deadlines import NOW


def request(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
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
