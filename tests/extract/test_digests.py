"""Multi-item digests of project tools: header lines are no items, each listed title is one."""

from __future__ import annotations

import datetime as dt

import pytest

from slipwatch.extract import extract
from slipwatch.extract.digests import digest_milestones, is_header, without_digest_header
from slipwatch.extract.model import Reading
from tests.extract.messages import message, summary

SENT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
READING = Reading(SENT, None, fallback_name="")


@pytest.mark.parametrize(
    ("line", "header"),
    [
        ("4 tasks updated in Harbour Refit", True),
        ("2 new notifications on the board Dock B", True),
        ("Lena Park and 3 others updated tasks in Dock B", True),
        ("Rui Sá e mais 1 outro atualizaram tarefas em Doca", True),
        ("Weekly digest: Dock B – Fitting", True),
        ("Upcoming", True),
        ("Próximas", True),
        ("Lena Park commented", True),
        ("Lena Park moved this card from Doing to Done", True),
        ("Hull fairing – phase 2", False),
        ("Cabin ceiling panels", False),
    ],
)
def test_header_and_activity_lines_are_no_items(line, header):
    assert is_header(line) is header


@pytest.mark.parametrize(
    ("subject", "left"),
    [
        ("Harbour Refit – 3 task updates", "Harbour Refit"),
        ("Dock B · Project update: On track", "Dock B"),
        ("5 tasks updated in Harbour Refit", ""),
    ],
)
def test_digest_part_of_a_subject(subject, left):
    assert without_digest_header(subject) == left


DIGEST = """Harbour Refit · Ostrava Yards
3 updates since your last notification

Hull fairing
  Lena Park changed the due date: Mar 3 → Mar 9
  Lena Park: "Resin cure takes longer."
  Status: Active

Cabin ceiling panels
  Tomas Ruiz moved this card from Doing to Done

Lena Park changed the due date
Mast wiring loom
Due date: Mar 19
Lena Park: "Supplier short of cable (was Mar 12)."

Upcoming
Deck hardware kit · Due Fri, Mar 26
"""


@pytest.mark.parametrize(
    ("name", "due", "status", "previous"),
    [
        ("Hull fairing", "2027-03-09", "delayed", "2027-03-03"),
        ("Cabin ceiling panels", "2027-03-01", "delivered", None),
        ("Mast wiring loom", "2027-03-19", "delayed", "2027-03-12"),
        ("Deck hardware kit", "2027-03-26", "planned", None),
    ],
)
def test_each_listed_title_is_an_item(name, due, status, previous):
    items, _ = digest_milestones(DIGEST, READING)
    found = {m.name: m for m in items}
    assert set(found) == {"Hull fairing", "Cabin ceiling panels", "Mast wiring loom", "Deck hardware kit"}
    item = found[name]
    assert (item.due, item.status, item.previous_due) == (due, status, previous)


def test_no_person_is_an_item():
    items, _ = digest_milestones(DIGEST, READING)
    assert not any(m.name in ("Lena Park", "Tomas Ruiz") for m in items)


def test_a_due_date_changed_with_a_comment_that_it_slipped_is_delayed():
    digest = """Here's what's been happening on your boards.

Shoot day Zandvoort  (in list Pre-production)
  Joris changed the due date of this card to Mar 11, 2027
  Joris commented:
    "The beach pavilion is only free a week later, the shoot day schuift
    een week op."

Voice-over script  (in list Doing)
  Femke changed the due date of this card to Mar 6, 2027
"""
    items, _ = digest_milestones(digest, READING)
    found = {m.name.split("  ")[0].split(" (")[0]: (m.due, m.status) for m in items}
    # the comment wraps over two lines: "schuift⏎een week op" is read as one
    assert found == {"Shoot day Zandvoort": ("2027-03-11", "delayed"), "Voice-over script": ("2027-03-06", "planned")}


def test_a_changed_date_printed_as_an_arrow_under_its_item():
    # Asana prints the dates alone, Basecamp with "Was due" and "Now due"
    digest = """Ana Reis changed the due date
  Photo samples – Fleece hoodie
    Mar 5 → Mar 12

Ana Reis changed the due date on a to-do
Strip-out complete
  Was due Fri, Mar 5 → Now due Fri, Mar 19
"""
    items, _ = digest_milestones(digest, READING)
    assert [(m.name, m.due, m.status, m.previous_due) for m in items] == [
        ("Photo samples – Fleece hoodie", "2027-03-12", "delayed", "2027-03-05"),
        ("Strip-out complete", "2027-03-19", "delayed", "2027-03-05"),
    ]


def test_a_due_date_change_told_above_the_task_it_changed() -> None:
    # Asana writes the activity line first and the task's name under it
    mail = message("""
        Harbour – web shop

        Ana Reis changed the due date from Nov 13 to Nov 20
        Product page build
        "Waiting for the photos."

        Ana Reis set the due date to Nov 27
        Staging deploy
    """, subject="2 updates in Harbour – web shop")
    assert summary(extract(mail)) == [
        ("Product page build", "2026-11-20", "delayed", "2026-11-13"),
        ("Staging deploy", "2026-11-27", "planned", None),
    ]


def test_a_status_updates_milestone_lines_give_the_old_date_and_the_status_after_the_due_date():
    # Asana's status update: "Due Nov 12 (was Nov 5)" is due on the 12th, "· At risk" its status
    text = ("Kendra Walsh posted a status update\n\nMilestones\n"
            "◇ Wishlist feature · Due Nov 12 (was Nov 5)\n"
            "◇ Gift-card integration · Due Nov 19 · At risk\n")
    mail = message(text, subject="Status update: Fjordlys e-commerce")
    assert [(m.due, m.status, m.previous_due) for m in extract(mail)] == [
        ("2026-11-12", "delayed", "2026-11-05"), ("2026-11-19", "at_risk", None)]
