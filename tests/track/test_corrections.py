"""People fix what the machine got wrong: by CLI and by mail, each a revision with its author."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import icalendar
import pytest

from slipwatch.errors import CorrectionError
from slipwatch.extract.model import Milestone
from slipwatch.store import Store
from slipwatch.store.migrations import MIGRATIONS, migrate, utc_key
from slipwatch.track import query
from slipwatch.track.corrections import Command, parse_command
from tests.helpers import CONFIG, record_mail, vendor_mail, with_smtp
from tests.servers.smtp import PASSWORD

SENT = dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


def seed(config_file) -> None:
    """One vendor message about two milestones: Beta build (1) and App Store submission (2)."""
    store = Store.open(config_file.parent / "slipwatch.db")
    record_mail(store, [
        Milestone("Beta build", "Trailhead", "2026-11-20", "planned", evidence="Beta build on 20 Nov."),
        Milestone("App Store submission", "Trailhead", "2026-12-04", "planned"),
    ], sent=SENT, message_id="<plan@nimbuslabs.example>")
    store.close()


@pytest.fixture
def seeded(config_file):
    seed(config_file)
    return config_file


def show(cli, config_file, milestone: int) -> dict:
    return json.loads(cli("show", milestone, "--json", "--config", config_file).output)


def test_correct_by_cli_fixes_a_misread_without_charging_the_vendor(cli, seeded, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_USER", "maya")
    cli("correct", 1, "--due", "2026-12-09", "--config", seeded)
    view = show(cli, seeded, 1)
    # the plan said 9 December: it is the baseline, and nothing slipped
    assert (view["due"], view["baseline_due"], view["slip_days"], view["slips"]) == ("2026-12-09", "2026-12-09", 0, 0)
    last = view["revisions"][-1]
    assert (last["kind"], last["author"], last["amends"]) == ("correction", "maya", view["revisions"][0]["id"])
    out = cli("show", 1, "--config", seeded).output
    assert "corrected by maya: due 2026-12-09, not 2026-11-20 as read since the mail of 2026-11-02" in out


def test_a_staff_move_by_cli_keeps_who_and_why_and_charges_no_slip(cli, seeded, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_USER", "maya")
    cli("correct", 1, "--due", "2026-12-04", "--moved-by", "staff",
        "--reason", "we asked them to hold until our API is ready", "--config", seeded)
    view = show(cli, seeded, 1)
    assert (view["due"], view["baseline_due"], view["slip_days"], view["staff_days"]) == ("2026-12-04", "2026-11-20", 0, 14)
    last = view["revisions"][-1]
    assert (last["kind"], last["author"], last["reason"]) == ("staff", "maya", "we asked them to hold until our API is ready")
    out = cli("show", 1, "--config", seeded).output
    assert "staff move by maya: due 2026-11-20 → 2026-12-04, because we asked them to hold until our API is ready" in out
    assert cli("milestones", "--slipped", "--json", "--config", seeded).output.strip() == "[]"


def test_a_vendor_move_told_by_phone_is_the_vendors_slip(cli, seeded):
    cli("correct", 1, "--due", "2026-11-27", "--moved-by", "vendor", "--reason", "Rahul phoned", "--config", seeded)
    view = show(cli, seeded, 1)
    assert (view["slip_days"], view["slips"], view["staff_days"]) == (7, 1, 0)
    assert view["revisions"][-1]["kind"] == "vendor"


def test_a_move_needs_a_reason_and_an_open_milestone(cli, seeded):
    out = cli("correct", 1, "--due", "2026-12-04", "--moved-by", "staff", "--config", seeded, ok=False).output
    assert "a move by staff needs a reason: --reason WHY" in out
    cli("correct", 2, "--status", "delivered", "--config", seeded)
    out = cli("correct", 2, "--due", "2026-12-18", "--moved-by", "staff", "--reason", "hold", "--config", seeded,
              ok=False).output
    assert "milestone 2 is delivered: there is no date left to move" in out
    out = cli("correct", 1, "--due", "2026-11-20", "--config", seeded, ok=False).output
    assert "milestone 1 is already due 2026-11-20; nothing to correct" in out


def test_rebaseline_measures_the_vendor_from_the_current_date(cli, seeded, monkeypatch):
    monkeypatch.setenv("SLIPWATCH_USER", "maya")
    cli("correct", 1, "--due", "2026-11-27", "--moved-by", "vendor", "--reason", "Rahul phoned", "--config", seeded)
    assert "milestone 1 rebaselined" in cli("rebaseline", 1, "--reason", "new plan agreed", "--config", seeded).output
    view = show(cli, seeded, 1)
    assert (view["baseline_due"], view["slip_days"], view["slips"]) == ("2026-11-27", 0, 0)
    assert (view["revisions"][-1]["kind"], view["revisions"][-1]["reason"]) == ("rebaseline", "new plan agreed")
    assert "rebaselined by maya: the vendor is measured from 2026-11-27, because new plan agreed" in cli(
        "show", 1, "--config", seeded).output


def test_rebaseline_to_another_date_moves_the_due_date_too(cli, seeded):
    cli("rebaseline", 1, "--due", "2026-12-11", "--reason", "scope grew", "--config", seeded)
    view = show(cli, seeded, 1)
    assert (view["due"], view["baseline_due"], view["slip_days"], view["staff_days"]) == ("2026-12-11", "2026-12-11", 0, 0)
    assert "Missing option '--reason'" in cli("rebaseline", 1, "--config", seeded, ok=False).output


def test_date_corrections_made_before_the_upgrade_count_as_they_did(tmp_path):
    """Before a person could say who moved a date, a date correction was charged to the vendor: upgrading
    the database keeps every figure (rebaseline forgives what should not have been)."""
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    migrate(conn, MIGRATIONS[:7])
    conn.execute("INSERT INTO vendors (name) VALUES ('Nimbus Labs')")
    conn.execute("INSERT INTO milestones (vendor, name, created_at) VALUES (1, 'Beta build', '2026-11-02')")
    for sent, due, previous, kind in (("2026-11-02T10:00:00+05:30", "2026-11-20", None, "mail"),
                                      ("2026-11-10T10:00:00+00:00", "2026-11-27", "2026-11-20", "correction")):
        conn.execute("INSERT INTO milestone_revisions (milestone, sent, sent_utc, due, status, previous_due, kind,"
                     " recorded_at) VALUES (1, ?, ?, ?, 'planned', ?, ?, '2026-11-10')",
                     (sent, utc_key(sent), due, previous, kind))
    conn.close()
    store = Store.open(tmp_path / "old.db")
    (view,) = query.load(store, as_of=dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    store.close()
    assert (view.state.slip_days, view.state.slips, view.state.staff_days) == (7, 1, 0)


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


def staff_reply(first_line: str, in_reply_to: str = "<plan@nimbuslabs.example>", headers: str = "") -> bytes:
    raw = vendor_mail(f"{first_line}\n\nThanks,\nMaya\n", sender="Maya Chen <maya.chen@fernhill.example>",
                      subject="Re: Trailhead plan", date=dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC),
                      message_id="<fix@fernhill.example>")
    return raw.replace(b"Subject:", f"In-Reply-To: {in_reply_to}\n{headers}Subject:".encode(), 1)


def mail_in(cli, config, tmp_path, first_line: str, **reply) -> str:
    """Ingest a staff member's reply to the plan; the `ingest` summary."""
    (tmp_path / "fix.eml").write_bytes(staff_reply(first_line, **reply))
    return cli("ingest", tmp_path / "fix.eml", "--config", config, ok=False).output  # exit 1 when it failed


