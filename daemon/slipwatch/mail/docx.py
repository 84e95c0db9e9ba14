"""Word status reports (.docx): their paragraphs as running text, their tables as tables.

python-docx reads the body in document order; each paragraph is a paragraph of the text,
a table (a milestone table, most often) a Table whose `source` says which table
of the file it is ("report.docx, table 2") and whose rows keep their numbers in
it. Merged cells repeat their text in every column they span, as python-docx
gives them, so that a heading over two columns heads both. An empty cell's shading
is kept in the table's `fills` (a RAG status shown only as colour, as in a
spreadsheet). Headers, footers, text boxes and tables nested in a cell are not read.

The zip container is checked before (slipwatch.mail.documents.check_container);
here paragraphs are bounded by limits.max_paragraphs and the cells of all tables
by limits.max_cells.
"""

from __future__ import annotations

import io
import re

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from slipwatch.config import LimitsConfig
from slipwatch.errors import DocumentUnreadable
from slipwatch.limits import check_count
from slipwatch.mail.html import rgb_word
from slipwatch.mail.model import Document, Table

_RGB = re.compile(r"^[0-9A-Fa-f]{6}$")


def read(data: bytes, name: str, limits: LimitsConfig) -> Document:
    """The paragraphs and tables of a .docx file (DocumentUnreadable when it is none, LimitExceeded past a bound)."""
    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:  # no word/document.xml, a wrong content type
        raise DocumentUnreadable(f"it is broken, not a readable Word file ({type(exc).__name__})") from None
    body = word.element.body
    check_count(len(body.xpath("./w:p")), limits.max_paragraphs, f"{name} paragraphs", "max_paragraphs")
    check_count(len(body.xpath("./w:tbl//w:tc")), limits.max_cells, f"{name} table cells", "max_cells")
    paragraphs: list[str] = []
    tables: list[Table] = []
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(block.text.strip())
        elif isinstance(block, WordTable):
            cells = [row.cells for row in block.rows]
            rows = [tuple(" ".join(cell.text.split()) for cell in row) for row in cells]
            fills = [tuple("" if text else _shading(cell) for cell, text in zip(row, texts))
                     for row, texts in zip(cells, rows)]
            numbered = [(i, row, fill) for i, (row, fill) in enumerate(zip(rows, fills), 1) if any(row)]
            if numbered:
                coloured = any(any(fill) for _, _, fill in numbered)
                tables.append(Table(rows=tuple(row for _, row, _ in numbered), source=f"{name}, table {len(tables) + 1}",
                                    row_numbers=tuple(i for i, _, _ in numbered),
                                    fills=tuple(fill for _, _, fill in numbered) if coloured else ()))
    # a paragraph of its own, as a blank line parts them in a mail: the prose reader joins adjacent lines
    # as one paragraph wrapped ("Summary" over "The release slipped to ..." would name "Summary The release")
    return Document(name=name, tables=tuple(tables), text="\n\n".join(p for p in paragraphs if p))


def _shading(cell) -> str:
    """What a cell's shading says (rgb_word: "Red", "Amber", "Green", "■"), "" for none."""
    fill = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")
    if not fill or not _RGB.match(fill[0]):
        return ""  # none, or "auto"
    return rgb_word((int(fill[0][0:2], 16), int(fill[0][2:4], 16), int(fill[0][4:6], 16)))
