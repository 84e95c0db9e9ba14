"""Excel plans attached to vendor mail: every sheet read as a table, within the [limits].

Every workbook here is made by the test itself with openpyxl (and, where Excel
writes what openpyxl cannot, its XML edited the way Excel would have written it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable
from email.message import EmailMessage

from openpyxl import Workbook
from openpyxl.styles import Color, PatternFill

from slipwatch.config import LimitsConfig
from slipwatch.mail.documents import read_documents
from slipwatch.mail.model import Attachment
from slipwatch.pipeline import read

XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewritten(data: bytes, member: str, edit: Callable[[str], str]) -> bytes:
    """The workbook with one of its XML parts edited."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, edit(body.decode()).encode() if info.filename == member else body)
    return out.getvalue()


def vendor_mail(*attachments: tuple[str, bytes], body: str = "Please find our updated plan attached.") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ines Duarte <ines.duarte@corkline.example>"
    msg["To"] = "schedule@fernhill.example"
    msg["Subject"] = "Updated production plan"
    msg["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = "<plan@corkline.example>"
    msg.set_content(body)
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype=XLSX, filename=name)
    return msg.as_bytes()


def items(raw: bytes) -> list[tuple[str, str, str, str | None]]:
    return [(m.name, m.due, m.status, m.previous_due) for m in read(raw).milestones]


def test_a_plan_with_excel_dates_reads_each_row_and_names_attachment_sheet_and_row():
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Corkline – production plan, week 48"])
    ws.append([])
    ws.append(["Milestone", "Planned", "Forecast", "Status"])
    ws.append(["Cork samples", dt.datetime(2026, 11, 16), None, "Done"])
    ws.append(["Pilot run", dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 8), "Delayed"])
    ws.append(["Bulk shipment", dt.datetime(2026, 12, 18, 14, 0), None, "On track"])
    reading = read(vendor_mail(("plan.xlsx", workbook_bytes(wb))))
    assert [(m.name, m.due, m.status, m.previous_due) for m in reading.milestones] == [
        ("Cork samples", "2026-11-16", "delivered", None),
        ("Pilot run", "2026-12-08", "delayed", "2026-12-01"),
        ("Bulk shipment", "2026-12-18T14:00+00:00", "planned", None),
    ]
    assert reading.milestones[1].evidence == "plan.xlsx, sheet Plan, row 5: Pilot run | 2026-12-01 | 2026-12-08 | Delayed"
    assert {m.origin for m in reading.milestones} == {"document"}
    assert reading.message.problems == ()


def test_an_ms_project_export_reads_finish_against_baseline_finish_and_percent_complete():
    wb = Workbook()
    ws = wb.active
    ws.title = "Task_Table1"
    ws.append(["ID", "Task Name", "Duration", "Start", "Finish", "Baseline Finish", "% Complete"])
    ws.append([1, "Tooling sign-off", "5 days", dt.datetime(2026, 11, 9, 8), dt.datetime(2026, 11, 13, 17),
               dt.datetime(2026, 11, 13, 17), 1])
    ws.append([2, "Pilot run", "3 days", dt.datetime(2026, 12, 2, 8), dt.datetime(2026, 12, 4, 17),
               dt.datetime(2026, 11, 27, 17), 0])
    for row in (2, 3):
        ws.cell(row, 7).number_format = "0%"
    assert items(vendor_mail(("schedule.xlsx", workbook_bytes(wb)))) == [
        ("Tooling sign-off", "2026-11-13T17:00+00:00", "delivered", None),
        ("Pilot run", "2026-12-04T17:00+00:00", "delayed", "2026-11-27T17:00+00:00"),
    ]


