"""Prose as items: what is an item, what names it, where its old date is.

Read as sent on Monday 2 November 2026 in Pune (+05:30).
"""

from __future__ import annotations

import pytest

from slipwatch.extract import extract
from tests.extract.messages import message, summary


@pytest.mark.parametrize("text", [
    "Please find the Harbor deliverables status for week 45 below.",
    "Below is the status of the Harbor deliverables at the end of week 45.",
    "Te comparto el estado de los entregables de Harbor al cierre de la semana 45.",
    "Risks: the carrier has not confirmed our booking since 28 Oct.",
    "Open board: https://boards.example/b/7Qx You are receiving this because you follow this board.",
    "The bank only activated our merchant account this afternoon.",
    # a decision's date, a committee's date, the date an item left with no new one
    "The gift wrap option is descoped, as Mia and I agreed on Wednesday.",
    "La app de tienda queda fuera del alcance, como acordamos en el comité del jueves.",
    "Press was down for a belt change, so we are moving this from Nov 4.",
    # thanks for what the reader sent, in any language of the registry
    "Cảm ơn anh đã gửi bản vẽ P-HR-02 rev A (bộ dây nguồn và dây loa).",
    # a past event on a bare weekday
    "The payment provider opened the sandbox only on Friday.",
    # a day the writer rules out, in a request to the reader
    "If the schedule does not work for you, tell me this week and not on 20 November.",
    "Als dat niet lukt, laat het me nu weten en niet op 20 november.",
])
def test_sentences_that_carry_a_date_but_no_item(text: str) -> None:
    assert extract(message(text)) == []


# The registry's closure and payment words ("noise"), whole or, where words are written onto them, anywhere.
@pytest.mark.parametrize("text", [
    "弊社の夏季休業：8月13日",
    "Xưởng nghỉ lễ ngày 30/4.",
    "โรงงานหยุดทำการวันที่ 13 เมษายน",
    "המשרד בחופשה עד 20 בנובמבר.",
    "المكتب مغلق يوم 20 نوفمبر",
    "Vendor team on holiday 20 Nov",
    # " … " stands for a few words between two: "biroul nostru va fi închis"
    "Vă informăm că biroul nostru va fi închis pe 24 decembrie.",
    "Paiement à 45 jours, soit le 30 novembre.",
])
def test_a_closure_or_a_payment_in_any_language_of_the_registry_is_no_item(text: str) -> None:
    assert extract(message(text)) == []


@pytest.mark.parametrize("text, expected", [
    ("- Testy integracji płatności: 30 listopada", ("Testy integracji płatności", "2026-11-30", "planned", None)),
    ("- Integración de la pasarela de pago: 3 de diciembre",
     ("Integración de la pasarela de pago", "2026-12-03", "planned", None)),
])
def test_a_deliverable_named_after_payments_is_an_item(text: str, expected: tuple) -> None:
    # a payment is noise as what is paid ("Termin płatności", "payment is due"), in every language as in English
    assert summary(extract(message(text))) == [expected]
    assert extract(message("Termin płatności: 30 listopada.")) == []


def test_a_holiday_named_as_the_deadline_s_reference_is_no_closure() -> None:
    # "by 13 December, before the holiday": the holiday dates the delivery, nobody is away
    assert summary(extract(message("- 앱 문자열 번역: 연휴 전 12월 13일까지 납품"))) == [
        ("앱 문자열 번역", "2026-12-13", "planned", None)]


