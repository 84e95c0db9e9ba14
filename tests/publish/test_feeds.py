"""A feed as bytes: which milestones, at which times, saying what, and the same bytes for the same data."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest

from slipwatch import config as config_mod
from slipwatch.extract.model import Milestone
from slipwatch.publish import feeds as feeds_mod, publisher
from slipwatch.publish.feeds import Feed
from slipwatch.store import Store
from slipwatch.track import corrections, query
from tests.helpers import unlinked
from tests.publish import deadlines
from tests.publish.deadlines import CANCELLED, DEADLINES, NOW


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> config_mod.Config:
    config = deadlines.write_config(tmp_path_factory.mktemp("schedule"), 8025)
    deadlines.seed(config)
    return config


@pytest.fixture
def own_config(tmp_path) -> config_mod.Config:
    """A schedule of its own, for a test that changes it."""
    config = deadlines.write_config(tmp_path, 8025)
    deadlines.seed(config)
    return config


def render(config: config_mod.Config, at: dt.datetime = NOW) -> dict[str, Feed]:
    store = Store.open(config.store.path)
    try:
        return {feed.slug: feed for feed in publisher.render_all(config, store, at)}
    finally:
        store.close()


def events(feed: Feed) -> dict[str, icalendar.Event]:
    """The feed's events by milestone name, as icalendar reads them."""
    calendar = icalendar.Calendar.from_ical(feed.body)
    return {str(e["SUMMARY"]).split(": ", 1)[1].split(" — ")[0]: e for e in calendar.walk("VEVENT")}


def start(event: icalendar.Event) -> dt.date | dt.datetime:
    value = event.decoded("DTSTART")
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


def test_each_team_has_a_feed_of_its_milestones_and_all_has_every_one(config):
    feeds = render(config)
    assert list(feeds) == ["platform", "brand", "coast", "all"]
    for slug in ("platform", "brand", "coast"):
        assert set(events(feeds[slug])) == {name for name, (teams, _) in DEADLINES.items() if slug in teams}
    assert set(events(feeds["all"])) == set(DEADLINES)


def test_a_cancelled_milestone_leaves_the_feed(config):
    assert all(CANCELLED not in events(feed) for feed in render(config).values())


def test_every_deadline_is_at_its_instant_or_on_its_date_in_every_feed(config):
    for slug, feed in render(config).items():
        for name, event in events(feed).items():
            assert start(event) == DEADLINES[name][1], (slug, name)


def test_a_due_date_is_an_all_day_event_that_stays_on_its_date(config):
    # Manila's 20 Nov is 20 Nov in Los Angeles too: a date has no time to shift
    shipping = events(render(config)["coast"])["Shipping"]
    assert shipping["DTSTART"].params["VALUE"] == "DATE"
    assert (shipping.decoded("DTSTART"), shipping.decoded("DTEND")) == (dt.date(2026, 11, 20), dt.date(2026, 11, 21))


def test_a_due_instant_is_a_short_event_at_the_teams_wall_clock_time(config):
    # written in Kolkata as 2 Nov 09:00 +05:30; the Platform team is in New York, where it is 1 Nov 22:30 EST
    body = render(config)["platform"].body
    assert b"DTSTART;TZID=America/New_York:20261101T223000\r\n" in body
    assert b"DTEND;TZID=America/New_York:20261101T230000\r\n" in body
    # across the date line: Manila's 20 Nov 09:00 is 19 Nov 17:00 in Los Angeles
    assert b"DTSTART;TZID=America/Los_Angeles:20261119T170000\r\n" in render(config)["coast"].body


def test_around_a_dst_change_the_wall_clock_time_follows_the_zone(config):
    # 11:00 in London on both sides of the European change: BST the day before, GMT the day after
    brand = events(render(config)["brand"])
    assert brand["Logo final"].decoded("DTSTART").strftime("%d %b %H:%M %Z") == "24 Oct 11:00 BST"
    assert brand["Print proofs"].decoded("DTSTART").strftime("%d %b %H:%M %Z") == "26 Oct 11:00 GMT"