def failed(cli, config) -> list[dict]:
    return json.loads(cli("messages", "--state", "failed", "--json", "--config", config).output)


def outbox(cli, config) -> list[dict]:
    return json.loads(cli("outbox", "--json", "--config", config).output)


def test_a_correction_by_mail_names_the_staff_member(cli, seeded, tmp_path):
    mail_in(cli, seeded, tmp_path, "slipwatch: delivered #1")
    last = show(cli, seeded, 1)["revisions"][-1]
    assert (last["status"], last["author"], last["kind"]) == ("delivered", "maya.chen@fernhill.example", "correction")


def test_a_staff_move_by_mail_keeps_the_reason(cli, seeded, tmp_path):
    mail_in(cli, seeded, tmp_path, "slipwatch: due 2026-12-04 moved by staff because we asked them to hold #1")
    view = show(cli, seeded, 1)
    assert (view["due"], view["slip_days"], view["staff_days"]) == ("2026-12-04", 0, 14)
    last = view["revisions"][-1]
    assert (last["kind"], last["author"], last["reason"]) == ("staff", "maya.chen@fernhill.example", "we asked them to hold")


def test_a_rebaseline_by_mail(cli, seeded, tmp_path):
    mail_in(cli, seeded, tmp_path, "slipwatch: rebaseline 2026-12-11 #2 because the store review takes longer")
    view = show(cli, seeded, 2)
    assert (view["due"], view["baseline_due"], view["revisions"][-1]["kind"]) == ("2026-12-11", "2026-12-11", "rebaseline")


