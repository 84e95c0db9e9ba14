"""Status tables: columns found by their headings, rows read as RULES.md says.

Read as sent on Monday 2 November 2026 in Pune (+05:30).
"""

from __future__ import annotations

import pytest

from slipwatch.extract import extract
from slipwatch.extract.model import Reading
from slipwatch.extract.tables import Columns, attachment_tables, find_columns, text_tables
from slipwatch.extract.words import heading_role
from slipwatch.mail.model import Table
from tests.extract.messages import MON_2_NOV_IST, attachment, message, summary

READING = Reading(MON_2_NOV_IST, day_first=True)


@pytest.mark.parametrize("header, columns", [
    (("Milestone", "Owner", "Planned", "Revised", "Status"), Columns(name=0, due=2, revised=3, status=4)),
    (("Status", "Forecast", "Baseline", "Deliverable"), Columns(name=3, due=2, revised=1, status=0)),
    (("ID", "Task Name", "Duration", "Start", "Finish", "% Complete"), Columns(name=1, due=4, status=5)),
    (("Entregable / Deliverable", "Fecha original", "Nueva fecha", "Estado"), Columns(name=0, due=1, revised=2, status=3)),
    (("Arbeitspaket", "Verantwortlich", "Termin", "Neuer Termin", "Status"), Columns(name=0, due=2, revised=3, status=4)),
    (("Livrable", "Date prévue", "Nouvelle date", "État"), Columns(name=0, due=1, revised=2, status=3)),
    # Korean: the scheduled ship date and the date "before the change" (the plan it moved from)
    (("품목", "출고 예정일", "변경 전", "비고"), Columns(name=0, due=2, revised=1, note=3)),
])
def test_columns_are_found_by_their_headings_in_any_order(header, columns) -> None:
    table = Table(rows=(header, tuple("x" for _ in header)))
    assert find_columns(table, READING) == columns


@pytest.mark.parametrize("heading", ["Ampel", "Semáforo"])  # the traffic light of a status report
def test_a_traffic_light_heading_is_a_status_column_even_when_its_cells_are_only_colours(heading) -> None:
    table = Table(rows=(("Meilenstein", "Plan", heading), ("Serienfreigabe", "30.11.2026", "")),
                  fills=(("", "", ""), ("", "", "Amber")))
    assert find_columns(table, READING) == Columns(name=0, due=1, status=2)


@pytest.mark.parametrize("heading, cell, status", [
    ("Estado", "Riesgo", "at_risk"),
    ("Statut", "Réalisé", "delivered"),
])
def test_status_cells_of_other_languages(heading, cell, status) -> None:
    mail = message(f"""
        Milestone | Planned | {heading}
        Pilot build | 20/10 | {cell}
    """)
    assert [m.status for m in extract(mail)] == [status]


def test_a_done_column_in_dutch_dates_the_delivery() -> None:
    mail = message("""
        Activiteit | Gepland | Gereed
        Ontwerp goedgekeurd | 23/10 | 23/10
    """)
    assert summary(extract(mail)) == [("Ontwerp goedgekeurd", "2026-10-23", "delivered", None)]


def test_a_date_column_without_a_telling_heading_is_found_by_its_cells() -> None:
    table = Table(rows=(("Title", "Narrator", "Masters"), ("Book one", "Ann", "16 Nov"), ("Book two", "Bo", "23 Nov")))
    assert find_columns(table, READING) == Columns(name=0, due=2)


def test_a_column_of_bare_numbers_names_no_row() -> None:
    table = Table(rows=(("Pos.", "Part", "Qty", "Delivery"), ("10", "Pump housing", "40", "16 Nov"),
                        ("20", "Impeller", "40", "23 Nov")))
    assert find_columns(table, READING) == Columns(name=1, due=3)


def test_a_column_of_versions_names_its_rows_and_an_owner_never_does() -> None:
    # "2.4.1" has no letter but is no row number; the owner's words name a person, not the item
    table = Table(rows=(("Version", "Owner", "Release date"), ("2.4.1", "Ana Reis", "16 Nov"),
                        ("2.5.0", "Bo Lind", "30 Nov")))
    assert find_columns(table, READING) == Columns(name=0, due=2)


def test_a_channel_column_names_the_rows_when_the_others_are_specs() -> None:
    # "Channel" sets rows apart like a code, but its cells are words and the spec column's are figures
    table = Table(rows=(("Channel", "Spec", "Deadline"), ("Radio spot", "WAV 48kHz, 30s", "16 Nov"),
                        ("Banner", "1920x1080, PNG", "23 Nov"), ("Poster", "594x841mm, PDF/X-4", "23 Nov")))
    assert find_columns(table, READING) == Columns(name=0, due=2)


def test_a_column_of_days_written_with_a_hyphen_dates_the_rows() -> None:
    # a planning's yearless days "25-11", and the one its comment moved from written alike
    mail = message("""
        Order  Item                Delivery   Status
        -----  ------------------  ---------  ------------------------
        4410   Catalogue 48 pp     25-11      in production
        4415   Posters A1          04-12      was 27-11, paper late
    """)
    assert summary(extract(mail)) == [
        ("Catalogue 48 pp", "2026-11-25", "planned", None),
        ("Posters A1", "2026-12-04", "delayed", "2026-11-27"),
    ]


def test_the_html_table_behind_a_text_table_gives_the_colours_the_text_leaves_out() -> None:
    # the plain part leaves the status cells empty (they are only filled amber and green in the HTML
    # part), and its row with no comment breaks the run of tab-separated lines in two
    text = "Milestone\tPlan\tStatus\tComment\nRough cut\t16 Nov\t\tsent\nVoice-over\t20 Nov\n" \
           "Fine cut\t27 Nov\t\tvoice actor ill\nMasters\t4 Dec\t\ttight"
    html = Table(rows=(("Milestone", "Plan", "Status", "Comment"), ("Rough cut", "16 Nov", "Green", "sent"),
                       ("Voice-over", "20 Nov", "Green", ""), ("Fine cut", "27 Nov", "Amber", "voice actor ill"),
                       ("Masters", "4 Dec", "Green", "tight")))
    items = extract(message(text, tables=(html,)))
    assert [(m.name, m.status) for m in items if m.name in ("Voice-over", "Fine cut")] == [
        ("Voice-over", "planned"), ("Fine cut", "at_risk")]


