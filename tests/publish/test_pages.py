"""The schedule pages, served by `slipwatch run` beside the feeds, read over HTTP and in a real browser.

The browser is Debian's chromium driven by Selenium through Debian's
chromedriver (tests/system-deps.sh installs both; nothing is downloaded at test
time). Without them the browser tests are skipped loudly (failed under CI=true).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from slipwatch import config as config_mod
from slipwatch.extract.model import Milestone
from slipwatch.mail import read_message
from slipwatch.publish import digest, dispatch, links, pages, publisher, tokens, web
from slipwatch.service import open_store
from slipwatch.store import Location, Store
from slipwatch.track import query
from tests.helpers import record_mail, vendor_mail
from tests.publish.conftest import free_port, missing
from tests.publish.deadlines import write_config

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
HOSTILE = "<script>window.pwned = 1</script>Launch"  # a vendor's milestone name
HOSTILE_SUBJECT = "<script>window.pwned = 2</script>plan"  # the subject of a quarantined mail
PLAN_BODY = "Hi,\n\n<script>window.pwned = 4</script> our plan:\nBeta build on 14 Nov.\n\nRahul\n"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def seed(config: config_mod.Config) -> None:
    """Platform follows Nimbus Labs and Harbor Code: a slip, an overdue, a delivery, vendor markup, a held mail."""
    store = open_store(config)
    try:
        record_mail(store, [
            Milestone("Beta build", "Trailhead", "2026-11-14", "planned", evidence="Beta build on 14 Nov."),
            Milestone("Docs handover", "Trailhead", "2026-11-10", "planned"),
            Milestone(HOSTILE, "Trailhead", "2026-12-04", "planned",
                      evidence='<img src=x onerror="window.pwned = 3"> go-live on 4 Dec'),
        ], sent=dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), message_id="<plan@nimbuslabs.example>",
           body=PLAN_BODY, subject="Trailhead <b>plan</b>")
        record_mail(store, [
            Milestone("Beta build", "Trailhead", "2026-11-20", "delayed", previous_due="2026-11-14",
                      evidence="Slight delay: the beta build moves to 20 Nov."),
            Milestone("Docs handover", "Trailhead", "2026-11-09", "delivered", evidence="Docs handed over."),
        ], sent=dt.datetime(2026, 11, 12, 9, 0, tzinfo=dt.UTC), message_id="<slip@nimbuslabs.example>")
        record_mail(store, [Milestone("API freeze", "Backend", "2026-12-01", "at_risk")],
                    vendor="Harbor Code", sender="ola@harborcode.example",
                    sent=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), message_id="<freeze@harborcode.example>")
        record_mail(store, [Milestone("Logo final", "Rebrand", "2026-12-10", "planned")],
                    vendor="Estudio Norte", sender="ines@estudionorte.example",
                    sent=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), message_id="<logo@estudionorte.example>")
        raw = vendor_mail(subject=HOSTILE_SUBJECT, sender="someone@elsewhere.example", message_id="<held@x.example>")
        held = store.admit(raw, "<held@x.example>", Location("test", "held")).id
        with store.transaction() as conn:
            store.record_message(conn, held, read_message(raw), quarantine="sender not trusted: elsewhere.example")
    finally:
        store.close()


@dataclass
class Served:
    config: config_mod.Config
    tokens: dict[str, str]

    def page(self, feed: str = "platform", path: str = "", token: str | None = None) -> str:
        return links.pages_url(self.config.feeds.base_url or "", token or self.tokens[feed], feed) + path

    @property
    def origin(self) -> str:
        return self.config.feeds.base_url or ""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    """`slipwatch run` at NOW on the seeded schedule, on a free port."""
    folder = tmp_path_factory.mktemp("pages")
    config = write_config(folder, free_port())
    seed(config)
    store = Store.open(config.store.path)
    try:
        made = tokens.ensure(store, [spec.slug for spec in publisher.specs(config)])
    finally:
        store.close()
    log = folder / "daemon.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "slipwatch", "run", "--config", str(config.path)], stdout=out,
            stderr=subprocess.STDOUT, env={**os.environ, "SLIPWATCH_NOW": NOW.isoformat()},
        )
        running = Served(config, made)
        try:
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    get(running.page())
                    break
                except OSError:
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.1)
            yield running
        finally:
            process.terminate()
            assert process.wait(timeout=30) == 0, log.read_text()


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def open_milestones(served: Served, team: str) -> list[query.MilestoneView]:
    store = Store.open(served.config.store.path)
    try:
        views = query.load(store, as_of=NOW, teams=query.scopes(served.config.teams))
    finally:
        store.close()
    return [v for v in query.select(views, team=team) if v.state.reported_status not in ("delivered", "cancelled")]


def milestone_id(served: Served, name: str) -> int:
    return next(v.id for v in open_milestones(served, "Platform") if v.name == name)


# -- over HTTP -----------------------------------------------------------------


def test_a_page_forbids_scripts_and_other_origins_and_keeps_its_token_out_of_referers(served):
    status, headers, body = get(served.page())
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "style-src 'self'" in policy and "script-src" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert b"<script" not in body.replace(b"&lt;script", b"")


def test_a_page_asked_again_with_its_etag_is_304_without_a_body(served):
    _, headers, _ = get(served.page(path="vendors"))
    status, _, body = get(served.page(path="vendors"), **{"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")


@pytest.mark.parametrize("path", ["", "vendors", "quarantine", "style.css"])
def test_a_wrong_token_gets_the_feeds_404(served, path):
    feed_404 = get(f"{served.origin}/feeds/{'x' * 32}/platform.ics")
    status, _, body = get(served.page(token="x" * 32, path=path))
    assert (status, body) == (404, feed_404[2])
    assert get(served.page(token=served.tokens["brand"]))[0] == 404  # another team's token opens nothing here


def test_a_team_sees_only_its_own_milestones_even_by_id(served):
    logo = next(v.id for v in open_milestones(served, "Brand") if v.name == "Logo final")
    assert get(served.page("brand", f"milestones/{logo}"))[0] == 200
    assert get(served.page("platform", f"milestones/{logo}"))[0] == 404
    assert get(served.page("all", f"milestones/{logo}"))[0] == 200


def test_rotating_a_feed_closes_its_pages_at_once(served, cli):
    old = served.tokens["all"]
    out = cli("feeds", "rotate", "all", "--config", served.config.path).output
    served.tokens["all"] = out.split(f"{served.origin}/feeds/")[1].split("/")[0]
    assert f"page: {served.page('all')}" in out
    assert get(served.page("all", token=old))[0] == 404
    assert get(served.page("all"))[0] == 200


def test_the_schedule_filters_by_vendor_and_status(served):
    harbor = get(served.page(path="?vendor=Harbor+Code"))[2].decode()
    assert "API freeze" in harbor and "Beta build" not in harbor
    slipped = get(served.page(path="?status=slipped"))[2].decode()
    assert "Beta build" in slipped and "API freeze" not in slipped and "1 of 3 shown" in slipped


# -- the pages, pure -----------------------------------------------------------


def test_the_timeline_draws_a_slip_as_the_distance_from_baseline_to_due():
    scale = pages.Scale.over([dt.date(2026, 11, 1), dt.date(2026, 11, 30)])
    assert scale.x(dt.date(2026, 11, 20)) - scale.x(dt.date(2026, 11, 14)) == pytest.approx(6 / scale.days * pages.WIDTH,
                                                                                           abs=0.1)


# -- in a browser --------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Headless chromium under Selenium, logging its console and every request it makes."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        missing("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


def visit(browser, url: str) -> tuple[list[str], list[str]]:
    """Open `url`; the console errors and the URLs of every request it made."""
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(url)
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    requested = []
    for entry in browser.get_log("performance"):
        if '"Network.requestWillBeSent"' in entry["message"]:
            requested.append(json.loads(entry["message"])["message"]["params"]["request"]["url"])
    return errors, requested


@pytest.mark.parametrize("path", ["", "vendors", "quarantine", "story", "mail"])
def test_each_page_loads_without_console_errors_and_asks_nothing_of_another_origin(served, browser, path):
    if path == "story":
        path = f"milestones/{milestone_id(served, 'Beta build')}"
    if path == "mail":
        path = f"messages/{plan_message(served)}"
    errors, requested = visit(browser, served.page(path=path))
    assert errors == []
    assert requested and all(url.startswith(served.origin + "/") for url in requested), requested
    assert browser.find_element("css selector", "header nav")  # the stylesheet loaded with it: no error above


def plan_message(served: Served) -> int:
    store = Store.open(served.config.store.path)
    try:
        return store.conn.execute("SELECT id FROM messages WHERE subject = 'Trailhead <b>plan</b>'").fetchone()[0]
    finally:
        store.close()


def test_a_story_links_each_mail_to_its_headers_and_text(served, browser):
    visit(browser, served.page(path=f"milestones/{milestone_id(served, 'Beta build')}"))
    browser.find_element("link text", "mail <plan@nimbuslabs.example>").click()
    assert browser.current_url == served.page(path=f"messages/{plan_message(served)}")
    main = browser.find_element("tag name", "main").text
    assert "Trailhead <b>plan</b>" in main and "rahul.k@nimbuslabs.example" in main
    assert "<script>window.pwned = 4</script> our plan:\nBeta build on 14 Nov." in main
    assert browser.execute_script("return window.pwned === undefined")


def test_a_team_sees_only_the_mail_of_its_own_milestones(served):
    logo_mail = next(v.revisions[0].message for v in open_milestones(served, "Brand"))
    assert get(served.page("brand", f"messages/{logo_mail}"))[0] == 200
    assert get(served.page("platform", f"messages/{logo_mail}"))[0] == 404
    assert get(served.page("platform", "messages/999999"))[0] == 404


def test_vendor_markup_shows_as_text_and_never_runs(served, browser):
    visit(browser, served.page())
    assert HOSTILE in browser.find_element("css selector", "table.timeline").text
    visit(browser, served.page(path=f"milestones/{milestone_id(served, HOSTILE)}"))
    assert '<img src=x onerror="window.pwned = 3"> go-live on 4 Dec' in browser.find_element("tag name", "main").text
    visit(browser, served.page(path="quarantine"))
    assert HOSTILE_SUBJECT in browser.find_element("css selector", "table.held").text
    assert browser.execute_script("return window.pwned === undefined")


def test_the_timeline_holds_one_bar_per_open_milestone(served, browser):
    visit(browser, served.page())
    bars = browser.find_elements("css selector", "table.timeline g.bar")
    shown = sorted(int(b.get_attribute("data-milestone")) for b in bars)
    assert shown == sorted(v.id for v in open_milestones(served, "Platform"))
    assert len(shown) == 3  # Beta build, the hostile one, API freeze: not the delivered handover
    overdue = browser.find_elements("css selector", "table.timeline tr.overdue g.bar")
    assert [b.get_attribute("data-milestone") for b in overdue] == [str(milestone_id(served, "Beta build"))]


def test_a_wrong_token_shows_the_browser_nothing_but_404(served, browser):
    visit(browser, served.page(token="x" * 32))
    assert browser.find_element("tag name", "body").text == "no such feed"


# -- links from the digest and the feeds ---------------------------------------


def feed_links(served: Served, feed: str) -> dict[str, str]:
    """Each event's SUMMARY -> its URL property, from the served feed (unfolded)."""
    _, _, body = get(f"{served.origin}/feeds/{served.tokens[feed]}/{feed}.ics")
    out, summary = {}, ""
    for line in body.replace(b"\r\n ", b"").decode().split("\r\n"):
        if line.startswith("SUMMARY:"):
            summary = line.removeprefix("SUMMARY:")
        elif line.startswith("URL:"):
            out[summary] = line.removeprefix("URL:")
    return out


