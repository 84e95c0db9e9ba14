"""extract(): small vendor mails in, milestones out (RULES.md "What counts").

Every message here is read as sent on Monday 2 November 2026, 15:30 in Pune
(+05:30) unless it says otherwise.
"""

from __future__ import annotations

import pytest

import dataclasses
import datetime as dt

from slipwatch.extract import Milestone, extract
from slipwatch.mail.model import Table
from tests.extract.messages import message, summary


def test_a_plan_in_bullets_gives_one_planned_item_per_bullet() -> None:
    mail = message("""
        Hi team, the plan for the pilot:

        - Design freeze – Friday.
        - Field app build (Android + iOS): 20 Nov, 6 PM IST, sent to your testers.
        - Training material: end of next week.

        Thanks,
        Priya
    """)
    assert summary(extract(mail)) == [
        ("Design freeze", "2026-11-06", "planned", None),
        ("Field app build (Android + iOS)", "2026-11-20T18:00+05:30", "planned", None),
        ("Training material", "2026-11-13", "planned", None),
    ]


def test_wrapped_bullets_and_their_explanations_stay_one_item() -> None:
    mail = message("""
        * Billing export: moved to 12 Nov (was 9 Nov). The mapping for the
          tax codes needed rework; the sandbox only came back yesterday.
    """)
    assert summary(extract(mail)) == [("Billing export", "2026-11-12", "delayed", "2026-11-09")]


def test_sentences_name_their_subject() -> None:
    mail = message("""
        The reporting module was deployed to production yesterday.
        Unfortunately the data warehouse load has been pushed to 18 November (was 11 November).
        We will send the admin guide next Tuesday.
    """)
    assert summary(extract(mail)) == [
        ("reporting module", "2026-11-01", "delivered", None),
        ("data warehouse load", "2026-11-18", "delayed", "2026-11-11"),
        ("admin guide", "2026-11-10", "planned", None),
    ]


def test_a_delivery_without_a_date_is_dated_on_the_day_it_is_told() -> None:
    mail = message("Quick note: the SSO integration is done, please have a look.")
    assert summary(extract(mail)) == [("SSO integration", "2026-11-02", "delivered", None)]


def test_a_release_the_subject_announces_is_delivered_on_the_day_of_the_mail() -> None:
    # a list's one-liner: the subject names the release, the text only what comes next
    mail = message("binaries on the releases page, please test.\n\nfinal next tuesday if nothing explodes.",
                   subject="[larkbox-dev] firmware 2.4.0-rc2 is out")
    assert summary(extract(mail)) == [("final", "2026-11-10", "planned", None),
                                      ("firmware 2.4.0-rc2", "2026-11-02", "delivered", None)]


def test_a_reply_or_a_text_that_reports_the_delivery_itself_is_not_read_from_its_subject() -> None:
    reply = dataclasses.replace(message("Thanks, testing now.", subject="firmware 2.4.0-rc2 is out"),
                                references=("<announce@larkbox.example>",))
    assert extract(reply) == []
    told = message("The iOS build went to the stores yesterday.", subject="Trailhead – submitted to the stores")
    assert summary(extract(told)) == [("iOS build", "2026-11-01", "delivered", None)]


def test_an_announcement_names_its_delivery_by_the_release_its_subject_names() -> None:
    text = "On behalf of the Corvid team, I am pleased to announce that it was released today."
    mail = message(text, subject="[Corvid-discuss] ANN: Corvid 2.3.0 released")
    assert [(name, status) for name, _, status, _ in summary(extract(mail))] == [("ANN: Corvid 2.3.0", "delivered")]
    # a delivery that speaks of something else, or a subject that reports on the release, keeps its own name
    for subject in ("Corvid 4.2 released", "4.2 release schedule"):
        mail = message("The migration guide went out today.", subject=subject)
        assert [name for name, *_ in summary(extract(mail))] == ["migration guide"]


