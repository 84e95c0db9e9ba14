"""A tool's CSV export read whatever encoding and delimiter the machine that saved it chose."""

from __future__ import annotations

import pytest

from slipwatch.extract import extract
from slipwatch.mail import delimited
from slipwatch.mail.model import Attachment
from tests.extract.messages import message, summary

PLAN = "Zadanie;Termin;Stan\nMontaż ramy;2026-11-20;Zakończone\nPróbna seria;2026-12-04;Opóźnione\n"
CHINESE = "工序,截止,状态\n装柜出运,2026/11/27,已完成\n第二柜,2027/01/22,进行中\n"
JAPANESE = "タスク,期限,状況\n金型製作,2026/11/27,完了\n量産,2027/01/22,進行中\n"


@pytest.mark.parametrize("text, encoding", [
    (PLAN, "utf-8"),
    (PLAN, "utf-8-sig"),
    (PLAN, "utf-16"),  # Excel's "Unicode text": a byte-order mark, then UTF-16
    (PLAN, "utf-16-le"),  # no mark: the zero bytes beside ASCII tell
    (PLAN, "cp1250"),  # a Polish Excel's CSV
    (CHINESE, "gb18030"),
    (JAPANESE, "cp932"),  # Shift_JIS
])
def test_the_encoding_is_found_without_a_charset(text, encoding) -> None:
    assert delimited.decode(text.encode(encoding)) == text


def test_a_legacy_encoding_is_chosen_by_the_registry_words_its_text_spells() -> None:
    # windows-1252 decodes these bytes too, as "Zakoñczone": only windows-1250 spells the registry's word
    assert "Zakończone" in delimited.decode("Stan\nZakończone\n".encode("cp1250"))


@pytest.mark.parametrize("text, width", [
    ("Name,Due,Status\nTooling,2026-10-29,Done\n", 3),
    ("Name\tDue\tStatus\nTooling\t2026-10-29\tDone\n", 3),
    ("Name|Due|Status\nTooling|2026-10-29|Done\n", 3),
    # a semicolon inside a quoted cell does not make a semicolon file, nor a comma in one a comma file
    ('Summary;Key;Due;Labels\nEDI;E-19;2027-04-09;"fas2;waiting"\nRMA;E-17;2027-03-30;"a, b"\n', 4),
    ('Summary,Due,Labels\nEDI,2027-04-09,"fas2;waiting"\nRMA,2027-03-30,"a;b;c"\n', 3),
])
def test_the_delimiter_is_the_one_that_gives_every_row_one_width(text, width) -> None:
    assert {len(row) for row in delimited.rows(text)} == {width}


def test_a_utf16_tab_export_reads_as_its_table() -> None:
    data = "ID\tTitel\tStatus\tFörfallodatum\nQ1\tLagersaldo-synk\tActive\t2026-11-20\n".encode("utf-16")
    csv = Attachment(filename="wrike_export.tsv", content_type="text/tab-separated-values", data=data)
    assert summary(extract(message(attachments=(csv,)))) == [("Lagersaldo-synk", "2026-11-20", "planned", None)]