def test_values_excel_computed_are_read_not_formulas():
    """Forecast = Planned + 7, as the vendor's sheet computes it: the date Excel shows, not `=B2+7`."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Milestone", "Planned", "Forecast"])
    ws.append(["Pilot run", dt.datetime(2026, 12, 1), "=B2+7"])
    ws["C2"].number_format = "dd/mm/yyyy"
    # openpyxl writes no computed value (`<v />`, or `<v></v>` with lxml); Excel keeps the last one beside the formula
    data = rewritten(workbook_bytes(wb), "xl/worksheets/sheet1.xml",
                     lambda xml: re.sub(r"<f>B2\+7</f><v\s*(?:/>|></v>)", "<f>B2+7</f><v>46364</v>", xml))
    assert items(vendor_mail(("plan.xlsx", data))) == [("Pilot run", "2026-12-08", "delayed", "2026-12-01")]


def test_dates_typed_as_text_are_kept_as_typed():
    wb = Workbook()
    ws = wb.active
    ws.append(["Deliverable", "Due date", "Status"])
    ws.append(["Label artwork", "03/12/2026", "Open"])
    ws.append(["Carton dielines", "10 Dec 2026", "Open"])
    assert items(vendor_mail(("tracker.xlsx", workbook_bytes(wb)))) == [
        ("Label artwork", "2026-12-03", "planned", None),
        ("Carton dielines", "2026-12-10", "planned", None),
    ]


def test_every_visible_sheet_is_read_and_a_hidden_one_is_not():
    wb = Workbook()
    first = wb.active
    first.title = "Closures"
    first.append(["Milestone", "Due"])
    first.append(["Stopper samples", dt.datetime(2026, 12, 2)])
    second = wb.create_sheet("Labels")
    second.append(["Milestone", "Due"])
    second.append(["Label proofs", dt.datetime(2026, 12, 4)])
    lookup = wb.create_sheet("Lists")
    lookup.append(["Milestone", "Due"])
    lookup.append(["Template row", dt.datetime(2026, 12, 31)])
    lookup.sheet_state = "hidden"
    reading = read(vendor_mail(("plan.xlsx", workbook_bytes(wb))))
    assert [(m.name, m.evidence.partition(":")[0]) for m in reading.milestones] == [
        ("Stopper samples", "plan.xlsx, sheet Closures, row 2"),
        ("Label proofs", "plan.xlsx, sheet Labels, row 2"),
    ]


def test_merged_headings_head_every_column_they_span():
    """ "Milestone" merged down over two heading rows, "Dates" across Baseline | Forecast | Actual."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Milestone", "Dates", None, None, "Comment"])
    ws.append([None, "Baseline", "Forecast", "Actual", None])
    ws.append(["Mould trial", dt.datetime(2026, 11, 10), None, dt.datetime(2026, 11, 12), "passed"])
    ws.append(["Pilot run", dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 9), None, "press repair"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:D1")
    ws.merge_cells("E1:E2")
    (document,), _ = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))])
    assert document.tables[0].rows[:2] == (
        ("Milestone", "Dates", "Dates", "Dates", "Comment"),
        ("Milestone", "Baseline", "Forecast", "Actual", "Comment"),
    )
    assert items(vendor_mail(("plan.xlsx", workbook_bytes(wb)))) == [
        ("Mould trial", "2026-11-12", "delivered", "2026-11-10"),  # two days after its baseline
        ("Pilot run", "2026-12-09", "delayed", "2026-12-01"),
    ]


def test_a_sheet_title_client_and_as_of_line_above_the_headings_are_no_rows_of_the_table():
    """An exported plan's banner: a title merged across the whole sheet (over two rows), the client
    and an "as of" date each in one cell; the headings on row 5, under a blank row."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DREWMET — harmonogram dostaw, sezon 2027"])
    ws.append([])
    ws.append(["Klient: Fjällgård Utemöbler AB"])
    ws.append(["Stan na: 01.12.2026"])
    ws.append(["Lp.", "Produkt", "Ilość", "Termin pierwotny", "Termin aktualny", "Status"])
    ws.append([1, "Ławka Hovås – partia 2", "600 szt.", "18.12.2026", "18.12.2026", "W realizacji"])
    ws.append([2, "Stół Särö – partia 2", "180 szt.", "08.01.2027", "22.01.2027", "Opóźnione"])
    ws.merge_cells("A1:F2")
    (document,), _ = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))])
    assert document.tables[0].rows[0] == ("Lp.", "Produkt", "Ilość", "Termin pierwotny", "Termin aktualny", "Status")
    assert document.tables[0].row_numbers[0] == 5
    assert items(vendor_mail(("plan.xlsx", workbook_bytes(wb)))) == [
        ("Ławka Hovås – partia 2", "2026-12-18", "planned", None),
        ("Stół Särö – partia 2", "2027-01-22", "delayed", "2027-01-08"),
    ]


def test_a_heading_that_names_a_date_over_cells_that_date_nothing_names_the_rows():
    """Dutch "Levering" is a delivery date's heading, and also what each row of a delivery plan is."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Levering", "TW2-H01 (st)", "TW2-H02 (st)", "Leverdatum", "Opmerking"])
    ws.append(["Levering 1", 500, 500, dt.datetime(2026, 12, 15), None])
    ws.append(["Levering 2", 750, 750, dt.datetime(2027, 1, 12), "restant"])
    assert items(vendor_mail(("leverschema.xlsx", workbook_bytes(wb)))) == [
        ("Levering 1", "2026-12-15", "planned", None),
        ("Levering 2", "2027-01-12", "planned", None),
    ]