@pytest.mark.parametrize("text, expected", [
    # a meeting word that qualifies a deliverable is no meeting
    ("- Sprint 3 demo build: end of next week", ("Sprint 3 demo build", "2026-11-13", "planned", None)),
    # Spanish "se" is no condition: its clause holds the item's dates
    ("- Envío: se adelantó del 20 de noviembre al 13 de noviembre, conseguimos espacio en otro buque.",
     ("Envío", "2026-11-13", "planned", None)),
    # Portuguese "no" is "in the", no negation
    ("O lote de produção segue no fim do mês.", ("lote de produção", "2026-11-30", "planned", None)),
    # the doer is no deliverable
    ("Marek Nowak will send the load test plan by Thursday.", ("load test plan", "2026-11-05", "planned", None)),
    # a deadline with a delivery word, and a zone named after the whole date
    ("Data migration dry run done by Thursday 17:00 CET.",
     ("Data migration dry run", "2026-11-05T17:00+01:00", "planned", None)),
    ("Release notes: COB Friday, Kyiv time.", ("Release notes", "2026-11-06T18:00+02:00", "planned", None)),
    # the old date in another clause
    ("Label artwork will reach you on 9 Nov, two days later than the 7 Nov we promised.",
     ("Label artwork", "2026-11-09", "delayed", "2026-11-07")),
    ("- Pilot training: Nov 20, 5 PM – moved from Nov 13 because your trainers are on leave.",
     ("Pilot training", "2026-11-20T17:00+05:30", "delayed", "2026-11-13")),
    ("Warehouse go-live went live on Sunday, a day later than the original Oct 31.",
     ("Warehouse go-live", "2026-11-01", "delivered", "2026-10-31")),
    # an aside that reports a delivery
    ("Thanks for your notes on the draft storyboard (sent on 30 Oct).",
     ("draft storyboard", "2026-10-30", "delivered", None)),
    # what someone else told the writer
    ("Kemal also told me on the phone that the pricing sheet now lands Nov 20 instead of Nov 13.",
     ("pricing sheet", "2026-11-20", "delayed", "2026-11-13")),
    # on a file host since a time of today: delivered today
    ("The final cut is up on the shared drive since this morning: master and web versions.",
     ("final cut", "2026-11-02", "delivered", None)),
    # the label's own plan date is the old one when its sentence moves it
    ("- Banner set (also due today): pushed to next Wednesday.",
     ("Banner set", "2026-11-11", "delayed", "2026-11-02")),
    # a short label heads what its sentence is about
    ("- Lamps: the drop test passed on Friday, report attached.",
     ("Lamps drop test", "2026-10-30", "delivered", None)),
    # a release announced without a date is delivered on the day it is told
    ("Caju 5.5.0 (rc2) já está disponível em https://caju.example/caju-5.5.0-rc2.tar.gz",
     ("Caju 5.5.0 (rc2)", "2026-11-02", "delivered", None)),
    ("Kestrel 6.0 is now available on the package index.", ("Kestrel 6.0", "2026-11-02", "delivered", None)),
    # "Last call" and "call for ..." open a deadline; they are no meeting
    ("- Last call for backports: Monday 9 November, 12:00 UTC.",
     ("Last call for backports", "2026-11-09T12:00+00:00", "planned", None)),
    # a closure told in the bullet's other sentence is not the item's
    ("- Periodic report: due in the Portal on 29 November. Note that our office is closed from 9 to 20 November.",
     ("Periodic report", "2026-11-29", "planned", None)),
    # a delivery word after "once" keeps the date ahead
    ("The cloud and container images follow on Thursday, once the last round of testing in the public clouds is done.",
     ("cloud and container images", "2026-11-05", "planned", None)),
    # a range move keeps its item ("del 19 al 24": from, to)
    ("- Sesión de fotos: pasa del 19 al 24 de noviembre.",
     ("Sesión de fotos", "2026-11-24", "delayed", "2026-11-19")),
])
def test_one_item(text: str, expected: tuple) -> None:
    assert summary(extract(message(text))) == [expected]


def test_the_old_date_in_the_next_sentence_of_the_bullet() -> None:
    mail = message("""
        - Accessibility fixes: slip to end of next week. They were planned for week 45, but the audit found more.
    """)
    assert summary(extract(mail)) == [("Accessibility fixes", "2026-11-13", "delayed", "2026-11-06")]


def test_the_slip_in_one_sentence_and_the_old_date_in_the_next() -> None:
    mail = message("""
        - Stock sync: needs three more days. It was planned for Wednesday, but the feed broke twice.
        - Price list: Friday. The banner is delayed.
    """)
    assert summary(extract(mail)) == [
        ("Stock sync", "2026-11-07", "delayed", "2026-11-04"),
        ("Price list", "2026-11-06", "planned", None),   # another item's delay is not its own
    ]


def test_an_item_that_moves_with_a_slipped_one_slipped_too() -> None:
    mail = message("""
        New plan:
        - Cutover is pushed to Nov 17 (instead of the 10th).
        - Content freeze moves with it: Nov 12 EOD.
        - Hypercare becomes Nov 17 - Dec 1.
        - Training stays on Nov 9.
    """)
    assert summary(extract(mail)) == [
        ("Cutover", "2026-11-17", "delayed", "2026-11-10"),
        ("Content freeze", "2026-11-12T18:00+05:30", "delayed", None),
        ("Hypercare", "2026-12-01", "delayed", None),
        ("Training", "2026-11-09", "planned", None),
    ]


def test_two_items_in_one_sentence_stay_two() -> None:
    mail = message("The EN/ES product sheets are due Friday.")
    assert [m.name for m in extract(mail)] == ["EN/ES product sheets"]  # one deliverable as named
    mail = message("The installer and the admin guide are due Friday.")
    assert [m.name for m in extract(mail)] == ["installer", "admin guide"]


def test_a_report_of_what_went_live_is_named_by_the_event() -> None:
    mail = message("Harborview went live on Sunday at 6:10 AM. The goods left our factory on 30 Oct.")
    assert summary(extract(mail)) == [
        ("Harborview go-live", "2026-11-01T06:10+05:30", "delivered", None),
        ("goods ex-factory", "2026-10-30", "delivered", None),
    ]


