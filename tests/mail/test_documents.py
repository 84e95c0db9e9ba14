"""Word status reports and PDF schedules attached to vendor mail, made here by the test code
(python-docx, fpdf2), one per layout, and hostile ones: each is read into the mail's items with
evidence that names the attachment, or recorded among the mail's problems while the rest is read."""

from __future__ import annotations

import io
import re
import time
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fpdf import FPDF

from slipwatch import pipeline
from slipwatch.config import LimitsConfig
from slipwatch.errors import LimitExceeded
from slipwatch.mail import docx as word, pdf
from slipwatch.mail.documents import read_documents
from slipwatch.mail.model import Attachment
from tests.helpers import with_attachment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word_file(paragraphs: list[str], table: list[tuple[str, ...]] = ()) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for cells, row in zip(table, grid.rows):
            for text, cell in zip(cells, row.cells):
                cell.text = text
        document.add_paragraph("Regards, Rahul")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_file(lines: list[str], table: list[tuple[str, ...]] = (), *, pages: int = 1, **encryption: str) -> bytes:
    writer = FPDF()
    writer.set_font("helvetica", size=10)
    if encryption:
        writer.set_encryption(**encryption)
    for _ in range(pages):
        writer.add_page()
    for line in lines:
        writer.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    if table:
        with writer.table() as grid:
            for cells in table:
                row = grid.row()
                for text in cells:
                    row.cell(text)
    return bytes(writer.output())


def items(raw: bytes, limits: LimitsConfig = LimitsConfig()) -> tuple[list[dict], list[str]]:
    report = pipeline.read(raw, limits).report()
    return report["milestones"], report.get("problems", [])


STATUS_TABLE = [("Milestone", "Planned", "Forecast", "Status"),
                ("Pilot build", "2026-12-01", "2026-12-15", "Delayed"),
                ("Tooling sign-off", "2026-11-18", "", "Done")]


def test_a_word_status_reports_table_rows_are_items_whose_evidence_names_the_table_and_row():
    raw = with_attachment(word_file(["Status report, week 47"], STATUS_TABLE), "status.docx", DOCX)
    found, problems = items(raw)
    assert problems == []
    by_name = {m["name"]: m for m in found}
    assert by_name["Pilot build"]["due"] == "2026-12-15"
    assert by_name["Pilot build"]["status"] == "delayed"
    assert by_name["Pilot build"]["previous_due"] == "2026-12-01"
    assert by_name["Pilot build"]["evidence"].startswith("status.docx, table 1, row 2: Pilot build")
    assert by_name["Tooling sign-off"]["status"] == "delivered"


def test_a_status_shown_only_as_a_word_cells_shading_is_read_in_a_status_column():
    document = docx.Document()
    table = [("Milestone", "Planned", "RAG"), ("Pilot build", "2026-12-01", ""), ("Field test", "2026-12-15", "")]
    grid = document.add_table(rows=len(table), cols=3)
    for cells, row in zip(table, grid.rows):
        for text, cell in zip(cells, row.cells):
            cell.text = text
    for row, fill in ((1, "00B050"), (2, "FFC000")):
        grid.rows[row].cells[2]._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{fill}"/>'))
    out = io.BytesIO()
    document.save(out)
    found, _ = items(with_attachment(out.getvalue(), "status.docx", DOCX))
    assert {m["name"]: m["status"] for m in found} == {"Pilot build": "planned", "Field test": "at_risk"}


def test_a_word_reports_paragraphs_are_read_as_the_body_is():
    """Each Word paragraph is a paragraph of its own: a heading above a sentence is not its start."""
    raw = with_attachment(word_file(["Summary", "The firmware release has slipped from 4 December to 11 December 2026."],
                                    STATUS_TABLE), "report.docx", DOCX)
    found, _ = items(raw)
    by_name = {m["name"]: m for m in found}
    assert sorted(by_name) == ["Pilot build", "Tooling sign-off", "firmware release"]
    release = by_name["firmware release"]
    assert (release["due"], release["status"], release["previous_due"]) == ("2026-12-11", "delayed", "2026-12-04")
    assert release["evidence"] == "report.docx: The firmware release has slipped from 4 December to 11 December 2026."
    assert release["origin"] == "text"


