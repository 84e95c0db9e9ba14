"""structure.py: the vendor's text split into units before anything is read.

A paragraph is no item. Each table below is one structure kind, written in
several languages: the text, then the units it must give (kind, text).
"""

from __future__ import annotations

import datetime as dt
import textwrap
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slipwatch.extract import extract
from slipwatch.extract.dates import find_dates
from slipwatch.extract.mentions import date_candidates, table_candidates
from slipwatch.extract.structure import (BULLET, CLAUSE, FIELD, LEADER, NUMBERED, ROW, SENTENCE, aligned_blocks,
                                         segments)
from slipwatch.mail.model import Table
from tests.extract.messages import MON_2_NOV_IST, message, summary


def units(text: str) -> list[tuple[str, str]]:
    text = textwrap.dedent(text).strip("\n")
    dates = [(m.start, m.end) for m in find_dates(text, MON_2_NOV_IST)]
    return [(seg.kind, " ".join(text[seg.span.start:seg.span.end].split())) for seg in segments(text, dates)]


def labels(text: str) -> list[str]:
    text = textwrap.dedent(text).strip("\n")
    dates = [(m.start, m.end) for m in find_dates(text, MON_2_NOV_IST)]
    return [text[seg.span.start:seg.label_end].strip(" :：") for seg in segments(text, dates) if seg.label_end]


FIELD_RUNS = [
    ("en, colons", """
        Our schedule for this order:
        Components kitting complete: 2025/03/18
        SMT start: 2025/03/20
     """, ["Components kitting complete", "SMT start"]),
    ("es, aligned after the colon", """
        Les comparto el calendario tentativo:

          Congelamiento de funcionalidades:   15 de junio
          Beta 1:                             29 de junio
     """, ["Congelamiento de funcionalidades", "Beta 1"]),
    ("ja, spaced colon", """
          3.5.0-preview3 : 12月3日(木)
          3.5.0-rc1      : 12月17日(木)
     """, ["3.5.0-preview3", "3.5.0-rc1"]),
    ("en, a wide gap instead of a colon", """
        Pick-up at Huayang                            04-Nov
        ETD HKG                                       06-Nov  CX 096
     """, ["Pick-up at Huayang", "ETD HKG"]),
    ("de, full-width colon", """
        Druck：KW 12
        Auslieferung：KW 13
     """, ["Druck", "Auslieferung"]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in FIELD_RUNS],
                         ids=[name for name, _, _ in FIELD_RUNS])
def test_each_line_of_a_run_of_label_value_lines_is_a_unit(text: str, expected: list[str]) -> None:
    assert [kind for kind, _ in units(text) if kind == FIELD] == [FIELD] * len(expected)
    assert labels(text) == expected