def test_a_correction_mail_that_cannot_apply_fails_once_and_its_sender_is_told(cli, seeded, tmp_path):
    assert "0 new, 0 duplicate, 1 failed" in mail_in(cli, seeded, tmp_path, "slipwatch: due 2026-12-18")
    (message,) = failed(cli, seeded)
    # reading it again gives the same answer: failed for good at the first attempt, not tried three times
    assert message["attempts"] == 3
    assert ("the message you replied to is about 2 milestones: #1 Beta build (due 2026-11-20), "
            "#2 App Store submission (due 2026-12-04); say which by adding its #ID") in message["error"]
    store = Store.open(seeded.parent / "slipwatch.db")
    assert store.unfinished(max_attempts=3) == []
    store.close()
    # the same mail again: still failed (as before), not read again, and not answered twice
    assert "0 new, 0 duplicate, 1 failed" in mail_in(cli, seeded, tmp_path, "slipwatch: due 2026-12-18")
    (notice,) = outbox(cli, seeded)
    assert (notice["kind"], notice["recipients"], notice["sent_at"]) == ("notice", "maya.chen@fernhill.example", None)


def test_the_answer_is_sent_once_threaded_to_the_staff_mail(cli, write_config, tmp_path, smtp_server, smtp_inbox,
                                                            monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PW", PASSWORD)
    config = write_config(with_smtp(CONFIG, smtp_server, tmp_path))
    seed(config)
    mail_in(cli, config, tmp_path, "slipwatch: due 2026-12-18",
            headers="References: <kickoff@nimbuslabs.example> <plan@nimbuslabs.example>\n")
    cli("outbox", "--retry", "--config", config)
    cli("outbox", "--retry", "--config", config)
    (answer,) = smtp_inbox.received
    assert answer.recipients == ["maya.chen@fernhill.example"]
    mail = answer.message
    assert (mail["Subject"], mail["In-Reply-To"], mail["Auto-Submitted"]) == (
        "Re: Trailhead plan", "<fix@fernhill.example>", "auto-replied")
    assert mail["References"].split() == ["<kickoff@nimbuslabs.example>", "<plan@nimbuslabs.example>",
                                          "<fix@fernhill.example>"]
    body = mail.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert "Your correction was not applied:\n\n    slipwatch: due 2026-12-18\n" in body
    assert "#1 Beta build (due 2026-11-20)" in body and "adding its #ID at the end of the line" in body
    (row,) = outbox(cli, config)
    assert row["sent_at"] and row["attempts"] == 1


def test_automatic_mail_gets_no_answer(cli, seeded, tmp_path):
    mail_in(cli, seeded, tmp_path, "slipwatch: due 2026-12-18", headers="Auto-Submitted: auto-replied\n")
    assert len(failed(cli, seeded)) == 1 and outbox(cli, seeded) == []


@pytest.mark.parametrize(
    "line, reason",
    [
        ("slipwatch: delivered #99", "no milestone 99; the message you replied to is about #1 Beta build (due 2026-11-20), "
                                     "#2 App Store submission (due 2026-12-04)"),
        ("slipwatch: due next week #1", "due 'next week': write a date as YYYY-MM-DD"),
        ("slipwatch: due 2026-12-04 moved by staff #1", "a move by staff needs a reason"),
        ("slipwatch: due 2026-12-04 moved by them because hold #1", "moved by 'them': write staff (we moved it)"),
        ("slipwatch: please fix", "is not a command; write one of: due YYYY-MM-DD"),
    ],
)
def test_what_no_retry_can_mend_fails_for_good_with_an_answer(cli, seeded, tmp_path, line, reason):
    mail_in(cli, seeded, tmp_path, line)
    (message,) = failed(cli, seeded)
    assert message["attempts"] == 3 and reason in message["error"]
    assert len(outbox(cli, seeded)) == 1


@pytest.mark.parametrize(
    "line, command",
    [
        ("slipwatch: ignore", Command("ignore", None, None)),
        ("Slipwatch: due 2026-12-09", Command("due", "2026-12-09", None)),
        ("slipwatch: at risk #12", Command("status", "at_risk", 12)),
        ("slipwatch: delivered", Command("status", "delivered", None)),
        ("slipwatch: name UAT build #3", Command("name", "UAT build", 3)),
        ("slipwatch: due 2026-12-18 moved by staff because we asked them to hold #4",
         Command("due", "2026-12-18", 4, moved_by="staff", reason="we asked them to hold")),
        ("slipwatch: due 2026-12-18 moved by Vendor #4 because Rahul phoned",
         Command("due", "2026-12-18", 4, moved_by="vendor", reason="Rahul phoned")),
        ("slipwatch: rebaseline because the new plan is agreed", Command("rebaseline", None, None,
                                                                          reason="the new plan is agreed")),
        ("slipwatch: rebaseline 2026-12-11 because see ticket #123 #2",
         Command("rebaseline", "2026-12-11", 2, reason="see ticket #123")),
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
        return (tmp_path / "platform.ics").read_bytes().decode().replace("\r\n ", "")

    def digest() -> str:
        return cli("digest", "preview", "--team", "Platform", "--config", seeded).output

    assert "DTSTART;VALUE=DATE:20261120" in feed()
    cli("correct", 1, "--due", "2026-12-09", "--moved-by", "vendor", "--reason", "Rahul phoned", "--config", seeded)
    assert "DTSTART;VALUE=DATE:20261209" in feed() and "DTSTART;VALUE=DATE:20261120" not in feed()
    assert "Fri 20 Nov 2026 → Wed 09 Dec 2026 (+19 days, 1st slip)" in digest()
    cli("correct", 1, "--due", "2026-12-16", "--moved-by", "staff", "--reason", "our API", "--config", seeded)
    assert "DTSTART;VALUE=DATE:20261216" in feed() and "Moved by staff: +7 days (not the vendor's slip)" in feed()
    assert "Platform — 1 slipped" in digest() and "16 Dec" not in digest()  # our move is no vendor's slip

    mail_in(cli, seeded, tmp_path, "slipwatch: cancelled #2")
    assert "App Store submission" not in feed()  # cancelled milestones leave the feed
    assert "App Store submission" not in digest()
    assert "corrected by maya.chen@fernhill.example: status cancelled" in cli("show", 2, "--config", seeded).output


# -- only staff give commands -----------------------------------------------------------------------------------


def vendor_reply(body: str, *, subject: str = "Re: Trailhead plan") -> bytes:
    raw = vendor_mail(body, subject=subject, date=dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC),
                      message_id="<reply@nimbuslabs.example>")
    return raw.replace(b"Subject:", b"In-Reply-To: <plan@nimbuslabs.example>\nSubject:", 1)


def ingest_mail(cli, config, tmp_path, raw: bytes) -> dict:
    """Ingest one mail; its `messages --json` row."""
    (tmp_path / "in.eml").write_bytes(raw)
    cli("ingest", tmp_path / "in.eml", "--config", config)
    return json.loads(cli("messages", "--json", "--config", config).output)[-1]


def names(cli, config) -> list[str]:
    return [m["name"] for m in json.loads(cli("milestones", "--json", "--config", config).output)]


def test_a_vendors_command_line_is_refused_and_never_a_milestone(cli, seeded, tmp_path):
    """A vendor replying `slipwatch: delivered #2` neither delivers #2 nor makes a milestone "slipwatch"
    delivered in the feed and the digest; the refusal is kept with the message, with why."""
    row = ingest_mail(cli, seeded, tmp_path, vendor_reply("slipwatch: delivered #2\n\nThanks,\nRahul\n"))
    assert row["state"] == "processed"
    assert json.loads(row["problems"]) == [
        "refused `slipwatch: delivered #2`: only staff (organisation.domains) give slipwatch: commands, "
        "and rahul.k@nimbuslabs.example is not staff; the line was not read as status"]
    assert names(cli, seeded) == ["Beta build", "App Store submission"]
    assert show(cli, seeded, 2)["status"] == "planned"
    listing = cli("messages", "--config", seeded).output
    assert "problem: refused `slipwatch: delivered #2`: only staff" in listing
    cli("feed", "write", "--output", tmp_path / "feeds", "--config", seeded)
    events = icalendar.Calendar.from_ical((tmp_path / "feeds" / "all.ics").read_bytes()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Nimbus Labs: Beta build — ⚠ overdue", "Nimbus Labs: App Store submission — planned"]
    digest = cli("digest", "preview", "--team", "Platform", "--config", seeded).output
    assert "slipwatch (#" not in digest and "Delivered" not in digest


def test_what_a_vendor_writes_beside_a_command_line_is_still_read(cli, seeded, tmp_path):
    ingest_mail(cli, seeded, tmp_path, vendor_reply(
        "slipwatch: delivered #2\n\nThe beta build is now due on 27 November.\n\nRahul\n"))
    assert names(cli, seeded) == ["Beta build", "App Store submission"]
    assert show(cli, seeded, 1)["due"] == "2026-11-27"


@pytest.mark.parametrize(
    "raw",
    [
        vendor_reply("Hi Maya,\n\nslipwatch: delivered #2\n\nRahul\n"),
        vendor_reply("Thanks\n", subject="slipwatch: delivered #2"),
        vendor_reply("SlipWatch : due 2026-12-30 #2\n"),
    ],
    ids=["on a later line", "in the subject", "spelled otherwise"],
)
def test_a_vendors_command_line_anywhere_is_refused(cli, seeded, tmp_path, raw):
    row = ingest_mail(cli, seeded, tmp_path, raw)
    assert "only staff (organisation.domains) give slipwatch: commands" in row["problems"]
    assert names(cli, seeded) == ["Beta build", "App Store submission"]
    assert show(cli, seeded, 2)["due"] == "2026-12-04"


def test_a_command_line_in_a_forwarded_vendor_mail_is_the_vendors_and_refused(cli, seeded, tmp_path):
    body = ("FYI\n\n---------- Forwarded message ---------\n"
            "From: Rahul K <rahul.k@nimbuslabs.example>\nDate: Fri, Nov 20, 2026 at 9:00 AM\n"
            "Subject: Trailhead plan\nTo: Maya Chen <maya.chen@fernhill.example>\n\n"
            "slipwatch: delivered #2\n\nRahul\n")
    row = ingest_mail(cli, seeded, tmp_path, vendor_mail(body, sender="Maya Chen <maya.chen@fernhill.example>",
                                                         subject="Fwd: Trailhead plan", message_id="<fwd@x>"))
    assert (row["state"], row["forwarded_by"]) == ("processed", "maya.chen@fernhill.example")
    assert "and rahul.k@nimbuslabs.example is not staff" in row["problems"]
    assert names(cli, seeded) == ["Beta build", "App Store submission"]


def test_a_staff_command_line_is_never_a_milestone_either(cli, seeded, tmp_path):
    """A command must be the first line of a staff member's own mail; one further down is refused, not read."""
    row = ingest_mail(cli, seeded, tmp_path, staff_reply("Hi all,\n\nslipwatch: delivered #2"))
    assert "refused `slipwatch: delivered #2`: a command is read only from the first line of a staff member's " \
           "own mail" in row["problems"]
    assert names(cli, seeded) == ["Beta build", "App Store submission"]
    assert show(cli, seeded, 2)["status"] == "planned"


def test_extract_never_reads_a_command_line_as_a_milestone(cli, tmp_path):
    (tmp_path / "m.eml").write_bytes(vendor_reply("slipwatch: delivered #2\n\nThe beta build is due on 27 November.\n"))
    report = json.loads(cli("extract", "--json", tmp_path / "m.eml").output)
    assert [m["name"] for m in report["milestones"]] == ["beta build"]