def test_a_pdf_schedules_table_keeps_its_columns_apart():
    raw = with_attachment(pdf_file(["Project schedule, revision C"], STATUS_TABLE), "schedule.pdf", "application/pdf")
    found, problems = items(raw)
    assert problems == []
    by_name = {m["name"]: m for m in found}
    assert (by_name["Pilot build"]["due"], by_name["Pilot build"]["status"]) == ("2026-12-15", "delayed")
    assert by_name["Tooling sign-off"]["status"] == "delivered"
    assert by_name["Pilot build"]["evidence"].startswith("schedule.pdf: ")


def test_a_pdf_table_is_a_run_of_lines_with_its_columns_apart_and_paragraphs_stay_apart():
    text = pdf.read(pdf_file(["Project schedule, revision C", ""], STATUS_TABLE), "schedule.pdf", LimitsConfig()).text
    lines = text.splitlines()
    assert lines[0] == "Project schedule, revision C" and lines[1] == ""
    assert [line.split() for line in lines[-3:]] == [
        ["Milestone", "Planned", "Forecast", "Status"], ["Pilot", "build", "2026-12-01", "2026-12-15", "Delayed"],
        ["Tooling", "sign-off", "2026-11-18", "Done"]]
    assert "Pilot build  " in lines[-2]  # a gap of spaces between the cells, not one space


def test_a_pdf_order_acknowledgements_sentences_are_read():
    raw = with_attachment(pdf_file(["ORDER ACKNOWLEDGEMENT 4711", "",
                         "We confirm your order. The control cabinets will be delivered on 18 January 2027."]),
               "OA-4711.pdf", "application/pdf")
    found, _ = items(raw)
    assert [(m["name"], m["due"], m["status"]) for m in found] == [("control cabinets", "2027-01-18", "planned")]


def test_a_pdf_locked_by_its_owner_only_opens_without_a_password_and_is_read():
    data = pdf_file(["The pilot build is due on 15 December 2026."], owner_password="vendor")
    assert pdf.read(data, "locked.pdf", LimitsConfig()).text == "The pilot build is due on 15 December 2026."


def test_a_password_protected_pdf_is_a_problem_and_the_body_is_still_read():
    data = pdf_file(["The pilot build is due on 15 December 2026."], owner_password="o", user_password="secret")
    found, problems = items(with_attachment(data, "secret.pdf", "application/pdf",
                                 body="The packaging artwork is due on 3 December 2026."))
    assert problems == ["attachment secret.pdf not read: it is password-protected"]
    assert [m["due"] for m in found] == ["2026-12-03"]


def test_a_pdf_of_10000_pages_is_refused_by_the_bound_before_its_pages_are_read():
    data = pdf_file([], pages=10_000)
    start = time.perf_counter()
    _, problems = items(with_attachment(data, "huge.pdf", "application/pdf"))
    assert time.perf_counter() - start < 2
    assert problems == ["attachment huge.pdf not read: huge.pdf pages: 10000, over limits.max_pages = 200"]


def test_a_broken_pdf_or_word_file_is_a_problem_with_its_reason():
    _, problems = items(with_attachment(pdf_file(["Due 1 Dec 2026"])[:300], "cut.pdf", "application/pdf"))
    assert problems[0].startswith("attachment cut.pdf not read: it is broken, not a readable PDF")
    _, problems = items(with_attachment(b"PK\x03\x04 not really", "cut.docx", DOCX))
    assert problems[0].startswith("attachment cut.docx not read: it is broken, not a readable Office file")