def test_a_mail_that_is_all_subject_says_its_item_there() -> None:
    mail = message("", subject="Logo final due Fri 6 Nov")
    assert summary(extract(mail)) == [("Logo final", "2026-11-06", "planned", None)]


def test_dates_moved_earlier_are_planned_with_their_old_date() -> None:
    mail = message("Good news – the security review was brought forward to 9 Nov instead of 16 Nov.")
    assert summary(extract(mail)) == [("security review", "2026-11-09", "planned", "2026-11-16")]


def test_a_slip_by_a_duration_computes_the_new_date() -> None:
    mail = message("- Load test: planned for Wednesday 4 Nov, it is slipping by a week.")
    assert summary(extract(mail)) == [("Load test", "2026-11-11", "delayed", "2026-11-04")]


@pytest.mark.parametrize("text, expected", [
    ("The 3.2 RC1 slips a week, to 10 December.", ("3.2 RC1", "2026-12-10", "delayed", "2026-12-03")),
    ("Die Beta verschiebt sich um eine Woche auf den 10. Dezember.", ("Beta", "2026-12-10", "delayed", "2026-12-03")),
    ("The beta is pulled in by a week to 3 December.", ("beta", "2026-12-03", "planned", "2026-12-10")),
    # a length of time that is no move's: no old date
    ("Testing takes two weeks, so the beta is delayed to 10 December.", ("beta", "2026-12-10", "delayed", None)),
])
def test_a_move_by_a_length_to_a_day_was_that_length_from_it(text: str, expected: tuple) -> None:
    assert summary(extract(message(text))) == [expected]


def test_at_risk_and_cancelled_keep_the_current_date() -> None:
    mail = message("""
        - Payment gateway: blocked on your merchant ID, so 13 Nov is at risk.
        - Kiosk mode (was pencilled in for 27 Nov): descoped, as agreed with your product team.
    """)
    assert summary(extract(mail)) == [
        ("Payment gateway", "2026-11-13", "at_risk", None),
        ("Kiosk mode", "2026-11-27", "cancelled", None),
    ]


def test_other_languages() -> None:
    mail = message("""
        - Maquetación del folleto: 20/11.
        - Die Schnittstellendoku wurde gestern geliefert.
        - Recette : décalée au 27 novembre (au lieu du 20 novembre).
    """)
    assert summary(extract(mail)) == [
        ("Maquetación del folleto", "2026-11-20", "planned", None),
        ("Schnittstellendoku", "2026-11-01", "delivered", None),
        ("Recette", "2026-11-27", "delayed", "2026-11-20"),
    ]


def test_openers_are_not_names() -> None:
    mail = message("""
        Short answer: the staging environment is on track for Thursday.
        One thing I should mention: the data export moves from 10 Nov to 17 Nov.
    """)
    assert summary(extract(mail)) == [
        ("staging environment", "2026-11-05", "planned", None),
        ("data export", "2026-11-17", "delayed", "2026-11-10"),
    ]


def test_meetings_closures_and_footers_are_not_milestones() -> None:
    mail = message("""
        Our weekly sync stays on Thursdays at 16:00 IST.
        Sprint 9 review: Friday 6 November, 15:00 on Teams.
        As agreed on Tuesday's call, the API docs follow on 12 Nov.
        Our office is closed for Diwali on 9-11 Nov.
        ISO 27001 certified since 12 March 2019.
    """)
    assert summary(extract(mail)) == [("API docs", "2026-11-12", "planned", None)]


def test_an_out_of_office_reply_has_no_milestones() -> None:
    mail = message("I am out of the office until Monday 9 November with limited access to email.",
                   subject="Automatic reply: Status update")
    assert extract(mail) == []


def test_an_invoice_due_date_is_a_payment() -> None:
    mail = message("""
        Please find attached invoice 2026-118 for milestone 2.
        Payment terms: Net 30. Due date: 2 Dec 2026.
    """, subject="Invoice 2026-118")
    assert extract(mail) == []