def test_a_text_table_with_group_rows_is_one_table_and_its_html_twin_reads_it() -> None:
    # a group's row of one cell does not break the aligned table; the HTML part, with a column more (the
    # colour each RAG cell is filled with) and a row the text runs together, is the same table, read once
    text = ("Item                           Baseline  Revised  Status    RAG\n"
            "Resupply packaging campaign\n"
            "  Resupply label print         11/13     —        On track  G\n"
            "  Resupply kit assembly        11/20     12/4     Delayed   R\n"
            "  Expiry-extension over-labels 12/11     —        On track  G\n"
            "Stability (lots C01 / C02)\n"
            "  12-month stability report    10/20     10/30    Complete  G\n")
    html = Table(rows=(("Item", "Baseline", "Revised", "Status", "RAG", ""),
                       ("Resupply packaging campaign", "", "", "", "", ""),
                       ("Resupply label print", "11/13", "—", "On track", "G", "Green"),
                       ("Resupply kit assembly", "11/20", "12/4", "Delayed", "R", "Red"),
                       ("Expiry-extension over-labels", "12/11", "—", "On track", "G", "Green"),
                       ("Stability (lots C01 / C02)", "", "", "", "", ""),
                       ("12-month stability report", "10/20", "10/30", "Complete", "G", "Green")))
    assert summary(extract(message(text, tables=(html,)))) == [
        ("Resupply label print", "2026-11-13", "planned", None),
        ("Resupply kit assembly", "2026-12-04", "delayed", "2026-11-20"),
        ("Expiry-extension over-labels", "2026-12-11", "planned", None),
        ("12-month stability report", "2026-10-30", "delivered", "2026-10-20"),
    ]


def test_a_column_of_colours_without_a_heading_names_no_row() -> None:
    table = Table(rows=(("Workstream", "RAG", "Date", "Comment", ""),
                        ("Webhooks v2", "Red", "13.11", "blocked: no access to the sandbox", "Red"),
                        ("Public API docs portal", "Green", "14.11", "content 80% ready", "Green")))
    assert [m.name for m in extract(message(tables=(table,)))] == ["Webhooks v2", "Public API docs portal"]


def test_a_spanish_comment_that_moves_the_row_gives_its_new_date() -> None:
    mail = message("""
        Hito | Fecha | Estado | Comentarios
        Primer montaje | 09/11 | Rojo | pasa al 16/11 por la agenda del director
    """)
    assert summary(extract(mail)) == [("Primer montaje", "2026-11-16", "delayed", "2026-11-09")]


def test_a_plan_chart_laid_out_with_spaces_dates_each_row_in_its_last_marked_week() -> None:
    # week headings over a blank corner; a row is due on the Friday of the last week it marks
    mail = message("""
                          CW46  CW47  CW48  CW49
        Site survey        X
        Install                   X     X
        Handover                              X
    """)
    assert summary(extract(mail)) == [
        ("Site survey", "2026-11-13", "planned", None),
        ("Install", "2026-11-27", "planned", None),
        ("Handover", "2026-12-04", "planned", None),
    ]


def test_two_rows_that_share_a_word_and_a_date_are_two_items() -> None:
    mail = message("""
        Step | Planned | Status
        Delivery Rotterdam | 17/12 | Planned
        Printing + delivery insert | 17/12 | Cancelled
    """)
    assert summary(extract(mail)) == [
        ("Delivery Rotterdam", "2026-12-17", "planned", None),
        ("Printing + delivery insert", "2026-12-17", "cancelled", None),
    ]


def test_a_plans_summary_task_spanning_all_its_rows_is_the_project_not_a_milestone() -> None:
    mail = message("""
        ID | Task Name | Start | Finish
        0 | Harbour buoy | 02/11/26 | 18/12/26
        1 | Pre-scan | 02/11/26 | 06/11/26
        2 | Radio testing | 09/11/26 | 27/11/26
        3 | Report issue | 18/12/26 | 18/12/26
    """)
    assert [m.name for m in extract(mail)] == ["Pre-scan", "Radio testing", "Report issue"]


def test_a_column_of_week_numbers_names_no_item() -> None:
    # release schedules put the week before the date; the item is in the column after them
    mail = message("""
        Proposed dates:

          Wk  | Date       | Event
          ----+------------+-------------------------
          W49 | 2026-12-01 | String freeze
          W51 | 2026-12-15 | 2.0 final
    """)
    assert summary(extract(mail)) == [
        ("String freeze", "2026-12-01", "planned", None),
        ("2.0 final", "2026-12-15", "planned", None),
    ]


def test_a_meeting_word_that_is_itself_published_names_a_deliverable() -> None:
    mail = message("""
        Action | Who | Due
        Volunteer call published | Lena | 2026-11-20
        Agenda circulated | Piet | 2026-11-27
    """)
    assert summary(extract(mail)) == [
        ("Volunteer call published", "2026-11-20", "planned", None),
        ("Agenda circulated", "2026-11-27", "planned", None),
    ]


def test_a_table_without_dates_is_no_milestone_table() -> None:
    table = Table(rows=(("Item", "Qty", "Price"), ("Licences", "20", "USD 400.00")))
    assert find_columns(table, READING) is None


def test_rows_read_as_statuses() -> None:
    table = Table(rows=(
        ("Deliverable", "Baseline", "Forecast", "RAG"),
        ("Data model", "28 Oct", "30 Oct", "Done"),                      # done late: old date kept
        ("Reports", "13 Nov", "20 Nov", "Red"),                          # a later forecast: delayed
        ("Dashboards", "27 Nov", "24 Nov", "Green"),                     # earlier: planned, old date kept
        ("Alerts", "4 Dec", "", "Amber – vendor API unstable"),          # no new date: at risk
        ("SMS channel", "11 Dec", "–", "Descoped"),                      # cancelled on its date
        ("Training", "18 Dec", "18 Dec", "On track"),
    ))
    mail = message(tables=(table,))
    assert summary(extract(mail)) == [
        ("Data model", "2026-10-30", "delivered", "2026-10-28"),
        ("Reports", "2026-11-20", "delayed", "2026-11-13"),
        ("Dashboards", "2026-11-24", "planned", "2026-11-27"),
        ("Alerts", "2026-12-04", "at_risk", None),
        ("SMS channel", "2026-12-11", "cancelled", None),
        ("Training", "2026-12-18", "planned", None),
    ]


def test_a_table_laid_out_in_plain_text() -> None:
    mail = message("""
        Status below.

        Work item          | Due date   | % Complete
        -------------------+------------+-----------
        Site survey        | 2026-10-30 | 100%
        Network design     | 2026-11-16 | 40%
    """)
    assert text_tables(mail.text) == [Table(rows=(
        ("Work item", "Due date", "% Complete"),
        ("Site survey", "2026-10-30", "100%"),
        ("Network design", "2026-11-16", "40%"),
    ))]
    assert summary(extract(mail)) == [
        ("Site survey", "2026-10-30", "delivered", None),
        ("Network design", "2026-11-16", "planned", None),
    ]


def test_a_table_laid_out_with_tabs() -> None:
    # the plain-text part of an HTML table, empty cells kept; prose around it still read
    mail = message("Estado de la semana.\n\nEntregable\tFecha prevista\tNueva fecha\tEstado\n"
                   "Diseño de pantallas\t28/10\t\tEntregado\nCarga de catálogo\t06/11\t13/11\tRetrasado\n\n"
                   "- Cuaderno de pruebas: 20/11.")
    assert text_tables(mail.text) == [Table(rows=(
        ("Entregable", "Fecha prevista", "Nueva fecha", "Estado"),
        ("Diseño de pantallas", "28/10", "", "Entregado"),
        ("Carga de catálogo", "06/11", "13/11", "Retrasado"),
    ))]
    assert summary(extract(mail)) == [
        ("Diseño de pantallas", "2026-10-28", "delivered", None),
        ("Carga de catálogo", "2026-11-13", "delayed", "2026-11-06"),
        ("Cuaderno de pruebas", "2026-11-20", "planned", None),
    ]


