"""Mail from vendors' project tools: field changes and activity lines.

Read as sent on Monday 2 November 2026 in Pune (+05:30).
"""

from __future__ import annotations

import pytest

from slipwatch.extract import extract
from slipwatch.extract.model import Reading
from slipwatch.extract.notifications import notification_milestones
from tests.extract.messages import message, summary


def test_a_jira_due_date_change() -> None:
    mail = message("""
        Lena Fischer changed 2 fields

        Portal / POR-88
        Customer import

        Due date:  Nov 6, 2026  →  Nov 13, 2026
        Priority:  Medium  →  High
    """, subject="[JIRA] (POR-88) Customer import")
    [item] = extract(mail)
    assert (item.name, item.due, item.status, item.previous_due, item.origin) == (
        "Customer import", "2026-11-13", "delayed", "2026-11-06", "notification")


def test_a_batch_of_updates_names_each_item_by_the_title_above_its_fields() -> None:
    # the subject names the batch; each item's title sits under its project path, above its fields
    mail = message("""
        Lena Fischer made 2 updates.

        Portal / POR-88
        Customer import

        Changed by: Lena Fischer
        Due date:  06/Nov/26  =>  13/Nov/26

        ------------------------------------------------------------

        Portal / POR-90
        Invoice export

        Changed by: Lena Fischer
        Status:  In Review  =>  Done
    """, subject="[JIRA] Updates for POR-88, POR-90")
    assert summary(extract(mail)) == [
        ("Customer import", "2026-11-13", "delayed", "2026-11-06"),
        ("Invoice export", "2026-11-02", "delivered", None),
    ]


def test_of_a_title_and_its_project_the_subject_names_the_item() -> None:
    mail = message("""
        Ana Silva changed the due date

        Autumn shop banners
        Harbour – Web relaunch

        Due date: Nov 18 → Nov 25
        Status: In Progress
    """, subject="[Tool] Autumn shop banners: due date changed")
    assert summary(extract(mail)) == [("Autumn shop banners", "2026-11-25", "delayed", "2026-11-18")]


def test_a_sheets_column_repeated_under_each_row_is_a_field_not_an_item() -> None:
    # "Print deadline" under two rows is the sheet's column; each row's title names the item
    mail = message("""
        Ana made changes to "Autumn media plan"

        Poster campaign (city centre)
           Print deadline: 06/11/26 → 13/11/26
           Comment: the posting date moved.

        Radio spot 30s
           Print deadline: 20/11/26
           Status: Not started
    """, subject='Changes to "Autumn media plan"')
    assert summary(extract(mail)) == [
        ("Poster campaign (city centre)", "2026-11-13", "delayed", "2026-11-06"),
        ("Radio spot 30s", "2026-11-20", "planned", None),
    ]


def test_a_move_between_two_dated_milestones_in_a_comment_moves_the_issue() -> None:
    mail = message("""
        Bumped this from the `v2.1` milestone (due Nov 20) to `v2.2` (due Dec 4). The sandbox still fails.
    """, subject="[acme/shop] Payment widget (Issue #214)")
    assert summary(extract(mail))[:1] == [("Payment widget", "2026-12-04", "delayed", "2026-11-20")]


def test_a_blocked_status_without_a_new_date_is_at_risk() -> None:
    mail = message("""
        Status:   In Progress  →  Blocked
        Due date: 20/Nov/26
    """, subject="[JIRA] (POR-91) Tax engine")
    assert summary(extract(mail)) == [("Tax engine", "2026-11-20", "at_risk", None)]


def test_an_activity_line_names_its_card() -> None:
    mail = message("""
        Here's what you missed on the board Launch.

        Ravi Menon changed the due date of the card Press kit – final PDFs to Nov 18, 2026 at 4:00 PM

        Ravi Menon commented on the card Press kit – final PDFs
          "Moved from Nov 11 – the photographer is ill."

        Ravi Menon set the due date of the card Launch video to Nov 25, 2026
    """, subject="2 new notifications on the board Launch")
    assert summary(extract(mail)) == [
        ("Press kit – final PDFs", "2026-11-18T16:00+05:30", "delayed", "2026-11-11"),
        ("Launch video", "2026-11-25", "planned", None),
    ]


