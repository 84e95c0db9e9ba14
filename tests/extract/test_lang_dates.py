"""Dates in the languages the registry added to vendor text, each written form against one pinned send date.

A language file (slipwatch/lang/<code>.json) brings its own table here: a date
in each form its writers use must read as the right day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from slipwatch.extract.dates import find_dates

SENT = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))  # a Friday

CASES = {
    "hu": [
        ("A határidő 2026. március 10.", "2026-03-10"),
        ("Szállítás: március 10-ig", "2026-03-10"),
        ("2026. márc. 10. helyett", "2026-03-10"),
        ("A teszt holnap indul", "2026-02-21"),
    ],
    "cs": [
        ("Předání do 10. března 2026", "2026-03-10"),
        ("Termín: 10. března", "2026-03-10"),
        ("Dodáme zítra", "2026-02-21"),
        ("Spuštění 1. října 2026", "2026-10-01"),
    ],
    "ro": [
        ("Livrare pe 10 martie 2026", "2026-03-10"),
        ("Termen: 1 octombrie 2026", "2026-10-01"),
        ("Trimitem mâine", "2026-02-21"),
    ],
    "vi": [
        ("Hạn chót ngày 10 tháng 3 năm 2026", "2026-03-10"),
        ("Bàn giao 10 tháng 3, 2026", "2026-03-10"),
        ("Phát hành ngày 1 tháng 10 năm 2026", "2026-10-01"),
        ("Chúng tôi gửi hôm nay", "2026-02-20"),
    ],
    "ja": [
        ("納期は2026年3月10日です", "2026-03-10"),
        ("3月10日に納品", "2026-03-10"),
        ("2026年10月1日 リリース", "2026-10-01"),
        ("2026年7月末まで", "2026-07-31"),
    ],
    "zh": [
        ("截止日期为2026年3月10日", "2026-03-10"),
        ("预计3月10号交付", "2026-03-10"),
        ("GA 推迟至 10 月中旬", "2026-10-15"),
        ("3月下旬发布", "2026-03-31"),
    ],
    "ko": [
        ("2026년 3월 10일까지 납품", "2026-03-10"),
        ("출시: 2026년 10월 1일", "2026-10-01"),
        ("결과 보고서: 5월 중순", "2026-05-15"),
        ("5월 말까지", "2026-05-31"),
    ],
    "id": [
        ("Pengiriman 17 Agustus 2026", "2026-08-17"),
    ],
    "ru": [
        ("Сдача 10 марта 2026 г.", "2026-03-10"),
        ("Срок: 10 мар. 2026", "2026-03-10"),
    ],
    "el": [
        ("Παράδοση στις 10 Μαρτίου 2026", "2026-03-10"),
    ],
    "fi": [
        ("Toimitus 10. maaliskuuta 2026", "2026-03-10"),
    ],
    "he": [
        ("מסירה ב-10 במרץ 2026", "2026-03-10"),
    ],
    "ar": [
        ("التسليم ١٠ مارس ٢٠٢٦", "2026-03-10"),
        ("التسليم 10 آذار 2026", "2026-03-10"),
    ],
    "hi": [
        ("डिलीवरी १० मार्च २०२६", "2026-03-10"),
    ],
    "th": [
        ("ส่งมอบ 10 มีนาคม 2569", "2026-03-10"),
        ("ส่งมอบ 10 มี.ค. พ.ศ. 2569", "2026-03-10"),
    ],
}


@pytest.mark.parametrize(
    "text, day", [case for cases in CASES.values() for case in cases],
    ids=[f"{code}:{text}" for code, cases in CASES.items() for text, _ in cases],
)
def test_a_date_written_in_the_language_reads_as_its_day(text, day):
    assert [m.value(SENT) for m in find_dates(text, SENT)] == [day]


# A part of this or the next month, said in the language's words (the registry's "month_parts").
MONTH_PARTS = [
    ("De proefdrukken zijn eind deze maand klaar.", "2026-02-28"),
    ("Tisk bude hotový do konce měsíce.", "2026-02-28"),
    ("Печать будет готова до конца месяца.", "2026-02-28"),
    ("Leveransen kommer i slutet av nästa månad.", "2026-03-31"),
    ("Baskı ay ortasında hazır olacak.", "2026-02-15"),
    ("Bản in sẽ xong đầu tháng sau.", "2026-03-01"),
    ("سيتم التسليم في نهاية الشهر القادم", "2026-03-31"),
]


@pytest.mark.parametrize("text, day", MONTH_PARTS)
def test_a_part_of_this_or_next_month_reads_as_its_day(text, day):
    assert [m.value(SENT) for m in find_dates(text, SENT)] == [day]


def test_a_year_first_date_needs_a_month_word_not_a_weak_one_in_lower_case():
    assert find_dates("in 2026 may 10 people join", SENT) == []


def test_a_bare_number_before_a_cjk_month_sign_is_no_date():
    assert find_dates("13月10日", SENT) == []


# A weekday after a preposition or with a case ending: "do piątku" (by Friday), "в пятницу" (on Friday),
# "perjantaihin mennessä", "péntekig", "cumaya kadar". The registry lists each form; the send date is a Friday,
# so Friday is that day and Tuesday the next.
WEEKDAY_CASES = [
    ("Poprawki dostarczymy do piątku.", "2026-02-20"),
    ("Poprawki dostarczymy do wtorku.", "2026-02-24"),
    ("Dodáme do pátku.", "2026-02-20"),
    ("Dodáme do čtvrtka.", "2026-02-26"),
    ("Пришлём до пятницы.", "2026-02-20"),
    ("Пришлём в среду.", "2026-02-25"),
    ("Надішлемо до понеділка.", "2026-02-23"),
    ("Надішлемо в пʼятницю.", "2026-02-20"),
    ("Toimitamme tiistaina.", "2026-02-24"),
    ("Toimitus torstaihin mennessä.", "2026-02-26"),
    ("A javítást kedden küldjük.", "2026-02-24"),
    ("A javítás csütörtökig elkészül.", "2026-02-26"),
    ("Düzeltmeyi salıya kadar göndereceğiz.", "2026-02-24"),
]


@pytest.mark.parametrize("text, day", WEEKDAY_CASES)
def test_a_weekday_in_its_cases_reads_as_its_day(text, day):
    assert [m.value(SENT) for m in find_dates(text, SENT)] == [day]


# A bare day of the month after the registry's day word ("day_words"): the next such day from the send date
# (a Friday, 20 February); with its month it is a whole date, and a time is no day.
DAY_WORD_CASES = [
    ("As rodas ficam prontas no dia 15.", ["2026-03-15"]),
    ("Entregamos el día 25.", ["2026-02-25"]),
    ("La consegna è il giorno 25.", ["2026-02-25"]),
    ("Dikirim tanggal 25.", ["2026-02-25"]),
    ("Giao hàng ngày 25.", ["2026-02-25"]),
    ("Entregamos el día 25 de marzo.", ["2026-03-25"]),
    ("Sprint zamknęliśmy dnia 9 Nov.", ["2026-11-09"]),
    ("A reunião é no dia 15:00.", []),
]


@pytest.mark.parametrize("text, days", DAY_WORD_CASES)
def test_a_day_of_the_month_after_a_day_word_reads_as_its_day(text, days):
    assert [m.value(SENT) for m in find_dates(text, SENT)] == days
