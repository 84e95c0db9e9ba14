"""The plainest statements of a deliverable in every language read in vendor text.

For each language the registry reads (slipwatch/lang/<code>.json, `read_in_text`),
four sentences a vendor writes most often: an item due on a day, an item postponed
to a day, an item delivered yesterday, an item cancelled. Each must give the item's
name, its day and its status, in the writer's own script, digits and date order.
"""

from __future__ import annotations

import datetime as dt

import pytest

from slipwatch.extract import extract

from .messages import message, summary

# A Monday; "yesterday" is Sunday 1 November 2026.
SENT = dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))

DUE, POSTPONED, YESTERDAY, CANCELLED = "2026-12-10", "2026-12-15", "2026-11-01", "2026-12-12"

CASES = {
    "sv": [
        ("Etikettoriginalet ska levereras den 10 december 2026.", "Etikettoriginalet", DUE, "planned"),
        ("Provtrycket är uppskjutet till 15 december.", "Provtrycket", POSTPONED, "delayed"),
        ("Provlådorna levererades igår.", "Provlådorna", YESTERDAY, "delivered"),
        ("Katalogtrycket den 12 december är inställt.", "Katalogtrycket", CANCELLED, "cancelled"),
    ],
    "da": [
        ("Etiketdesignet skal leveres den 10. december 2026.", "Etiketdesignet", DUE, "planned"),
        ("Prøvetrykket er udsat til 15. december.", "Prøvetrykket", POSTPONED, "delayed"),
        ("Prøveæskerne blev leveret i går.", "Prøveæskerne", YESTERDAY, "delivered"),
        ("Katalogtrykket den 12. december er aflyst.", "Katalogtrykket", CANCELLED, "cancelled"),
    ],
    "nb": [
        ("Etikettdesignet skal leveres 10. desember 2026.", "Etikettdesignet", DUE, "planned"),
        ("Prøvetrykket er utsatt til 15. desember.", "Prøvetrykket", POSTPONED, "delayed"),
        ("Prøveeskene ble levert i går.", "Prøveeskene", YESTERDAY, "delivered"),
        ("Katalogtrykket 12. desember er avlyst.", "Katalogtrykket", CANCELLED, "cancelled"),
    ],
    "fi": [
        ("Etikettien taitto toimitetaan 10. joulukuuta 2026.", "Etikettien taitto", DUE, "planned"),
        ("Koevedos on siirretty 15. joulukuuta.", "Koevedos", POSTPONED, "delayed"),
        ("Näytelaatikot toimitettiin eilen.", "Näytelaatikot", YESTERDAY, "delivered"),
        ("Luettelon paino 12. joulukuuta on peruttu.", "Luettelon paino", CANCELLED, "cancelled"),
    ],
    "cs": [
        ("Návrh etiket dodáme 10. prosince 2026.", "Návrh etiket", DUE, "planned"),
        ("Nátisk je odložen na 15. prosince.", "Nátisk", POSTPONED, "delayed"),
        ("Vzorky krabic byly dodány včera.", "Vzorky krabic", YESTERDAY, "delivered"),
        ("Tisk katalogu 12. prosince je zrušen.", "Tisk katalogu", CANCELLED, "cancelled"),
    ],
    "tr": [
        ("Etiket tasarımı 10 Aralık 2026 tarihinde teslim edilecek.", "Etiket tasarımı", DUE, "planned"),
        ("Prova baskı 15 Aralık'a ertelendi.", "Prova baskı", POSTPONED, "delayed"),
        ("Numune kutular dün teslim edildi.", "Numune kutular", YESTERDAY, "delivered"),
        # the verb last, the date first: the item follows its date
        ("12 Aralık katalog baskısı iptal edildi.", "katalog baskısı", CANCELLED, "cancelled"),
    ],
    "ko": [
        # a particle is written onto the date: "10일까지" (by the 10th), "15일로" (to the 15th)
        ("라벨 디자인은 2026년 12월 10일까지 납품 예정입니다.", "라벨 디자인", DUE, "planned"),
        ("시험 인쇄는 12월 15일로 연기되었습니다.", "시험 인쇄", POSTPONED, "delayed"),
        ("샘플 박스는 어제 납품되었습니다.", "샘플 박스", YESTERDAY, "delivered"),
        ("12월 12일 카탈로그 인쇄는 취소되었습니다.", "카탈로그 인쇄", CANCELLED, "cancelled"),
    ],
    "ru": [
        ("Макет этикетки будет готов 10 декабря 2026 года.", "Макет этикетки", DUE, "planned"),
        ("Пробная печать перенесена на 15 декабря.", "Пробная печать", POSTPONED, "delayed"),
        ("Образцы коробок доставлены вчера.", "Образцы коробок", YESTERDAY, "delivered"),
        ("Печать каталога 12 декабря отменена.", "Печать каталога", CANCELLED, "cancelled"),
    ],
    "uk": [
        ("Макет етикетки буде готовий 10 грудня 2026 року.", "Макет етикетки", DUE, "planned"),
        ("Пробний друк перенесено на 15 грудня.", "Пробний друк", POSTPONED, "delayed"),
        ("Зразки коробок доставлено вчора.", "Зразки коробок", YESTERDAY, "delivered"),
        ("Друк каталогу 12 грудня скасовано.", "Друк каталогу", CANCELLED, "cancelled"),
    ],
    "el": [
        ("Το σχέδιο της ετικέτας παραδίδεται στις 10 Δεκεμβρίου 2026.", "σχέδιο της ετικέτας", DUE, "planned"),
        ("Η δοκιμαστική εκτύπωση αναβλήθηκε για τις 15 Δεκεμβρίου.", "δοκιμαστική εκτύπωση", POSTPONED, "delayed"),
        ("Τα δείγματα κουτιών παραδόθηκαν χθες.", "δείγματα κουτιών", YESTERDAY, "delivered"),
        ("Η εκτύπωση του καταλόγου στις 12 Δεκεμβρίου ακυρώθηκε.", "εκτύπωση του καταλόγου", CANCELLED,
         "cancelled"),
    ],
    "he": [
        # "ב-10 בדצמבר": a one-letter preposition joined to the day, another written onto the month
        ("עיצוב התווית יימסר ב-10 בדצמבר 2026.", "עיצוב התווית", DUE, "planned"),
        ("הדפסת הניסיון נדחתה ל-15 בדצמבר.", "הדפסת הניסיון", POSTPONED, "delayed"),
        ("קופסאות הדוגמה נמסרו אתמול.", "קופסאות הדוגמה", YESTERDAY, "delivered"),
        ("הדפסת הקטלוג ב-12 בדצמבר בוטלה.", "הדפסת הקטלוג", CANCELLED, "cancelled"),
    ],
    "ar": [
        ("موعد تسليم تصميم الملصق 10 ديسمبر 2026.", "تصميم الملصق", DUE, "planned"),
        # Arabic-Indic digits
        ("تم تأجيل الطباعة التجريبية إلى ١٥ ديسمبر.", "الطباعة التجريبية", POSTPONED, "delayed"),
        ("تم تسليم عينات الصناديق أمس.", "عينات الصناديق", YESTERDAY, "delivered"),
        ("تم إلغاء طباعة الكتالوج في 12 ديسمبر.", "طباعة الكتالوج", CANCELLED, "cancelled"),
    ],
    "id": [
        ("Desain label akan dikirim pada 10 Desember 2026.", "Desain label", DUE, "planned"),
        ("Cetak coba ditunda ke 15 Desember.", "Cetak coba", POSTPONED, "delayed"),
        ("Contoh kotak sudah dikirim kemarin.", "Contoh kotak", YESTERDAY, "delivered"),
        ("Cetak katalog 12 Desember dibatalkan.", "Cetak katalog", CANCELLED, "cancelled"),
    ],
    "vi": [
        ("Thiết kế nhãn sẽ được giao vào ngày 10 tháng 12 năm 2026.", "Thiết kế nhãn", DUE, "planned"),
        ("Bản in thử bị hoãn đến ngày 15 tháng 12.", "Bản in thử", POSTPONED, "delayed"),
        ("Hộp mẫu đã được giao hôm qua.", "Hộp mẫu", YESTERDAY, "delivered"),
        ("Việc in catalogue ngày 12 tháng 12 đã bị hủy.", "Việc in catalogue", CANCELLED, "cancelled"),
    ],
    "hi": [
        # Devanagari digits; "कल" is yesterday or tomorrow, as the tense says
        ("लेबल डिज़ाइन १० दिसंबर २०२६ को दिया जाएगा।", "लेबल डिज़ाइन", DUE, "planned"),
        ("प्रूफ़ प्रिंट 15 दिसंबर तक स्थगित कर दिया गया है।", "प्रूफ़ प्रिंट", POSTPONED, "delayed"),
        ("नमूना बक्से कल भेज दिए गए।", "नमूना बक्से", YESTERDAY, "delivered"),
        ("12 दिसंबर की कैटलॉग छपाई रद्द कर दी गई है।", "कैटलॉग छपाई", CANCELLED, "cancelled"),
    ],
    "th": [
        # Buddhist-era year (2569 is 2026), words without blanks between them
        ("งานออกแบบฉลากจะส่งมอบวันที่ 10 ธันวาคม 2569", "งานออกแบบฉลาก", DUE, "planned"),
        ("งานพิมพ์ทดสอบเลื่อนไปเป็นวันที่ 15 ธันวาคม", "งานพิมพ์ทดสอบ", POSTPONED, "delayed"),
        ("งานพิมพ์แคตตาล็อกวันที่ 12 ธันวาคม ถูกยกเลิกแล้ว", "งานพิมพ์แคตตาล็อก", CANCELLED, "cancelled"),
    ],
}