UNIT_KINDS = [
    ("en, bullets", "- Design freeze – Friday.\n- Training material: end of next week.",
     [(BULLET, "- Design freeze – Friday."), (BULLET, "- Training material: end of next week.")]),
    ("fr, numbered items", "1. Maquette : 20 novembre\n2) Recette : 27 novembre",
     [(NUMBERED, "1. Maquette : 20 novembre"), (NUMBERED, "2) Recette : 27 novembre")]),
    ("pt, leader lines", "Provas ........ 22 out\nImpressão ..... 30 out",
     [(LEADER, "Provas ........ 22 out"), (LEADER, "Impressão ..... 30 out")]),
    # a long label leaves room for a short leader; its value stands in the column of the others
    ("en, leader lines cut short by a long label",
     "Key visual - final .............. Fri 19 September\nSocial asset pack (36 formats) .. Fri 26 September\n"
     "OOH adaptations (48-sheet, bus) . Fri 3 October",
     [(LEADER, "Key visual - final .............. Fri 19 September"),
      (LEADER, "Social asset pack (36 formats) .. Fri 26 September"),
      (LEADER, "OOH adaptations (48-sheet, bus) . Fri 3 October")]),
    ("en, a dot between words out of line with its neighbours stays a sentence",
     "Plan ........ Fri 19 September\nSee you then . Best regards",
     [(LEADER, "Plan ........ Fri 19 September"), (SENTENCE, "See you then ."), (SENTENCE, "Best regards")]),
    ("de, sentences of one paragraph", "Der Druck ist am 20. März fertig. Die Auslieferung folgt am 27. März.",
     [(SENTENCE, "Der Druck ist am 20. März fertig."), (SENTENCE, "Die Auslieferung folgt am 27. März.")]),
    ("ja, list marks with no space after them", "・結合テスト：6月29日\n・UATへのデプロイ：7月8日\n１．要件定義書：1月15日",
     [(BULLET, "・結合テスト：6月29日"), (BULLET, "・UATへのデプロイ：7月8日"), (NUMBERED, "１．要件定義書：1月15日")]),
    # the writer ended each dated line (the next line's first word would have fit on it): one unit each
    ("en, dated lines of one paragraph", "14 Apr - housing CAD freeze\n25 Apr - appearance model",
     [(SENTENCE, "14 Apr - housing CAD freeze"), (SENTENCE, "25 Apr - appearance model")]),
    ("ko, dated lines of one paragraph", "pH 전극 양산 샘플 (12월 19일)\n전도도 센서 모듈 (12월 23일)",
     [(SENTENCE, "pH 전극 양산 샘플 (12월 19일)"), (SENTENCE, "전도도 센서 모듈 (12월 23일)")]),
    ("en, deadline lines are no task with its fields",
     "Deadline for the data migration: 30 December 2026.\nDeadline for switching off the old API: 9 January 2027.",
     [(SENTENCE, "Deadline for the data migration: 30 December 2026."),
      (SENTENCE, "Deadline for switching off the old API: 9 January 2027.")]),
    # a paragraph wrapped to a width stays one text, parted only by its full stops
    ("en, a wrapped paragraph with a date on each line",
     "We will send the first proofs of the catalogue on 20 November, as agreed\n"
     "on 12 November, and the print files one week after that.",
     [(SENTENCE, "We will send the first proofs of the catalogue on 20 November, as agreed on 12 November, "
                 "and the print files one week after that.")]),
    # a capital of any cased script starts a sentence
    ("uk, sentences of one paragraph", "Дякуємо за відгук. Реліз панелі — 30 листопада.",
     [(SENTENCE, "Дякуємо за відгук."), (SENTENCE, "Реліз панелі — 30 листопада.")]),
    ("el, sentences of one paragraph", "Οι μετρήσεις ολοκληρώθηκαν. Η τελική έκθεση θα σταλεί στις 20 Νοεμβρίου.",
     [(SENTENCE, "Οι μετρήσεις ολοκληρώθηκαν."), (SENTENCE, "Η τελική έκθεση θα σταλεί στις 20 Νοεμβρίου.")]),
    # a writer who types in lower case parts two dated statements with a bare full stop; an ordinal's
    # stop and an abbreviation part nothing
    ("en, lower case sentences", "not 26 November. the dye house is full, production start will be 4 December.",
     [(SENTENCE, "not 26 November."), (SENTENCE, "the dye house is full, production start will be 4 December.")]),
    ("hu, an ordinal's stop before a lower case word", "április 10. helyett április 17-re",
     [(SENTENCE, "április 10. helyett április 17-re")]),
    ("en, one label line alone stays a sentence", "Short answer: the staging environment is on track.",
     [(SENTENCE, "Short answer: the staging environment is on track.")]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in UNIT_KINDS],
                         ids=[name for name, _, _ in UNIT_KINDS])
def test_units_by_kind(text: str, expected: list[tuple[str, str]]) -> None:
    assert units(text) == expected


def test_a_record_head_and_its_indented_fields_are_one_unit_named_by_the_head() -> None:
    text = textwrap.dedent("""
        Row 5   Task: Mass production start
                Finish: 10/16/26 → 10/23/26
                Status: On Track → Delayed
    """).strip("\n")
    [unit] = segments(text)
    assert text[unit.span.start:unit.label_end].strip() == "Mass production start"