@pytest.mark.parametrize("subject, text", [
    ("FW: Factuur 2026-0117", "Factuurdatum: 2 november 2026\nVervaldatum: 2 december 2026"),
    ("Tagihan INV/2026/118", "Jatuh tempo: 2 Desember 2026"),
    ("Számla 2026/118", "Fizetési határidő: 2026. december 2."),
])
def test_an_invoice_in_other_languages_is_a_payment(subject: str, text: str) -> None:
    assert extract(message(text, subject=subject)) == []


def test_a_newsletter_has_no_milestones() -> None:
    mail = message("""
        Our studio will be closed from 24 December to 4 January.
        The last day to book a shoot is 11 December.
        Unsubscribe: https://studio.example/unsubscribe
    """, subject="Studio news")
    assert extract(mail) == []


def test_the_forwarders_note_counts_only_for_an_explicit_future_date() -> None:
    mail = message("- Wireframes: 9 Nov.",
                   forward_note="FYI. Raj also said on our call that the icon set comes tomorrow. I checked it today.")
    assert summary(extract(mail)) == [
        ("Wireframes", "2026-11-09", "planned", None),
        ("icon set", "2026-11-03", "planned", None),
    ]


def test_a_weekday_left_of_a_date_names_no_item() -> None:
    # regression: "tomorrow, Wednesday 2026-09-30" gave an item named "Wednesday" beside the release,
    # and a meeting's "Date: Wednesday, ..." one named after its weekday
    mail = message("""
        Updated plan:

        - 4.14.0rc1: tomorrow, Tuesday 2026-11-03, with the fix
        - 4.14.0 final: Tuesday 2026-11-10 (was 2026-11-05)
    """)
    assert summary(extract(mail)) == [
        ("4.14.0rc1", "2026-11-03", "planned", None),
        ("4.14.0 final", "2026-11-10", "delayed", "2026-11-05"),
    ]
    assert summary(extract(message("The interim meeting:\n\n  Date:  Wednesday, 2026-11-11\n  Place: online\n"))) == []


def test_a_terse_reply_takes_its_name_from_the_subject() -> None:
    mail = message("ETA 12/11 pls note\nMei", subject="Cable samples batch 3 - ETA?")
    assert summary(extract(mail)) == [("Cable samples batch 3", "2026-11-12", "planned", None)]


def test_a_subject_over_a_body_that_dates_nothing_is_the_message() -> None:
    # regression: "Logo final due Fri 6 Mar" with an empty body gave nothing
    assert summary(extract(message("", subject="Logo final due Fri 6 Nov"))) == [
        ("Logo final", "2026-11-06", "planned", None)]
    assert summary(extract(message("See subject. Thanks!", subject="Proofs: 12 Nov"))) == [
        ("Proofs", "2026-11-12", "planned", None)]
    # regression: "As per subject – booked on our Friday van run." has a date of its own
    assert summary(extract(message("As per subject – booked on our Friday van run.",
                                   subject="Kraft envelopes delivery 13 Nov"))) == [
        ("Kraft envelopes delivery", "2026-11-13", "planned", None)]
    # a body with its own dates and no item says what the subject's date is: a visit, no deliverable
    visit = message("Our meeting is on Tuesday 10 Nov at 14:00 at the gate; parking is free.",
                    subject="Workshop visit Tue 10/11 - practical info")
    assert extract(visit) == []


def test_a_restated_delay_gets_its_old_date_from_the_other_statement() -> None:
    mail = message("""
        We will not make today's 6 PM for the pilot build.
        - Pilot build: revised ETA Wednesday 4 Nov, noon IST.
    """)
    assert summary(extract(mail)) == [
        ("Pilot build", "2026-11-04T12:00+05:30", "delayed", "2026-11-02T18:00+05:30")]


