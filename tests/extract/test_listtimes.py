"""A time of day stated once for a whole list dates every item of that list at that time.

Read as sent on Monday 2 November 2026 in Pune (+05:30).
"""

from __future__ import annotations

from slipwatch.extract import extract
from tests.extract.messages import message


def dues(mail) -> dict[str, str]:
    return {m.name: m.due for m in extract(mail)}


def test_a_time_stated_above_the_list_dates_each_of_its_items() -> None:
    mail = message("""
        Below are the cut-over dates for the billing migration.

        All cut-overs start at 06:00 UTC on the day listed.

          2026-11-16  Read-only mode
          2026-11-23  Ledger cut-over
          2026-11-30  Legacy shutdown
    """, subject="Billing migration: cut-over dates")
    assert dues(mail) == {
        "Read-only mode": "2026-11-16T06:00+00:00",
        "Ledger cut-over": "2026-11-23T06:00+00:00",
        "Legacy shutdown": "2026-11-30T06:00+00:00",
    }


def test_a_time_stated_under_the_list_dates_it_and_not_the_sentence_after_it() -> None:
    mail = message("""
        The programme committee has set the deadlines:

          2026-11-19  Poster abstracts
          2026-11-27  Tutorial proposals

        Both deadlines are 23:59 AoE. The programme itself (December 10) does not change.
    """, subject="Deadlines")
    found = dues(mail)
    assert (found["Poster abstracts"], found["Tutorial proposals"]) == ("2026-11-19T23:59-12:00", "2026-11-27T23:59-12:00")
    assert found["programme"] == "2026-12-10"


def test_a_time_without_its_zone_is_in_the_offset_of_the_mail() -> None:
    mail = message("""
        Delivery windows, times are 17:00 on each day:

          2026-11-18  First pallets
          2026-11-25  Second pallets
    """, subject="Delivery windows")
    assert dues(mail) == {"First pallets": "2026-11-18T17:00+05:30", "Second pallets": "2026-11-25T17:00+05:30"}


def test_a_line_that_gives_its_own_time_takes_no_other() -> None:
    mail = message("""
        All documents are due at 18:00 CET.

          2026-11-20  Wiring diagrams
          2026-11-27  Test report, 12:00 CET
    """, subject="Document deadlines")
    found = dues(mail)
    assert found["Wiring diagrams"] == "2026-11-20T18:00+01:00"
    assert not any(due.endswith("T18:00+01:00") for due in found.values() if due.startswith("2026-11-27"))


def test_a_zone_alone_or_a_time_said_of_no_list_gives_no_time() -> None:
    zone_only = message("""
        Important dates (all times CET)

          2026-11-20  Wiring diagrams
          2026-11-27  Test report
    """, subject="Important dates")
    one_call = message("""
        The kick-off call is at 10:00.

          2026-11-20  Wiring diagrams
          2026-11-27  Test report
    """, subject="Important dates")
    for mail in (zone_only, one_call):
        assert all(len(due) == 10 for due in dues(mail).values())


def test_the_list_words_are_the_registrys_in_other_languages() -> None:
    mail = message("""
        Die Abgaben sind jeweils bis 17:00 Uhr fällig.

          20.11.2026  Entwurf Handbuch
          27.11.2026  Endfassung Handbuch
    """, subject="Abgabetermine")
    assert set(dues(mail).values()) == {"2026-11-20T17:00+05:30", "2026-11-27T17:00+05:30"}
