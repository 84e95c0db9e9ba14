"""Forwards as each mail client writes them: who wrote it, who forwarded it, when.

The vendor is Kettleworks (Li Wei, li.wei@kettleworks.test); the staff member
forwarding to the mailbox is Nora Quist of Harbourline, whose own mail is
dated at -05:00.
"""

from __future__ import annotations

from slipwatch.mail import read_message
from slipwatch.mail.model import format_instant

VENDOR = "li.wei@kettleworks.test"
STAFF = "nora.quist@harbourline.test"


def envelope(raw: bytes) -> dict[str, str | None]:
    return read_message(raw).envelope()


def test_gmail_forward_takes_the_zoneless_date_line_at_the_forwarders_offset(mail):
    raw = mail(
        """
        Adding to the tracker.

        ---------- Forwarded message ---------
        From: Li Wei <li.wei@kettleworks.test>
        Date: Mon, Nov 9, 2026 at 8:15 PM
        Subject: Valve housing – pilot run
        To: Nora Quist <nora.quist@harbourline.test>


        Hi Nora,

        The pilot run of 200 housings ships on 20 Nov.

        Best regards,
        Li Wei
        Kettleworks Ltd.
        """,
        subject="Fwd: Valve housing – pilot run",
    )
    message = read_message(raw)
    assert message.envelope() == {
        "forwarded_by": STAFF,
        "from": VENDOR,
        "subject": "Valve housing – pilot run",
        "sent": "2026-11-09T20:15-05:00",
    }
    assert message.forward_note == "Adding to the tracker."
    assert "ships on 20 Nov" in message.text
    assert "Kettleworks Ltd." not in message.text  # the signature is gone


def test_outlook_desktop_forward_with_underscore_rule(mail):
    raw = mail(
        """
        FYI

        ________________________________
        From: Li Wei <li.wei@kettleworks.test>
        Sent: Monday, November 9, 2026 11:02 PM
        To: Nora Quist <nora.quist@harbourline.test>
        Cc: Tan Mei <tan.mei@kettleworks.test>
        Subject: RE: Valve housing – pilot run

        Nora, tooling is approved; first articles on 16 Nov.
        """,
        subject="FW: RE: Valve housing – pilot run",
    )
    assert envelope(raw) == {
        "forwarded_by": STAFF,
        "from": VENDOR,
        "subject": "Valve housing – pilot run",
        "sent": "2026-11-09T23:02-05:00",
    }


def test_outlook_web_html_only_forward(mail):
    html = """<html><body><div>Logging this one.</div>
    <hr style="display:inline-block;width:98%">
    <div id="divRplyFwdMsg"><font face="Calibri"><b>From:</b> Li Wei &lt;li.wei@kettleworks.test&gt;<br>
    <b>Sent:</b> Tuesday, November 10, 2026 1:40 AM<br>
    <b>To:</b> Nora Quist &lt;nora.quist@harbourline.test&gt;<br>
    <b>Subject:</b> Pilot run dates</font></div>
    <div>Dear Nora,</div><div>Pilot run: 20 Nov.</div></body></html>"""
    message = read_message(mail(None, subject="FW: Pilot run dates", html=html))
    assert message.author == VENDOR
    assert message.forwarded_by == STAFF
    assert format_instant(message.sent) == "2026-11-10T01:40-05:00"
    assert "Pilot run: 20 Nov." in message.text
    assert message.forward_note == "Logging this one."


def test_new_outlook_header_block_without_separator(mail):
    raw = mail(
        """
        For the log.

        From: Li Wei <li.wei@kettleworks.test>
        Date: Tuesday, 10 November 2026 at 14:05
        To: Nora Quist <nora.quist@harbourline.test>
        Subject: Pilot run dates
        Pilot run moves to 24 Nov.
        """,
        subject="FW: Pilot run dates",
    )
    assert envelope(raw)["sent"] == "2026-11-10T14:05-05:00"
    assert read_message(raw).text == "Pilot run moves to 24 Nov."


