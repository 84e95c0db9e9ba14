"""ICS attachments: tasks with a DUE, deadline events; meeting invites are not milestones."""

from __future__ import annotations

from slipwatch.extract import extract
from tests.extract.messages import attachment, message, summary


def ics(body: str, method: str = "PUBLISH") -> str:
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\nMETHOD:{method}\n{body.strip()}\nEND:VCALENDAR\n"


def test_tasks_give_their_due_date_and_status() -> None:
    calendar = attachment("release.ics", "text/calendar", ics("""
BEGIN:VTODO
UID:1@vendor.example
SUMMARY:Pilot – Firmware 1.4
DUE;VALUE=DATE:20261030
STATUS:COMPLETED
END:VTODO
BEGIN:VTODO
UID:2@vendor.example
SUMMARY:Pilot – Field trial report
DUE;TZID=Europe/Berlin:20261120T170000
STATUS:NEEDS-ACTION
END:VTODO
BEGIN:VTODO
UID:3@vendor.example
SUMMARY:Pilot – Voice assistant
DUE;VALUE=DATE:20261211
STATUS:CANCELLED
END:VTODO
"""))
    assert summary(extract(message(attachments=(calendar,)))) == [
        ("Firmware 1.4", "2026-10-30", "delivered", None),          # the shared "Pilot –" is dropped
        ("Field trial report", "2026-11-20T17:00+01:00", "planned", None),
        ("Voice assistant", "2026-12-11", "cancelled", None),
    ]


def test_a_go_live_event_is_a_milestone() -> None:
    calendar = attachment("golive.ics", "text/calendar", ics("""
BEGIN:VEVENT
UID:golive@vendor.example
SUMMARY:Portal go-live
DTSTART;TZID=Asia/Singapore:20261207T080000
DTEND;TZID=Asia/Singapore:20261207T120000
END:VEVENT
"""))
    assert summary(extract(message(attachments=(calendar,)))) == [
        ("Portal go-live", "2026-12-07T08:00+08:00", "planned", None)]


def test_the_text_and_its_calendar_hold_are_one_item() -> None:
    calendar = attachment("golive.ics", "text/calendar", ics("""
BEGIN:VEVENT
UID:golive@vendor.example
SUMMARY:Portal go-live
DTSTART;TZID=Asia/Singapore:20261207T080000
END:VEVENT
"""))
    mail = message("The portal go-live moves to 7 December (was 30 November). Calendar hold attached.",
                   attachments=(calendar,))
    assert summary(extract(mail)) == [("Portal go-live", "2026-12-07T08:00+08:00", "delayed", "2026-11-30")]


def test_a_meeting_invite_is_not_a_milestone() -> None:
    invite = attachment(None, "text/calendar", ics("""
BEGIN:VEVENT
UID:sync@vendor.example
SUMMARY:Weekly sync
RRULE:FREQ=WEEKLY;BYDAY=WE
DTSTART;TZID=Europe/Berlin:20261104T100000
ATTENDEE:mailto:pm@customer.example
END:VEVENT
BEGIN:VEVENT
UID:demo@vendor.example
SUMMARY:Sprint demo
DTSTART;TZID=Europe/Berlin:20261106T100000
ATTENDEE:mailto:pm@customer.example
END:VEVENT
""", method="REQUEST"))
    assert extract(message("Invite attached.", attachments=(invite,))) == []


def test_a_broken_calendar_is_skipped() -> None:
    broken = attachment("x.ics", "text/calendar", "BEGIN:VCALENDAR\nthis is not ics")
    assert extract(message(attachments=(broken,))) == []


def test_an_all_day_event_over_several_days_is_due_on_its_last_day() -> None:
    # DTEND of an all-day event is the day after it (RFC 5545): 16-20 Nov, due the 20th, as the text says
    calendar = attachment("build.ics", "text/calendar", ics("""
BEGIN:VEVENT
UID:evt@vendor.example
SUMMARY:EVT build (50 units)
DTSTART;VALUE=DATE:20261116
DTEND;VALUE=DATE:20261121
END:VEVENT
BEGIN:VEVENT
UID:ship@vendor.example
SUMMARY:Ship samples
DTSTART;VALUE=DATE:20261124
DTEND;VALUE=DATE:20261125
END:VEVENT
"""))
    mail = message("EVT build (50 units) confirmed for Nov 16-20, calendar invite attached.", attachments=(calendar,))
    assert summary(extract(mail)) == [
        ("EVT build (50 units)", "2026-11-20", "planned", None),
        ("Ship samples", "2026-11-24", "planned", None),
    ]


def test_an_events_description_that_says_the_day_it_moved_from_gives_its_previous_date() -> None:
    calendar = attachment("plan.ics", "text/calendar", ics("""
BEGIN:VEVENT
UID:1@vendor.example
SUMMARY:Production release
DTSTART;VALUE=DATE:20261210
DESCRIPTION:Release window 06:00-09:00. Was 3 Dec.
END:VEVENT
BEGIN:VEVENT
UID:2@vendor.example
SUMMARY:Entrega: almofadas Vinga
DTSTART;VALUE=DATE:20261218
DESCRIPTION:Nova data (antes 22/12)
END:VEVENT
BEGIN:VEVENT
UID:3@vendor.example
SUMMARY:Handover of the UAT build
DTSTART;VALUE=DATE:20261222
DESCRIPTION:Remote session, 3 Dec slot kept as a backup
END:VEVENT
"""))
    assert summary(extract(message(attachments=(calendar,)))) == [
        ("Production release", "2026-12-10", "delayed", "2026-12-03"),
        ("Entrega: almofadas Vinga", "2026-12-18", "planned", "2026-12-22"),  # brought forward
        ("Handover of the UAT build", "2026-12-22", "planned", None),  # a date that is no old one
    ]
