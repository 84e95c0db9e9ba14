"""PDF schedules and order acknowledgements: their text, laid out as printed.

pypdf (pure Python, no OCR: a scanned page has no text to give) extracts each
page's text in its layout mode, which keeps a table's columns apart with spaces
("Pilot build      2026-12-01      Delayed"); the extractor then reads the text
as it reads a body, so that such a table is found by the same reader as a plain
text mail's aligned columns (slipwatch.extract.structure.aligned_blocks) and the
sentences by the prose reader. Blank lines only part what a blank line in the
source parts: the vertical gaps between a table's rows are not kept. Pages are
parted by a blank line.

A PDF with more pages than limits.max_pages is refused before any page is read
(its page tree says how many it has). An encrypted PDF is read when it opens
without a password (one restricted by its owner only), and is otherwise
DocumentUnreadable.
"""

from __future__ import annotations

import io

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
    pages = [reader.pages[i].extract_text(extraction_mode="layout", layout_mode_space_vertically=False)
             for i in range(count)]
    return Document(name=name, text="\n\n".join("\n".join(line.rstrip() for line in page.splitlines()).strip("\n")
                                                 for page in pages))