@pytest.mark.parametrize(
    "text, name, due, status", [case for cases in CASES.values() for case in cases],
    ids=[f"{code}:{status}" for code, cases in CASES.items() for _, _, _, status in cases],
)
def test_a_plain_statement_reads_as_its_item_day_and_status(text, name, due, status):
    [(found_name, found_due, found_status, _)] = summary(extract(message(text, sent=SENT)))
    assert (found_due, found_status) == (due, status)
    # Korean writes its topic particle onto the name ("라벨 디자인은"); the name is there, whole
    assert found_name == name or found_name.startswith(name) and len(found_name) - len(name) == 1


def test_a_year_of_another_era_reads_as_its_gregorian_year():
    [(_, due, _, _)] = summary(extract(message("งานออกแบบฉลาก: 10 ธันวาคม พ.ศ. 2569", sent=SENT)))
    assert due == "2026-12-10"


def test_digits_of_any_script_read_as_their_value():
    [(_, due, status, _)] = summary(extract(message("Proofs are postponed to ١٥ December.", sent=SENT)))
    assert (due, status) == ("2026-12-15", "delayed")


def test_a_word_for_both_yesterday_and_tomorrow_takes_the_side_of_the_tense():
    [(_, due, status, _)] = summary(extract(message("नमूना बक्से कल भेजे जाएंगे।", sent=SENT)))
    assert (due, status) == ("2026-11-03", "planned")
