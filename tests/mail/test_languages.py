"""Forward blocks in the forwarder's client language: labels, month names, fillers.

Each case is the header block a localised client prints; the forwarder's own
mail is dated at +01:00, so a zoneless line lands at +01:00.
"""

from __future__ import annotations

import pytest

from slipwatch.mail import read_message

VENDOR = "li.wei@kettleworks.test"

CASES = {
    "german outlook": (
        "WG: Pilotserie",
        """
        Von: Li Wei <li.wei@kettleworks.test>
        Gesendet: Dienstag, 10. November 2026 14:05
        An: Nora Quist <nora.quist@harbourline.test>
        Betreff: Pilotserie
        """,
        "2026-11-10T14:05+01:00",
    ),
    "french outlook": (
        "TR: Série pilote",
        """
        De : Li Wei <li.wei@kettleworks.test>
        Envoyé : mardi 10 novembre 2026 14:05
        À : Nora Quist <nora.quist@harbourline.test>
        Objet : Série pilote
        """,
        "2026-11-10T14:05+01:00",
    ),
    "spanish outlook": (
        "RV: Serie piloto",
        """
        De: Li Wei <li.wei@kettleworks.test>
        Enviado el: martes, 10 de noviembre de 2026 14:05
        Para: Nora Quist <nora.quist@harbourline.test>
        Asunto: Serie piloto
        """,
        "2026-11-10T14:05+01:00",
    ),
    # regression: "Enviada em:" was not known as a date label, so no forward block was found
    "portuguese outlook": (
        "ENC: Série piloto",
        """
        ________________________________
        De: Li Wei <li.wei@kettleworks.test>
        Enviada em: terça-feira, 10 de novembro de 2026 14:05
        Para: Nora Quist <nora.quist@harbourline.test>
        Assunto: Série piloto
        """,
        "2026-11-10T14:05+01:00",
    ),
    "portuguese gmail": (
        "Fwd: Série piloto",
        """
        ---------- Forwarded message ---------
        De: Li Wei <li.wei@kettleworks.test>
        Date: ter., 10 de nov. de 2026 às 14:05
        Subject: Série piloto
        To: <nora.quist@harbourline.test>
        """,
        "2026-11-10T14:05+01:00",
    ),
    "italian outlook": (
        "I: Serie pilota",
        """
        Da: Li Wei <li.wei@kettleworks.test>
        Inviato: martedì 10 novembre 2026 14:05
        A: Nora Quist <nora.quist@harbourline.test>
        Oggetto: Serie pilota
        """,
        "2026-11-10T14:05+01:00",
    ),
    "polish outlook": (
        "PD: Seria pilotażowa",
        """
        Od: Li Wei <li.wei@kettleworks.test>
        Wysłano: wtorek, 10 listopada 2026 14:05
        Do: Nora Quist <nora.quist@harbourline.test>
        Temat: Seria pilotażowa
        """,
        "2026-11-10T14:05+01:00",
    ),
    "russian thunderbird": (
        "Fwd: Пилотная партия",
        """
        -------- Пересылаемое сообщение --------
        Тема: \tПилотная партия
        Дата: \t10 ноября 2026 г., 16:05 GMT+3
        От: \tLi Wei <li.wei@kettleworks.test>
        Кому: \tnora.quist@harbourline.test
        """,
        "2026-11-10T16:05+03:00",
    ),
    "dutch apple mail": (
        "Fwd: Proefserie",
        """
        Begin doorgestuurd bericht:

        Van: Li Wei <li.wei@kettleworks.test>
        Onderwerp: Proefserie
        Datum: 10 november 2026 om 14:05:00 CET
        Aan: nora.quist@harbourline.test
        """,
        "2026-11-10T14:05+01:00",
    ),
    "chinese outlook": (
        "转发: 试产",
        """
        发件人: Li Wei <li.wei@kettleworks.test>
        发送时间: 2026年11月10日 星期二 下午 3:20
        收件人: Nora Quist <nora.quist@harbourline.test>
        主题: 试产
        """,
        "2026-11-10T15:20+01:00",
    ),
    "japanese hubspot": (
        "Fwd: 試作",
        """
        ---------- メッセージを転送 ---------
        送信元：Li Wei <li.wei@kettleworks.test>
        日付：2026年11月10日火曜日 17:55:44 +0900
        件名：試作
        送信先：nora.quist@harbourline.test
        """,
        "2026-11-10T17:55+09:00",
    ),
    "croatian apple mail reads listopad as October": (
        "Fwd: Pilot",
        """
        Započni proslijeđenu poruku:

        Šalje: Li Wei <li.wei@kettleworks.test>
        Predmet: Pilot
        Datum: 26. listopada 2026. u 14:25:08 CEST
        Prima: nora.quist@harbourline.test
        """,
        "2026-10-26T14:25+02:00",
    ),
}