def test_a_move_told_again_on_its_old_date_is_one_item() -> None:
    # the plain part runs the HTML table's row together, and the prose reader dates it on its first day
    table = Table(rows=(("Producto", "Fecha compromiso", "Nueva fecha", "Estatus"),
                        ("Caja Lick Mat", "20/11/2026", "27/11/2026", "Retrasado")))
    mail = message("Caja Lick Mat 20/11/2026 27/11/2026 Retrasado", tables=(table,))
    assert summary(extract(mail)) == [("Caja Lick Mat", "2026-11-27", "delayed", "2026-11-20")]


def test_each_item_carries_its_evidence_and_origin() -> None:
    [item] = extract(message("- Audit report: 20 Nov."))
    assert isinstance(item, Milestone)
    assert item.evidence == "- Audit report: 20 Nov."
    assert item.origin == "text"
    assert 0 < item.confidence <= 1


def test_a_message_without_a_sent_time_yields_nothing() -> None:
    mail = message("- Audit report: 20 Nov.")
    assert extract(type(mail)(**{**mail.__dict__, "sent": None})) == []


def test_relative_dates_follow_the_offset_of_sent() -> None:
    new_york = dt.timezone(dt.timedelta(hours=-5))
    mail = message("- Cutover checklist: tomorrow EOD.", sent=dt.datetime(2026, 11, 2, 22, 0, tzinfo=new_york))
    assert summary(extract(mail)) == [("Cutover checklist", "2026-11-03T18:00-05:00", "planned", None)]


def test_a_topic_named_up_front_names_the_item() -> None:
    mail = message("Regarding the wiring diagrams – they were approved and go to the site on Friday.")
    assert summary(extract(mail)) == [("wiring diagrams", "2026-11-06", "planned", None)]


def test_the_old_date_can_be_told_in_its_own_clause() -> None:
    mail = message("Sadly we have to postpone the data migration to 2026-11-23; the original date of "
                   "2026-11-16 cannot be held.")
    assert summary(extract(mail)) == [("data migration", "2026-11-23", "delayed", "2026-11-16")]


def test_a_risk_worded_as_a_possible_slip() -> None:
    mail = message("We expect to deliver the cabling by Nov 20, but there's a risk it slips a week.")
    assert summary(extract(mail)) == [("cabling", "2026-11-20", "at_risk", None)]


def test_questions_and_greetings_state_nothing() -> None:
    mail = message("""
        Dear Anna,
        could we move the acceptance test to 20 Nov?
        The user manual will be ready by end of month.
    """)
    assert summary(extract(mail)) == [("user manual", "2026-11-30", "planned", None)]


def test_a_digest_of_tasks_with_their_fields_below() -> None:
    mail = message("""
        Task completed: Homepage copy
        Completed by Jane on Oct 30

        Upcoming:
          Wireframes for checkout
          Due: Fri, Nov 6
    """, subject="Your daily digest")
    assert summary(extract(mail)) == [
        ("Homepage copy", "2026-10-30", "delivered", None),
        ("Wireframes for checkout", "2026-11-06", "planned", None),
    ]


def test_a_date_told_relative_to_another_item() -> None:
    mail = message("""
        The data export is planned for Friday 6 November.
        The reconciliation report follows three working days after the export.
    """)
    assert summary(extract(mail)) == [
        ("data export", "2026-11-06", "planned", None),
        ("reconciliation report", "2026-11-11", "planned", None),
    ]


def test_a_one_word_delivery_reply_is_about_its_subject() -> None:
    mail = message("Done.", subject="Logo files")
    assert summary(extract(mail)) == [("Logo files", "2026-11-02", "delivered", None)]


def test_what_does_not_happen_is_no_item() -> None:
    mail = message("El palé no llega a Madrid hasta el martes 10, así que movemos la sesión.")
    assert extract(mail) == []


def test_thanks_for_the_customers_input_is_no_item() -> None:
    mail = message("Thanks for sending the brand guidelines on Friday 30 October.")
    assert extract(mail) == []


def test_dates_inside_links_are_not_dates() -> None:
    mail = message("Open board: https://acme.monday.example/boards/44719")
    assert extract(mail) == []
