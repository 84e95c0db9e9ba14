"""People fix what the machine got wrong: by CLI and by mail, each a revision with its author."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from slipwatch.errors import CorrectionError
from slipwatch.extract.model import Milestone
from slipwatch.store import Store
from slipwatch.track.corrections import Command, parse_command
from tests.helpers import record_mail, vendor_mail

SENT = dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


@pytest.fixture
def seeded(config_file):
    """A store with one vendor message about two milestones: Beta build (1) and App Store submission (2)."""
    store = Store.open(config_file.parent / "slipwatch.db")
    record_mail(store, [
        Milestone("Beta build", "Trailhead", "2026-11-20", "planned", evidence="Beta build on 20 Nov."),
        Milestone("App Store submission", "Trailhead", "2026-12-04", "planned"),
    ], sent=SENT, message_id="<plan@nimbuslabs.example>")
    store.close()
    return config_file


def show(cli, config_file, milestone: int) -> dict:
    return json.loads(cli("show", milestone, "--json", "--config", config_file).output)


def test_correct_by_cli_is_a_revision_by_the_person(cli, seeded, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_USER", "maya")
    cli("correct", 1, "--due", "2026-12-09", "--config", seeded)
    view = show(cli, seeded, 1)
    assert view["due"] == "2026-12-09" and view["slip_days"] == 19
    last = view["revisions"][-1]
    assert (last["kind"], last["author"], last["previous_due"]) == ("correction", "maya", "2026-11-20")
    assert "corrected by maya: due 2026-12-09" in cli("show", 1, "--config", seeded).output


def test_correct_status_and_name(cli, seeded):
    cli("correct", 2, "--status", "cancelled", "--name", "Store submission", "--config", seeded)
    view = show(cli, seeded, 2)
    assert (view["status"], view["name"], view["due"]) == ("cancelled", "Store submission", "2026-12-04")


def test_a_bad_correction_is_explained(cli, seeded):
    assert "no milestone 99" in cli("correct", 99, "--status", "planned", "--config", seeded, ok=False).output
    out = cli("correct", 1, "--due", "next week", "--config", seeded, ok=False).output
    assert "write a date as YYYY-MM-DD" in out


def test_ignore_hides_and_undo_shows_again(cli, seeded):
    cli("ignore", 2, "--config", seeded)
    assert [m["id"] for m in json.loads(cli("milestones", "--json", "--config", seeded).output)] == [1]
    assert "ignored by" in cli("show", 2, "--config", seeded).output
    cli("ignore", 2, "--undo", "--config", seeded)
    assert len(json.loads(cli("milestones", "--json", "--config", seeded).output)) == 2


def test_merge_then_split_restores_both(cli, seeded):
    cli("merge", 1, 2, "--config", seeded)
    merged = json.loads(cli("milestones", "--json", "--config", seeded).output)
    assert [m["id"] for m in merged] == [1] and len(merged[0]["revisions"]) == 2
    cli("split", 2, "--config", seeded)
    assert [m["id"] for m in json.loads(cli("milestones", "--json", "--config", seeded).output)] == [1, 2]


def test_split_moves_chosen_revisions_to_a_new_milestone(cli, seeded):
    out = cli("split", 1, "--revision", 1, "--config", seeded).output
    assert "milestone 3 stands on its own" in out
    assert show(cli, seeded, 3)["revisions"][0]["due"] == "2026-11-20"


def test_a_split_is_told_in_words(cli, seeded, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_USER", "maya")
    for due in ("2026-12-09", "2026-12-11"):
        cli("correct", 1, "--due", due, "--config", seeded)  # revisions 3 and 4
    cli("split", 1, "--revision", 3, "--revision", 4, "--config", seeded)
    assert "split by maya: revisions 3, 4 moved to milestone 3" in cli("show", 1, "--config", seeded).stdout


def staff_reply(first_line: str, in_reply_to: str = "<plan@nimbuslabs.example>") -> bytes:
    raw = vendor_mail(f"{first_line}\n\nThanks,\nMaya\n", sender="Maya Chen <maya.chen@fernhill.example>",
                      subject="Re: Trailhead plan", date=dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC))
    return raw.replace(b"Subject:", f"In-Reply-To: {in_reply_to}\nSubject:".encode(), 1)


def test_a_correction_by_mail_names_the_staff_member(cli, seeded, tmp_path):
    (tmp_path / "fix.eml").write_bytes(staff_reply("slipwatch: delivered #1"))
    cli("ingest", tmp_path / "fix.eml", "--config", seeded)
    last = show(cli, seeded, 1)["revisions"][-1]
    assert (last["status"], last["author"], last["kind"]) == ("delivered", "maya.chen@fernhill.example", "correction")


def test_a_mailed_correction_about_several_milestones_fails_with_the_fix(cli, seeded, tmp_path):
    (tmp_path / "fix.eml").write_bytes(staff_reply("slipwatch: due 2026-12-09"))
    assert cli("ingest", tmp_path / "fix.eml", "--config", seeded, ok=False).exit_code == 1
    (failed,) = json.loads(cli("messages", "--state", "failed", "--json", "--config", seeded).output)
    assert "about 2 milestones; name one as '#ID'" in failed["error"]


@pytest.mark.parametrize(
    "line, command",
    [
        ("slipwatch: ignore", Command("ignore", None, None)),
        ("Slipwatch: due 2026-12-09", Command("due", "2026-12-09", None)),
        ("slipwatch: at risk #12", Command("status", "at_risk", 12)),
        ("slipwatch: delivered", Command("status", "delivered", None)),
        ("slipwatch: name UAT build #3", Command("name", "UAT build", 3)),
        ("Hi team, see below", None),
    ],
)
def test_mail_commands(line, command):
    assert parse_command(f"\n{line}\nrest of the mail") == command


def test_an_unknown_mail_command_is_explained():
    with pytest.raises(CorrectionError, match="is not a command; write one of"):
        parse_command("slipwatch: please fix")


def test_corrections_by_cli_and_by_mail_reach_the_feed_and_the_digest(cli, seeded, tmp_path, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_NOW", "2026-11-23T12:00:00+00:00")

    def feed() -> str:
        cli("feed", "write", "--team", "Platform", "--output", tmp_path / "platform.ics", "--config", seeded)
        return (tmp_path / "platform.ics").read_text().replace("\r\n ", "")

    def digest() -> str:
        return cli("digest", "preview", "--team", "Platform", "--config", seeded).output

    assert "DTSTART;VALUE=DATE:20261120" in feed()
    cli("correct", 1, "--due", "2026-12-09", "--config", seeded)
    assert "DTSTART;VALUE=DATE:20261209" in feed() and "DTSTART;VALUE=DATE:20261120" not in feed()
    assert "Fri 20 Nov 2026 → Wed 09 Dec 2026 (+19 days, 1st slip)" in digest()

    (tmp_path / "fix.eml").write_bytes(staff_reply("slipwatch: cancelled #2"))
    cli("ingest", tmp_path / "fix.eml", "--config", seeded)
    assert "App Store submission" not in feed()  # cancelled milestones leave the feed
    assert "App Store submission" not in digest()
    assert "corrected by maya.chen@fernhill.example: status cancelled" in cli("show", 2, "--config", seeded).output