def test_a_milestone_move_on_an_issue() -> None:
    mail = message("""
        @dev-lead changed the milestone from Release 3 (due by November 6, 2026) to Release 4 (due by November 20, 2026)

        The export is done; moving the import to the next release.
    """, subject="[acme/portal] Bulk import of customers (Issue #112)")
    items = summary(extract(mail))
    assert ("Bulk import of customers", "2026-11-20", "delayed", "2026-11-06") in items
    assert ("export", "2026-11-02", "delivered", None) in items


def test_a_due_date_changed_sentence() -> None:
    mail = message("Target date changed from 10 Nov 2026 to 17 Nov 2026 by Ana.",
                   subject="[Azure DevOps] Feature 5521: Offline mode")
    assert summary(extract(mail)) == [("Offline mode", "2026-11-17", "delayed", "2026-11-10")]


def test_a_column_aligned_field_list() -> None:
    mail = message("""
        Ana Souza changed Target Date
        Target Date   11/13/2026 → 11/20/2026
        State         Active
    """, subject="[Azure DevOps] User Story 1201: Offline sync")
    assert summary(extract(mail)) == [("Offline sync", "2026-11-20", "delayed", "2026-11-13")]


def test_a_change_line_that_names_its_row() -> None:
    mail = message('Due date changed from 11/13/26 to 11/20/26 for row "Install racks".',
                   subject="Rollout plan: 1 change")
    assert summary(extract(mail)) == [("Install racks", "2026-11-20", "delayed", "2026-11-13")]


def test_a_status_moved_to_done_is_a_delivery_today() -> None:
    mail = message("""
        Karim changed Status to Done on Site survey
        Andrea moved the card Poster artwork from Doing to Done
        Andrea moved the card Flyer from To do to Doing
    """)
    assert summary(extract(mail)) == [
        ("Site survey", "2026-11-02", "delivered", None),
        ("Poster artwork", "2026-11-02", "delivered", None),
    ]


def test_a_due_date_change_with_the_old_value_on_its_own_line() -> None:
    mail = message("""
        Tomás Reyes changed due date to November 20, 2026

        Was: November 13, 2026

        View it on GitLab: https://gitlab.example/shop/web/-/issues/57
    """, subject="Web shop | Gift message field (#57)")
    assert summary(extract(mail)) == [("Gift message field", "2026-11-20", "delayed", "2026-11-13")]


def test_an_issue_moved_between_milestones_with_their_due_dates() -> None:
    mail = message("@kara moved this from milestone 2.4 (due Nov 13) to 2.5 (due Dec 4)",
                   subject="[shop/app] Saved carts (Issue #212)")
    assert summary(extract(mail)) == [("Saved carts", "2026-12-04", "delayed", "2026-11-13")]


def test_a_comment_that_moves_the_issue_is_about_the_issue() -> None:
    mail = message("Moving this out of the **Beta** milestone (due Nov 17) into **GA**, due Dec 18. The sync "
                   "service will not be ready before the beta.",
                   subject="[shop/app] Offline basket (Issue #301)")
    assert summary(extract(mail)) == [("Offline basket", "2026-12-18", "delayed", "2026-11-17")]


def test_a_completed_task_in_an_activity_digest() -> None:
    mail = message("""
        Joana Reis changed the due date of "Partner FAQ" to Nov 18.
        Joana Reis completed "Rate card".
    """, subject="3 updates in Harbor Launch")
    assert summary(extract(mail)) == [
        ("Partner FAQ", "2026-11-18", "planned", None),
        ("Rate card", "2026-11-02", "delivered", None),
    ]