def test_a_csv_attachment() -> None:
    csv = attachment("plan.csv", "text/csv", """
        Step;Planned;Revised;Status;Notes
        Tooling;2026-10-29;;Done;
        First articles;2026-11-12;2026-11-19;Delayed;"resin, late"
        Ramp-up;2026-12-03;;Planned;
    """)
    assert len(attachment_tables((csv,))) == 1
    assert summary(extract(message(attachments=(csv,)))) == [
        ("Tooling", "2026-10-29", "delivered", None),
        ("First articles", "2026-11-19", "delayed", "2026-11-12"),
        ("Ramp-up", "2026-12-03", "planned", None),
    ]


def test_a_stage_column_names_the_step_of_the_product_column() -> None:
    csv = attachment("plan.csv", "text/csv", """
        Code;Product;Stage;Target date;Status
        TR-1;Oak tray;Sanding;2026-10-30;Done
        TR-2;Walnut tray;Sanding;2026-11-13;On track
        ALL;All trays, both finishes, incl. the gift sleeve;Packing;2026-11-20;
    """)
    assert summary(extract(message(attachments=(csv,)))) == [
        ("Oak tray – Sanding", "2026-10-30", "delivered", None),
        ("Walnut tray – Sanding", "2026-11-13", "planned", None),
        ("Packing", "2026-11-20", "planned", None),     # a long description only describes the row
    ]
    # steps that differ name their rows alone
    csv = attachment("plan.csv", "text/csv", """
        Product;Stage;Target date
        Oak tray;Sanding;2026-11-10
        Oak tray;Oiling;2026-11-17
    """)
    assert [m.name for m in extract(message(attachments=(csv,)))] == ["Sanding", "Oiling"]


@pytest.mark.parametrize("header, columns", [
    (("Mijlpaal", "Opleverdatum", "Status"), Columns(name=0, due=1, status=2)),
    (("Görev", "Teslim tarihi", "Durum"), Columns(name=0, due=1, status=2)),
    (("Tugas", "Tenggat", "Status"), Columns(name=0, due=1, status=2)),
    # the headings are the language registry's field words (lang/*.json "fields")
    (("Úkol", "Termín", "Stav"), Columns(name=0, due=1, status=2)),
    (("Feladat", "Határidő", "Állapot"), Columns(name=0, due=1, status=2)),
    (("Hạng mục", "Hạn chót", "Trạng thái"), Columns(name=0, due=1, status=2)),
    (("タスク", "納期", "状況"), Columns(name=0, due=1, status=2)),
    (("작업", "마감일", "상태"), Columns(name=0, due=1, status=2)),
    (("里程碑", "截止日期", "状态"), Columns(name=0, due=1, status=2)),
    # a Dutch "Artikel" is the article a calendar publishes: it names the rows, it is no code
    (("Artikel", "Publicatie", "Kanaal"), Columns(name=0, due=1)),
])
def test_headings_in_the_registry_languages(header, columns) -> None:
    table = Table(rows=(header, ("x", "1 Dec", "x")))
    assert find_columns(table, READING) == columns


@pytest.mark.parametrize("header", [("Week", "Date", "Event"), ("KW", "Datum", "Vorgang"), ("Wk", "Date", "What")])
def test_a_week_column_is_no_name(header) -> None:
    table = Table(rows=(header, ("W47", "20 Nov 2026", "Pilot build"), ("W49", "4 Dec 2026", "Release")))
    assert summary(extract(message(tables=(table,)))) == [
        ("Pilot build", "2026-11-20", "planned", None), ("Release", "2026-12-04", "planned", None)]


def test_a_row_also_told_in_the_text_is_one_item() -> None:
    csv = attachment("plan.csv", "text/csv", """
        Milestone,Due,Status
        Tooling,2026-10-29,Done
    """)
    mail = message("The tooling was completed on 29 Oct as planned.", attachments=(csv,))
    assert summary(extract(mail)) == [("Tooling", "2026-10-29", "delivered", None)]


@pytest.mark.parametrize("rows, columns", [
    # the heading row under a title row
    ((("Harbor status – week 46", "", ""), ("Deliverable", "Due", "RAG"), ("x", "x", "x")),
     Columns(name=0, due=1, status=2, header=1)),
    # a task column wins over an item, product, style or SKU column
    ((("Item", "Task", "Due date", "Status"), ("x", "x", "x", "x")), Columns(name=1, due=2, status=3)),
    ((("Style", "SKU", "Milestone", "Date"), ("x", "x", "x", "x")), Columns(name=2, due=3)),
    ((("Product", "Description", "ETA"), ("x", "x", "x")), Columns(name=0, due=2)),
    ((("Ref", "Owner", "Widget", "Due"), ("x", "x", "x", "x")), Columns(name=2, due=3)),
    # a comment column, and headings in Romanian and Polish
    ((("Livrabil", "Termen iniţial", "Termen nou", "Stare", "Observaţii"), ("x",) * 5),
     Columns(name=0, due=1, revised=2, status=3, note=4)),
    ((("Zadanie", "Termin", "Status", "Uwagi"), ("x",) * 4), Columns(name=0, due=1, status=2, note=3)),
])
def test_heading_rows_and_name_columns(rows, columns) -> None:
    assert find_columns(Table(rows=rows), READING) == columns


def test_a_comment_that_says_done_or_descoped_outranks_the_colour() -> None:
    table = Table(rows=(
        ("Workstream", "Baseline", "Forecast", "RAG", "Comment"),
        ("Vendor onboarding", "23 Oct", "23 Oct", "Green", "Complete, accepted by procurement"),
        ("Price feed", "20 Nov", "20 Nov", "Green", "On track"),
        ("Catalogue sync", "27 Nov", "27 Nov", "", "Waiting for credentials, might slip"),
        ("Loyalty export", "4 Dec", "–", "Grey", "Descoped in CR-12"),
        ("Returns API", "11 Dec", "11 Dec", "Green", "Depends on the files you sent"),
        ("Archive", "30 Oct", "30 Oct", "Blue", ""),
    ))
    assert summary(extract(message(tables=(table,)))) == [
        ("Vendor onboarding", "2026-10-23", "delivered", None),
        ("Price feed", "2026-11-20", "planned", None),
        ("Catalogue sync", "2026-11-27", "at_risk", None),
        ("Loyalty export", "2026-12-04", "cancelled", None),
        ("Returns API", "2026-12-11", "planned", None),       # "sent" there is no report of this row
        ("Archive", "2026-10-30", "delivered", None),
    ]


