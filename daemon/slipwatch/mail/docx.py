"""Word status reports (.docx): their paragraphs as running text, their tables as tables.

python-docx reads the body in document order; each paragraph is a paragraph of the text,
a table (a milestone table, most often) a Table whose `source` says which table
of the file it is ("report.docx, table 2") and whose rows keep their numbers in
it. Merged cells repeat their text in every column they span, as python-docx
gives them, so that a heading over two columns heads both. Headers, footers,
text boxes and tables nested in a cell are not read.

The zip container is checked before (slipwatch.mail.documents.check_container);
here paragraphs are bounded by limits.max_paragraphs and the cells of all tables
by limits.max_cells.
"""

from __future__ import annotations

import io

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from slipwatch.config import LimitsConfig
from slipwatch.errors import DocumentUnreadable
from slipwatch.limits import check_count
from slipwatch.mail.model import Document, Table


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
            rows = [tuple(" ".join(cell.text.split()) for cell in row.cells) for row in block.rows]
            numbered = [(i, row) for i, row in enumerate(rows, 1) if any(row)]
            if numbered:
                tables.append(Table(rows=tuple(row for _, row in numbered), source=f"{name}, table {len(tables) + 1}",
                                    row_numbers=tuple(i for i, _ in numbered)))
    # a paragraph of its own, as a blank line parts them in a mail: the prose reader joins adjacent lines
    # as one paragraph wrapped ("Summary" over "The release slipped to ..." would name "Summary The release")
    return Document(name=name, tables=tuple(tables), text="\n\n".join(p for p in paragraphs if p))
