"""The feed commands: list the URLs, rotate one, write files without the daemon; the daemon writes them too."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import icalendar
import pytest

from slipwatch import config as config_mod, service
from slipwatch.errors import ConfigError
from tests.helpers import CONFIG
from tests.publish import deadlines
from tests.publish.deadlines import NOW


@pytest.fixture
def config(tmp_path):
    config = deadlines.write_config(tmp_path, 8025)
    deadlines.seed(config)
    return config


def test_feeds_shows_an_http_and_a_webcal_url_per_team_and_all_once(cli, config):
    out = cli("feeds", "--config", config.path).output
    urls = re.findall(r"http://127\.0\.0\.1:8025/feeds/([\w-]+)/([\w-]+)\.ics", out)
    assert [feed for _, feed in urls] == ["platform", "brand", "coast", "all"]
    assert all(len(token) >= 22 for token, _ in urls)  # at least 128 bits in URL-safe base64
    assert len({token for token, _ in urls}) == 4
    assert out.count("webcal://127.0.0.1:8025/feeds/") == 4
    assert "A new URL is shown this once: slipwatch keeps only a hash of its token." in out
    # the feed's token opens its team's schedule page too
    assert all(f"  page: http://127.0.0.1:8025/pages/{token}/{feed}/\n" in out for token, feed in urls)
    # the store keeps only hashes: the tokens are not shown again, nor made anew
    again = cli("feeds", "--config", config.path).output
    assert "  http://127.0.0.1:8025/feeds/<token>/platform.ics  (token made 2026-11-24)\n" in again
    assert "  page: http://127.0.0.1:8025/pages/<token>/platform/\n" in again
    assert not [token for token, _ in urls if token in again] and "webcal://" not in again
    assert ("A URL with <token> was shown when its token was made; `slipwatch feeds rotate TEAM` makes a new one "
            "(the old one then gets 404).") in again


def test_rotate_shows_the_new_url_once_and_refuses_an_unknown_team(cli, config):
    first = cli("feeds", "--config", config.path).output
    out = cli("feeds", "rotate", "coast", "--config", config.path).output
    (token,) = re.findall(r"http://127\.0\.0\.1:8025/feeds/([\w-]+)/coast\.ics", out)
    assert token not in first and f"webcal://127.0.0.1:8025/feeds/{token}/coast.ics" in out
    assert token not in cli("feeds", "--config", config.path).output
    out = cli("feeds", "rotate", "Sales", "--config", config.path, ok=False).output
    assert "no team 'Sales'" in out and "feeds: platform, brand, coast, all" in out


def test_feed_write_writes_one_team_to_a_file_or_every_feed_to_a_folder(cli, config, tmp_path, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_NOW", NOW.isoformat())
    target = tmp_path / "platform-deadlines.ics"
    out = cli("feed", "write", "--team", "Platform", "--output", target, "--config", config.path).output
    assert out.strip() == str(target)
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert calendar["X-WR-CALNAME"] == "Fernhill Outfitters: Platform deadlines"
    cli("feed", "write", "--config", config.path)  # to [feeds] directory
    assert sorted(p.name for p in config.feeds.directory.iterdir()) == ["all.ics", "brand.ics", "coast.ics",
                                                                         "platform.ics"]
    assert (config.feeds.directory / "platform.ics").read_bytes() == target.read_bytes()


def test_a_single_daemon_pass_writes_the_feed_directory(config, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_NOW", NOW.isoformat())
    (config.path.parent / "inbox").mkdir()
    service.run(config, once=True)
    written = config.feeds.directory / "coast.ics"
    assert written.stat().st_mode & 0o777 == 0o640  # the web server reads it through the folder's group
    assert b"SUMMARY:Polar Print: Proof approval \xe2\x80\x94 \xe2\x9a\xa0 overdue" in written.read_bytes()


def test_a_team_whose_feed_name_is_taken_is_refused(write_config):
    with pytest.raises(ConfigError, match=r'teams\[1\]\.name: "All" makes the feed name "all", which is .* taken'):
        config_mod.load(write_config(CONFIG + '\n[[teams]]\nname = "All"\ntimezone = "UTC"\n'))


def test_run_names_the_feed_command_instead_of_logging_secret_urls(cli, config, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_NOW", NOW.isoformat())
    (config.path.parent / "inbox").mkdir()
    result = cli("run", "--once", "--config", config.path)
    assert "`slipwatch feeds` lists their URLs" in result.output
    assert not re.search(r"/(feeds|pages)/[\w-]{22,}/", result.output)


def test_run_at_a_terminal_shows_the_new_feed_and_page_urls_once(config):
    """`make run` in a terminal: the URLs a person opens, with the tokens made now (stderr is a terminal)."""
    (config.path.parent / "inbox").mkdir()
    command = f"{sys.executable} -m slipwatch run --once --config {config.path}"
    shown = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "SLIPWATCH_NOW": NOW.isoformat()}).stdout
    (token,) = re.findall(r"http://127\.0\.0\.1:8025/feeds/([\w-]{22,})/platform\.ics", shown)
    assert f"page: http://127.0.0.1:8025/pages/{token}/platform/" in shown
