"""PDF schedules and order acknowledgements: their text, laid out as printed.

pypdf (pure Python, no OCR: a scanned page has no text to give) extracts each
page's text in its layout mode, which keeps a table's columns apart with spaces
("Pilot build      2026-12-01      Delayed"); the extractor then reads the text
as it reads a body, so that such a table is found by the same reader as a plain
text mail's aligned columns (slipwatch.extract.structure.aligned_blocks) and the
sentences by the prose reader. A vertical gap on the page is a blank line, which
parts paragraphs as in a mail, but not between two rows laid out in columns (a
table's cell padding), since a table is a run of lines. A form feed parts the
pages, as pdftotext parts them, so that the evidence can name an item's page.

A PDF with more pages than limits.max_pages is refused before any page is read
(its page tree says how many it has). An encrypted PDF is read when it opens
without a password (one restricted by its owner only), and is otherwise
DocumentUnreadable.
"""

from __future__ import annotations

import io
import re

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from slipwatch.config import LimitsConfig
from slipwatch.errors import DocumentUnreadable
from slipwatch.limits import check_count
from slipwatch.mail.model import Document



def read(data: bytes, name: str, limits: LimitsConfig) -> Document:
    """The text of a PDF file, page after page (DocumentUnreadable when it is encrypted or broken,
    LimitExceeded past limits.max_pages)."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentUnreadable("it is password-protected")
        # the count its page tree declares, before pypdf walks the tree (10,000 pages take a second)
        check_count(int(reader.root_object["/Pages"]["/Count"]), limits.max_pages, f"{name} pages", "max_pages")
        count = len(reader.pages)
    except (FileNotDecryptedError, DependencyError, NotImplementedError):
        raise DocumentUnreadable("it is password-protected") from None
    except (PdfReadError, KeyError, TypeError, ValueError) as exc:
        raise DocumentUnreadable(f"it is broken, not a readable PDF ({type(exc).__name__}: {exc})") from None
    check_count(count, limits.max_pages, f"{name} pages", "max_pages")  # a page tree that miscounts its pages
    pages = [_rows_closed(reader.pages[i].extract_text(extraction_mode="layout")) for i in range(count)]
    return Document(name=name, text="\f".join(pages))


_COLUMNS = re.compile(r"\S {2,}\S")  # two cells of a row laid out in columns, a gap of spaces apart


def _rows_closed(page: str) -> str:
    """A page's text without the blank lines between two rows laid out in columns: the padding of a
    table's cells, which would part its rows (a table is lines in a run). Other blank lines stay, since
    they part paragraphs as in a mail."""
    lines = [line.rstrip() for line in page.splitlines()]
    below = [""] * (len(lines) + 1)  # the next line with text below each line
    for i in range(len(lines) - 1, -1, -1):
        below[i] = lines[i] if lines[i] else below[i + 1]
    kept: list[str] = []
    above = ""
    for i, line in enumerate(lines):
        if line:
            above = line
        elif _COLUMNS.search(above) and _COLUMNS.search(below[i]):
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n")