# Header blocks of clients in further languages: the labels and month words alone
# must say who wrote the message and when.
CASES.update({
    "indonesian gmail": (
        "Fwd: Seri pilot",
        """
        ---------- Pesan yang diteruskan ---------
        Dari: Li Wei <li.wei@kettleworks.test>
        Tanggal: Sel, 10 Nov 2026 pukul 14.05
        Subjek: Seri pilot
        Kepada: Nora Quist <nora.quist@harbourline.test>
        """,
        "2026-11-10T14:05+01:00",
    ),
    "vietnamese gmail": (
        "Fwd: Lô thử",
        """
        ---------- Thư được chuyển tiếp ---------
        Từ: Li Wei <li.wei@kettleworks.test>
        Ngày: 10 Nov 2026 14:05
        Tiêu đề: Lô thử
        Đến: Nora Quist <nora.quist@harbourline.test>
        """,
        "2026-11-10T14:05+01:00",
    ),
    "greek outlook": (
        "ΠΡΘ: Πιλοτική σειρά",
        """
        Από: Li Wei <li.wei@kettleworks.test>
        Στάλθηκε: Τρίτη, 10 Νοεμβρίου 2026 14:05
        Προς: Nora Quist <nora.quist@harbourline.test>
        Θέμα: Πιλοτική σειρά
        """,
        "2026-11-10T14:05+01:00",
    ),
    "catalan gmail": (
        "Fwd: Sèrie pilot",
        """
        ---------- Missatge reenviat ---------
        De: Li Wei <li.wei@kettleworks.test>
        Data: dt., 10 de novembre 2026 a les 14:05
        Assumpte: Sèrie pilot
        Per a: Nora Quist <nora.quist@harbourline.test>
        """,
        "2026-11-10T14:05+01:00",
    ),
    "malay month words": (
        "Fwd: Siri perintis",
        """
        ---------- Mesej dimajukan ---------
        Daripada: Li Wei <li.wei@kettleworks.test>
        Tarikh: 10 Disember 2026 14:05
        Tajuk: Siri perintis
        Kepada: Nora Quist <nora.quist@harbourline.test>
        """,
        "2026-12-10T14:05+01:00",
    ),
    # regression: Gmail's Korean labels are written without the space ("보낸사람"), and the date
    # "2026년 11월 10일 (화) 오후 2:05" was not read, so the vendor and its send time were lost
    "korean gmail": (
        "Fwd: 시범 생산",
        """
        ---------- Forwarded message ---------
        보낸사람: Li Wei <li.wei@kettleworks.test>
        Date: 2026년 11월 10일 (화) 오후 2:05
        Subject: 시범 생산
        To: Nora Quist <nora.quist@harbourline.test>
        """,
        "2026-11-10T14:05+01:00",
    ),
})


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_localised_forward_block(mail, case):
    subject, block, sent = CASES[case]
    raw = mail(
        block + "\nPilot run: 20 Nov.\n",
        subject=subject,
        date="Tue, 10 Nov 2026 16:00:00 +0100",
    )
    message = read_message(raw)
    assert message.author == VENDOR
    assert message.forwarded_by == "nora.quist@harbourline.test"
    assert message.envelope()["sent"] == sent
    assert message.text.endswith("Pilot run: 20 Nov.")


@pytest.mark.parametrize(
    "attribution",
    [
        "Am Di., 10. Nov. 2026 um 14:05 Uhr schrieb Li Wei <li.wei@kettleworks.test>:",
        "Le mar. 10 nov. 2026 à 14:05, Li Wei <li.wei@kettleworks.test> a écrit :",
        "El mar, 10 nov 2026 a las 14:05, Li Wei (<li.wei@kettleworks.test>) escribió:",
        "Li Wei <li.wei@kettleworks.test> kirjoitti 10.11.2026 klo 14.05:",
        "10.11.2026, 14:05 пользователь Li Wei <li.wei@kettleworks.test> написал:",
        "Pada Sel, 10 Nov 2026 pukul 14.05, Li Wei <li.wei@kettleworks.test> menulis:",
        "Op di 10 nov. 2026 om 14:05 schreef Li Wei <li.wei@kettleworks.test>:",
    ],
)
def test_forwarded_reply_attribution_in_other_languages(mail, attribution):
    """A forward whose client wrote "On ... wrote:" (Outlook for Mac does)."""
    raw = mail(
        f"{attribution}\n\n> Pilot run: 20 Nov.\n",
        subject="FW: Pilot run",
        date="Tue, 10 Nov 2026 16:00:00 +0100",
    )
    message = read_message(raw)
    assert message.author == VENDOR
    assert message.envelope()["sent"] == "2026-11-10T14:05+01:00"
    assert message.text == "Pilot run: 20 Nov."