@pytest.mark.parametrize("line, subject, name", [
    ('Marta Rossi ha completato "Listino prezzi"', "[Asana] Attività completata", "Listino prezzi"),
    ('Marta Ruiz completó "Hoja de precios"', "[Asana] Tarea completada", "Hoja de precios"),
    ('Marta Dupont a terminé "Grille tarifaire"', "[Asana] Tâche terminée", "Grille tarifaire"),
    # German and Dutch put the object between the two parts of the verb
    ('Anna Weber hat „Preisliste" abgeschlossen', "[Asana] Aufgabe abgeschlossen", "Preisliste"),
    ('Jan de Vries heeft "Prijslijst" voltooid', "[Asana] Taak voltooid", "Prijslijst"),
])
def test_a_completed_task_in_the_tools_other_languages(line: str, subject: str, name: str) -> None:
    # the registry's activity verbs (lang/*.json "activity"): the task is named, not the subject's word for a task
    assert summary(extract(message(line, subject=subject))) == [(name, "2026-11-02", "delivered", None)]


def test_a_completion_dated_by_its_detail_line() -> None:
    mail = message("""
        Priya Nair completed "Onboarding checklist"
          Completed Oct 29
          View task: https://tasks.example/t/88
    """, subject="Harbor Launch: 1 update")
    assert summary(extract(mail)) == [("Onboarding checklist", "2026-10-29", "delivered", None)]


def test_a_digest_of_items_each_with_its_field_list() -> None:
    mail = message("""
        Tomasz Wrona updated 3 items on Fitout – Lisbon

        Reception desk – veneer samples
          Date: Nov 6 → Oct 30
          Status: Working on it → Done

        Meeting room glazing
          Status: Working on it → Stuck
          Date: Nov 19

        Signage package
          Timeline: Nov 9 → Nov 16
          Owner: Tomasz Wrona
          Update from Tomasz Wrona: "waiting for the final logo files"
    """, subject="Tomasz Wrona updated 3 items on Fitout – Lisbon")
    assert summary(extract(mail)) == [
        ("Reception desk – veneer samples", "2026-10-30", "delivered", "2026-11-06"),
        ("Meeting room glazing", "2026-11-19", "at_risk", None),
        ("Signage package", "2026-11-16", "delayed", "2026-11-09"),
    ]


def test_a_bare_date_field_without_status_or_change_dates_no_item() -> None:
    mail = message("""
        Date: Nov 9
        Owner: Tomasz Wrona
    """, subject="Signage package")
    assert extract(mail) == []


def test_a_work_item_subject_that_ends_in_what_happened() -> None:
    mail = message("""
        Fields changed
          Target Date:   11/13/2026  →  11/27/2026
          Tags:          web  →  web; blocked

        Discussion
          Ines Costa: The payment provider opened the sandbox only on Friday.
    """, subject="User Story 2210 - Refund flow was changed")
    assert summary(extract(mail)) == [("Refund flow", "2026-11-27", "delayed", "2026-11-13")]


@pytest.mark.parametrize("subject, text, expected", [
    # ClickUp: a status change with no name is about the task the mail names
    ("Catalogue import", "Ana Ruiz changed status from in progress to complete",
     ("Catalogue import", "2026-11-02", "delivered", None)),
    # Linear / Jira keys before the title; a "Due date changed:" field
    ("ENG-142 Checkout redesign", "Due date changed: Nov 10 → Nov 17\nStatus: Active",
     ("Checkout redesign", "2026-11-17", "delayed", "2026-11-10")),
    # Basecamp: a completed to-do named after a colon
    ("Launch project", "Mia Torres completed a to-do: Export the product feed",
     ("Export the product feed", "2026-11-02", "delivered", None)),
    # Basecamp / Asana: a to-do list head names no item
    ("Launch project", "To-do due soon: Translate FAQ — due on Nov 9",
     ("Translate FAQ", "2026-11-09", "planned", None)),
    # MS Planner: the task field names the item, not the subject
    ("You've been assigned a task", "Task: Safety training deck\nDue: 11/20/2026\nBucket: Training",
     ("Safety training deck", "2026-11-20", "planned", None)),
    # monday.com: the status first, then the item
    ("Update on your board", "Status changed to Done on Hero banner",
     ("Hero banner", "2026-11-02", "delivered", None)),
    # Asana: "Task:" before the title
    ("Task: Label artwork", "Due date changed to Nov 20 (was Nov 13)",
     ("Label artwork", "2026-11-20", "delayed", "2026-11-13")),
])
def test_more_tool_layouts(subject: str, text: str, expected: tuple) -> None:
    assert summary(extract(message(text, subject=subject))) == [expected]