def test_apple_mail_forward_keeps_its_own_zone(mail):
    raw = mail(
        """
        See below.

        Begin forwarded message:

        From: Li Wei <li.wei@kettleworks.test>
        Subject: Pilot run dates
        Date: November 10, 2026 at 9:12:40 AM GMT+8
        To: Nora Quist <nora.quist@harbourline.test>

        Pilot run: 20 Nov.
        """,
        subject="Fwd: Pilot run dates",
    )
    assert envelope(raw)["sent"] == "2026-11-10T09:12+08:00"


def test_apple_mail_quoted_forward_from_a_phone(mail):
    raw = mail(
        """
        Sent from my iPhone

        > Begin forwarded message:
        >
        > From: Li Wei <li.wei@kettleworks.test>
        > Subject: Pilot run dates
        > Date: 10 November 2026 at 09:12:40 CST
        > To: Nora Quist <nora.quist@harbourline.test>
        >
        > Pilot run: 20 Nov.
        """,
        subject="Fwd: Pilot run dates",
    )
    message = read_message(raw)
    assert message.author == VENDOR
    assert format_instant(message.sent) == "2026-11-10T09:12-06:00"
    assert message.text == "Pilot run: 20 Nov."
    assert message.forward_note == ""


def test_thunderbird_forward_with_tabbed_headers(mail):
    raw = mail(
        """
        -------- Forwarded Message --------
        Subject: \tPilot run dates
        Date: \tTue, 10 Nov 2026 09:12:40 +0800
        From: \tLi Wei <li.wei@kettleworks.test>
        To: \tNora Quist <nora.quist@harbourline.test>

        Pilot run: 20 Nov.
        """,
        subject="Fwd: Pilot run dates",
    )
    assert envelope(raw) == {
        "forwarded_by": STAFF,
        "from": VENDOR,
        "subject": "Pilot run dates",
        "sent": "2026-11-10T09:12+08:00",
    }


def test_yahoo_forward_with_headers_glued_on_one_line(mail):
    raw = mail(
        "  ----- Forwarded Message ----- From: Li Wei <li.wei@kettleworks.test>To: Nora "
        "<nora.quist@harbourline.test>Sent: Tuesday, November 10, 2026, 09:12:40 AM GMT+8"
        "Subject: Pilot run dates\n Pilot run: 20 Nov.\n",
        subject="Fwd: Pilot run dates",
    )
    assert envelope(raw) == {
        "forwarded_by": STAFF,
        "from": VENDOR,
        "subject": "Pilot run dates",
        "sent": "2026-11-10T09:12+08:00",
    }


def test_outlook_mailto_decorations_are_not_the_address(mail):
    raw = mail(
        """
        *From:* Li Wei<mailto:li.wei@kettleworks.test> <li.wei@kettleworks.test<mailto:li.wei@kettleworks.test>>
        *Sent:* Tuesday, November 10, 2026 10:00
        *To:* Nora Quist <nora.quist@harbourline.test>
        *Subject:* Pilot run dates

        Pilot run: 20 Nov.
        """,
        subject="FW: Pilot run dates",
    )
    assert envelope(raw)["from"] == VENDOR


def test_tool_notification_counts_as_written_by_its_sending_address(mail):
    raw = mail(
        """
        ---------- Forwarded message ---------
        From: Li Wei (Jira) <jira@kettleworks.atlassian.test>
        Date: Tue, Nov 10, 2026 at 3:00 PM
        Subject: [JIRA] (KW-7) Pilot run
        To: Nora Quist <nora.quist@harbourline.test>

        Li Wei changed the due date: 20/Nov/26 -> 24/Nov/26
        """,
        subject="Fwd: [JIRA] (KW-7) Pilot run",
    )
    assert envelope(raw)["from"] == "jira@kettleworks.atlassian.test"
    assert envelope(raw)["subject"] == "[JIRA] (KW-7) Pilot run"