def test_the_hour_new_york_lives_twice_is_written_in_utc(config):
    # 01:30 on 1 Nov happens twice in New York; TZID would mean the first, the deadline is the second
    assert b"DTSTART:20261101T063000Z\r\n" in render(config)["platform"].body


def test_a_team_feed_carries_an_rrule_vtimezone_for_its_zone(config):
    body = render(config)["platform"].body
    (zone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert zone["TZID"] == "America/New_York" and [c.name for c in zone.subcomponents] == ["DAYLIGHT", "STANDARD"]
    # one yearly rule each, as Outlook expects: DST from the 2nd Sunday of March to the 1st of November
    assert b"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n" in body
    assert b"RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n" in body
    assert b"RDATE" not in body


def test_the_all_feed_writes_utc_and_needs_no_vtimezone(config):
    body = render(config)["all"].body
    assert b"BEGIN:VTIMEZONE" not in body and b"TZID=" not in body
    assert b"DTSTART:20261102T033000Z\r\n" in body


def test_the_summary_says_vendor_name_and_state(config):
    summaries = {name: str(e["SUMMARY"]) for f in render(config).values() for name, e in events(f).items()}
    assert summaries["Beta build"] == "Nimbus Labs: Beta build — ⚠ slipped +6d"
    assert summaries["Docs handover"] == "Harbor Code: Docs handover — ✓ delivered"
    assert summaries["Proof approval"] == "Polar Print: Proof approval — ⚠ overdue"
    assert summaries["UAT drop"] == "Nimbus Labs: UAT drop — planned"


def test_the_description_tells_project_dates_in_both_zones_and_who_said_what(config):
    text = str(events(render(config)["platform"])["Beta build"]["DESCRIPTION"])
    assert "Project: Trailhead" in text and "Vendor: Nimbus Labs" in text
    assert "Status: ⚠ slipped +6d (reported: delayed)" in text
    assert "Due: Fri 20 Nov 2026, all day; the vendor's day (Asia/Kolkata) ends Fri 20 Nov 2026 13:30 EST" in text
    assert "Baseline: Sat 14 Nov 2026" in text
    assert ("- Mon 12 Oct 2026 08:35 EDT: rahul.k@nimbuslabs.example (mail <slip@nimbuslabs.example>): "
            "delayed, due 2026-11-20 (moved from 2026-11-14)") in text
    assert "“Slight delay: the beta build moves to 20 Nov.”" in text
    uat = str(events(render(config)["platform"])["UAT drop"]["DESCRIPTION"])
    assert "Due: Sun 1 Nov 2026 22:30 EST (America/New_York) = Mon 2 Nov 2026 09:00 IST (Asia/Kolkata)" in uat


def test_identity_and_calendar_properties(config):
    feed = render(config)["platform"]
    calendar = icalendar.Calendar.from_ical(feed.body)
    assert "UID" not in calendar and "DTSTAMP" not in calendar
    assert calendar["X-WR-CALNAME"] == "Fernhill Outfitters: Platform deadlines"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in feed.body and b"X-PUBLISHED-TTL:PT1H\r\n" in feed.body
    beta = events(feed)["Beta build"]
    assert beta["UID"].startswith("milestone-") and beta["UID"].endswith("@fernhill.example")
    assert beta["SEQUENCE"] == 2  # two revisions: the plan, the slip
    slip_sent = dt.datetime(2026, 10, 12, 12, 35, tzinfo=dt.UTC)
    assert beta.decoded("DTSTAMP") == beta.decoded("LAST-MODIFIED") == slip_sent
    assert feed.last_modified == max(e.decoded("LAST-MODIFIED") for e in events(feed).values())


def test_lines_end_in_crlf_and_fold_at_75_octets(config):
    body = render(config)["all"].body
    assert body.endswith(b"END:VCALENDAR\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75


def test_the_same_data_gives_the_same_bytes(config, own_config):
    # the same schedule recorded into another store, rendered later while no state changes: the same but for
    # the token of its page links, which is the store's own
    again = render(own_config, NOW + dt.timedelta(hours=1))
    assert {slug: unlinked(f.body) for slug, f in render(config).items()} == {
        slug: unlinked(f.body) for slug, f in again.items()}
    assert {f.etag for f in render(own_config).values()} == {f.etag for f in again.values()}



def test_a_change_raises_sequence_and_changes_etag_and_stamp(own_config):
    before = render(own_config)["platform"]
    beta = events(before)["Beta build"]
    milestone = int(beta["UID"].split("-")[1].split("@")[0])
    store = Store.open(own_config.store.path)
    with store.transaction() as conn:
        corrections.correct(conn, milestone, author="maya", at=NOW, status="at_risk")
    store.close()
    after = render(own_config)["platform"]
    changed = events(after)["Beta build"]
    assert changed["SEQUENCE"] == beta["SEQUENCE"] + 1
    assert changed.decoded("LAST-MODIFIED") == NOW and after.last_modified == NOW
    assert after.etag != before.etag
    assert str(changed["SUMMARY"]) == "Nimbus Labs: Beta build — ⚠ at risk, slipped +6d"


def test_the_daemon_renders_again_only_the_event_of_the_milestone_that_changed(own_config, monkeypatch):
    """Each refresh renders every feed; an event is made once per zone and kept until its milestone changes."""
    made = []
    real = feeds_mod._event
    monkeypatch.setattr(feeds_mod, "_event", lambda view, *a: made.append(view.name) or real(view, *a))
    events_kept = feeds_mod.Events()
    store = Store.open(own_config.store.path)

    def refresh() -> dict[str, Feed]:
        feeds = {f.slug: f for f in publisher.render_all(own_config, store, NOW, events=events_kept)}
        events_kept.next_round()
        return feeds

    before = refresh()
    zones = {spec.timezone for spec in publisher.specs(own_config)}
    assert len(made) <= len(DEADLINES) * len(zones)  # not once per feed: the UTC feeds share theirs
    made.clear()
    assert refresh() == before and made == []
    beta = int(events(before["platform"])["Beta build"]["UID"].split("-")[1].split("@")[0])
    with store.transaction() as conn:
        corrections.correct(conn, beta, author="maya", at=NOW, status="at_risk")
    after = refresh()
    store.close()
    assert set(made) == {"Beta build"}
    assert after == render(own_config)  # the same bytes and ETags as rendering everything afresh
    assert after["platform"].etag != before["platform"].etag
    assert after["brand"] == before["brand"]  # a feed without the milestone keeps its ETag


def test_a_feed_changes_when_a_deadline_passes_and_says_since_when(config):
    # no mail in between: the moment alone makes "UAT drop" overdue, at its due instant
    due = DEADLINES["UAT drop"][1]
    before, after = render(config, due - dt.timedelta(seconds=1)), render(config, due + dt.timedelta(hours=1))
    assert after["platform"].etag != before["platform"].etag
    uat = events(after["platform"])["UAT drop"]
    assert str(uat["SUMMARY"]) == "Nimbus Labs: UAT drop — ⚠ overdue"
    assert uat.decoded("LAST-MODIFIED") == due and uat["SEQUENCE"] == 1


def test_times_read_back_in_the_teams_zone(config):
    # what a New York subscriber sees, read with the feed's own VTIMEZONE by icalendar
    ny = zoneinfo.ZoneInfo("America/New_York")
    platform = events(render(config)["platform"])
    seen = {n: e.decoded("DTSTART").astimezone(ny).strftime("%a %d %b %H:%M") for n, e in platform.items()
            if isinstance(e.decoded("DTSTART"), dt.datetime)}
    assert seen == {
        "UAT drop": "Sun 01 Nov 22:30",
        "Security review": "Sat 31 Oct 10:30",
        "Store listing": "Sun 01 Nov 01:30",
        "API freeze": "Sat 24 Oct 12:00",
        "Load test": "Mon 26 Oct 04:00",
    }


def uid(feed: Feed, name: str) -> int:
    return int(events(feed)[name]["UID"].split("-")[1].split("@")[0])


def test_the_daemons_feeds_stay_those_rendered_afresh_as_mail_corrections_and_the_clock_come(own_config,
                                                                                              monkeypatch):
    """After its first load the daemon loads again only the milestones that changed (query.LiveViews); after
    every step of a busy day its feeds are byte for byte those a full load renders at that moment."""
    at = [NOW]
    store = Store.open(own_config.store.path)
    daemon = publisher.Publisher(own_config, store, serve=False, now=lambda: at[0])
    loaded: list[set[int] | None] = []  # what each load was asked for: None is everything
    real_load = query.load
    monkeypatch.setattr(query, "load", lambda *a, only=None, **k: loaded.append(only and set(only))
                        or real_load(*a, only=only, **k))

    def served() -> dict[str, bytes]:
        return {slug: published.body for slug, published in daemon.app.feeds.items()}

    def step(*, recorded: bool = True) -> list[set[int] | None]:
        loaded.clear()
        daemon.refresh(force=recorded)
        asked = list(loaded)
        assert served() == {slug: feed.body for slug, feed in render(own_config, at[0]).items()}
        return asked

    daemon.start()
    first = {slug: feed for slug, feed in render(own_config).items()}
    beta, uat, review = (uid(first["platform"], n) for n in ("Beta build", "UAT drop", "Security review"))
    assert served() == {slug: feed.body for slug, feed in first.items()}

    assert step(recorded=False) == []  # nothing changed: nothing loaded
    deadlines.say(store, "Nimbus Labs", "rahul.k@nimbuslabs.example", "2026-10-15T15:00+05:30", [
        Milestone("UAT drop", "Trailhead", "2026-11-05T09:00+05:30", "delayed", previous_due="2026-11-02T09:00+05:30"),
        Milestone("Crash reporting", "Trailhead", "2026-10-16", "planned"),
    ], "uat-slip")
    [asked] = step()
    assert uat in asked and len(asked) == 2  # the slipped milestone and the new one
    with store.transaction() as conn:  # a correction mailed by staff, recorded by the daemon's pipeline
        corrections.correct(conn, beta, author="maya", at=at[0], status="at_risk")
    assert step() == [{beta}]
    with store.transaction() as conn:
        corrections.merge(conn, review, uat, author="maya", at=at[0])
    assert step() == [None]  # a merge: everything again
    cli = Store.open(own_config.store.path)  # a correction from the CLI, another connection
    with cli.transaction() as conn:
        corrections.ignore(conn, beta, author="maya", at=at[0])
    cli.close()
    assert step(recorded=False) == [None]
    # a mail sent "later" than the daemon's clock (the clock behind) is shown once the clock passes its send time
    deadlines.say(store, "Harbor Code", "ola@harborcode.example", "2026-10-15T18:00+02:00", [
        Milestone("Load test", "Backend", "2026-10-28T09:00+01:00", "delayed", previous_due="2026-10-26T09:00+01:00"),
    ], "load-slip")
    step()
    # the clock moves on (the daemon renders once a minute): past "Crash reporting"'s due and the later mail
    at[0] = NOW + dt.timedelta(days=2)
    assert len(step()[0]) == 2
    shown = events(Feed("all", served()["all"], "", None))
    assert str(shown["Crash reporting"]["SUMMARY"]) == "Nimbus Labs: Crash reporting — ⚠ overdue"
    assert str(shown["Load test"]["SUMMARY"]) == "Harbor Code: Load test — ⚠ slipped +2d"
    at[0] = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)  # past every due date
    step()
    at[0] = NOW  # a clock put back: everything again
    assert step() == [None]
    store.close()