def test_a_status_cell_that_dates_the_delivery() -> None:
    table = Table(rows=(
        ("Deliverable", "Initial date", "New date", "Status"),
        ("Price rules", "16.10.2026", "-", "Delivered on 28.10.2026 (late)"),
        ("Store map", "23.10.2026", "30.10.2026", "Done"),
        ("Gift wrap", "30.10.2026", "13.11.2026 (było 30.10)", "Opóźnione"),
    ))
    assert summary(extract(message(tables=(table,)))) == [
        ("Price rules", "2026-10-28", "delivered", "2026-10-16"),
        ("Store map", "2026-10-30", "delivered", "2026-10-23"),
        ("Gift wrap", "2026-11-13", "delayed", "2026-10-30"),
    ]


def test_a_title_row_and_a_section_row_are_no_items() -> None:
    mail = message("""
        Please find the Harbor deliverables status below.

        Harbor status | week 45 |
        Deliverable | Due | RAG
        Search tuning | 20 Nov | Green
        Risks | |
        Data import | 27 Nov | Amber
    """)
    assert summary(extract(mail)) == [
        ("Search tuning", "2026-11-20", "planned", None),
        ("Data import", "2026-11-27", "at_risk", None),
    ]


# --- column roles as a person reads them (issue 13) -------------------------------------------

@pytest.mark.parametrize("header, columns", [
    # a tool's "Finish" is the forecast when a baseline stands beside it (Smartsheet, MS Project)
    (("Task Name", "Start", "Finish", "Baseline Finish", "% Complete"), Columns(name=0, due=3, revised=2, status=4)),
    (("Tâche", "Début", "Fin", "Date initiale"), Columns(name=0, due=3, revised=2)),
    (("Vorgang", "Anfang", "Ende", "Geplant", "Ist"), Columns(name=0, due=3, revised=2, actual=4)),
    (("Attività", "Data prevista", "Nuova data", "Data effettiva"), Columns(name=0, due=1, revised=2, actual=3)),
    (("Milestone", "Planned", "Forecast", "Actual"), Columns(name=0, due=1, revised=2, actual=3)),
    (("Hito", "Fecha original", "Fecha real"), Columns(name=0, due=1, actual=2)),
    # a workstream groups rows; the deliverable names them
    (("Workstream", "Deliverable", "Due", "Revised", "RAG", "Comment"),
     Columns(name=1, due=2, revised=3, status=4, note=5)),
    (("Bereich", "Termin", "Status"), Columns(name=0, due=1, status=2)),
    # several status columns are read together
    (("Task Name", "Finish", "RAG", "Status", "% Complete"), Columns(name=0, due=1, status=4, flags=(2, 3))),
])
def test_plan_forecast_and_actual_columns_in_several_languages(header, columns) -> None:
    table = Table(rows=(header, tuple("x" for _ in header)))
    assert find_columns(table, READING) == columns


def test_a_smartsheet_export_reads_its_baseline_its_finish_and_all_its_status_columns() -> None:
    # dd/mm/yy as Smartsheet writes it outside the US; 27/10 settles the order
    csv = attachment("plan.csv", "text/csv", """
        Task Name,Assigned To,Start,Finish,Baseline Finish,Variance,RAG,Status,% Complete
        Site activation,Harjit,05/10/26,27/10/26,23/10/26,-2d,Green,Complete,100%
        Data cut,Harjit,02/11/26,30/11/26,30/11/26,0d,Amber,In Progress,40%
        Sub-study amendment,Tan,,15/12/26,15/12/26,0d,Grey,Cancelled,0%
        Database lock,Tan,,14/01/27,18/12/26,-20d,Red,In Progress,10%
        Topline results,Tan,,29/01/27,29/01/27,0d,Green,Not Started,0%
    """)
    assert summary(extract(message(attachments=(csv,)))) == [
        ("Site activation", "2026-10-27", "delivered", "2026-10-23"),
        ("Data cut", "2026-11-30", "at_risk", None),
        ("Sub-study amendment", "2026-12-15", "cancelled", None),
        ("Database lock", "2027-01-14", "delayed", "2026-12-18"),
        ("Topline results", "2027-01-29", "planned", None),
    ]


def test_an_actual_date_column_says_when_the_item_was_done() -> None:
    csv = attachment("deliverables.csv", "text/csv", """
        Number;Title;Due date;Submitted on;Status
        D1.1;Requirements;30/09/2026;05/10/2026;Submitted
        D2.1;Prototype;31/12/2026;;In preparation
    """)
    assert summary(extract(message(attachments=(csv,)))) == [
        ("Requirements", "2026-10-05", "delivered", "2026-09-30"),
        ("Prototype", "2026-12-31", "planned", None),
    ]


def test_a_date_cell_marked_actual_is_the_day_it_happened() -> None:
    # a shipping schedule writes what happened "(A)" and what is estimated "(E)"; a Czech plan "hotovo" (done)
    table = Table(rows=(("Event", "Planned", "Actual / Estimated"),
                        ("Vessel departure", "28 Oct 2026", "30 Oct 2026 (A)"),
                        ("Vessel arrival", "20 Nov 2026", "23 Nov 2026 (E)"),
                        ("Vzorky FAI", "29. října 2026", "hotovo 29. října 2026")))
    assert summary(extract(message(tables=(table,)))) == [
        ("Vessel departure", "2026-10-30", "delivered", "2026-10-28"),
        ("Vessel arrival", "2026-11-23", "delayed", "2026-11-20"),
        ("Vzorky FAI", "2026-10-29", "delivered", None),
    ]


def test_minutes_whose_points_are_sentences_name_each_item_by_its_subject() -> None:
    # "Item" numbers the points, "Action" says whose they are; the point's sentence says how the item stands
    table = Table(rows=(
        ("Item", "Description", "Action", "Date"),
        ("7.2", "First fix M&E slipped from 26/11 to 09/12 due to late delivery of the ductwork.", "H&P", "09/12/2026"),
        ("7.5", "Passenger lift thorough examination may slip - the insurer has not confirmed.", "SP", "23/11/2026"),
        ("7.6", "Practical completion unchanged.", "GL", "21/12/2026"),
    ))
    assert summary(extract(message(tables=(table,)))) == [
        ("First fix M&E", "2026-12-09", "delayed", "2026-11-26"),
        ("Passenger lift thorough examination", "2026-11-23", "at_risk", None),
        ("Practical completion unchanged", "2026-12-21", "planned", None),
    ]


def test_a_column_no_heading_names_that_dates_some_rows_says_how_they_moved() -> None:
    table = Table(rows=(
        ("Item", "Planned", "Actual", "Variance"),
        ("Care labels", "06/11/2026", "–", "on track"),
        ("Heat-transfer logos", "13/11/2026", "–", "+3 working days (forecast 18/11/2026)"),
    ))
    assert summary(extract(message(tables=(table,)))) == [
        ("Care labels", "2026-11-06", "planned", None),
        ("Heat-transfer logos", "2026-11-18", "delayed", "2026-11-13"),
    ]


