"""An Excel workbook (.xlsx, .xlsm) as tables: one per visible sheet.

openpyxl reads it in read-only mode, streaming each sheet's rows, and with the
values Excel last computed, not the formulas (`=B4+14` reads as the date it
shows). A cell reads as a person sees it: a date cell (an Excel serial with a
date format) as ISO text, `2026-12-01` or `2026-12-01 14:00`, which the date
grammar reads in any locale; a date typed as text as typed; a percentage as
`100 %`; a whole number without `.0`. A merged cell's text stands in every cell
it covers, so that "Dates" over "Baseline | Forecast | Actual" heads all three.
An empty cell's fill colour is kept in the table's `fills` (RAG status shown
only as colour); the extractor reads it where the column is a status column.
Where the sheet has a legend (a swatch beside "done", another beside "at risk"),
every empty cell of a legend's colour reads as its word, a Gantt chart's bars
included, and the legend's rows are no rows of the table. A sheet's banner (a
title merged across it, the client, the "as of" line, one cell each) above the
table's first row of two cells or more is no row of it either.

Bounds: limits.max_sheets sheets, limits.max_sheet_rows rows of each (empty
ones count: a sheet formatted down to row 1,048,576 stops there), noted when
cut; more than limits.max_cells cells in the workbook and it is not read.
Hidden sheets (lookup lists, scratch) are not read.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils.cell import range_boundaries

from slipwatch.config import LimitsConfig
from slipwatch.limits import check_count
from slipwatch.mail.html import rgb_word
from slipwatch.mail.model import Document, Row, Table

log = logging.getLogger(__name__)

_MERGE_CELL = re.compile(rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([A-Za-z$0-9:]{1,40})["']""")
_CHUNK = 1 << 20
_CARRY = 200  # bytes kept between chunks: an element cut in two is read whole in the next one
_LEGEND_WORDS = 4  # a legend's label is a status word or two ("at risk", "지연 위험"), not a sentence
_ARGB = re.compile(r"^[0-9A-Fa-f]{8}$")
# The colours of the workbook's theme (xl/theme/theme1.xml), which Excel's palette offers first.
_THEME_COLOUR = re.compile(rb"<(?:\w+:)?(dk1|lt1|dk2|lt2|accent[1-6]|hlink|folHlink)>\s*"
                           rb'<(?:\w+:)?(?:srgbClr|sysClr)\b[^>]*?(?:val|lastClr)="([0-9A-Fa-f]{6})"')
# A cell's theme colour index counts them in this order: light before dark, unlike the file.
_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
                "hlink", "folHlink")


def read(data: bytes, name: str, limits: LimitsConfig) -> Document:
    """The workbook's visible sheets as tables (see the module's docstring)."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        tables, notes, cells = [], [], 0
        theme = _theme(workbook.loaded_theme or b"")
        sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
        if len(sheets) > limits.max_sheets:
            notes.append(f"attachment {name}: only its first {limits.max_sheets} sheets were read "
                         f"(limits.max_sheets)")
        for ws in sheets[:limits.max_sheets]:
            table, read_cells, cut = _sheet(ws, data, name, limits, cells, theme)
            cells += read_cells
            if cut:
                notes.append(f"attachment {name}, sheet {ws.title}: only its first {limits.max_sheet_rows} rows "
                             f"were read (limits.max_sheet_rows)")
            if table is not None:
                tables.append(table)
    finally:
        workbook.close()
    return Document(name=name, tables=tuple(tables), notes=tuple(notes))


def _sheet(ws, data: bytes, name: str, limits: LimitsConfig, cells_before: int,
           theme: tuple[str, ...]) -> tuple[Table | None, int, bool]:
    """The sheet's table (None when fewer than two rows say anything), the cells read, and whether
    rows were left unread past limits.max_sheet_rows."""
    ws.reset_dimensions()  # a sheet's stated dimension can lie: read the rows it has
    rows: list[list[str]] = []
    fills: list[list[str]] = []
    cells = 0
    cut = False
    first_dated = None  # the first row holding a date cell: the rows above it are headings
    for index, row in enumerate(ws.iter_rows(max_row=limits.max_sheet_rows + 1), start=1):
        if index > limits.max_sheet_rows:
            cut = True
            break
        cells += len(row)
        check_count(cells_before + cells, limits.max_cells, f"cells in {name}", "max_cells")
        rows.append([_text(cell) for cell in row])
        if first_dated is None and any(isinstance(cell.value, (dt.date, dt.datetime)) for cell in row):
            first_dated = index
        fills.append([_fill(cell, theme) if cell.value is None else "" for cell in row])
    if not rows:
        return None, cells, cut
    _spread_merged(rows, _merged_ranges(ws, data), first_dated or len(rows) + 1)
    legend = _legend(rows, fills)
    for row, row_fills in zip(rows, fills):
        for c, fill in enumerate(row_fills):
            if fill in legend.words and not row[c]:
                row[c] = legend.words[fill]
    kept = [i for i, row in enumerate(rows) if any(row) and i not in legend.rows]
    while len(kept) > 1 and _filled(rows[kept[0]]) < 2 <= max(_filled(rows[i]) for i in kept[1:]):
        kept.pop(0)  # the sheet's title, its client and its "as of" line above the table: no rows of it
    if len(kept) < 2:
        return None, cells, cut
    width = max(max((c for c, cell in enumerate(rows[i]) if cell), default=-1) for i in kept) + 1
    table = Table(
        rows=tuple(_padded(rows[i], width) for i in kept),
        source=f"{name}, sheet {ws.title}",
        row_numbers=tuple(i + 1 for i in kept),
        fills=tuple(_padded(fills[i], width) for i in kept) if any(any(f) for f in fills) else (),
    )
    return table, cells, cut


@dataclass(frozen=True)
class Legend:
    """What a sheet's legend says its colours mean: fill word -> the label beside its swatch, and
    the rows the legend takes."""

    words: dict[str, str]
    rows: frozenset[int]


def _legend(rows: list[list[str]], fills: list[list[str]]) -> Legend:
    """The sheet's legend: two or more rows that each hold one coloured empty cell (a swatch) with a
    short label right of it ("■ | planned", "Red | delayed") and at most a title left of it
    ("Legend:"). A colour two labels claim says nothing. A Gantt chart's bars and a RAG column
    shown only as colour read as the legend's words then, as a person reading the sheet reads them."""
    found: dict[str, set[str]] = {}
    at = set()
    for i, (row, row_fills) in enumerate(zip(rows, fills)):
        swatches = [c for c, fill in enumerate(row_fills) if fill]
        if len(swatches) != 1 or swatches[0] + 1 >= len(row):
            continue
        swatch = swatches[0]
        label = row[swatch + 1]
        texts = [c for c, cell in enumerate(row) if cell]
        if not label or len(label.split()) > _LEGEND_WORDS or any(c > swatch + 1 for c in texts) or len(texts) > 2:
            continue
        found.setdefault(row_fills[swatch], set()).add(label)
        at.add(i)
    if len(at) < 2:
        return Legend({}, frozenset())
    return Legend({fill: next(iter(labels)) for fill, labels in found.items() if len(labels) == 1}, frozenset(at))


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell)


