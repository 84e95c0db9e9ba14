"""Vocabulary families in further languages: month parts, moves, deliveries, closures, old dates.

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
    # where a move starts and ends, marked after the date (Korean, Turkish, Hungarian, Japanese) or before it
    ("- 번역 납품: 2026년 11월 17일에서 2026년 11월 24일로 변경되었습니다.",
     ("번역 납품", "2026-11-24", "delayed", "2026-11-17")),
    ("- Kurulum: hafta 47'den hafta 48'e kayıyor.", ("Kurulum", "2026-11-27", "delayed", "2026-11-20")),
    ("- Szállítás: november 20-ról november 27-re módosult.", ("Szállítás", "2026-11-27", "delayed", "2026-11-20")),
    ("- Nyomdai anyagok: november 20. helyett november 27.",
     ("Nyomdai anyagok", "2026-11-27", "delayed", "2026-11-20")),
    ("- 納品日：11月20日から11月27日に変更しました。", ("納品日", "2026-11-27", "delayed", "2026-11-20")),
    ("- Xuất hàng: dời từ 20 tháng 11 sang 27 tháng 11.", ("Xuất hàng", "2026-11-27", "delayed", "2026-11-20")),
    ("- Livrare: amânată de la 20 noiembrie până la 27 noiembrie.",
     ("Livrare", "2026-11-27", "delayed", "2026-11-20")),
    # the old date, in the words of each language
    ("- Desky PCBA: dorazí až 12. listopadu (původně 28. října).",
     ("Desky PCBA", "2026-11-12", "delayed", "2026-10-28")),
    ("- Görsel dosyalar: son teslim 21 Kasım (önceki plan 28 Kasım'dı)",
     ("Görsel dosyalar", "2026-11-21", "planned", "2026-11-28")),
    ("- BAT graphique : 30 novembre au lieu du 7 décembre", ("BAT graphique", "2026-11-30", "planned", "2026-12-07")),
    ("- Auslieferung: bis Mitte Dezember, statt wie zugesagt in KW 48",
     ("Auslieferung", "2026-12-15", "delayed", "2026-11-27")),
    # an old mark followed by the plan it was
    ("- Réception : était prévue le 25 novembre, maintenant le 8 décembre.",
     ("Réception", "2026-12-08", "delayed", "2026-11-25")),
    # a date that holds
    ("- IQ 安装确认不受影响，仍为 11月24日。", ("IQ", "2026-11-24", "planned", None)),
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
