"""A table cell that says nothing but is filled with a colour says what the colour says."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from slipwatch.mail.html import colour_word, html_to_text


@pytest.mark.parametrize("attrs, word", [
    ([("bgcolor", "#FF0000")], "Red"),
    ([("bgcolor", "red")], "Red"),
    ([("style", "border:1px solid #ccc; background-color: #ffc7ce")], "Red"),  # Excel's pale red fill
    ([("style", "background:#ffeb9c")], "Amber"),
    ([("bgcolor", "#FFC000")], "Amber"),
    ([("style", "background: rgb(0, 176, 80)")], "Green"),
    ([("bgcolor", "#c6efce")], "Green"),
    ([("bgcolor", "#4472c4")], "■"),  # a bar of a plan chart
    ([("bgcolor", "#ffffff")], ""),
    ([("bgcolor", "#d9d9d9")], ""),  # grey shading says nothing
    ([("style", "color:red")], ""),  # red text on no fill
    ([], ""),
])
def test_a_fill_says_red_amber_green_or_filled(attrs, word) -> None:
    assert colour_word(attrs) == word


@given(st.text(max_size=40), st.text(max_size=40))
def test_any_colour_attribute_reads_as_one_of_the_words(bgcolor, style) -> None:
    assert colour_word([("bgcolor", bgcolor), ("style", f"background:{style}")]) in ("", "Red", "Amber", "Green", "■")


def test_an_empty_cell_says_its_colour_and_a_written_one_keeps_its_words() -> None:
    html = """<table>
      <tr><th>Deliverable</th><th>Due</th><th>RAG</th></tr>
      <tr><td>Key visual</td><td>12 Mar</td><td bgcolor="#ff0000">&nbsp;</td></tr>
      <tr><td>Copy deck</td><td>19 Mar</td><td style="background:#00b050">On track</td></tr>
    </table>"""
    rendered = html_to_text(html)
    # the written "On track" keeps its words; its green fill also gives the row a last cell
    assert rendered.tables[0].rows[1:] == (("Key visual", "12 Mar", "Red", ""),
                                           ("Copy deck", "19 Mar", "On track", "Green"))
    assert "Key visual | 12 Mar | Red" in rendered.text


def test_a_row_filled_with_a_rag_colour_gets_a_last_cell_that_says_it() -> None:
    # status shown only as colour: a red date cell, a green row; a plain row says nothing
    html = """<table>
      <tr><th>Deliverable</th><th>Due</th></tr>
      <tr><td>Key visual</td><td bgcolor="#ff0000">12 Mar</td></tr>
      <tr bgcolor="#00b050"><td>Copy deck</td><td>19 Mar</td></tr>
      <tr><td>Banner</td><td>26 Mar</td></tr>
      <tr><td bgcolor="#ff0000">Flyer</td><td bgcolor="#00b050">2 Apr</td></tr>
    </table>"""
    assert html_to_text(html).tables[0].rows == (
        ("Deliverable", "Due", ""), ("Key visual", "12 Mar", "Red"), ("Copy deck", "19 Mar", "Green"),
        ("Banner", "26 Mar", ""), ("Flyer", "2 Apr", ""))  # two colours in one row say no one status


def test_a_table_without_rag_fills_keeps_its_shape() -> None:
    html = '<table><tr style="background:#4472c4"><th>Item</th><th>Due</th></tr><tr><td>A</td><td>1 Mar</td></tr></table>'
    assert html_to_text(html).tables[0].rows == (("Item", "Due"), ("A", "1 Mar"))
