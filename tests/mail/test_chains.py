"""Which message of a chain is the vendor's: attached, nested, peeled, replied.

RULES.md: in a forward, the first message whose author is outside the
forwarder's organisation; when every layer is internal, the innermost one.
Replies are not forwards, and a redirect keeps the vendor's own headers.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from slipwatch.mail import read_message

VENDOR = "li.wei@kettleworks.test"
STAFF = "nora.quist@harbourline.test"
COLLEAGUE = "omar.haddad@harbourline.test"


def vendor_mail() -> EmailMessage:
    inner = EmailMessage()
    inner["From"] = "Li Wei <li.wei@kettleworks.test>"
    inner["To"] = "Omar Haddad <omar.haddad@harbourline.test>"
    inner["Subject"] = "Pilot run schedule"
    inner["Date"] = "Wed, 11 Nov 2026 18:20:00 +0800"
    inner["Message-ID"] = "<pilot-1@kettleworks.test>"
    inner["In-Reply-To"] = "<ask-1@harbourline.test>"
    inner.set_content("Hi Omar,\n\nPilot run: 20 Nov.\n\nLi Wei\n")
    inner.add_attachment(
        b"task,due\npilot run,2026-11-20\n", maintype="text", subtype="csv", filename="plan.csv"
    )
    return inner


def forward_as_attachment(inner: EmailMessage, sender: str, note: str) -> EmailMessage:
    outer = EmailMessage()
    outer["From"] = sender
    outer["To"] = "milestones@harbourline.test"
    outer["Subject"] = "Fwd: " + str(inner["Subject"])
    outer["Date"] = "Wed, 11 Nov 2026 07:00:00 -0500"
    outer["Message-ID"] = "<outer-1@harbourline.test>"
    outer.set_content(note)
    outer.add_attachment(inner)
    return outer


def test_forward_as_attachment_uses_the_attached_headers():
    raw = bytes(forward_as_attachment(vendor_mail(), f"Nora Quist <{STAFF}>", "See attached.\n"))
    message = read_message(raw)
    assert message.envelope() == {
        "forwarded_by": STAFF,
        "from": VENDOR,
        "subject": "Pilot run schedule",
        "sent": "2026-11-11T18:20+08:00",
    }
    assert message.message_id == "<pilot-1@kettleworks.test>"
    assert message.mailbox_message_id == "<outer-1@harbourline.test>"
    assert "<ask-1@harbourline.test>" in message.references
    assert [a.filename for a in message.attachments] == ["plan.csv"]
    assert message.forward_note == "See attached."


def test_nested_attachments_peel_the_colleagues_layer():
    middle = forward_as_attachment(vendor_mail(), f"Omar Haddad <{COLLEAGUE}>", "Nora, for you.\n")
    outer = forward_as_attachment(middle, f"Nora Quist <{STAFF}>", "Logging.\n")
    message = read_message(bytes(outer))
    assert (message.author, message.forwarded_by) == (VENDOR, STAFF)


def test_inline_forward_of_a_colleagues_forward(mail):
    raw = mail(
        """
        Logging Omar's one.

        ---------- Forwarded message ---------
        From: Omar Haddad <omar.haddad@harbourline.test>
        Date: Wed, Nov 11, 2026 at 6:40 AM
        Subject: Fwd: Pilot run schedule
        To: Nora Quist <nora.quist@harbourline.test>

        Nora – Kettleworks moved the pilot run.

        Begin forwarded message:

        From: Li Wei <li.wei@kettleworks.test>
        Subject: Pilot run schedule
        Date: November 11, 2026 at 6:20:00 PM GMT+8
        To: Omar Haddad <omar.haddad@harbourline.test>

        Pilot run: 24 Nov (was 20 Nov).
        """,
        subject="Fwd: Fwd: Pilot run schedule",
    )
    message = read_message(raw)
    assert message.envelope() == {
        "forwarded_by": STAFF,
        "from": VENDOR,
        "subject": "Pilot run schedule",
        "sent": "2026-11-11T18:20+08:00",
    }
    assert message.text == "Pilot run: 24 Nov (was 20 Nov)."


def test_a_bottom_posted_answer_below_the_quote_is_the_vendors_text(mail):
    # mailing-list style: the vendor quotes the question, then answers under it
    raw = mail(
        """
        Their dates below.

        Begin forwarded message:

        From: Li Wei <li.wei@kettleworks.test>
        Subject: Re: Pilot run schedule
        Date: November 11, 2026 at 6:20:00 PM GMT+8
        To: Omar Haddad <omar.haddad@harbourline.test>

        > On 10 Nov 2026, at 16:02, Omar Haddad <omar.haddad@harbourline.test> wrote:
        >
        > Is 20 Nov still the pilot run?

        Omar,

        Pilot run: 24 Nov (was 20 Nov).
        """,
        subject="Fwd: Re: Pilot run schedule",
    )
    message = read_message(raw)
    assert (message.author, message.sent.isoformat(timespec="minutes")) == (VENDOR, "2026-11-11T18:20+08:00")
    assert message.text == "Omar,\n\nPilot run: 24 Nov (was 20 Nov)."  # the question quoted above is history


LIST_REPLIES = [
    # a mailing-list reply that arrives directly: the quote first, the answer under it
    ("""
     On Mon, 9 Nov 2026 at 20:17, Omar Haddad <omar.haddad@harbourline.test> wrote:
     > Is there a schedule for the pilot run yet?
     >
     > Omar

     Hi Omar,

     Pilot run: 24 Nov.
     """, "Hi Omar,\n\nPilot run: 24 Nov."),
    # each reply quotes the one before; the newest answer comes out of both quotes
    ("""
     On Tue, 10 Nov 2026 at 15:41, Nora Quist <nora.quist@harbourline.test> wrote:
     >
     > On Mon, 9 Nov 2026 at 11:02 PM, Omar Haddad <omar.haddad@harbourline.test> wrote:
     > >
     > > Can the pilot run move up to 20 Nov?
     >
     > +1, the line is free that week.

     Yes: pilot run moves up to 20 Nov.
     """, "Yes: pilot run moves up to 20 Nov."),
    # a quoted line that lost its ">" in wrapping is still the quote
    ("""
     Pilot run: 24 Nov.

     On Mon, 9 Nov 2026 at 20:17, Omar Haddad <omar.haddad@harbourline.test> wrote:
     > Is the pilot run still on 20 Nov, or does the tooling
     change move it?
     """, "Pilot run: 24 Nov."),
]


@pytest.mark.parametrize("body, text", LIST_REPLIES, ids=["answer below", "quote of a quote", "wrapped quote"])
def test_the_answer_written_below_a_quote_is_the_senders_text(mail, body, text):
    message = read_message(mail(body, subject="Re: Pilot run schedule", sender="Li Wei <li.wei@kettleworks.test>"))
    assert (message.author, message.text) == (VENDOR, text)


def test_zoneless_lines_inherit_the_nearest_zone_above(mail):
    raw = mail(
        """
        ---------- Forwarded message ---------
        From: Omar Haddad <omar.haddad@harbourline.test>
        Date: Wed, Nov 11, 2026 at 6:40 AM
        Subject: FW: Pilot run schedule
        To: Nora Quist <nora.quist@harbourline.test>

        FYI

        ________________________________
        From: Li Wei <li.wei@kettleworks.test>
        Sent: Wednesday, November 11, 2026 5:20 AM
        To: Omar Haddad <omar.haddad@harbourline.test>
        Subject: Pilot run schedule

        Pilot run: 24 Nov.
        """,
        subject="Fwd: FW: Pilot run schedule",
        date="Wed, 11 Nov 2026 07:00:00 -0500",
    )
    assert read_message(raw).envelope()["sent"] == "2026-11-11T05:20-05:00"


def test_when_every_layer_is_internal_the_innermost_counts(mail):
    raw = mail(
        """
        Omar's call notes.

        ________________________________
        From: Omar Haddad <omar.haddad@harbourline.test>
        Sent: Wednesday, November 11, 2026 5:20 AM
        To: Nora Quist <nora.quist@harbourline.test>
        Subject: Call notes

        Kettleworks confirmed the pilot run for 20 Nov.
        """,
        subject="FW: Call notes",
    )
    message = read_message(raw)
    assert (message.author, message.forwarded_by) == (COLLEAGUE, STAFF)


def test_the_vendors_quoted_history_is_not_its_text(mail):
    raw = mail(
        """
        ________________________________
        From: Li Wei <li.wei@kettleworks.test>
        Sent: Wednesday, November 11, 2026 5:20 AM
        To: Nora Quist <nora.quist@harbourline.test>
        Subject: RE: Pilot run

        Pilot run: 24 Nov.

        From: Nora Quist <nora.quist@harbourline.test>
        Sent: Tuesday, November 10, 2026 9:00 PM
        To: Li Wei <li.wei@kettleworks.test>
        Subject: Pilot run

        Is 20 Nov still the date?
        """,
        subject="FW: RE: Pilot run",
    )
    message = read_message(raw)
    assert message.author == VENDOR
    assert message.text == "Pilot run: 24 Nov."


def test_a_reply_is_not_a_forward(mail):
    raw = mail(
        """
        Thanks, noted.

        On Tue, Nov 10, 2026 at 8:15 PM Li Wei <li.wei@kettleworks.test> wrote:
        > Pilot run: 20 Nov.
        """,
        subject="Re: Pilot run",
    )
    message = read_message(raw)
    assert message.envelope() == {
        "forwarded_by": None,
        "from": STAFF,
        "subject": "Pilot run",
        "sent": "2026-11-10T09:30-05:00",
    }
    assert message.text == "Thanks, noted."


def test_direct_vendor_reply_drops_the_quoted_history(mail):
    raw = mail(
        """
        Dear Nora,

        Pilot run: 24 Nov.

        -----Original Message-----
        From: Nora Quist <nora.quist@harbourline.test>
        Sent: Tuesday, November 10, 2026 9:00 PM
        Subject: Pilot run

        Is 20 Nov still the date?
        """,
        subject="RE: Pilot run",
        sender="Li Wei <li.wei@kettleworks.test>",
        date="Wed, 11 Nov 2026 10:00:00 +0800",
    )
    message = read_message(raw)
    assert (message.author, message.forwarded_by) == (VENDOR, None)
    assert message.text == "Dear Nora,\n\nPilot run: 24 Nov."


def test_a_redirect_keeps_the_vendors_own_headers(mail):
    raw = mail(
        "Pilot run: 20 Nov.\n",
        subject="Pilot run",
        sender="Li Wei <li.wei@kettleworks.test>",
        date="Wed, 11 Nov 2026 10:00:00 +0800",
        headers={"Resent-From": f"Nora Quist <{STAFF}>"},
    )
    assert read_message(raw).envelope() == {
        "forwarded_by": None,
        "from": VENDOR,
        "subject": "Pilot run",
        "sent": "2026-11-11T10:00+08:00",
    }


def test_prose_that_mentions_writing_is_not_a_reply_attribution(mail):
    raw = mail(
        """
        As Omar wrote in his mail of 3 Nov:
        the pilot run is now 24 Nov.
        """,
        subject="Pilot run",
        sender="Li Wei <li.wei@kettleworks.test>",
    )
    assert "24 Nov" in read_message(raw).text


def test_a_forward_block_at_the_top_beats_a_leftover_reply_prefix(mail):
    """Phones forward "Re: X" without adding "Fwd:"; the client's own marker says forward."""
    raw = mail(
        """
        ---------- Forwarded message ---------
        From: Li Wei <li.wei@kettleworks.test>
        Date: Tue, Nov 10, 2026 at 8:15 PM
        Subject: Re: Pilot run
        To: Nora Quist <nora.quist@harbourline.test>

        Pilot run: 24 Nov.
        """,
        subject="Re: Pilot run",
    )
    assert (read_message(raw).author, read_message(raw).forwarded_by) == (VENDOR, STAFF)


@pytest.mark.parametrize("intro", [
    "Datos para transferencia internacional:",   # Spanish "transfer" is a bank transfer here
    "Details for the bank transfer:",
    "Forwarding instructions for the pallets:",
])
def test_a_line_ending_in_a_colon_is_no_forward_without_headers_below(mail, intro):
    raw = mail(
        f"""
        Dear Nora,

        Please find our invoice 771 attached.

        {intro}
        Beneficiary: Kettleworks Ltd
        IBAN: GB00 0000 0000 0000
        """,
        subject="Invoice 771 – tooling advance",
        sender="Accounts <accounts@kettleworks.test>",
    )
    message = read_message(raw)
    assert (message.forwarded_by, message.author) == (None, "accounts@kettleworks.test")
