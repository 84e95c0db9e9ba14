"""Tables for people: a header, a rule, aligned columns, and nothing Python about the cells."""

from __future__ import annotations

from slipwatch.tables import Column, cell, display_width, render


def test_a_table_has_a_header_a_rule_and_aligned_columns():
    out = render([Column("id", right=True), Column("name"), Column("slip", right=True)],
                 [(1, "Beta build", "+7d"), (12, "Logo", "0d")])
    assert out.splitlines() == [
        "id  name        slip",
        "--  ----------  ----",
        " 1  Beta build   +7d",
        "12  Logo          0d",
    ]


def test_a_missing_value_reads_as_a_dash_never_none():
    assert cell(None) == "—" and cell("") == "—" and cell("   ") == "—"
    assert "None" not in render([Column("a"), Column("b")], [(None, "x")])


def test_vendor_text_cannot_break_a_row():
    assert cell("Beta\r\nbuild\tready\x1b[31m \u202eexe") == "Beta build ready␛[31m <U+202E>exe"


def test_long_text_is_cut_to_the_column_width_and_says_so():
    assert cell("App Store submission for the spring catalogue", 20) == "App Store submissio…"
    assert display_width(cell("App Store submission for the spring catalogue", 20)) == 20


def test_wide_characters_take_two_columns_and_still_line_up():
    lines = render([Column("vendor"), Column("n", right=True)], [("東京デザイン", 1), ("Polar Print", 2)]).splitlines()
    assert lines[2] == "東京デザイン  1"
    assert lines[3] == "Polar Print   2"
    assert display_width(lines[2]) == display_width(lines[3])


def test_notes_go_under_their_row_indented():
    out = render([Column("id"), Column("state")], [(1, "failed"), (2, "processed")], notes=[["no sender"], []])
    assert out.splitlines()[2:] == ["1   failed", "    no sender", "2   processed"]