def docx_bomb() -> bytes:
    """A valid Word file with one more member that inflates to 200 MB from about 200 kB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(word_file(["The pilot build is due on 15 December 2026."]))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member in source.infolist():
            archive.writestr(member, source.read(member))
        archive.writestr("word/media/padding.bin", b"\0" * 200_000_000)
    return out.getvalue()


def test_a_zip_bomb_word_file_is_refused_by_the_container_bound_and_the_body_is_still_read():
    bomb = docx_bomb()
    assert len(bomb) < 1_000_000
    found, problems = items(with_attachment(bomb, "status.docx", DOCX, body="The packaging artwork is due on 3 December 2026."))
    [problem] = problems
    declared = re.fullmatch(r"attachment status.docx not read: it decompresses to (\d+) bytes, over "
                            r"limits.max_attachment_bytes = 20000000", problem)
    assert declared and int(declared[1]) > 200_000_000
    assert [m["due"] for m in found] == ["2026-12-03"]


def test_a_member_that_lies_about_its_size_cannot_inflate_past_it():
    """A member that declares fewer bytes than it holds ends at its declared size: a broken file."""
    data = bytearray(word_file(["The pilot build is due on 15 December 2026."]))
    # a central directory record is "PK\1\2", 42 bytes, then the member's name; its size is at offset 24
    name = b"word/document.xml"
    central = next(i - 46 for i in range(data.index(b"PK\x01\x02"), len(data))
                   if data[i:i + len(name)] == name and data[i - 46:i - 42] == b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    documents, problems = read_documents([Attachment("liar.docx", DOCX, bytes(data))])
    assert (documents, problems) == ([], ["attachment liar.docx not read: it is broken (BadZipFile)"])


def test_a_word_file_past_its_paragraph_or_cell_bound_is_refused():
    data = word_file([f"line {i}" for i in range(30)], STATUS_TABLE)
    with pytest.raises(LimitExceeded, match=r"big.docx paragraphs: 31, over limits.max_paragraphs = 20"):
        word.read(data, "big.docx", LimitsConfig(max_paragraphs=20))
    with pytest.raises(LimitExceeded, match=r"big.docx table cells: 12, over limits.max_cells = 10"):
        word.read(data, "big.docx", LimitsConfig(max_cells=10))


def test_a_word_table_with_a_heading_merged_over_two_columns_heads_both():
    """ "Dates" merged over "Planned | Forecast": python-docx gives a merged cell in each column it spans."""
    document = docx.Document()
    grid = document.add_table(rows=4, cols=4)
    for r, cells in enumerate([("Milestone", "Dates", "", "Status"), ("", "Planned", "Forecast", ""),
                               ("Pilot build", "01.12.2026", "15.12.2026", "Late"),
                               ("Packaging artwork", "20.11.2026", "", "Complete")]):
        for c, text in enumerate(cells):
            grid.cell(r, c).text = text
    grid.cell(0, 1).merge(grid.cell(0, 2)).text = "Dates"
    grid.cell(0, 0).merge(grid.cell(1, 0)).text = "Milestone"
    grid.cell(0, 3).merge(grid.cell(1, 3)).text = "Status"
    out = io.BytesIO()
    document.save(out)
    [table] = word.read(out.getvalue(), "report.docx", LimitsConfig()).tables
    assert table.rows[:2] == (("Milestone", "Dates", "Dates", "Status"), ("Milestone", "Planned", "Forecast", "Status"))
    found, _ = items(with_attachment(out.getvalue(), "report.docx", DOCX))
    assert [(m["name"], m["due"], m["status"], m["previous_due"]) for m in found] == [
        ("Pilot build", "2026-12-15", "delayed", "2026-12-01"), ("Packaging artwork", "2026-11-20", "delivered", None)]


def test_the_evidence_of_an_item_in_a_pdf_of_several_pages_names_its_page():
    writer = FPDF()
    writer.set_font("helvetica", size=10)
    for line in ("Cover page: schedule revision C", "The pilot build is due on 15 December 2026."):
        writer.add_page()
        writer.multi_cell(0, 6, line)
    found, _ = items(with_attachment(bytes(writer.output()), "schedule.pdf", "application/pdf"))
    assert [(m["name"], m["evidence"]) for m in found] == [
        ("pilot build", "schedule.pdf, page 2: The pilot build is due on 15 December 2026.")]


@pytest.mark.parametrize("stamp", ["Date of issue: 18 Nov 2026", "Report date: 18/11/2026", "Rapportdatum: 18 november 2026",
                                   "报告日期：2026年11月18日", "Atualizado em 18/11/2026"])
def test_the_date_a_document_gives_itself_is_no_item(stamp):
    raw = with_attachment(word_file([stamp, "The pilot build ships on 4 December 2026."]), "report.docx", DOCX)
    found, _ = items(raw)
    assert [m["due"] for m in found] == ["2026-12-04"]  # the pilot build's, not the report's
