"""Tables for a person at a terminal: a header row, a rule, one aligned line per row.

The layout is sqlite-utils' (and datasette's) plain table: columns two spaces
apart, numbers right-aligned, nothing Python about it. A missing value reads
"—", never ``None``. Cells hold vendor text, so each is made one line (a
newline or tab in a subject must not break the table), shows control and
bidi characters in visible form (slipwatch.sanitise), and long ones are cut
to the column's width. Widths count what a terminal shows: an East Asian
wide character takes two columns, a combining accent none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from slipwatch.sanitise import one_line

MISSING = "—"


@dataclass(frozen=True)
class Column:
    title: str
    right: bool = False  # numbers line up on their last digit
    width: int | None = None  # at most this many terminal columns; longer text ends in "…"


def cell(value: object, width: int | None = None) -> str:
    """One value as a single line of text, "—" when there is none, cut to `width`."""
    text = MISSING if value is None else " ".join(one_line(str(value)).split()) or MISSING
    if width is not None and display_width(text) > width:
        while display_width(text) > width - 1:
            text = text[:-1]
        text = text.rstrip() + "…"
    return text


def display_width(text: str) -> int:
    """How many terminal columns the text takes."""
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def render(columns: Sequence[Column], rows: Iterable[Sequence[object]], notes: Sequence[Sequence[str]] = ()) -> str:
    """The rows under a header, aligned; `notes[i]` are lines printed under row i, indented (reasons, quotes)."""
    cells = [[cell(v, c.width) for v, c in zip(row, columns, strict=True)] for row in rows]
    widths = [max([display_width(c.title), *(display_width(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = [_line([c.title for c in columns], columns, widths), _line(["-" * w for w in widths], columns, widths)]
    for i, row in enumerate(cells):
        lines.append(_line(row, columns, widths))
        lines.extend(f"    {cell(note)}" for note in (notes[i] if i < len(notes) else ()))
    return "\n".join(lines)


def _line(texts: Sequence[str], columns: Sequence[Column], widths: Sequence[int]) -> str:
    padded = []
    for text, column, width in zip(texts, columns, widths, strict=True):
        fill = " " * (width - display_width(text))
        padded.append(fill + text if column.right else text + fill)
    return "  ".join(padded).rstrip()