def test_a_status_cell_that_names_the_previous_date() -> None:
    table = Table(rows=(("Milestone", "Date", "Status"),
                        ("Arrival Felixstowe (ETA)", "21 Nov 2026", "Estimated (previous: 14 Nov 2026)")))
    assert summary(extract(message(tables=(table,)))) == [
        ("Arrival Felixstowe (ETA)", "2026-11-21", "delayed", "2026-11-14")]


def test_a_name_with_a_verb_but_no_full_stop_is_a_name_not_a_sentence() -> None:
    table = Table(rows=(("Milestone", "Date", "Status"), ("Cargo received at CFS Hai Phong", "30 Oct 2026", "Completed")))
    assert [m.name for m in extract(message(tables=(table,)))] == ["Cargo received at CFS Hai Phong"]


def test_a_rag_row_moved_later_is_delayed_whatever_its_colour() -> None:
    # RULES.md: a later revised date is a delay; "Apr-7" is a factory's month and day like "Apr-14"
    table = Table(rows=(("Step", "Date", "Status"), ("Loading", "Dec-14 (was Dec-7)", "Red")))
    assert summary(extract(message(tables=(table,)))) == [("Loading", "2026-12-14", "delayed", "2026-12-07")]


@pytest.mark.parametrize("cell, expected", [
    ("OPEN (was 1 Nov)", ("2026-11-20", "delayed", "2026-11-01")),
    ("moved (was 27/11/2026)", ("2026-11-20", "planned", "2026-11-27")),
    ("spostato dal 13.11.2026", ("2026-11-20", "delayed", "2026-11-13")),
    ("anticipato dal 27.11.2026", ("2026-11-20", "planned", "2026-11-27")),
    ("verschoben, war 16.11.", ("2026-11-20", "delayed", "2026-11-16")),
    ("(eerder 13 nov)", ("2026-11-20", "delayed", "2026-11-13")),
])
def test_a_status_or_comment_cell_gives_the_date_the_item_moved_from(cell, expected) -> None:
    table = Table(rows=(("Action", "Due", "Notes"), ("Sponsor logos", "20/11/2026", cell)))
    assert summary(extract(message(tables=(table,)))) == [("Sponsor logos", *expected)]


@pytest.mark.parametrize("cell, expected", [
    ("Revised ETA 05-Dec-2026", ("2026-12-05", "delayed", "2026-11-20")),
    ("Slips to 27 Nov (vendor late)", ("2026-11-27", "delayed", "2026-11-20")),
    ("On track", ("2026-11-20", "planned", None)),
])
def test_a_status_cell_gives_the_date_the_item_moved_to(cell, expected) -> None:
    table = Table(rows=(("Title", "Draft due", "Status"), ("Software documentation", "20-Nov-2026", cell)))
    assert summary(extract(message(tables=(table,)))) == [("Software documentation", *expected)]


def test_a_table_without_headings_finds_its_status_and_comment_columns_by_their_cells() -> None:
    # a monday.com board pasted as a table: date, item, channel, status, comment
    table = Table(rows=(
        ("26.10.2026", "Teaser reel", "Instagram", "Done", ""),
        ("04.11.2026", "Moodboard carousel", "Instagram", "Working on it", "anticipato dal 08.11.2026"),
        ("18.11.2026", "Creator video", "TikTok", "Stuck", "spostato dal 13.11.2026"),
        ("25.11.2026", "Pre-order launch", "All channels", "Stuck", ""),
    ))
    assert find_columns(table, READING) == Columns(name=1, due=0, status=3, note=4, header=-1)
    assert summary(extract(message(tables=(table,)))) == [
        ("Teaser reel", "2026-10-26", "delivered", None),
        ("Moodboard carousel", "2026-11-04", "planned", "2026-11-08"),
        ("Creator video", "2026-11-18", "delayed", "2026-11-13"),
        ("Pre-order launch", "2026-11-25", "at_risk", None),
    ]


def test_a_long_cell_is_no_heading() -> None:
    # a sentence that holds a heading word ("date") leaves the first row a row like the others
    row = ("26.10.2026", "Teaser, final cut with the date of the launch", "Done")
    assert find_columns(Table(rows=(row, ("04.11.2026", "Carousel", "Working on it"))), READING).header == -1


@pytest.mark.parametrize("header", [
    ("Milestone", "Previous", "Revised"),
    ("Hito", "Fecha anterior", "Nueva fecha"),
    ("Meilenstein", "Alter Termin", "Neuer Termin"),
    ("Jalon", "Date précédente", "Nouvelle date"),
])
def test_a_previous_date_column_is_the_plan(header) -> None:
    assert find_columns(Table(rows=(header, ("x",) * 3)), READING) == Columns(name=0, due=1, revised=2)


def test_two_tables_rendered_one_under_the_other_are_read_apart() -> None:
    # the text part of an HTML mail with a shipment box above the milestone table
    mail = message("""
        Shipment | BFGL-SZX-26-01877
        Vessel | COSCO LOTUS 045E
        Milestone | Previous | Revised
        Vessel departure (Yantian) | 14 Nov 2026 | 18 Nov 2026
        Final delivery (DC) | 08 Dec 2026 | 13 Dec 2026
    """)
    assert [len(t.rows) for t in text_tables(mail.text)] == [2, 3]
    assert summary(extract(mail)) == [
        ("Vessel departure (Yantian)", "2026-11-18", "delayed", "2026-11-14"),
        ("Final delivery (DC)", "2026-12-13", "delayed", "2026-12-08"),
    ]


def test_a_row_of_data_that_holds_heading_words_does_not_start_a_table() -> None:
    mail = message("""
        Milestone | RAG | Forecast | Baseline | Comment
        Source inventory | Green | 02 Oct 2026 | 02 Oct 2026 | Complete – signed off
        Data model | Green | 23 Nov 2026 | 23 Nov 2026 | On track
    """)
    assert len(text_tables(mail.text)) == 1


def test_a_grid_of_dates_names_each_by_its_row_and_its_column() -> None:
    # releases down, milestones across, the top left corner blank
    mail = message("""
        Here are the dates for the next milestones.

                 Branch point   First beta    Stable
          M142   Mon Nov 9      Wed Nov 11    Tue Dec 8
          M143   Mon Dec 7      Wed Dec 9     Tue Jan 12
    """)
    assert summary(extract(mail)) == [
        ("M142 Branch point", "2026-11-09", "planned", None),
        ("M142 First beta", "2026-11-11", "planned", None),
        ("M142 Stable", "2026-12-08", "planned", None),
        ("M143 Branch point", "2026-12-07", "planned", None),
        ("M143 First beta", "2026-12-09", "planned", None),
        ("M143 Stable", "2027-01-12", "planned", None),
    ]


def test_a_name_written_in_chinese_alone_names_the_row() -> None:
    # regression: the name cleaner kept only the Latin words, so "分支拉取" was dropped
    table = Table(rows=(("里程碑", "日期", "说明"), ("分支拉取", "2026-11-23", "从 master 拉取"),
                        ("Alpha 版本", "2026-12-06", "仅 x86_64")))
    assert [m.name for m in extract(message(tables=(table,)))] == ["分支拉取", "Alpha"]