def test_a_digest_names_each_change_by_the_heading_of_its_paragraph() -> None:
    mail = message("""
        Kiln project › Glazes

        Celadon test tiles
        Omar Haddad changed due date from Nov 10 to Nov 16
        Status: IN PROGRESS

        Slip recipe sheet
        Omar Haddad changed status from IN PROGRESS to COMPLETE
    """, subject="3 task updates")
    assert sorted(summary(extract(mail))) == [
        ("Celadon test tiles", "2026-11-16", "delayed", "2026-11-10"),
        ("Slip recipe sheet", "2026-11-02", "delivered", None),
    ]


@pytest.mark.parametrize("separator", ["·", "|", "•"])
def test_fields_printed_on_one_line_and_a_completion_day(separator: str) -> None:
    mail = message(f"""
        Votre plan : Céramique

        Plaques d'essai
          Échéance : 13/11/2026 {separator} Progression : En cours {separator} Affectée à : Léa

        Fiche d'émail
          Échéance : 23/10/2026 {separator} Terminée le 30/10/2026 {separator} Affectée à : Léa
    """, subject="Récapitulatif du plan")
    assert sorted(summary(extract(mail))) == [
        ("Fiche d'émail", "2026-10-30", "delivered", "2026-10-23"),
        ("Plaques d'essai", "2026-11-13", "planned", None),
    ]


def test_a_bullet_above_a_due_date_change_is_not_its_heading():
    """Regression: '- Sync fix: merged' above '- Milestone due date moved from A to B' named the move."""
    from slipwatch.extract.notifications import _heading_above

    text = "- Sync fix: merged yesterday\n- Milestone due date moved from 12/2 to 12/9."
    assert _heading_above(text, text.index("- Milestone")) is None
    digest = "Proto samples\nAna changed due date from Nov 20 to Nov 25"
    assert _heading_above(digest, digest.index("Ana")) == "Proto samples"


def test_a_batch_of_issues_each_with_its_own_field_lines() -> None:
    # Jira's batched mail: one or two field lines indented under each issue key
    mail = message("""
        Bagus Pratama made 3 updates.

        Kelpie Web (KLP)

        KLP-311  Landing page – desktop build
            Due date:  13/Nov/26  ->  20/Nov/26

        KLP-312  A/B test setup
            Status:  To Do  ->  Blocked
            Due date: 27/Nov/26

        KLP-305  Product feed mapping
            Status:  In Review  ->  Done
    """, subject="[JIRA] Bagus Pratama made 3 updates")
    assert sorted(summary(extract(mail))) == [
        ("KLP-305 Product feed mapping", "2026-11-02", "delivered", None),
        ("KLP-311 Landing page – desktop build", "2026-11-20", "delayed", "2026-11-13"),
        ("KLP-312 A/B test setup", "2026-11-27", "at_risk", None),
    ]


def test_a_weekly_digest_with_ticked_boxes_under_section_heads() -> None:
    # Wrike: "COMPLETED" heads the section, "[x]" ticks the task, "by <person> on <day>" dates it
    mail = message("""
        Your weekly Wrike digest (Oct 26 - Nov 2)

        COMPLETED
          [x] Storyboard v1 (EN)
              Completed by Nguyen Thi Thu Ha on Fri, Oct 30

        DUE DATE CHANGED
          [ ] SME review of storyboard
              Due date changed by Nguyen Thi Thu Ha: Nov 6 -> Nov 27
          [ ] Script lock
              Due date changed by Nguyen Thi Thu Ha: Nov 27 -> Dec 11

        STATUS CHANGED
          [ ] Alpha build
              Status: Active -> At Risk   |   Due: Dec 18
    """, subject="Weekly digest")
    assert sorted(summary(extract(mail))) == [
        ("Alpha build", "2026-12-18", "at_risk", None),
        ("SME review of storyboard", "2026-11-27", "delayed", "2026-11-06"),
        ("Script lock", "2026-12-11", "delayed", "2026-11-27"),
        ("Storyboard v1 (EN)", "2026-10-30", "delivered", None),
    ]


