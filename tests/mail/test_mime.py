"""MIME reading that never gives up: charsets, signed wrappers, HTML tables, attachments."""

from __future__ import annotations

import base64

import pytest

from slipwatch.mail import read_message

HEAD = (
    "From: Li Wei <li.wei@kettleworks.test>\r\n"
    "To: milestones@harbourline.test\r\n"
    "Date: Wed, 11 Nov 2026 10:00:00 +0800\r\n"
    "MIME-Version: 1.0\r\n"
)


def raw_mail(subject: str, content_type: str, body: bytes, encoding: str = "8bit") -> bytes:
    head = HEAD + f"Subject: {subject}\r\nContent-Type: {content_type}\r\n"
    head += f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    return head.encode("utf-8") + body  # raw UTF-8 in headers, as some mailers send


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("windows-1252", "Pilot run – 20 Nov, we’ll ship"),
        ("iso-8859-2", "Próbna seria: środa 18 listopada"),
        ("koi8-r", "Пилотная партия: 20 ноября"),
        ("gb2312", "试产日期：11月20日"),
        ("iso-8859-15", "Lieferung am 20. November - 500 €"),
    ],
)
def test_declared_charsets_decode(charset, text):
    message = read_message(raw_mail("Pilot", f"text/plain; charset={charset}", text.encode(charset)))
    assert message.text == text
    assert message.problems == ()


def test_gb2312_label_on_gbk_text_reads_as_the_superset():
    text = "交期：11月20日，請確認"  # traditional characters are outside GB2312
    message = read_message(raw_mail("Pilot", "text/plain; charset=gb2312", text.encode("gb18030")))
    assert message.text == text


def test_wrong_declaration_falls_back_without_raising():
    body = "Lieferung am 20. November – 500 €".encode("cp1252")
    message = read_message(raw_mail("Pilot", "text/plain; charset=utf-8", body))
    assert message.text == "Lieferung am 20. November – 500 €"
    assert message.problems  # the fallback is reported


def test_missing_declaration_tries_utf8_first():
    message = read_message(raw_mail("Pilot", "text/plain", "Próbna seria: środa".encode()))
    assert message.text == "Próbna seria: środa"


def test_unknown_charset_label_is_a_problem_not_a_crash():
    message = read_message(raw_mail("Pilot", "text/plain; charset=x-martian", "caf\xe9".encode("latin-1")))
    assert message.text == "café"


def test_encoded_and_raw_8bit_subjects():
    raw = raw_mail("=?koi8-r?b?" + base64.b64encode("Пилот".encode("koi8-r")).decode() + "?= run",
                   "text/plain; charset=utf-8", b"x")
    assert read_message(raw).subject == "Пилот run"
    raw8 = raw_mail("RE: Próbna seria", "text/plain", b"x")
    assert read_message(raw8).subject == "Próbna seria"


def test_smime_signed_wrapper_reads_the_signed_content():
    body = (
        b"This is an S/MIME signed message\r\n\r\n"
        b"--sig\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPilot run: 20 Nov.\r\n"
        b"--sig\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nMIIGOAYJKoZIhvcNAQcC\r\n--sig--\r\n"
    )
    ctype = 'multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="sig"'
    message = read_message(raw_mail("Pilot", ctype, body))
    assert message.text == "Pilot run: 20 Nov."
    assert message.attachments == ()


def test_pgp_signed_forward_is_unwrapped():
    inner = (
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"---------- Forwarded message ---------\r\n"
        b"From: Li Wei <li.wei@kettleworks.test>\r\nDate: Wed, Nov 11, 2026 at 8:00 AM\r\n"
        b"Subject: Pilot\r\nTo: nora.quist@harbourline.test\r\n\r\nPilot run: 20 Nov.\r\n"
    )
    body = (
        b"--pgp\r\n" + inner + b"--pgp\r\nContent-Type: application/pgp-signature\r\n\r\n"
        b"-----BEGIN PGP SIGNATURE-----\r\nxyz\r\n-----END PGP SIGNATURE-----\r\n--pgp--\r\n"
    )
    raw = raw_mail("Fwd: Pilot", 'multipart/signed; protocol="application/pgp-signature"; boundary="pgp"', body)
    raw = raw.replace(b"From: Li Wei <li.wei@kettleworks.test>\r\nTo", b"From: nora.quist@harbourline.test\r\nTo", 1)
    message = read_message(raw)
    assert (message.author, message.forwarded_by) == ("li.wei@kettleworks.test", "nora.quist@harbourline.test")


