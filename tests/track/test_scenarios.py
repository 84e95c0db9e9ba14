"""Scenarios told as mail sequences: what a manager sees after each vendor's thread.

Three vendors, their mails in the order the mailbox received them: Nimbus Labs
plans the UAT build, slips it twice (once calling it "the UAT drop") and
delivers late; Harbor Code delivers on time; Polar Print's samples slip, and an
older confirmation arrives after the slip and must not undo it. Then a date we
moved ourselves, which the vendor's record must not count. Each mail is
ingested as it arrives, a few minutes after it was sent: a mail is never
believed sent after it arrived (slipwatch.mail.received).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from slipwatch import clock
from tests.conftest import PINNED_NOW
from tests.helpers import CONFIG, MORE_VENDORS, vendor_mail

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
WARSAW = dt.timezone(dt.timedelta(hours=1))
MANILA = dt.timezone(dt.timedelta(hours=8))

NIMBUS = "Kavya Raman <kavya.raman@nimbuslabs.example>"
HARBOR = "Magda Kowalczyk <magda@harborcode.example>"
POLAR = "Andrea Villanueva <andrea@polarprint.example>"

MAILS = [
    (NIMBUS, dt.datetime(2026, 11, 2, 10, 0, tzinfo=IST), "Atlas - UAT plan",
     "Hi Maya,\n\nThe UAT build will be ready on 20 November.\n\nBest,\nKavya\n"),
    (HARBOR, dt.datetime(2026, 11, 3, 9, 30, tzinfo=WARSAW), "Storefront - sprint plan",
     "Hi Tom,\n\nThe checkout redesign is due on 18 November.\n\nRegards,\nMagda\n"),
    (POLAR, dt.datetime(2026, 11, 5, 16, 0, tzinfo=MANILA), "Gift boxes - samples",
     "Hi Ben,\n\nThe printed samples are due on 24 November.\n\nThanks,\nAndrea\n"),
    (NIMBUS, dt.datetime(2026, 11, 17, 9, 0, tzinfo=IST), "Atlas - UAT build slight delay",
     "Hi Maya,\n\nSlight delay: the UAT build moves from 20 November to 27 November.\n\nBest,\nKavya\n"),
    (HARBOR, dt.datetime(2026, 11, 18, 15, 0, tzinfo=WARSAW), "Storefront - checkout delivered",
     "Hi Tom,\n\nThe checkout redesign was delivered today.\n\nRegards,\nMagda\n"),
    (POLAR, dt.datetime(2026, 11, 20, 11, 0, tzinfo=MANILA), "Gift boxes - samples delayed",
     "Hi Ben,\n\nThe printed samples are delayed to 1 December (was 24 November).\n\nThanks,\nAndrea\n"),
    (NIMBUS, dt.datetime(2026, 11, 25, 9, 0, tzinfo=IST), "Atlas - UAT drop",
     "Hi Maya,\n\nThe UAT drop slips again, from 27 November to 2 December.\n\nBest,\nKavya\n"),
    # written on 12 November, received last: older than the slip above
    (POLAR, dt.datetime(2026, 11, 12, 10, 0, tzinfo=MANILA), "Gift boxes - samples on track",
     "Hi Ben,\n\nThe printed samples are confirmed for 24 November.\n\nThanks,\nAndrea\n"),
    (NIMBUS, dt.datetime(2026, 12, 3, 17, 0, tzinfo=IST), "Atlas - UAT build delivered",
     "Hi Maya,\n\nThe UAT build was delivered today.\n\nBest,\nKavya\n"),
]



IN_TRANSIT = dt.timedelta(minutes=5)


def arrives(monkeypatch, at: dt.datetime) -> None:
    """The clock when a mail reaches the mailbox."""
    monkeypatch.setenv(clock.ENV_VAR, at.isoformat())


@pytest.fixture
def scenario(cli, write_config, tmp_path, monkeypatch):
    config = write_config(CONFIG + MORE_VENDORS)
    arrived = MAILS[0][1]
    for n, (sender, sent, subject, body) in enumerate(MAILS):
        path = tmp_path / f"{n:02d}.eml"
        path.write_bytes(vendor_mail(body, sender=sender, subject=subject, date=sent,
                                     message_id=f"<scenario-{n}@vendor.example>"))
        arrived = max(sent, arrived) + IN_TRANSIT  # the late one arrives after the mail before it
        arrives(monkeypatch, arrived)
        cli("ingest", path, "--config", config)  # one at a time: the order of arrival matters
    arrives(monkeypatch, PINNED_NOW)
    return config


def milestones(cli, config, as_of="2026-12-05T12:00Z"):
    rows = json.loads(cli("milestones", "--json", "--as-of", as_of, "--config", config).output)
    return {r["name"].lower(): r for r in rows}


def test_each_deliverable_is_one_milestone(cli, scenario):
    assert sorted(milestones(cli, scenario)) == ["checkout redesign", "printed samples", "uat build"]


def test_planned_slipped_twice_and_delivered_late(cli, scenario):
    uat = milestones(cli, scenario)["uat build"]
    assert [r["status"] for r in uat["revisions"]] == ["planned", "delayed", "delayed", "delivered"]
    assert (uat["baseline_due"], uat["due"], uat["slip_days"], uat["slips"]) == ("2026-11-20", "2026-12-02", 12, 2)
    assert (uat["status"], uat["delivered_at"], uat["late_days"]) == ("delivered", "2026-12-03", 13)


def test_delivered_on_time(cli, scenario):
    checkout = milestones(cli, scenario)["checkout redesign"]
    assert (checkout["status"], checkout["late_days"], checkout["slip_days"]) == ("delivered", 0, 0)


def test_an_older_mail_arriving_late_does_not_undo_a_slip(cli, scenario):
    samples = milestones(cli, scenario)["printed samples"]
    assert len(samples["revisions"]) == 3
    assert [r["sent"][:10] for r in samples["revisions"]] == ["2026-11-05", "2026-11-12", "2026-11-20"]
    assert (samples["due"], samples["slip_days"]) == ("2026-12-01", 7)
    assert (samples["reported_status"], samples["status"]) == ("delayed", "overdue")  # as of 5 December


def test_overdue_is_derived_from_the_moment_asked_about(cli, scenario):
    assert milestones(cli, scenario, "2026-12-01T12:00Z")["printed samples"]["status"] == "delayed"
    # 1 December ends at 16:00 UTC in Manila
    assert milestones(cli, scenario, "2026-12-01T16:00Z")["printed samples"]["status"] == "overdue"


def test_the_scorecard(cli, scenario):
    rows = json.loads(cli("vendors", "--json", "--as-of", "2026-12-05T12:00Z", "--config", scenario).output)
    totals = {r["vendor"]: r for r in rows if r["project"] is None}
    nimbus, harbor, polar = totals["Nimbus Labs"], totals["Harbor Code"], totals["Polar Print"]
    assert (nimbus["delivered"], nimbus["on_time"], nimbus["slips"], nimbus["worst_slip_days"]) == (1, 0, 2, 12)
    assert (harbor["on_time_rate"], harbor["slipped"]) == (1.0, 0)
    assert (polar["slipped"], polar["mean_slip_days"], polar["overdue"]) == (1, 7.0, 1)


def test_show_tells_the_story_with_evidence(cli, scenario):
    uat_id = milestones(cli, scenario)["uat build"]["id"]
    out = cli("show", uat_id, "--as-of", "2026-12-05T12:00Z", "--config", scenario).output
    assert "slip 12 days (8 working)" in out and "delivered 2026-12-03, 13 days late" in out
    assert "The UAT drop slips again" in out


# -- a date we moved ourselves -----------------------------------------------------
#
# Nimbus Labs plans the UAT build for 20 November and slips it a week; we then ask
# them to hold it until our API is ready (11 December); they slip again, to the 15th.
# The vendor moved the date by 7 + 4 days; the other 14 are ours.

HELD = [
    (dt.datetime(2026, 11, 2, 10, 0, tzinfo=IST), "Atlas - UAT plan",
     "Hi Maya,\n\nThe UAT build will be ready on 20 November.\n\nBest,\nKavya\n"),
    (dt.datetime(2026, 11, 17, 9, 0, tzinfo=IST), "Atlas - UAT build slight delay",
     "Hi Maya,\n\nSlight delay: the UAT build moves from 20 November to 27 November.\n\nBest,\nKavya\n"),
    "we move it",
    (dt.datetime(2026, 12, 1, 9, 0, tzinfo=IST), "Atlas - UAT build",
     "Hi Maya,\n\nSorry: the UAT build moves again, from 11 December to 15 December.\n\nBest,\nKavya\n"),
]


def ingest(cli, config, tmp_path, monkeypatch, n, sent, subject, body):
    path = tmp_path / f"held-{n}.eml"
    path.write_bytes(vendor_mail(body, sender=NIMBUS, subject=subject, date=sent,
                                 message_id=f"<held-{n}@nimbuslabs.example>"))
    arrives(monkeypatch, sent + IN_TRANSIT)
    cli("ingest", path, "--config", config)


@pytest.fixture
def held(cli, write_config, tmp_path, monkeypatch):
    config = write_config(CONFIG + MORE_VENDORS)
    for n, step in enumerate(HELD):
        if step == "we move it":  # on 20 November, from the command line
            monkeypatch.setenv("SLIPWATCH_NOW", "2026-11-20T15:00:00+00:00")
            cli("correct", 1, "--due", "2026-12-11", "--moved-by", "staff",
                "--reason", "we asked them to hold until our API is ready", "--config", config)
        else:
            ingest(cli, config, tmp_path, monkeypatch, n, *step)
    monkeypatch.setenv("SLIPWATCH_NOW", "2026-12-02T12:00:00+00:00")
    return config


def scorecard(cli, config, as_of="2026-12-02T12:00Z", vendor="Nimbus Labs"):
    rows = json.loads(cli("vendors", "--json", "--as-of", as_of, "--config", config).output)
    return next(r for r in rows if r["vendor"] == vendor and r["project"] is None)


def test_only_the_vendors_moves_count_as_its_slips(cli, held):
    uat = milestones(cli, held, "2026-12-02T12:00Z")["uat build"]
    assert [r["kind"] for r in uat["revisions"]] == ["mail", "mail", "staff", "mail"]
    assert (uat["baseline_due"], uat["due"]) == ("2026-11-20", "2026-12-15")
    assert (uat["slip_days"], uat["slips"], uat["staff_days"]) == (11, 2, 14)
    record = scorecard(cli, held)
    assert (record["slips"], record["mean_slip_days"], record["worst_slip_days"]) == (2, 11.0, 11)
    told = cli("show", uat["id"], "--config", held).output
    assert "slip 11 days" in told and "moved 14 days by staff (not the vendor's slip)" in told  # 20 Nov + 11 + 14


def test_the_digest_tells_the_vendors_slips_and_not_our_move(cli, held):
    def digest(as_of):
        return cli("digest", "preview", "--team", "Platform", "--as-of", as_of, "--config", held).output

    week_of_our_move = digest("2026-11-23T12:00Z")  # 16 to 23 November: their slip, then our move
    assert "Platform — 1 slipped" in week_of_our_move
    assert "Fri 20 Nov 2026 → Fri 27 Nov 2026 (+7 days, 1st slip)" in week_of_our_move
    assert "11 Dec" not in week_of_our_move
    assert "Fri 11 Dec 2026 → Tue 15 Dec 2026 (+4 days, 2nd slip)" in digest("2026-12-02T12:00Z")


def test_a_delivery_is_late_by_what_the_vendor_moved(cli, held, tmp_path, monkeypatch):
    ingest(cli, held, tmp_path, monkeypatch, 9, dt.datetime(2026, 12, 16, 17, 0, tzinfo=IST), "Atlas - UAT build delivered",
           "Hi Maya,\n\nThe UAT build was delivered today.\n\nBest,\nKavya\n")
    uat = milestones(cli, held, "2026-12-17T12:00Z")["uat build"]
    assert (uat["delivered_at"], uat["late_days"]) == ("2026-12-16", 12)  # a day past the 15th, 11 days of its own


def test_a_rebaseline_measures_the_vendor_afresh(cli, held, tmp_path, monkeypatch):
    cli("rebaseline", 1, "--reason", "new plan agreed with Kavya", "--config", held)
    uat = milestones(cli, held, "2026-12-02T12:00Z")["uat build"]
    assert (uat["baseline_due"], uat["slip_days"], uat["slips"], uat["staff_days"]) == ("2026-12-15", 0, 0, 0)
    assert scorecard(cli, held)["slips"] == 0
    ingest(cli, held, tmp_path, monkeypatch, 9, dt.datetime(2026, 12, 15, 17, 0, tzinfo=IST), "Atlas - UAT build delivered",
           "Hi Maya,\n\nThe UAT build was delivered today.\n\nBest,\nKavya\n")
    record = scorecard(cli, held, "2026-12-16T12:00Z")
    assert (record["delivered"], record["on_time"], record["slips"]) == (1, 1, 0)