def test_a_cell_merged_across_below_the_headings_keeps_its_text_in_its_first_column():
    wb = Workbook()
    ws = wb.active
    ws.append(["Milestone", "Due", "Status", "Comment"])
    ws.append(["Pilot run", dt.datetime(2026, 12, 1), "Open", None])
    ws.append(["Note: all dates ex works", None, None, None])
    ws.merge_cells("A3:D3")
    (document,), _ = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))])
    assert document.tables[0].rows[2] == ("Note: all dates ex works", "", "", "")


RED, AMBER, GREEN, BAND = "FFFF0000", "FFFFC000", "FF00B050", "FFDDEBF7"


def test_a_status_shown_only_as_a_fill_colour_is_read_in_a_status_column():
    wb = Workbook()
    ws = wb.active
    ws.append(["Milestone", "Due", "RAG", "Notes"])
    ws.append(["Mould trial", dt.datetime(2026, 12, 2), None, None])
    ws.append(["Pilot run", dt.datetime(2026, 12, 9), None, None])
    ws.append(["Bulk run", dt.datetime(2026, 12, 16), None, None])
    for cell, colour in (("C2", GREEN), ("C3", RED), ("C4", AMBER)):
        ws[cell].fill = PatternFill("solid", fgColor=colour)
    ws["D2"].fill = PatternFill("solid", fgColor=RED)  # a coloured note cell is decoration, no status
    ws["D3"].fill = PatternFill("solid", fgColor=BAND)
    reading = read(vendor_mail(("rag.xlsx", workbook_bytes(wb))))
    assert [(m.name, m.status) for m in reading.milestones] == [
        ("Mould trial", "planned"), ("Pilot run", "at_risk"), ("Bulk run", "at_risk")]
    assert reading.milestones[1].evidence == "rag.xlsx, sheet Sheet, row 3: Pilot run | 2026-12-09 | Red"


BLUE = "FF4472C4"


