"""HTML mail bodies as plain text that keeps table rows and quoting.

Outlook forwards often carry no text part at all, and vendors' status reports
live in HTML tables, so the rendering keeps what later stages lean on:

- each row of a data table is one line, its cells joined by " | ", and the
  table is also returned as a `Table`;
- a table that holds other tables is layout (newsletters, Jira, Outlook
  signatures): its cells are laid out as blocks, not as a row;
- `<blockquote>` content gets "> " markers, as the text part would;
- `<hr>` becomes a separator line, as Outlook prints before "From:/Sent:";
- struck-through text that holds a number is an old value replaced by what
  follows (Jira's "~~14/Nov/25~~ 21/Nov/25", a plan edited in Outlook): it is
  followed by " → ", as a person reads it;
- a table cell that says nothing but is filled with a colour says what the
  colour says: "Red", "Amber" or "Green" (a RAG status shown only as colour),
  or "■" for any other strong colour (a Gantt chart's bar over a week); a
  row whose written cells (or the row itself) are filled with one RAG colour
  gets a last cell saying it, so that a status shown only as colour is read.

The stdlib parser is enough: no DOM is built, one pass, no dependency.
"""

from __future__ import annotations

import colorsys
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from slipwatch.mail.model import Table

logger = logging.getLogger(__name__)

SEPARATOR = "_" * 32

_BLOCK_TAGS = frozenset(
    "address article aside center dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header li main nav ol p pre section ul caption".split()
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "xml"})
_SPACES = re.compile(r"[ \t\r\n\f\u200b\ufeff]+")
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_STRUCK_TAGS = frozenset({"s", "strike", "del"})
_LINE_THROUGH = re.compile(r"text-decoration[^;]*line-through", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;]+)", re.IGNORECASE)
_HEX = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})\b", re.IGNORECASE)
_RGB = re.compile(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})", re.IGNORECASE)
# The colour names writers and Outlook put in bgcolor and style attributes, as RGB.
_COLOUR_NAMES = {
    "red": (255, 0, 0), "darkred": (139, 0, 0), "crimson": (220, 20, 60), "tomato": (255, 99, 71),
    "orangered": (255, 69, 0), "salmon": (250, 128, 114), "pink": (255, 192, 203),
    "orange": (255, 165, 0), "darkorange": (255, 140, 0), "gold": (255, 215, 0), "yellow": (255, 255, 0),
    "amber": (255, 191, 0), "khaki": (240, 230, 140),
    "green": (0, 128, 0), "lime": (0, 255, 0), "limegreen": (50, 205, 50), "lightgreen": (144, 238, 144),
    "darkgreen": (0, 100, 0), "forestgreen": (34, 139, 34), "seagreen": (46, 139, 87),
    "blue": (0, 0, 255), "navy": (0, 0, 128), "lightblue": (173, 216, 230), "steelblue": (70, 130, 180),
    "purple": (128, 0, 128), "teal": (0, 128, 128),
}
# Hues (degrees) of a RAG status: red wraps around 0, amber runs from orange to yellow, then green.
_RAG_HUES = ((15, "Red"), (70, "Amber"), (170, "Green"), (330, ""), (360, "Red"))
_FILLED = "■"
_RAG = frozenset({"Red", "Amber", "Green"})
_MIXED = "mixed"  # a row filled with two RAG colours says no one status


@dataclass(frozen=True)
class HtmlText:
    """The text of an HTML body and the data tables found in it."""

    text: str
    tables: tuple[Table, ...]