@pytest.mark.parametrize("cell, status", [
    ("Working on it", "planned"), ("Stuck", "at_risk"), ("On hold", "cancelled"), ("Done", "delivered"),
    ("Em andamento", "planned"), ("Bloqueado", "at_risk"), ("Cancelado", "cancelled"), ("Concluído", "delivered"),
    ("In Arbeit", "planned"), ("Blockiert", "at_risk"), ("Abgebrochen", "cancelled"), ("Erledigt", "delivered"),
    ("In corso", "planned"), ("Bloccato", "at_risk"), ("Annullato", "cancelled"), ("Completato", "delivered"),
    ("Folyamatban", "planned"), ("Veszélyben", "at_risk"), ("Kész", "delivered"),
    ("Probíhá", "planned"), ("Hotovo", "delivered"), ("Đang làm", "planned"), ("Hoàn thành", "delivered"),
    ("进行中", "planned"), ("已完成", "delivered"), ("延期", "delayed"), ("完了", "delivered"),
    ("G", "planned"), ("A", "at_risk"), ("R", "at_risk"), ("B", "delivered"),
])
def test_status_cells_in_several_languages(cell, status) -> None:
    table = Table(rows=(("Task", "Due", "Status"), ("Proofs", "30/10/2026", cell)))
    assert [m.status for m in extract(message(tables=(table,)))] == [status]


def test_a_remark_that_is_a_status_word_gives_the_status() -> None:
    table = Table(rows=(("工序 Process", "周 Week", "备注 Remark"), ("物料齐套 Kitting", "2026-10-30", "已完成 Done"),
                        ("组装 Box build", "2026-11-27", "")))
    assert summary(extract(message(tables=(table,)))) == [
        ("Kitting", "2026-10-30", "delivered", None),
        ("Box build", "2026-11-27", "planned", None),
    ]


def test_a_done_in_the_forecast_cell_outranks_a_green_letter() -> None:
    # regression: the RAG letter "G" read as planned hid "(done)" in the forecast cell
    table = Table(rows=(("Item", "Planned", "Forecast / actual", "RAG"), ("Roof works", "20 Oct", "24 Oct (done)", "G")))
    assert summary(extract(message(tables=(table,)))) == [("Roof works", "2026-10-24", "delivered", "2026-10-20")]


def test_a_heading_over_two_columns_and_merged_group_cells() -> None:
    # an HTML table with merged cells, as the mail reader spreads them (tests/mail/test_mime.py)
    table = Table(rows=(
        ("Workstream", "Deliverable", "Dates", ""),
        ("Workstream", "Deliverable", "Due", "Revised"),
        ("Logistics", "Badges", "12/11/2026", "17/11/2026"),
        ("Logistics", "Gala dinner", "25/11/2026", ""),
    ))
    assert find_columns(table, READING) == Columns(name=1, due=2, revised=3, header=1)
    assert summary(extract(message(tables=(table,)))) == [
        ("Badges", "2026-11-17", "delayed", "2026-11-12"),
        ("Gala dinner", "2026-11-25", "planned", None),
    ]


# --- exports of project tools, with their own headings and date formats ------------------------

def test_a_jira_csv_export_reads_due_and_resolved_and_not_created_or_updated() -> None:
    csv = attachment("jira.csv", "text/csv", """
        Summary,Issue key,Status,Assignee,Created,Updated,Due Date,Resolved
        Landing page build,KLP-311,In Progress,Bagus,01/Oct/26 9:12 AM,01/Nov/26 4:40 PM,20/Nov/26,
        A/B test setup,KLP-312,Blocked,Bagus,05/Oct/26 9:00 AM,02/Nov/26 8:00 AM,27/Nov/26,
        Feed mapping,KLP-305,Done,Bagus,03/Oct/26 10:00 AM,30/Oct/26 11:00 AM,28/Oct/26,30/Oct/26
    """)
    assert summary(extract(message(attachments=(csv,)))) == [
        ("Landing page build", "2026-11-20", "planned", None),
        ("A/B test setup", "2026-11-27", "at_risk", None),
        ("Feed mapping", "2026-10-30", "delivered", "2026-10-28"),
    ]


@pytest.mark.parametrize("heading, role", [
    ("Task ID", "code"), ("Card ID", "code"), ("Issue key", "code"),  # the item's code, not the item
    ("Card URL", "other"), ("Issue Type", "other"),
    ("Task Name", "name"), ("Card Name", "name"), ("Summary", "label"),
])
def test_an_items_heading_ending_in_a_fields_word_names_that_field(heading, role) -> None:
    assert heading_role(heading) == role


def test_asana_and_trello_exports_are_named_by_their_name_column_not_their_ids() -> None:
    asana = attachment("asana.csv", "text/csv", """
        Task ID,Created At,Completed At,Name,Section/Column,Assignee,Due Date,Notes
        1208811,2026-09-14,2026-10-30,Lifestyle shoot,Done,Megan Cole,2026-10-30,
        1208812,2026-09-14,,Retouching – lifestyle selects,In Progress,Luis Ortega,2026-11-13,
    """)
    trello = attachment("trello.csv", "text/csv", """
        Card ID,Card Name,Card URL,Labels,Members,Due Date,List Name
        6731a0f7,Selezione immagini ambientate,https://trello.com/c/aa17,foto,Marta,2026-11-20,In lavorazione
        6731a102,Video making-of tessitura,https://trello.com/c/aa22,video,Paolo,2026-11-27,In lavorazione
    """)
    assert [m.name for m in extract(message(attachments=(asana,)))] == ["Lifestyle shoot", "Retouching – lifestyle selects"]
    assert [m.name for m in extract(message(attachments=(trello,)))] == [
        "Selezione immagini ambientate", "Video making-of tessitura"]


def test_an_order_confirmations_long_descriptions_name_their_items_by_their_head() -> None:
    # a line item's description runs on with specs; a person calls the item by its first words
    csv = attachment("confirmation.csv", "text/csv", """
        Item;Description;Qty;Ex-works date
        10;Aluminium frame, Vinga lounger, powder coated RAL 7021 (matt), incl. stainless fixings;1200;2026-12-22
        20;Chair Styrsö — frame powder coated steel RAL 7021 + teak slats;720;2027-01-15
        30;Seat cushion – Vinga;800;2027-01-29
    """)
    assert [m.name for m in extract(message(attachments=(csv,)))] == [
        "Aluminium frame, Vinga lounger", "Chair Styrsö", "Seat cushion – Vinga"]


def test_an_ms_project_export_with_baseline_and_actual_finish() -> None:
    # US dates (10/23/26) and "NA" for a finish not reached yet
    csv = attachment("plan.csv", "text/csv", """
        ID,Task Name,Duration,Start,Finish,Baseline Finish,Actual Finish,% Complete
        1,Design freeze,10 days,Mon 10/12/26,Fri 10/23/26,Fri 10/23/26,Tue 10/27/26,100%
        2,Tooling,20 days,Mon 10/26/26,Fri 11/20/26,Fri 11/13/26,NA,45%
        3,Pilot run,5 days,Mon 11/23/26,Fri 11/27/26,Fri 11/27/26,NA,0%
    """)
    assert summary(extract(message(attachments=(csv,)))) == [
        ("Design freeze", "2026-10-27", "delivered", "2026-10-23"),
        ("Tooling", "2026-11-20", "delayed", "2026-11-13"),
        ("Pilot run", "2026-11-27", "planned", None),
    ]