def test_a_gantt_sheet_coloured_as_its_legend_says_gives_each_bar_its_last_week_and_the_legend_word():
    """Bars coloured over week columns, the legend under them: green is done, blue planned, amber
    at risk. Each row is due on the Friday of its bar's last week; the legend itself is no row."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Task", "Owner", "W46", "W47", "W48", "W49"])
    ws.append(["Extrusion die", "Production", None, None, None, None])
    ws.append(["Trial extrusion", "Production", None, None, None, None])
    ws.append(["Powder coat samples", "Paint shop", None, None, None, None])
    ws.append([])
    ws.append(["Legend:", None, "done"])
    ws.append([None, None, "planned"])
    ws.append([None, None, "at risk"])
    bars = {"C2": GREEN, "D2": GREEN, "F3": BLUE, "E4": AMBER, "F4": AMBER, "B6": GREEN, "B7": BLUE, "B8": AMBER}
    for cell, colour in bars.items():
        ws[cell].fill = PatternFill("solid", fgColor=colour)
    (document,), _ = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))])
    assert document.tables[0].rows[1] == ("Extrusion die", "Production", "done", "done", "", "")
    assert len(document.tables[0].rows) == 4  # the headings and the three bars
    assert items(vendor_mail(("plan.xlsx", workbook_bytes(wb)))) == [
        ("Extrusion die", "2026-11-20", "delivered", None),
        ("Trial extrusion", "2026-12-04", "planned", None),
        ("Powder coat samples", "2026-12-04", "at_risk", None),
    ]


def test_without_a_legend_a_coloured_cell_outside_a_status_column_says_nothing():
    wb = Workbook()
    ws = wb.active
    ws.append(["Milestone", "Due", "Notes"])
    ws.append(["Mould trial", dt.datetime(2026, 12, 2), None])
    ws.append(["Pilot run", dt.datetime(2026, 12, 9), "press"])
    ws["C2"].fill = PatternFill("solid", fgColor=GREEN)
    (document,), _ = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))])
    assert document.tables[0].rows[1] == ("Mould trial", "2026-12-02", "")


def test_a_status_filled_with_a_theme_colour_is_read_and_a_pastel_tint_of_it_is_not():
    """Excel's palette offers the theme's colours first: in its default theme accent 3 is green
    (9BBB59) and accent 2 red (C0504D); "Lighter 80%" of them is a band, no status."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Milestone", "Due", "Status"])
    ws.append(["Mould trial", dt.datetime(2026, 12, 2), None])
    ws.append(["Pilot run", dt.datetime(2026, 12, 9), None])
    ws.append(["Bulk run", dt.datetime(2026, 12, 16), None])
    ws["C2"].fill = PatternFill("solid", fgColor=Color(theme=6))
    ws["C3"].fill = PatternFill("solid", fgColor=Color(theme=5))
    ws["C4"].fill = PatternFill("solid", fgColor=Color(theme=5, tint=0.7999))
    (document,), _ = read_documents([Attachment("rag.xlsx", "application/" + XLSX, workbook_bytes(wb))])
    assert [row[2] for row in document.tables[0].fills[1:]] == ["Green", "Red", ""]


def test_a_written_status_outranks_its_cells_colour():
    wb = Workbook()
    ws = wb.active
    ws.append(["Milestone", "Due", "Status"])
    ws.append(["Mould trial", dt.datetime(2026, 11, 18), "Done"])
    ws["C2"].fill = PatternFill("solid", fgColor=RED)
    assert items(vendor_mail(("rag.xlsx", workbook_bytes(wb)))) == [("Mould trial", "2026-11-18", "delivered", None)]


def test_a_percentage_reads_as_the_percentage_excel_shows():
    wb = Workbook()
    ws = wb.active
    ws.append(["Task", "Finish", "% Complete"])
    ws.append(["Tooling sign-off", dt.datetime(2026, 11, 20), 1])
    ws["C2"].number_format = "0%"
    (document,), _ = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))])
    assert document.tables[0].rows[1] == ("Tooling sign-off", "2026-11-20", "100 %")


def test_an_xlsm_or_an_xlsx_known_by_its_type_alone_is_read():
    wb = Workbook()
    wb.active.append(["Milestone", "Due"])
    wb.active.append(["Pilot run", dt.datetime(2026, 12, 1)])
    data = workbook_bytes(wb)
    for att in (Attachment("plan.xlsm", "application/octet-stream", data), Attachment(None, "application/" + XLSX, data)):
        (document,), problems = read_documents([att])
        assert document.tables[0].rows[1] == ("Pilot run", "2026-12-01") and problems == []


# Hostile and broken workbooks: each is a problem of the message, whose other parts are still read.

def test_a_password_protected_workbook_is_a_problem_and_the_mail_is_still_read():
    # Office encrypts an .xlsx into an OLE compound file
    protected = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + b"EncryptedPackage"
    reading = read(vendor_mail(("plan.xlsx", protected), body="The pilot run is due on 1 December."))
    assert reading.message.problems == (
        "attachment plan.xlsx not read: it is password-protected (or in a legacy Office format, which is not read)",)
    assert [(m.name, m.due) for m in reading.milestones] == [("pilot run", "2026-12-01")]


def test_a_broken_workbook_is_a_problem_with_its_reason():
    wb = Workbook()
    wb.active.append(["Milestone", "Due"])
    truncated = workbook_bytes(wb)[:300]
    garbled = rewritten(workbook_bytes(wb), "xl/workbook.xml", lambda xml: xml[:40])
    _, problems = read_documents([Attachment("a.xlsx", "application/" + XLSX, truncated),
                                  Attachment("b.xlsx", "application/" + XLSX, garbled)])
    assert problems[0].startswith("attachment a.xlsx not read: it is broken, not a readable Office file")
    assert re.fullmatch(r"attachment b\.xlsx not read: it is broken \(\w+\)", problems[1])