ALIGNED = [
    ("en, a continued remark", """
        PO No.       Part No.      Orig. ETD    New ETD      Remark
        ----------   -----------   ----------   ----------   ----------------------
        MP-26-0216   PH-02 rev A   29/05/2026   05/06/2026   JST connector late
        MP-26-0221   PH-03         05/06/2026   05/06/2026   Waiting your drawing,
                                                             may be delay
     """, [("PO No.", "Part No.", "Orig. ETD", "New ETD", "Remark"),
           ("MP-26-0216", "PH-02 rev A", "29/05/2026", "05/06/2026", "JST connector late"),
           ("MP-26-0221", "PH-03", "05/06/2026", "05/06/2026", "Waiting your drawing, may be delay")]),
    ("zh/en, wide characters and an empty cell", """
        工序 Process              周 Week    备注 Remark
        物料齐套 Kitting           W51        已完成 Done
        SMT                        W52
     """, [("工序 Process", "周 Week", "备注 Remark"), ("物料齐套 Kitting", "W51", "已完成 Done"),
           ("SMT", "W52", "")]),
    ("es, right-aligned numbers", """
        Hito               Cantidad   Fecha
        Muestras                 10   12/03/2027
        Producción            1.200   30/03/2027
     """, [("Hito", "Cantidad", "Fecha"), ("Muestras", "10", "12/03/2027"),
           ("Producción", "1.200", "30/03/2027")]),
]


@pytest.mark.parametrize(("text", "rows"), [(t, r) for _, t, r in ALIGNED], ids=[name for name, _, _ in ALIGNED])
def test_tables_aligned_with_spaces_are_read_by_column(text: str, rows: list[tuple[str, ...]]) -> None:
    [block] = aligned_blocks(textwrap.dedent(text).strip("\n"))
    assert list(block.table.rows) == rows


def test_a_table_under_label_value_lines_starts_at_its_heading() -> None:
    # an order confirmation's head fields are laid out with gaps too, right above the items
    text = textwrap.dedent("""
        Customer:          Harbour Labs Ltd
        Your order:        HL-PO-0042
        Item   Description                Qty    Delivery
        1      Valve body VB-2, brass     200    14.12.2026
        2      Seal kit SK-9              400    21.12.2026
    """).strip("\n")
    [block] = aligned_blocks(text)
    assert (block.first, block.last) == (2, 4)
    assert block.table.rows[1] == ("1", "Valve body VB-2, brass", "200", "14.12.2026")


def test_label_value_lines_with_numbers_in_their_heads_are_no_table() -> None:
    assert aligned_blocks("HAWB      BFA-SZX-2511-0093\nETD HKG   06-Nov  CX 096\nETA MEX   07-Nov") == ()


# -- what extraction makes of them: regressions for the kinds that gave one item or none


def test_a_schedule_of_label_value_lines_gives_one_item_per_line() -> None:
    mail = message("""
        Here is the proposed schedule. As usual the dates are tentative.

          Feature freeze:  November 10, 2026
          Beta 1:          December 3, 2026
          Final:           January 7, 2027

        Thanks
    """)
    assert summary(extract(mail)) == [
        ("Feature freeze", "2026-11-10", "planned", None),
        ("Beta 1", "2026-12-03", "planned", None),
        ("Final", "2027-01-07", "planned", None),
    ]


def test_a_japanese_schedule_keeps_its_names_and_its_weekdays_stay_with_their_dates() -> None:
    mail = message("""
        ■今後の予定
        ・結合テスト　　　　　：6月29日(月)〜7月3日(金)
        ・UAT環境へのデプロイ：7月8日(水)

          12月15日（月）  機能追加の締め切り
          12月22日（月）  RC版のタグ付け
    """, sent=dt.datetime(2026, 6, 22, 10, 5, tzinfo=dt.timezone(dt.timedelta(hours=9))))
    assert [(n, d) for n, d, _, _ in summary(extract(mail))] == [
        ("結合テスト", "2026-07-03"),  # a range is due on its last day
        ("UAT環境へのデプロイ", "2026-07-08"),
        ("機能追加の締め切り", "2026-12-15"),  # not "（月）": the weekday belongs to the date
        ("RC版のタグ付け", "2026-12-22"),
    ]


