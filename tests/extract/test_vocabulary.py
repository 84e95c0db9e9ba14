"""Vocabulary families in further languages: month parts, moves, deliveries, closures.

Read as sent on Monday 2 November 2026 in Pune (+05:30).
"""

from __future__ import annotations

import pytest

from slipwatch.extract import extract
from tests.extract.messages import message, summary


@pytest.mark.parametrize("text, expected", [
    # the part of a month, before it (Indonesian, Swedish, Danish, Norwegian) or after it (Turkish)
    ("- Kemasan akhir: pertengahan Januari.", ("Kemasan akhir", "2027-01-15", "planned", None)),
    ("- Etiketter: i slutet av december.", ("Etiketter", "2026-12-31", "planned", None)),
    ("- Prøveserie: midten af december.", ("Prøveserie", "2026-12-15", "planned", None)),
    ("- Prøvesøm: i starten av desember.", ("Prøvesøm", "2026-12-01", "planned", None)),
    ("- Ambalaj: Aralık sonu.", ("Ambalaj", "2026-12-31", "planned", None)),
    # "from A to B" with Indonesian and Dutch prepositions
    ("- Label kain: mundur dari 10 November ke 17 November.",
     ("Label kain", "2026-11-17", "delayed", "2026-11-10")),
    ("- Drukproef: verschoven van 12 november naar 19 november.",
     ("Drukproef", "2026-11-19", "delayed", "2026-11-12")),
    # a delivery with the writer between the auxiliary and the verb
    ("- Sampel warna sudah kami kirim kemarin.", ("Sampel warna", "2026-11-01", "delivered", None)),
])
def test_one_item(text: str, expected: tuple) -> None:
    assert summary(extract(message(text))) == [expected]


@pytest.mark.parametrize("text", [
    "Kantor kami tutup 25 Desember.",
    "Ons kantoor is gesloten op 24 december.",
    "Fabrikamız 1 Ocak tarihinde kapalı olacak.",
    "Kontoret er lukket 24. december.",
    "Hieronder ons statusbericht voor week 46.",
    "The change advisory board meets on 9 Nov at 10:00.",
])
def test_dated_sentences_that_are_no_item(text: str) -> None:
    assert extract(message(text)) == []