def test_a_comment_above_a_due_date_change_gives_the_old_date() -> None:
    # GitLab: the comment says where the date moved from, the activity line only where it went
    mail = message("""
        Nagy Bence commented on issue #87:

        Moving the due date from November 24 to December 1 – the CSV export needs a rework.

        Nagy Bence changed due date to December 1, 2026
    """, subject="Fathom admin | CSV export (#87)")
    assert summary(extract(mail)) == [("CSV export", "2026-12-01", "delayed", "2026-11-24")]


def test_fields_on_one_line_apart_by_a_padded_separator_keep_the_rest_of_the_text_in_place() -> None:
    # regression: "   |   " became a shorter line break and the prose reader saw shifted text
    mail = message("""
        Alpha build
          Status: Active -> At Risk          |          Due: Nov 27

        Style guide delivered on Oct 30.
    """, subject="Wrike: Alpha build")
    assert summary(extract(mail)) == [
        ("Alpha build", "2026-11-27", "at_risk", None),
        ("Style guide", "2026-10-30", "delivered", None),
    ]
    _, prose = notification_milestones(mail, Reading(mail.sent, day_first=True))
    assert "Nov 27" not in prose and "Style guide delivered on Oct 30." in prose


def test_a_field_list_is_about_the_title_that_opens_its_paragraph() -> None:
    # Microsoft Planner: the task's title, then its fields; "Due <date>" without a colon
    mail = message("""
        You have tasks due soon

        Harness FAI report rev B
        Bucket: Samples & FAI
        Due Wednesday, 11/4/2026
        Assigned to: Bao Tran
        Progress: In progress

        FAI samples rev B (10 sets)
        Bucket: Samples & FAI
        Due Friday, 11/6/2026
        Progress: Not started
    """, subject='You have tasks due soon in "Ember harness"')
    assert summary(extract(mail)) == [
        ("Harness FAI report rev B", "2026-11-04", "planned", None),
        ("FAI samples rev B (10 sets)", "2026-11-06", "planned", None),
    ]


@pytest.mark.parametrize("text, expected", [
    ("Aufgabe: Verpackungsdruck\nFälligkeitsdatum: 13.11.2026 → 20.11.2026\nVerantwortlich: Jonas",
     ("Verpackungsdruck", "2026-11-20", "delayed", "2026-11-13")),
    ("Tâche : Maquette du catalogue\nÉchéance : 30/10/2026\nStatut : Terminé",
     ("Maquette du catalogue", "2026-10-30", "delivered", None)),
    ("Úkol: Výkresová dokumentace\nTermín: 20.11.2026\nStav: Probíhá",
     ("Výkresová dokumentace", "2026-11-20", "planned", None)),
    ("Feladat: Csomagolásterv\nHatáridő: 2026.11.20.\nFelelős: Kovács Anna",
     ("Csomagolásterv", "2026-11-20", "planned", None)),
    ("タスク：結合テスト\n期限：2026年11月20日\n担当者：田中",
     ("結合テスト", "2026-11-20", "planned", None)),
])
def test_field_lists_in_the_registry_languages(text: str, expected: tuple) -> None:
    assert summary(extract(message(text, subject="Notification"))) == [expected]


def test_a_list_of_items_is_no_field_list_though_an_item_is_named_like_a_field() -> None:
    # "Delivery" is a field word; "Installation" is not: the labels name the items
    mail = message("""
        Delivery: 12 Nov 2026
        Installation: 20 Nov 2026
    """, subject="Kiosk order 4411")
    assert [name for name, *_ in summary(extract(mail))] == ["Delivery", "Installation"]