def link_of(served: Served, feed: str, event: str) -> str:
    """The URL of the feed's event whose SUMMARY begins with `event` ("Vendor: name")."""
    return next(url for summary, url in feed_links(served, feed).items() if summary.startswith(event))


def test_a_feed_event_links_to_its_milestone_page_in_its_url_and_description(served):
    _, _, body = get(f"{served.origin}/feeds/{served.tokens['platform']}/platform.ics")
    beta = link_of(served, "platform", "Nimbus Labs: Beta build")
    assert beta.startswith(f"{served.origin}/pages/") and beta.endswith(f"/platform/milestones/"
                                                                          f"{milestone_id(served, 'Beta build')}")
    assert served.tokens["platform"] not in beta  # the link token, not the feed's: the feed stays hash-only
    link_token = beta.split("/pages/")[1].split("/")[0]
    assert get(f"{served.origin}/feeds/{link_token}/platform.ics")[0] == 404  # it opens the pages, not the feed
    assert get(links.pages_url(served.origin, link_token, "brand"))[0] == 404  # nor another team's pages
    assert f"Its page: {beta}".encode() in body.replace(b"\r\n ", b"")
    status, _, page = get(beta)
    assert status == 200 and b"Slight delay: the beta build moves to 20 Nov." in page


def test_a_digest_line_links_to_its_milestone_page(served):
    store = Store.open(served.config.store.path)
    try:
        d = dispatch.preview(store, served.config, "Platform", NOW)
    finally:
        store.close()
    lines = [line for v in d.vendors for p in v.projects for ls in p.lines.values() for line in ls]
    beta = next(line for line in lines if line.name == "Beta build")
    assert beta.url == link_of(served, "platform", "Nimbus Labs: Beta build")
    assert get(beta.url)[0] == 200
    text = digest.render(d, sender="s@fernhill.example", recipients=["t@fernhill.example"], message_id="<m@x>")
    assert beta.url in text.get_body(("plain",)).get_content()
    assert f'href="{beta.url}"' in text.get_body(("html",)).get_content()