def test_a_monday_board_export_is_due_at_the_end_of_its_timeline() -> None:
    # regression: the empty "Date" column was taken for the due date and no row was read
    csv = attachment("board.csv", "text/csv", """
        Name,Person,Status,Timeline,Date
        Teaser reel,Ana,Done,2026-10-19 - 2026-10-26,
        Moodboard,Ana,Working on it,2026-11-02 - 2026-11-13,
        Creator video,Rui,Stuck,2026-11-09 - 2026-11-20,
    """)
    assert summary(extract(message(attachments=(csv,)))) == [
        ("Teaser reel", "2026-10-26", "delivered", None),
        ("Moodboard", "2026-11-13", "planned", None),
        ("Creator video", "2026-11-20", "at_risk", None),
    ]


def test_gantt_lines_in_plain_text_are_due_on_their_finish() -> None:
    mail = message("""
        Start-up plan as it stands:

        Task | Start | Finish | % Complete
        Protocol finalised | 05/10/2026 | 16/10/2026 | 100%
        Ethics submission | 19/10/2026 | 20/11/2026 | 70%
        Site initiation | 23/11/2026 | 04/12/2026 | 0%
    """)
    assert summary(extract(mail)) == [
        ("Protocol finalised", "2026-10-16", "delivered", None),
        ("Ethics submission", "2026-11-20", "planned", None),
        ("Site initiation", "2026-12-04", "planned", None),
    ]


def test_a_date_cell_with_a_status_word_is_a_date_cell() -> None:
    # Linear's milestone list: a heading of one cell, then name | "Completed Apr 17" or a bare date
    table = Table(rows=(("Milestones", ""), ("Beta", "Completed Oct 16"), ("Store submission", "Completed Oct 30"),
                        ("Public release", "Nov 27")))
    assert summary(extract(message(tables=(table,)))) == [
        ("Beta", "2026-10-16", "delivered", None),
        ("Store submission", "2026-10-30", "delivered", None),
        ("Public release", "2026-11-27", "planned", None),
    ]


@pytest.mark.parametrize("cell, note, expected", [
    # the date it moved from, in the date cell itself
    ("2026-11-20（原 2026-11-13）", "延期一周", ("2026-11-20", "delayed", "2026-11-13")),
    # ... written without the year the cell's ISO date gives
    ("2026-11-20（原 11-13）", "延期一周", ("2026-11-20", "delayed", "2026-11-13")),
    ("2027-01-08 (was 12-29)", "", ("2027-01-08", "delayed", "2026-12-29")),
    ("20/11/2026 (was 13/11/2026)", "", ("2026-11-20", "delayed", "2026-11-13")),
    # a warning that it may be late, without a new date
    ("20/11/2026", "Waiting your approval drawing rev C, may be delay", ("2026-11-20", "at_risk", None)),
])
def test_a_date_cell_or_remark_that_says_how_the_date_stands(cell, note, expected) -> None:
    table = Table(rows=(("Milestone", "Date", "Remark"), ("Beta", cell, note)))
    assert summary(extract(message(tables=(table,)))) == [("Beta", *expected)]


@pytest.mark.parametrize("status, expected", [
    ("Revised ETA 05-Dec-2026", ("2026-12-05", "delayed", "2026-11-21")),
    ("Now 19-Dec-2026 (follows sec 13)", ("2026-12-19", "delayed", "2026-11-21")),
    ("On track", ("2026-11-21", "planned", None)),
    # an amber row with a later date has slipped (RULES.md); without one it is at risk
    ("28-Nov-2026 Amber", ("2026-11-28", "delayed", "2026-11-21")),
    ("Amber", ("2026-11-21", "at_risk", None)),
])
def test_a_date_in_the_status_column_is_the_forecast(status, expected) -> None:
    table = Table(rows=(("Section", "Draft due", "Status"), ("Software documentation", "21-Nov-2026", status)))
    assert summary(extract(message(tables=(table,)))) == [("Software documentation", *expected)]


def test_a_time_in_the_name_cell_times_the_rows_day() -> None:
    table = Table(rows=(("Milestone", "Date (UTC)"), ("Beta freeze (starts 14:00 UTC)", "Tue 2027-04-20"),
                        ("Beta release", "Tue 2027-05-11")))
    assert summary(extract(message(tables=(table,)))) == [
        ("Beta freeze (starts 14:00 UTC)", "2027-04-20T14:00+00:00", "planned", None),
        ("Beta release", "2027-05-11", "planned", None),
    ]


@pytest.mark.parametrize("rows, expected", [
    # headings in any language of the registry: a German plan and forecast in calendar weeks
    ((("Arbeitspaket", "Basisplan", "Prognose", "Status"), ("Werksabnahme (FAT)", "KW 48", "KW 50", "verzögert")),
     ("Werksabnahme (FAT)", "2026-12-11", "delayed", "2026-11-27")),
    ((("항목", "기존 일정", "변경 일정", "상태"), ("번역 납품", "2026-11-17", "2026-11-24", "지연")),
     ("번역 납품", "2026-11-24", "delayed", "2026-11-17")),
    # Spanish "actual" is the current date, not the day it was done
    ((("Entregable", "Fecha base", "Fecha actual", "Estado"), ("Integración de pagos", "07/11", "14/11", "Ámbar")),
     ("Integración de pagos", "2026-11-14", "delayed", "2026-11-07")),
])
def test_headings_name_the_plan_and_the_forecast_in_any_language(rows, expected) -> None:
    assert summary(extract(message(tables=(Table(rows=rows),)))) == [expected]


def test_an_exports_field_names_are_headings() -> None:
    rows = (("lote", "embarque_previsto", "status", "observacao"),
            ("L3 Mundo Novo", "19/12/2026", "atrasado", "era 05/12/2026 – rebeneficiamento"))
    assert summary(extract(message(tables=(Table(rows=rows),)))) == [
        ("L3 Mundo Novo", "2026-12-19", "delayed", "2026-12-05")]


def test_a_table_of_a_tools_fields_dates_the_item_the_subject_names() -> None:
    # Azure DevOps: one row a field, the new value before the old one
    mail = message("""
        Field            New value                  Old value
        Target Date      11/20/2026                 11/13/2026
        Priority         1                          2
    """, subject="Task 3412 - Regression pass RC2")
    assert summary(extract(mail)) == [("Regression pass RC2", "2026-11-20", "delayed", "2026-11-13")]


def test_a_column_of_weeks_under_a_heading_that_says_nothing_names_no_row() -> None:
    table = Table(rows=(("Iter.", "Date", "Goal"), ("W47", "20 Nov 2026", "Pilot build"), ("W49", "4 Dec 2026", "Release")))
    assert find_columns(table, READING) == Columns(name=2, due=1)