def test_action_items_of_minutes_are_named_by_what_they_ask_for() -> None:
    mail = message("""
        Minutes of the call

        ACTION: Maria to send the budget by 12 March.
        ACTION: All partners to fill in the dataset inventory sheet by 8 May.
        Action item - Tom: share the DMP draft with partners, due 15 May
    """, sent=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
    assert [(n, d) for n, d, _, _ in summary(extract(mail))] == [
        ("budget", "2026-03-12"),  # not "ACTION", nor who acts
        ("dataset inventory sheet", "2026-05-08"),
        ("DMP draft with partners", "2026-05-15"),
    ]


def test_an_aligned_plain_text_table_gives_every_row() -> None:
    mail = message("""
        Delivery schedule update for your open POs:

        Part          Orig. ETD    New ETD      Remark
        Cable EH-01   20/11/2026   20/11/2026   On schedule
        Cable PH-02   27/11/2026   04/12/2026   connector late
        Cable PH-03   04/12/2026   04/12/2026   waiting your approval
    """)
    assert summary(extract(mail)) == [
        ("Cable EH-01", "2026-11-20", "planned", None),
        ("Cable PH-02", "2026-12-04", "delayed", "2026-11-27"),
        ("Cable PH-03", "2026-12-04", "planned", None),
    ]


# -- properties

_PIECES = st.sampled_from([
    "Beta 1:  3 March", "   ", "\t", "- ", "1. ", "ETD HKG      06-Nov", " | ", "Part   Qty   Date",
    "工序 Process   周 Week", "The final release on 17 March and the beta on 3 March.", "\n", "\n\n", ":", "：",
    "........ 22 Oct", "> quoted", "-- ", "________", "Row 3   Task: Colour approval", "        Finish: 10/02/26",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40))
def test_segmentation_never_raises_and_stays_inside_the_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    for seg in segments(text):
        assert 0 <= seg.span.start <= seg.span.end <= len(text)
        assert seg.label_end is None or seg.span.start <= seg.label_end <= seg.span.end
    for block in aligned_blocks(text):
        assert block.first <= block.last


def _seconds(text: str) -> float:
    """The best of three runs, in CPU time of this process: a busy machine (other processes on its
    cores) slows the clock on the wall, not the shape of the growth."""
    best = float("inf")
    for _ in range(3):
        aligned_blocks.cache_clear()  # measure the reading, not the cache
        start = time.process_time()
        list(segments(text))
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("line", [
    "Beta {i}:   {i} March 2027\n",
    "Step {i}      W{i}      done      ok\n",
    "and the beta on 3 March and the final release on 17 March, ",
    "x" * 50 + " ",
])
def test_segmentation_time_grows_linearly(line: str) -> None:
    small = "".join(line.format(i=i % 50) for i in range(300))
    large = "".join(line.format(i=i % 50) for i in range(3000))
    _seconds(small)  # warm the regex caches
    assert _seconds(large) < 30 * max(_seconds(small), 0.002)


CLAUSES = [
    ("en, and", "The beta is on 3 December and the final release on 17 December.",
     [("beta", "2026-12-03", "planned", None), ("final release", "2026-12-17", "planned", None)]),
    ("es, y", "La beta el 3 de diciembre y la versión final el 17 de diciembre.",
     [("beta", "2026-12-03", "planned", None), ("versión final", "2026-12-17", "planned", None)]),
    ("de, und", "Die Beta kommt am 3. Dezember und das finale Release am 17. Dezember.",
     [("Beta", "2026-12-03", "planned", None), ("finale Release", "2026-12-17", "planned", None)]),
    ("en, semicolon between labels", "Beta 1: 3 December; Beta 2: 10 December.",
     [("Beta 1", "2026-12-03", "planned", None), ("Beta 2", "2026-12-10", "planned", None)]),
    ("en, an opener names no item", "Good news: the beta on 3 December and the final release on 17 December.",
     [("beta", "2026-12-03", "planned", None), ("final release", "2026-12-17", "planned", None)]),
    ("en, commas between clauses that each say their verb",
     "The rc.0 is still cut on 10 November, the docs freeze stays on 24 November, and the release is still 15 December.",
     [("rc.0", "2026-11-10", "planned", None), ("docs freeze", "2026-11-24", "planned", None),
      ("release", "2026-12-15", "planned", None)]),
    # a comma before the next step of a sequence parts the items as "and" does
    ("en, then", "The cabinets will be ready 27 November, then the truck to the port 1 December.",
     [("cabinets", "2026-11-27", "planned", None), ("truck to the port", "2026-12-01", "planned", None)]),
    ("es, luego", "Las mesas estarán listas el 27 de noviembre, luego el camión al puerto el 1 de diciembre.",
     [("mesas estarán listas", "2026-11-27", "planned", None), ("camión al puerto", "2026-12-01", "planned", None)]),
    ("fr, a date in brackets goes with its clause",
     "Thomas refait le mixage mardi et le PAD sera livré le mercredi 2 décembre (il était prévu aujourd'hui).",
     [("Thomas refait le mixage", "2026-11-03", "planned", None), ("PAD", "2026-12-02", "delayed", "2026-11-02")]),
    # ... but brackets that hold nothing but a date date the words before them
    ("en, dates in brackets", "The returns module (30 July) and the barcode label printing fix (6 August) are under way.",
     [("returns module", "2027-07-30", "planned", None), ("barcode label printing fix", "2027-08-06", "planned", None)]),
    ("fr, dates in brackets", "Le module de retours (30 juillet) et le correctif des étiquettes (6 août) sont en cours.",
     [("module de retours", "2027-07-30", "planned", None), ("correctif des étiquettes", "2027-08-06", "planned", None)]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CLAUSES], ids=[name for name, _, _ in CLAUSES])
def test_two_items_dated_in_one_sentence_are_two_items(text: str, expected: list[tuple]) -> None:
    assert summary(extract(message(text))) == expected


KEPT_TOGETHER = [
    ("a comparison with the old date", "The drop test passed on Friday, two days later than 7 Nov.",
     [("drop test", "2026-10-30", "delivered", "2026-11-07")]),
    ("the dates of a move", "The data export moves from 10 Nov to 17 Nov and stays there.",
     [("data export", "2026-11-17", "delayed", "2026-11-10")]),
    ("a date in an opening clause", "Since Friday is our holiday, we uploaded the sample chapter and the "
     "style sheet today.", [("sample chapter and the style sheet", "2026-11-02", "delivered", None)]),
    ("a clause with no name of its own", "The samples shipped on 2 Nov and arrive on 9 Nov.",
     [("samples", "2026-11-02", "delivered", None)]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in KEPT_TOGETHER],
                         ids=[name for name, _, _ in KEPT_TOGETHER])
def test_the_dates_of_one_item_stay_together(text: str, expected: list[tuple]) -> None:
    assert summary(extract(message(text))) == expected


# -- date candidates: every date the grammar finds, tied to its unit


def test_every_date_is_a_candidate_with_its_unit_and_region() -> None:
    text = textwrap.dedent("""
        Our schedule:
        Beta 1:   3 December
        Final:    17 December

        The beta moves from 3 December to 10 December. The manual ships on 20 November and the guide on 24 November.

        --
        Ana, 2 Nov
    """).strip("\n")
    found = [(c.text, c.unit_kind, c.region, c.days_from_sent, c.moved) for c in date_candidates(text, MON_2_NOV_IST)]
    assert found == [
        ("3 December", FIELD, "body", 31, False),
        ("17 December", FIELD, "body", 45, False),
        ("3 December", SENTENCE, "body", 31, True),
        ("10 December", SENTENCE, "body", 38, True),
        ("20 November", CLAUSE, "body", 18, False),
        ("24 November", CLAUSE, "body", 22, False),
        ("2 Nov", SENTENCE, "signature", 0, False),
    ]


def test_a_forwarded_header_is_a_region_of_its_own_and_quoted_lines_are_no_units() -> None:
    text = textwrap.dedent("""
        Pilot run on 20 November.

        ---------- Forwarded message ---------
        From: Ana Lima <ana@vendor.example>
        Date: Fri, Oct 30, 2026 at 3:40 PM
        Subject: Pilot
        To: Bo <bo@buyer.example>

        > Can you do 18 November?
    """).strip("\n")
    assert [(c.text, c.region) for c in date_candidates(text, MON_2_NOV_IST)] == [
        ("20 November", "body"), ("Fri, Oct 30, 2026 at 3:40 PM", "forward_header")]


def test_table_cells_are_candidates_under_their_column_heading() -> None:
    table = Table(rows=(("Milestone", "Planned", "Forecast"), ("Beta", "20/11/2026", "27/11/2026")))
    assert [(c.text, c.unit_kind, c.column, c.dates_in_unit) for c in table_candidates(table, MON_2_NOV_IST)] == [
        ("20/11/2026", ROW, "Planned", 2), ("27/11/2026", ROW, "Forecast", 2)]


def test_a_day_aligned_under_wider_ones_stays_in_its_date() -> None:
    # list mail aligns one-digit days under two-digit ones: "Dec  4" is one date and the
    # line's label, not "Dec" over a value "4: ..."
    text = """
        Revised plan:

           Nov 27: 3.0.0-rc1
           Dec  4: 3.0.0-rc2
           Dec 11: 3.0.0
     """
    assert labels(text) == ["Nov 27", "Dec  4", "Dec 11"]
    assert summary(extract(message(text))) == [
        ("3.0.0-rc1", "2026-11-27", "planned", None),
        ("3.0.0-rc2", "2026-12-04", "planned", None),
        ("3.0.0", "2026-12-11", "planned", None)]


def test_a_line_dated_by_its_label_moves_by_its_value() -> None:
    # the label is the new day, the value says where it came from
    text = """
        Revised plan:

           Nov 27: 3.0.0-rc1
           Dec  4: 3.0.0-rc2 (moved up from Dec 11)
           Dec 18: 3.0.0
     """
    assert ("3.0.0-rc2", "2026-12-04", "planned", "2026-12-11") in summary(extract(message(text)))


def test_a_dated_line_wrapped_under_its_own_words_is_one_unit() -> None:
    # announcement lists wrap an entry under the words after its date, not under the date
    text = """
        Key dates:

        2026-11-20 (Friday) - Abstract submission closes for all tracks,
                              including posters, at 23:59 UTC.

        2026-12-04 (Friday) - Camera-ready versions of accepted papers.
     """
    assert units(text)[1:] == [
        (BULLET, "2026-11-20 (Friday) - Abstract submission closes for all tracks, including posters, at 23:59 UTC."),
        (SENTENCE, "2026-12-04 (Friday) - Camera-ready versions of accepted papers.")]


def test_a_field_whose_comment_wraps_under_its_words_is_one_unit_and_the_run_goes_on() -> None:
    text = """
        Revised plan:

          Layout                  16 November     (was 9 November)
          Colour proofs           30 November     NEW - the printer asked
                                                  for a second round
          Print run               14 December
          Delivery to warehouse   21 December     (was 14 December)
     """
    assert [kind for kind, _ in units(text)] == [SENTENCE, FIELD, FIELD, FIELD, FIELD]
    assert summary(extract(message(text))) == [
        ("Layout", "2026-11-16", "delayed", "2026-11-09"),
        ("Colour proofs", "2026-11-30", "planned", None),
        ("Print run", "2026-12-14", "planned", None),
        ("Delivery to warehouse", "2026-12-21", "delayed", "2026-12-14")]


@pytest.mark.parametrize(("text", "expected"), [
    # the clause that holds the date names the item when the clause before it says a verb of its own
    ("Bulk printing takes approx 3 weeks, so goods will be ready by 13 December.",
     [("goods", "2026-12-13", "planned", None)]),
    ("The dye house is full with another order, the mass production will be 4 December.",
     [("mass production", "2026-12-04", "planned", None)]),
    # a clause without a verb leads in to the one that names the item
    ("As agreed on the call, the print files follow on 27 November.",
     [("print files", "2026-11-27", "planned", None)]),
])
def test_the_dated_clause_of_a_sentence_names_its_item(text: str, expected: list[tuple]) -> None:
    assert summary(extract(message(text))) == expected