def test_rotating_a_feed_revokes_the_page_links_made_so_far(served, cli):
    logo = "Estudio Norte: Logo final"
    old = link_of(served, "brand", logo)
    out = cli("feeds", "rotate", "brand", "--config", served.config.path).output
    served.tokens["brand"] = out.split(f"{served.origin}/feeds/")[1].split("/")[0]
    assert get(old)[0] == 404
    deadline = time.monotonic() + 20
    while (new := link_of(served, "brand", logo)) == old:  # the daemon renders again within its poll
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert get(new)[0] == 200


def test_a_page_is_rendered_again_from_each_new_snapshot(served):
    """Pages are kept per snapshot: the daemon's next render shows, the one before is gone."""
    store = Store.open(served.config.store.path)
    try:
        def snapshot(at: dt.datetime) -> pages.Snapshot:
            return pages.Snapshot(at, tuple(query.load(store, as_of=at, teams=query.scopes(served.config.teams))))

        before, after = snapshot(dt.datetime(2026, 11, 5, tzinfo=dt.UTC)), snapshot(NOW)
    finally:
        store.close()
    app = web.PageApp(lambda feed, token: token == "t", publisher.page_teams(served.config), lambda message: None)

    def beta_label() -> str:
        answers: list[str] = []
        body = b"".join(app({"PATH_INFO": "/pages/t/platform/", "REQUEST_METHOD": "GET"},
                            lambda status, headers: answers.append(status)))
        assert answers == ["200 OK"]
        row = body.decode().split("Beta build</a>")[1].split("</tr>")[0]
        return row.split('<span class="pill">')[1].split("</span>")[0]

    app.publish(before)
    assert beta_label() == "planned"
    app.publish(after)
    assert beta_label() == "⚠ overdue, slipped +6d"