def test_html_tables_become_rows_and_table_values():
    html = (
        "<html><body><p>Status below.</p><table>"
        "<tr><th>Item</th><th>Due</th><th>Status</th></tr>"
        "<tr><td>Pilot run</td><td>20 Nov</td><td>Planned</td></tr>"
        "<tr><td>Tooling</td><td>6 Nov</td><td>Done</td></tr>"
        "</table><p>Li Wei</p></body></html>"
    )
    message = read_message(raw_mail("Status", "text/html; charset=utf-8", html.encode()))
    assert "Item | Due | Status\nPilot run | 20 Nov | Planned\nTooling | 6 Nov | Done" in message.text
    assert message.tables[0].rows[1] == ("Pilot run", "20 Nov", "Planned")


def test_struck_through_values_are_read_as_replaced_by_what_follows():
    # Jira prints an updated field as the old value struck through beside the new one
    html = (
        "<table><tr><td>Due Date:</td><td><span style='text-decoration:line-through'>14/Nov/25</span> "
        "<span>21/Nov/25</span></td></tr><tr><td>Assignee:</td><td>Arjun</td></tr></table>"
        "<p>We will ship <del>5 Dec</del> 12 Dec. <s>Maybe</s> yes.</p>"
    )
    message = read_message(raw_mail("Status", "text/html; charset=utf-8", html.encode()))
    assert message.tables[0].rows[0] == ("Due Date:", "14/Nov/25 → 21/Nov/25")
    # struck words without a number are left as they are
    assert "We will ship 5 Dec → 12 Dec. Maybe yes." in message.text


def test_merged_cells_stand_in_every_row_and_column_they_span():
    html = (
        "<table><tr><th rowspan=2>Workstream</th><th rowspan=2>Deliverable</th><th colspan=2>Dates</th></tr>"
        "<tr><th>Due</th><th>Revised</th></tr>"
        "<tr><td rowspan='2'>Logistics</td><td>Badges</td><td>12/02</td><td>17/02</td></tr>"
        "<tr><td>Gala dinner</td><td colspan=2>25/02</td></tr>"
        "<tr><td>Digital</td><td>App go-live</td><td>10/02</td><td rowspan=9999>–</td></tr>"
        "</table>"
    )
    message = read_message(raw_mail("Status", "text/html; charset=utf-8", html.encode()))
    assert message.tables[0].rows == (
        ("Workstream", "Deliverable", "Dates", ""),
        ("Workstream", "Deliverable", "Due", "Revised"),
        ("Logistics", "Badges", "12/02", "17/02"),
        ("Logistics", "Gala dinner", "25/02", ""),
        ("Digital", "App go-live", "10/02", "–"),
    )
    assert "Logistics | Gala dinner | 25/02 |" in message.text


def test_layout_tables_are_not_data_tables():
    html = (
        "<table><tr><td><table><tr><td>Due</td><td>20 Nov</td></tr></table></td>"
        "<td>Sidebar</td></tr></table>"
    )
    message = read_message(raw_mail("Status", "text/html; charset=utf-8", html.encode()))
    assert [table.rows for table in message.tables] == [(("Due", "20 Nov"),)]
    assert "Due | 20 Nov" in message.text and "Sidebar" in message.text


def test_calendar_and_csv_attachments_are_kept_decoded():
    ics = b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nDUE:20261120\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nPlan attached.\r\n"
        b"--b\r\nContent-Type: text/calendar; method=PUBLISH\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(ics)
        + b"--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="plan.csv"\r\n\r\nitem,due\r\n'
        b"--b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=logo.png\r\n\r\nPNG\r\n"
        b"--b--\r\n"
    )
    message = read_message(raw_mail("Plan", 'multipart/mixed; boundary="b"', body))
    assert [(a.filename, a.content_type) for a in message.attachments] == [
        (None, "text/calendar"),
        ("plan.csv", "application/octet-stream"),
    ]
    assert message.attachments[0].data == ics


def test_quoted_printable_and_base64_bodies():
    qp = raw_mail("P", "text/plain; charset=utf-8", b"Pilot run =E2=80=93 20 N=\r\nov.", "quoted-printable")
    b64 = raw_mail("P", "text/plain; charset=utf-8", base64.encodebytes("Pilot run – 20 Nov.".encode()), "base64")
    assert read_message(qp).text == read_message(b64).text == "Pilot run – 20 Nov."


def test_broken_base64_and_truncated_multipart_still_give_a_message():
    body = b"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64"
    message = read_message(raw_mail("Pilot", 'multipart/mixed; boundary="b"', body))
    assert message.author == "li.wei@kettleworks.test"
