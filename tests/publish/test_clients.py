"""Real calendar clients read the served feeds: every deadline at its instant, on its date.

icalendar, ical.js (Thunderbird's parser) and libical each read every feed the
daemon serves; then vdirsyncer syncs the feeds from the daemon into folders,
as a subscriber's machine would, and khal lists them for a viewer in New York
and one in Kolkata.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import zoneinfo
from pathlib import Path

import icalendar
import pytest

from tests.publish.deadlines import DEADLINES

FEEDS = ("platform", "brand", "coast", "all")


def expected(feed: str) -> dict[str, str]:
    """Each deadline of a feed as the parsers print it: a UTC instant, or a date."""
    return {
        name: due.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(due, dt.datetime) else due.isoformat()
        for name, (feeds, due) in DEADLINES.items()
        if feed == "all" or feed in feeds
    }


def starts(events: list[dict]) -> dict[str, str]:
    """name -> start, with the milliseconds ical.js adds dropped."""
    return {e["summary"].split(": ", 1)[1].split(" — ")[0]: e["start"].replace(".000Z", "Z") for e in events}


def read_with_icalendar(body: bytes) -> list[dict]:
    found = []
    for event in icalendar.Calendar.from_ical(body).walk("VEVENT"):
        start = event.decoded("DTSTART")
        found.append({"summary": str(event["SUMMARY"]), "start": (
            start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(start, dt.datetime)
            else start.isoformat())})
    return found


@pytest.fixture(params=["icalendar", "ical.js", "libical"])
def parser(request):
    if request.param == "icalendar":
        return read_with_icalendar
    return request.getfixturevalue({"ical.js": "icaljs", "libical": "libical"}[request.param])


@pytest.mark.parametrize("feed", FEEDS)
def test_each_parser_finds_every_deadline_of_a_served_feed(daemon, parser, feed):
    assert starts(parser(daemon.get(feed))) == expected(feed)


@pytest.mark.parametrize("which", ["icaljs", "libical"])
def test_the_times_come_from_the_feeds_own_vtimezones(daemon, request, which):
    # under zone names no database knows, only the VTIMEZONEs in the feed can place the times
    parse = request.getfixturevalue(which)
    zones = {"platform": b"America/New_York", "brand": b"Europe/London", "coast": b"America/Los_Angeles"}
    for feed, zone in zones.items():
        renamed = daemon.get(feed).replace(zone, b"Fernhill/Test-" + zone.split(b"/")[1])
        assert starts(parse(renamed)) == expected(feed), feed


VDIRSYNCER = """
[general]
status_path = "{root}/status/"
"""

PAIR = """
[pair {feed}]
a = "{feed}_remote"
b = "{feed}_local"
collections = null
conflict_resolution = "a wins"

[storage {feed}_remote]
type = "http"
url = "{url}"

[storage {feed}_local]
type = "filesystem"
path = "{root}/calendars/{feed}/"
fileext = ".ics"
"""

KHAL = """
[calendars]
{calendars}

[locale]
local_timezone = {zone}
default_timezone = {zone}
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M

[sqlite]
path = {root}/khal.db
"""


@pytest.fixture(scope="module")
def synced(daemon, calendar_tools, tmp_path_factory) -> Path:
    """The team feeds, synced by vdirsyncer from the daemon's server into one folder each."""
    root = tmp_path_factory.mktemp("vdirsyncer")
    feeds = ("platform", "brand", "coast")
    config = root / "config"
    config.write_text(VDIRSYNCER.format(root=root) + "".join(
        PAIR.format(feed=f, url=daemon.url(f), root=root) for f in feeds))
    for feed in feeds:
        (root / "calendars" / feed).mkdir(parents=True)
    for command in (["discover"], ["sync"]):
        done = subprocess.run([calendar_tools / "vdirsyncer", "-c", config, *command], input="y\n" * 10,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    return root


def khal_list(tools: Path, root: Path, zone: str) -> dict[str, str]:
    """What khal shows a viewer in `zone`: title -> start, in the viewer's local time."""
    viewer = root / zone.replace("/", "-")
    viewer.mkdir(exist_ok=True)
    calendars = "\n".join(
        f"[[{d.name}]]\npath = {d}/\ntype = calendar" for d in sorted((root / "calendars").iterdir()))
    (viewer / "config").write_text(KHAL.format(calendars=calendars, zone=zone, root=viewer))
    done = subprocess.run(
        [tools / "khal", "-c", viewer / "config", "list", "--format", "{start}|{title}", "--day-format", "",
         "2026-10-01", "90d"],
        capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(viewer)},
    )
    assert done.returncode == 0, done.stderr
    shown = [line.split("|", 1) for line in done.stdout.splitlines() if "|" in line]
    return {title.split(": ", 1)[1].split(" — ")[0]: start.strip() for start, title in shown}


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"])
def test_khal_shows_each_deadline_at_the_viewers_local_time(synced, calendar_tools, zone):
    viewer = zoneinfo.ZoneInfo(zone)
    want = {
        name: due.astimezone(viewer).strftime("%Y-%m-%d %H:%M") if isinstance(due, dt.datetime) else due.isoformat()
        for name, (_, due) in DEADLINES.items()
    }
    assert khal_list(calendar_tools, synced, zone) == want


def test_khal_in_new_york_and_kolkata_spelled_out(synced, calendar_tools):
    new_york = khal_list(calendar_tools, synced, "America/New_York")
    kolkata = khal_list(calendar_tools, synced, "Asia/Kolkata")
    # written in Kolkata for 2 Nov 09:00: the evening before in New York, a day after New York's DST ended
    assert (new_york["UAT drop"], kolkata["UAT drop"]) == ("2026-11-01 22:30", "2026-11-02 09:00")
    # Manila's 20 Nov 09:00 (Coast team, Los Angeles): 19 Nov in New York, 20 Nov in Kolkata
    assert (new_york["Catalogue print"], kolkata["Catalogue print"]) == ("2026-11-19 20:00", "2026-11-20 06:30")
    # an all-day deadline stays on its date for everyone
    assert new_york["Shipping"] == kolkata["Shipping"] == "2026-11-20"