def _padded(cells: list[str], width: int) -> Row:
    return tuple(cells[:width]) + ("",) * (width - len(cells))


def _text(cell) -> str:
    """What the cell shows, as text the extractor reads."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute) != (0, 0) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:g} %"
        return f"{value:g}" if isinstance(value, float) else str(value)
    return " ".join(str(value).split())


def _theme(xml: bytes) -> tuple[str, ...]:
    """The theme's colours as RGB hex, by a cell's theme colour index."""
    found = {name.decode(): rgb.decode() for name, rgb in _THEME_COLOUR.findall(xml)}
    return tuple(found.get(name, "") for name in _THEME_ORDER)


def _fill(cell, theme: tuple[str, ...]) -> str:
    """What an empty cell's solid fill says (rgb_word), "" for none. A theme colour is the theme's
    RGB lightened or darkened by its tint ("Green, Accent 6, Lighter 80%" is a pastel: no status)."""
    fill = getattr(cell, "fill", None)
    if fill is None or fill.fill_type != "solid" or fill.fgColor is None:
        return ""
    colour = fill.fgColor
    if colour.type == "rgb" and isinstance(colour.rgb, str) and _ARGB.match(colour.rgb):
        rgb = colour.rgb[2:]
    elif colour.type == "indexed" and isinstance(colour.indexed, int) and colour.indexed < len(COLOR_INDEX):
        rgb = COLOR_INDEX[colour.indexed][2:]
    elif colour.type == "theme" and isinstance(colour.theme, int) and colour.theme < len(theme):
        rgb = theme[colour.theme]
    else:
        return ""
    if not rgb:
        return ""
    tint = colour.tint or 0.0
    channels = [int(rgb[i:i + 2], 16) for i in (0, 2, 4)]
    # Excel tints in HLS; towards white or black channel by channel keeps the hue, which is what is read
    channels = [round(c + (255 - c) * tint) if tint > 0 else round(c * (1 + tint)) for c in channels]
    return rgb_word((channels[0], channels[1], channels[2]))


def _merged_ranges(ws, data: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range. Read-only mode does not read them,
    and they follow the rows in the sheet's XML: its bytes are scanned for <mergeCell> elements,
    which is many times faster than parsing a sheet of many rows again."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(ws._worksheet_path) as source:
        tail = b""
        while chunk := source.read(_CHUNK):
            text = tail + chunk
            end = 0
            for match in _MERGE_CELL.finditer(text):
                end = match.end()
                try:
                    yield range_boundaries(match.group(1).decode())
                except (ValueError, TypeError):
                    log.debug("a merged range that names no cells: %.20s", match.group(1))
            tail = text[max(end, len(text) - _CARRY):]


def _spread_merged(rows: list[list[str]], ranges: Iterator[tuple[int, int, int, int]], first_dated: int) -> None:
    """Each merged range's text down every row it covers ("Logistics" beside each of its deliverables),
    and, in the headings above the first dated row, across every column too ("Dates" over "Baseline |
    Forecast | Actual"); below them a range merged across keeps its text in its first column, as an
    HTML cell's colspan does, and so does a title merged across the whole sheet above its headings
    ("ACME — delivery plan 2027"), which heads no column more than another. Cut to the rows read and
    the sheet's widest row."""
    width = max(map(len, rows))
    for min_col, min_row, max_col, max_row in ranges:
        if min_row > len(rows) or min_col > len(rows[min_row - 1]):
            continue
        text = rows[min_row - 1][min_col - 1]
        title = min_col == 1 and max_col >= width
        last_col = min(max_col, width) if max_row < first_dated and not title else min_col
        for row in rows[min_row - 1:max_row]:
            row.extend([""] * (last_col - len(row)))
            for c in range(min_col, last_col + 1):
                if not row[c - 1]:
                    row[c - 1] = text