@pytest.mark.parametrize("rows, expected", [
    # weeks as columns, an X in the week a task is due: that week's Friday (RULES.md)
    ((("Task", "KW46", "KW47", "KW48", "KW49"),
      ("Design freeze", "X", "", "", ""),
      ("Pilot build", "", "", "X", "")),
     [("Design freeze", "2026-11-13", "planned", None), ("Pilot build", "2026-11-27", "planned", None)]),
    # a bar over several weeks ends on its last; a colour-only mark says how it stands
    ((("Deliverable", "W47", "W48", "W49", "W50"),
      ("Translation batch 2", "■", "■", "Red", ""),
      ("DTP", "", "", "", "Green")),
     [("Translation batch 2", "2026-12-04", "at_risk", None), ("DTP", "2026-12-11", "planned", None)]),
    # days as columns, the status in its own column
    ((("Milestone", "16 Nov", "23 Nov", "30 Nov", "Status"),
      ("Rough cut", "", "X", "", "Blocked"),
      ("Final mix", "", "", "X", "On track")),
     [("Rough cut", "2026-11-23", "at_risk", None), ("Final mix", "2026-11-30", "planned", None)]),
])
def test_a_plan_chart_dates_each_row_by_the_column_it_marks(rows, expected) -> None:
    assert summary(extract(message(tables=(Table(rows=rows),)))) == expected


def test_a_chart_of_sentences_under_date_headings_is_no_plan_chart() -> None:
    # a cell that says more than a mark is a row's text, not a mark on a week
    table = Table(rows=(("Task", "16 Nov", "23 Nov"), ("Kick-off", "we met the printer and agreed the paper", "")))
    assert find_columns(table, READING) is None


@pytest.mark.parametrize("comment, expected", [
    ("moved to 19 Nov (client feedback)", ("2026-11-19", "delayed", "2026-11-12")),
    ("new date: 20 Nov", ("2026-11-20", "delayed", "2026-11-12")),
    ("pushed to 27/11", ("2026-11-27", "delayed", "2026-11-12")),
    ("slipped a week, now 19 Nov", ("2026-11-19", "delayed", "2026-11-12")),
    ("pulled in to 10 Nov", ("2026-11-10", "planned", "2026-11-12")),
    # a comment that holds the date, or dates something else, leaves the row's date alone
    ("no change", ("2026-11-12", "planned", None)),
    ("no change, proofs went out on 30 Oct", ("2026-11-12", "planned", None)),
    ("copy from client received 30 Oct", ("2026-11-12", "planned", None)),
])
def test_a_comment_that_moves_the_row_gives_its_new_date(comment, expected) -> None:
    table = Table(rows=(("Deliverable", "Due", "Comments"), ("Key visual", "12 Nov", comment)))
    assert summary(extract(message(tables=(table,)))) == [("Key visual", *expected)]


def test_a_tools_list_of_items_with_labelled_dates_and_a_change_line_under_one() -> None:
    # a Wrike digest: no heading row, "Due: date" in a cell, the change told on the line under its row
    text = """Your daily digest of the folder Gift tins 2027:

* Final artwork approved | Completed | Due: 10/28/26
* Colour proof | Active | Due: 11/12/26
* Tinplate printing | Active | Due: 12/09/26
  Rodrigo Elizondo changed the due date from 11/26/26 to 12/09/26
* Shipment to Europe | Active | Due: 12/18/26
"""
    tables = text_tables(text)
    assert len(tables) == 1 and tables[0].rows[2][3] == "Rodrigo Elizondo changed the due date from 11/26/26 to 12/09/26"
    reading = Reading(MON_2_NOV_IST, day_first=False)
    assert find_columns(tables[0], reading).header == -1  # the first row is an item, not headings
    assert summary(extract(message(text))) == [
        ("Final artwork approved", "2026-10-28", "delivered", None),
        ("Colour proof", "2026-11-12", "planned", None),
        ("Tinplate printing", "2026-12-09", "delayed", "2026-11-26"),
        ("Shipment to Europe", "2026-12-18", "planned", None),
    ]


def test_a_merged_project_cell_groups_the_rows_and_the_next_column_names_them() -> None:
    # an HTML rowspan repeats "Kerstblend" down its rows: the articles beside it are the items
    rows = (("Project", "Artikel", "oorspronkelijk", "nu", "Status"),
            ("Kerstblend", "Zakken 250 g", "wk 46", "wk 46", "Gepland"),
            ("Kerstblend", "Zakken 1 kg", "wk 45", "wk 47", "Vertraagd"),
            ("Cold Brew", "Omdoos 4-pack", "wk 48", "wk 46", "Naar voren gehaald"))
    assert summary(extract(message(tables=(Table(rows=rows),)))) == [
        ("Zakken 250 g", "2026-11-13", "planned", None),
        ("Zakken 1 kg", "2026-11-20", "delayed", "2026-11-06"),
        ("Omdoos 4-pack", "2026-11-13", "planned", "2026-11-27"),
    ]


def test_a_lot_list_with_planned_weeks_and_a_realised_or_forecast_column() -> None:
    # a French site report: lots numbered "01", "02"; "Réalisé / prévision" is done or forecast
    rows = (("Lot", "Prévu", "Réalisé / prévision", "État"),
            ("01 Curage / démolition", "S44", "terminé le 30/10", "✓"),
            ("02 Cloisons + faux plafond", "S47", "S48", "décalé (+1 sem.)"),
            ("03 Plomberie", "S49", "S49", "OK"))
    assert summary(extract(message(tables=(Table(rows=rows),)))) == [
        ("Curage / démolition", "2026-10-30", "delivered", None),
        ("Cloisons + faux plafond", "2026-11-27", "delayed", "2026-11-20"),
        ("Plomberie", "2026-12-04", "planned", None),
    ]


def test_a_text_table_with_a_cell_merged_down_keeps_its_columns() -> None:
    # a mail client's text part of an HTML table with a rowspan: the merged cell is left blank below
    text = """Lot          | Élément                    | Prévue | Révisée | Statut
-------------+----------------------------+--------+---------+----------
Menuiserie   | Structure bois et cloisons | 20/11  | 27/11   | En retard
             | Comptoir d'accueil         | 19/11  | –       | Confirmé
"""
    assert text_tables(text)[0].rows[2] == ("", "Comptoir d'accueil", "19/11", "–", "Confirmé")
    assert summary(extract(message(text))) == [
        ("Structure bois et cloisons", "2026-11-27", "delayed", "2026-11-20"),
        ("Comptoir d'accueil", "2026-11-19", "planned", None),
    ]


@pytest.mark.parametrize("line", ["| A | 12 Nov | Done |", "A | 12 Nov | Done", "| A | 12 Nov | Done"])
def test_border_pipes_are_no_cells(line) -> None:
    assert text_tables(f"{line}\n{line.replace('A', 'B')}")[0].rows[0] == ("A", "12 Nov", "Done")