def test_a_zip_bomb_is_refused_by_the_sizes_its_members_declare():
    wb = Workbook()
    wb.active.append(["Milestone", "Due"])
    bomb = rewritten(workbook_bytes(wb), "xl/worksheets/sheet1.xml",
                     lambda xml: xml.replace("<sheetData>", "<sheetData>" + " " * 30_000_000))
    assert len(bomb) < 100_000
    started = time.perf_counter()
    documents, problems = read_documents([Attachment("plan.xlsx", "application/" + XLSX, bomb)])
    assert time.perf_counter() - started < 1
    assert documents == [] and re.fullmatch(
        r"attachment plan\.xlsx not read: it decompresses to \d+ bytes, over limits\.max_attachment_bytes = 20000000",
        problems[0])


def test_a_million_empty_rows_stop_at_max_sheet_rows_quickly():
    wb = Workbook()
    wb.active.append(["Milestone", "Due"])
    wb.active.append(["Pilot run", dt.datetime(2026, 12, 1)])
    empty_rows = "".join(f'<row r="{r}"/>' for r in range(3, 1_000_003))
    data = rewritten(workbook_bytes(wb), "xl/worksheets/sheet1.xml",
                     lambda xml: xml.replace("</sheetData>", empty_rows + "</sheetData>"))
    started = time.perf_counter()
    (document,), problems = read_documents([Attachment("plan.xlsx", "application/" + XLSX, data)])
    assert time.perf_counter() - started < 10
    assert document.tables[0].rows == (("Milestone", "Due"), ("Pilot run", "2026-12-01"))
    assert problems == ["attachment plan.xlsx, sheet Sheet: only its first 50000 rows were read (limits.max_sheet_rows)"]


def test_a_row_far_below_the_others_is_not_reached_through_the_empty_rows_between():
    wb = Workbook()
    wb.active.append(["Milestone", "Due"])
    wb.active.append(["Pilot run", dt.datetime(2026, 12, 1)])
    wb.active["A1048576"] = "the last row of the sheet"
    (document,), problems = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))],
                                           LimitsConfig(max_sheet_rows=100))
    assert len(document.tables[0].rows) == 2 and "only its first 100 rows" in problems[0]


def test_sheets_past_max_sheets_are_left_unread_and_said():
    wb = Workbook()
    for n in range(3):
        ws = wb.active if n == 0 else wb.create_sheet(f"Lot {n}")
        ws.append(["Milestone", "Due"])
        ws.append([f"Lot {n} shipment", dt.datetime(2026, 12, 1 + n)])
    (document,), problems = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))],
                                           LimitsConfig(max_sheets=2))
    assert len(document.tables) == 2
    assert problems == ["attachment plan.xlsx: only its first 2 sheets were read (limits.max_sheets)"]


def test_a_workbook_past_max_cells_is_not_read():
    wb = Workbook()
    for r in range(1, 30):
        wb.active.append([f"Task {r}", dt.datetime(2026, 12, 1), "Open", ""])
    documents, problems = read_documents([Attachment("plan.xlsx", "application/" + XLSX, workbook_bytes(wb))],
                                         LimitsConfig(max_cells=100))
    assert documents == [] and problems == ["attachment plan.xlsx not read: cells in plan.xlsx: 104, over limits.max_cells = 100"]


def test_extract_says_which_attachment_it_could_not_read(cli, tmp_path):
    wb = Workbook()
    wb.active.append(["Milestone", "Due", "Status"])
    wb.active.append(["Pilot run", dt.datetime(2026, 12, 1), "Open"])
    protected = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
    (tmp_path / "plan.eml").write_bytes(vendor_mail(("plan.xlsx", workbook_bytes(wb)), ("budget.xlsx", protected)))
    out = cli("extract", tmp_path / "plan.eml").output
    assert out.splitlines()[-2:] == [
        "  - Pilot run [—]: 2026-12-01 planned",
        "  problem:      attachment budget.xlsx not read: it is password-protected (or in a legacy Office format, "
        "which is not read)",
    ]