def test_jira_prints_the_old_and_the_new_date_side_by_side() -> None:
    mail = message("""
        Arjun Raghavan updated an issue
        Tiller / TIL-482
        Payment reconciliation report

        Change By: | Arjun Raghavan
        Due Date: | 14/Nov/26 21/Nov/26
        Fix Version/s: | Tiller 1.4 Tiller 1.5
    """, subject="[JIRA] (TIL-482) Payment reconciliation report")
    assert summary(extract(mail)) == [("Payment reconciliation report", "2026-11-21", "delayed", "2026-11-14")]


def test_an_activity_sentence_over_the_field_list_it_tells_is_one_change() -> None:
    mail = message("""
        Oleksandr Hnatiuk changed the due date of SXT-231 to Nov 19

        SXT-231 Webhook retries

        Status: In Progress
        Priority: High
        Due date: Nov 12 → Nov 19
    """, subject="SXT-231 Webhook retries")
    assert summary(extract(mail)) == [("Webhook retries", "2026-11-19", "delayed", "2026-11-12")]


def test_a_subject_that_ends_in_the_field_changed_names_the_item_before_it() -> None:
    mail = message("""
        Andreea Pop changed the due date

        Due date: Nov 18 → Nov 25
        Status: In Progress
        Assignees: Mihai Ionescu
    """, subject="[Wrike] Checkout UI strings: due date changed")
    assert summary(extract(mail)) == [("Checkout UI strings", "2026-11-25", "delayed", "2026-11-18")]


def test_a_tools_record_keeping_dates_no_item() -> None:
    mail = message("""
        Team project: Summit Dash QA
        State: Active
        Assigned to: Ondřej Kučera
        Changed By: Ondřej Kučera
        Changed Date: 10/28/2026 2:05 PM (UTC)
    """, subject="Task 3412 - Regression pass RC2 was updated")
    assert extract(mail) == []


def test_lines_that_only_name_items_are_no_field_list() -> None:
    mail = message("""
        ACTION: Aoife to circulate the DMP draft to all partners by 16 November 2026.
        ACTION: All partners to fill in the dataset inventory sheet by 20 November 2026.
    """, subject="Minutes of the plenary")
    assert [due for _, due, *_ in summary(extract(mail))] == ["2026-11-16", "2026-11-20"]


def test_a_digest_wrapped_at_72_columns_reads_its_quoted_titles_whole() -> None:
    # Basecamp's daily digest: the title wraps onto the next line; a completed to-do is done on its
    # own due date, a due date change printed as "old -> new" moves the item
    text = """TO-DOS
  [x] Aoife Brennan completed "Press kit hi-res images uploaded to
      Dropbox" (due Nov 2)
  [~] Ciarán Walsh changed the due date on "Long-lead press preview
      (London)": Nov 26 -> Dec 2
"""
    assert summary(extract(message(text))) == [
        ("Long-lead press preview (London)", "2026-12-02", "delayed", "2026-11-26"),
        ("Press kit hi-res images uploaded to Dropbox", "2026-11-02", "delivered", None),
    ]


def test_a_subject_that_quotes_the_item_names_it() -> None:
    mail = message("Due date: Nov 20, 2026\nStatus: Active\n",
                   subject='Ioana Mureșan mentioned you in "Website localisation batch 2"')
    assert summary(extract(mail)) == [("Website localisation batch 2", "2026-11-20", "planned", None)]


def test_a_quote_that_ends_a_longer_name_in_the_subject_is_not_the_whole_item() -> None:
    # 'an update on Reel "Knit the night"': the item's name starts before the quote
    from slipwatch.extract.notifications import _without_field_change
    assert _without_field_change('Chiara mentioned you in an update on Reel "Knit the night"').endswith(
        'Reel "Knit the night"')
    assert _without_field_change('Ioana mentioned you in "Website localisation"') == "Website localisation"