class _Lines:
    """Text being laid out: finished lines plus the line under construction."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []  # (quote depth, text)
        self.current: list[str] = []
        self.depth = 0

    def add(self, text: str) -> None:
        self.current.append(text)

    def newline(self, *, force: bool = False) -> None:
        text = "".join(self.current).strip()
        self.current = []
        if text or force:
            self.lines.append((self.depth, text))

    def flat(self) -> str:
        """Everything as one line (a table cell)."""
        self.newline()
        return " ".join(text for _, text in self.lines if text)


@dataclass
class _TableState:
    rows: list[list[str]]
    cell_blocks: list[list[tuple[int, str]]]  # each cell's own lines, for layout tables
    nested: bool = False
    row_open: bool = False
    cell_open: bool = False  # the top of the renderer's stack is this table's cell
    spans: list[list[tuple[int, int]]] = field(default_factory=list)  # (rowspan, colspan) of each cell, by row
    pending: tuple[int, int] = (1, 1)  # the spans of the cell open now
    fill: str = ""  # what the colour of the cell open now says (colour_word)
    row_fills: list[str] = field(default_factory=list)  # the RAG colour of each row's written cells, by row


_MAX_SPAN = 50  # a merged cell spans at most so many rows or columns; more is a broken attribute


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    value = dict(attrs).get(name) or "1"
    return min(int(value), _MAX_SPAN) if value.strip().isdigit() and int(value) > 0 else 1


def _rgb(value: str) -> tuple[int, int, int] | None:
    value = value.strip().lower()
    if m := _HEX.search(value):
        digits = "".join(ch * 2 for ch in m.group(1)) if len(m.group(1)) == 3 else m.group(1)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    if m := _RGB.search(value):
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return _COLOUR_NAMES.get(value.split()[0] if value else "")


def colour_word(attrs: list[tuple[str, str | None]]) -> str:
    """What the fill of a cell says: "Red", "Amber", "Green", "■" for another strong colour
    (blue, purple), "" for none, white, grey or black (a plain or shaded cell)."""
    named = dict(attrs)
    style = _BACKGROUND.search(named.get("style") or "")
    rgb = _rgb(style.group(1) if style else named.get("bgcolor") or "")
    return "" if rgb is None else rgb_word(rgb)


def rgb_word(rgb: tuple[int, int, int]) -> str:
    """What a fill colour says, as colour_word tells it (a spreadsheet's cell fills too)."""
    hue, saturation, value = colorsys.rgb_to_hsv(*(min(c, 255) / 255 for c in rgb))
    if saturation < 0.1 or value < 0.25:
        return ""
    degrees = hue * 360
    word = next(word for bound, word in _RAG_HUES if degrees < bound)
    return word or _FILLED


def _grid(rows: list[list[str]], spans: list[list[tuple[int, int]]]) -> list[list[str]]:
    """The rows as a person sees them: a cell merged down (rowspan) stands in each row it
    spans ("Logistics" beside both its deliverables); a cell merged across (colspan) fills
    its first column and leaves the others empty."""
    grid: list[list[str]] = []
    below: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    for cells, cell_spans in zip(rows, spans):
        row: list[str] = []
        queue = list(zip(cells, cell_spans))
        while queue or any(col >= len(row) for col in below):
            col = len(row)
            if col in below:
                text, left = below.pop(col)
                row.append(text)
                if left > 1:
                    below[col] = (text, left - 1)
                continue
            if not queue:
                row.append("")
                continue
            text, (down, across) = queue.pop(0)
            for k in range(across):
                row.append(text if k == 0 else "")
                if down > 1:
                    below[col + k] = (text if k == 0 else "", down - 1)
        grid.append(row)
    return grid


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Lines] = [_Lines()]
        self.tables: list[_TableState] = []
        self.found: list[Table] = []
        self.skip = 0
        self.pre = 0
        self.quote = 0
        self.open: list[tuple[str, bool]] = []  # the open elements: (tag, struck through)
        self.striking = 0  # how many of them strike their text through
        self.struck: list[str] = []  # the text written while struck through

    @property
    def out(self) -> _Lines:
        return self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID_TAGS:
            struck = tag in _STRUCK_TAGS or bool(_LINE_THROUGH.search(dict(attrs).get("style") or ""))
            self.open.append((tag, struck))
            self.striking += struck
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "br":
            self.out.newline(force=True)
        elif tag == "hr":
            self.out.newline()
            self.out.add(SEPARATOR)
            self.out.newline()
        elif tag == "blockquote":
            self.out.newline()
            self.quote += 1
            self.out.depth = self.quote
        elif tag == "table":
            self.out.newline()
            if self.tables:
                self.tables[-1].nested = True
            self.tables.append(_TableState(rows=[], cell_blocks=[]))
        elif tag == "tr" and self.tables:
            self._close_row()
            self.tables[-1].rows.append([])
            self.tables[-1].spans.append([])
            fill = colour_word(attrs)
            self.tables[-1].row_fills.append(fill if fill in _RAG else "")
            self.tables[-1].row_open = True
        elif tag in ("td", "th") and self.tables:
            self._close_cell()
            if not self.tables[-1].row_open:
                self.tables[-1].rows.append([])
                self.tables[-1].spans.append([])
                self.tables[-1].row_fills.append("")
                self.tables[-1].row_open = True
            self.tables[-1].pending = (_span(attrs, "rowspan"), _span(attrs, "colspan"))
            self.tables[-1].fill = colour_word(attrs)
            cell = _Lines()
            cell.depth = self.quote
            self.stack.append(cell)
            self.tables[-1].cell_open = True
        elif tag == "pre":
            self.out.newline()
            self.pre += 1
        elif tag == "li":
            self.out.newline()
            self.out.add("- ")
        elif tag in _BLOCK_TAGS:
            self.out.newline()

    def handle_endtag(self, tag: str) -> None:
        self._close_element(tag)
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag == "blockquote":
            self.out.newline()
            self.quote = max(0, self.quote - 1)
            self.out.depth = self.quote
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "table" and self.tables:
            self._close_table()
        elif tag == "pre":
            self.out.newline()
            self.pre = max(0, self.pre - 1)
        elif tag in _BLOCK_TAGS:
            self.out.newline()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            parts = data.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self.out.newline(force=True)
                self.out.add(part)
            return
        text = _SPACES.sub(" ", data.replace("\xa0", " "))
        if text.strip() or (text and self.out.current):
            self.out.add(text)
            if self.striking:
                self.struck.append(text)

    def _close_element(self, tag: str) -> None:
        """Close `tag` and what is left open inside it; after struck-through text that holds a number, " → "."""
        at = next((i for i in range(len(self.open) - 1, -1, -1) if self.open[i][0] == tag), None)
        if at is None:
            return
        self.striking -= sum(struck for _, struck in self.open[at:])
        del self.open[at:]
        if self.struck and not self.striking:
            if _DIGIT.search("".join(self.struck)):
                self.out.add(" →")
            self.struck = []

    def _close_cell(self) -> None:
        if self.tables and self.tables[-1].cell_open:
            table = self.tables[-1]
            table.cell_open = False
            cell = self.stack.pop()
            cell.newline()
            table.cell_blocks.append(cell.lines)
            # a cell that says nothing says what its colour says
            text = " ".join(text for _, text in cell.lines if text)
            table.rows[-1].append(text or table.fill)
            if text and table.fill in _RAG and table.row_fills[-1] != table.fill:
                table.row_fills[-1] = table.fill if not table.row_fills[-1] else _MIXED
            table.spans[-1].append(table.pending)
            table.pending, table.fill = (1, 1), ""

    def _close_row(self) -> None:
        if self.tables and self.tables[-1].row_open:
            self._close_cell()
            self.tables[-1].row_open = False

    def _close_table(self) -> None:
        self._close_row()
        table = self.tables.pop()
        out = self.out
        out.newline()
        grid = _grid(table.rows, table.spans)
        if any(fill in _RAG for fill in table.row_fills):
            # a status shown only as the fill of a row or of its written cells: a last cell says it
            width = max(len(row) for row in grid)
            grid = [row + [""] * (width - len(row)) + [fill if fill in _RAG else ""]
                    for row, fill in zip(grid, table.row_fills)]
        rows = [row for row in grid if any(cell for cell in row)]
        if table.nested or max((len(row) for row in rows), default=0) < 2:
            # Layout: each cell's lines stand on their own.
            for block in table.cell_blocks:
                for depth, text in block:
                    out.lines.append((max(depth, out.depth), text))
            return
        width = max(len(row) for row in rows)
        for row in rows:
            out.lines.append((out.depth, " | ".join(row)))
        self.found.append(Table(rows=tuple(tuple(row + [""] * (width - len(row))) for row in rows)))

    def result(self) -> HtmlText:
        while self.tables:
            self._close_table()
        while len(self.stack) > 1:
            cell = self.stack.pop()
            cell.newline()
            self.out.lines.extend(cell.lines)
        self.out.newline()
        lines: list[str] = []
        for depth, text in self.out.lines:
            line = "> " * depth + text if depth else text
            if line.strip() or (lines and lines[-1].strip()):
                lines.append(line.rstrip())
        return HtmlText(text="\n".join(lines).strip("\n"), tables=tuple(self.found))


def html_to_text(html: str) -> HtmlText:
    """Render an HTML body; broken markup renders as far as it goes."""
    renderer = _Renderer()
    try:
        renderer.feed(_inert_tail(html))
        renderer.close()
    except (AssertionError, ValueError, IndexError) as exc:  # html.parser on hostile input
        logger.debug("HTML parser stopped early: %s", type(exc).__name__)  # the message quotes the markup
    return renderer.result()


def _inert_tail(html: str) -> str:
    """The markup with every "<" after its last ">" written as text, which is what it is.

    No tag, comment or declaration can close there, and the stdlib parser (before
    Python 3.13.4) searches for the close to the end of the text again from each
    of them: a body of 30,000 "<a " took seconds.
    """
    last = html.rfind(">") + 1
    return html[:last] + html[last:].replace("<", "&lt;")
