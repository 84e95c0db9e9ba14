"""A tool's CSV or TSV export as rows of cells, whatever its encoding and delimiter.

Tools export in the encoding of the machine that saved the file, and the mail
rarely says which: Excel's "Unicode text" is UTF-16 with a byte-order mark and
tabs, a Chinese Excel saves GB18030, a Japanese one Shift_JIS, a Polish one
windows-1250, with ";" between cells where the decimal mark is a comma. The
encoding is taken from a byte-order mark, else from the zero bytes UTF-16 puts
beside ASCII, else UTF-8 when the bytes are valid UTF-8; otherwise each legacy
encoding that decodes the bytes is tried and the one whose text holds most of the
language registry's table headings and status words wins ("状态", "Zakończone"),
then the one with fewest characters no table holds (a GB18030 file read as
windows-1252 is all "¶©µ¥").

The delimiter is the one of `,` `;` tab `|` that splits the first rows into the
same number of cells (more than one), quotes respected: a heuristic on the shape,
not on one character's count, so that `"fas2;väntar"` in a comma file does not
make it a semicolon file.
"""

from __future__ import annotations

import codecs
import csv
import functools
import unicodedata
from collections import Counter

from slipwatch.lang import languages

DELIMITERS = (",", ";", "\t", "|")
# The legacy encodings tools save in, Western European first: it wins a tie (plain ASCII reads alike in all)
LEGACY = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "gb18030", "cp932", "big5hkscs", "cp949")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SAMPLE = 4096  # bytes (and characters) an encoding and a delimiter are judged on
_SHAPE_ROWS = 20  # rows a delimiter is judged on


def decode(data: bytes) -> str:
    """The text of a delimited file (see the module's docstring)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    sample = data[:_SAMPLE]
    if sample.count(0) * 4 > len(sample):  # UTF-16 without its mark: every other byte of ASCII is zero
        zeros_odd = sample[1::2].count(0) > sample[0::2].count(0)
        return data.decode("utf-16-le" if zeros_odd else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    readings = []
    for order, codec in enumerate(LEGACY):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        head = text[:_SAMPLE]
        readings.append((-_known_words(head), _odd_characters(head), order, text))
    if not readings:
        return data.decode("cp1252", errors="replace")
    return min(readings)[3]


def rows(text: str) -> list[tuple[str, ...]]:
    """The non-empty rows of a delimited text, each cell stripped."""
    dialect = _dialect(text)
    return [tuple(cell.strip() for cell in row) for row in csv.reader(text.splitlines(), dialect) if any(row)]


def _dialect(text: str) -> type[csv.Dialect]:
    """Excel's CSV dialect with the delimiter that gives the first rows one width of more than one cell."""
    lines = [line for line in text[:_SAMPLE].splitlines()[:_SHAPE_ROWS + 1] if line.strip()]
    if len(lines) > 1 and len(text) > _SAMPLE:
        lines = lines[:-1]  # the sample may cut the last line

    def shape(delimiter: str) -> tuple[int, int]:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            return (0, 0)
        width, count = Counter(widths).most_common(1)[0] if widths else (1, 0)
        return (count, width) if width > 1 else (0, 0)

    best = max(DELIMITERS, key=shape)
    return type("Delimited", (csv.excel,), {"delimiter": best}) if shape(best) > (0, 0) else csv.excel


@functools.cache
def _registry_words() -> frozenset[str]:
    """The registry's table headings and status cells that only some encodings can spell: those
    with a letter beyond ASCII, lower-cased."""
    words = set()
    for language in languages():
        for group in (*language.fields.values(), *language.status_cells.values()):
            words.update(w.rstrip("*").lower() for w in group if not w.isascii())
    return frozenset(w for w in words if len(w) > 1)


def _known_words(text: str) -> int:
    """How many characters of the registry's words the text holds."""
    lowered = text.lower()
    return sum(len(word) for word in _registry_words() if word in lowered)


def _odd_characters(text: str) -> int:
    """Characters beyond ASCII that are no letter, digit or common punctuation: signs of a wrong encoding."""
    return sum(1 for c in text if not c.isascii() and unicodedata.category(c)[0] not in "LMNZ"
               and unicodedata.category(c) not in ("Pd", "Pi", "Pf", "Ps", "Pe"))
