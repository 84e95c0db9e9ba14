"""Scenarios told as mail sequences: what a manager sees after each vendor's thread.

Three vendors, their mails in the order the mailbox received them: Nimbus Labs
plans the UAT build, slips it twice (once calling it "the UAT drop") and
delivers late; Harbor Code delivers on time; Polar Print's samples slip, and an
older confirmation arrives after the slip and must not undo it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

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



@pytest.fixture
def scenario(cli, write_config, tmp_path):
    config = write_config(CONFIG + MORE_VENDORS)
    for n, (sender, sent, subject, body) in enumerate(MAILS):
        path = tmp_path / f"{n:02d}.eml"
        path.write_bytes(vendor_mail(body, sender=sender, subject=subject, date=sent,
                                     message_id=f"<scenario-{n}@vendor.example>"))
        cli("ingest", path, "--config", config)  # one at a time: the order of arrival matters
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