def test_a_verbless_list_of_dated_items_is_one_item_each() -> None:
    mail = message("Vessel Nordic Star, ETD Gdansk 20 Nov, ETA Felixstowe 27 Nov.")
    assert summary(extract(mail)) == [
        ("ETD Gdansk", "2026-11-20", "planned", None),
        ("ETA Felixstowe", "2026-11-27", "planned", None),
    ]
    # with a verb the dates belong together
    mail = message("The mock-ups moved from 10 Nov, now 17 Nov.")
    assert summary(extract(mail)) == [("mock-ups", "2026-11-17", "delayed", "2026-11-10")]


def test_polish_delivery_words_in_a_bilingual_bullet() -> None:
    mail = message("""
        - Szafki (15 szt.) wyjechały dziś do Hamburga.
          The 15 cabinets left today, truck to Hamburg.
        - Lampy: test upadku zaliczony w piątek.
          The lamps passed the drop test on Friday.
    """)
    assert summary(extract(mail)) == [
        ("Szafki (15 szt.)", "2026-11-02", "delivered", None),
        ("Lampy test upadku", "2026-10-30", "delivered", None),
    ]


def test_two_clauses_that_each_move_an_item_are_two_items() -> None:
    mail = message("""
        New target date for the Beta is Tuesday 2026-11-24 (was 2026-11-17), and the whole schedule moves
        with it, so the Final release is now 2026-12-15 instead of 2026-12-08.
    """)
    assert [(due, status, previous) for _, due, status, previous in summary(extract(mail))] == [
        ("2026-11-24", "delayed", "2026-11-17"), ("2026-12-15", "delayed", "2026-12-08")]


def test_a_clause_with_only_the_old_day_keeps_the_move_whole() -> None:
    mail = message("- Install: moved from 4 Dec, and now lands on 11 Dec.")
    assert summary(extract(mail)) == [("Install", "2026-12-11", "delayed", "2026-12-04")]


def test_a_task_list_line_is_named_by_its_task_not_by_who_does_it() -> None:
    mail = message("""
        Action items
          - [ ] lwong: upload the signed installer to the portal -- by Thursday
          - [ ] @pkaur: send the release notes to translation by Friday
    """)
    names = [name for name, *_ in summary(extract(mail))]
    assert len(names) == 2
    assert not any("lwong" in name or "pkaur" in name or "[" in name for name in names)
    assert "signed installer" in names[0] and "release notes" in names[1]


def test_the_day_a_forum_post_was_written_dates_no_item() -> None:
    mail = message("""
        mvoss Mira Voss
        November 2

        The 3.1 branch will be cut on 9 November.
    """)
    assert [(name, due) for name, due, *_ in summary(extract(mail))] == [("3.1 branch", "2026-11-09")]


def test_a_day_under_its_label_is_the_items() -> None:
    mail = message("""
        Handover of the test rig:
        November 2
    """)
    assert [due for _, due, *_ in summary(extract(mail))] == ["2026-11-02"]


@pytest.mark.parametrize("text", [
    "2. Process validation report delivered on 20 Oct (originally planned 6 Oct).",
    "2. Informe de validación entregado el 20/10 (planificado originalmente el 6/10).",
    "2. Rapporto di validazione consegnato il 20/10 (inizialmente previsto il 6/10).",
])
def test_a_delivery_late_against_its_original_plan_keeps_the_date_it_had(text):
    # "originally" marks the old date in each language: delivered on its day, the plan its previous date
    assert [(m.due, m.status, m.previous_due) for m in extract(message(text))] == [
        ("2026-10-20", "delivered", "2026-10-06")]


def test_a_delivery_word_of_an_aside_leaves_a_later_new_date_a_delay():
    # "sent" is about the SKU master; the item moved from 30 Oct to three working days from now
    text = "- Bulk order CSV upload: was 30 Oct, now in 3 working days (we use the SKU master you sent on 29 Oct)."
    assert [(m.due, m.status, m.previous_due) for m in extract(message(text))] == [
        ("2026-11-05", "delayed", "2026-10-30")]


def test_a_postponement_that_dates_only_the_old_day_gives_the_next_sentence_its_previous_date():
    text = ("The Pallas group is postponing the update releases that were scheduled for November 13, 2026. "
            "Pallas 18.4 will now be released on November 20, 2026.")
    assert [(m.due, m.status, m.previous_due) for m in extract(message(text))] == [
        ("2026-11-20", "delayed", "2026-11-13")]


def test_a_date_in_a_condition_is_not_the_items():
    # "by end of this month" dates what the start waits for; the start is in week 46
    text = "4. Mass production start - Wk 46 if PP sample approved by end of this month."
    assert [(m.due, m.status) for m in extract(message(text))] == [("2026-11-13", "planned")]
