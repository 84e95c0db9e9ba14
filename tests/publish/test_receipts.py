"""Receipts: the staff member who forwarded a vendor mail is told what slipwatch read, and fixes it by replying.

The end-to-end tests run the daemon's pass (`slipwatch run --once`) over a real Maildir and send through a
real SMTP server (aiosmtpd), with the demo's forwarded mails.
"""

from __future__ import annotations

import datetime as dt
import json
import mailbox
import re
import textwrap
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from slipwatch.errors import ConfigError
from slipwatch import config as config_mod
from tests.helpers import CONFIG, DEMO_INBOX, authenticated, vendor_mail, with_smtp
from tests.servers.smtp import PASSWORD

PLAN = DEMO_INBOX / "01-nimbus-plan-gmail.eml"  # Maya forwards Nimbus Labs' plan: three milestones
SLIP = DEMO_INBOX / "08-nimbus-beta-slip-apple.eml"  # Maya forwards: the beta build moves a week
SLIP_ID = "<3E7B9C12-5A4D-4F08-9B61-C2D8E0A47F35@fernhill.example>"
MAYA = "maya.chen@fernhill.example"
NEWS_ID = "<fwd-news@fernhill.example>"  # the forward `forwarded` writes


@pytest.fixture
def smtp_config(write_config, tmp_path, smtp_server, smtp_inbox, monkeypatch):
    """CONFIG sending through the test SMTP server, its Maildir at tmp_path/inbox."""
    monkeypatch.setenv("TEST_SMTP_PW", PASSWORD)
    return write_config(with_smtp(CONFIG, smtp_server, tmp_path))


def arrive(cli, config, tmp_path, *raws: bytes) -> None:
    """Mail arriving in the watched Maildir one by one, each read by a pass of the daemon (which then sends
    what is queued): the order of a Maildir's files is no order of arrival."""
    inbox = mailbox.Maildir(tmp_path / "inbox")
    for raw in raws:
        inbox.add(raw)
        cli("run", "--once", "--config", config)


def parsed(message) -> EmailMessage:
    """A received mail with its headers decoded, as a person reads them."""
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def plain(message) -> str:
    """The text part of a received mail."""
    return parsed(message).get_body(("plain",)).get_content().replace("\r\n", "\n")


def html(message) -> str:
    return parsed(message).get_body(("html",)).get_content()


def staff_reply(body: str, *, to_receipt: str, forward: str = SLIP_ID, message_id: str = "<fix-1@fernhill.example>",
                headers: str = "") -> bytes:
    """Maya answering a receipt, the receipt quoted below her lines as mail clients do."""
    raw = vendor_mail(body, sender="Maya Chen <maya.chen@fernhill.example>", to="slipwatch@fernhill.example",
                      subject="Re: Fwd: Trailhead app - Beta build: slight delay",
                      date=dt.datetime(2026, 11, 24, 11, 30, tzinfo=dt.UTC), message_id=message_id)
    return raw.replace(b"Subject:", f"In-Reply-To: {to_receipt}\nReferences: {forward} {to_receipt}\n{headers}"
                                    "Subject:".encode(), 1)


def outbox(cli, config) -> list[dict]:
    return json.loads(cli("outbox", "--json", "--config", config).output)


def show(cli, config, milestone: int) -> dict:
    return json.loads(cli("show", milestone, "--json", "--config", config).output)


# -- one receipt per forward, threaded, sent once -------------------------------------------------------------


def test_a_forward_gets_one_receipt_threaded_to_it_and_the_same_mail_again_none(cli, smtp_config, tmp_path,
                                                                              smtp_inbox):
    arrive(cli, smtp_config, tmp_path, PLAN.read_bytes(), SLIP.read_bytes())
    assert [r.recipients for r in smtp_inbox.received] == [[MAYA], [MAYA]]  # Maya forwarded both
    receipt = parsed(smtp_inbox.received[1].message)
    assert receipt["Subject"] == "Re: Fwd: Trailhead app – Beta build: slight delay"
    assert receipt["In-Reply-To"] == SLIP_ID
    assert receipt["References"].split() == ["<CAKr2vQp4Wn8-trailhead-beta-delay@mail.nimbuslabs.example>", SLIP_ID]
    assert (receipt["Auto-Submitted"], receipt["X-Slipwatch-Receipt"]) == ("auto-replied", "2")
    text = plain(receipt)
    assert "slipwatch read 2 milestones in \"Trailhead app – Beta build: slight delay\" from Nimbus Labs" in text
    assert textwrap.dedent("""\
        #2 Beta build
            vendor:   Nimbus Labs / Trailhead app
            due:      Fri 27 Nov 2026 07:30 EST (Fri 27 Nov 18:00 IST vendor time)
            status:   delayed
            change:   moved from Fri 20 Nov to Fri 27 Nov: 1st slip
            read in:  "Beta build: moves from Friday 20 Nov to Friday 27 Nov, EOD IST."
        """) in text
    assert "change:   status planned → at risk" in text  # the App Store submission
    # each milestone links to its page, under the `all` pages' link token (the forwarder's team may not follow the vendor)
    assert re.search(r"\n    page:     https?://\S+/pages/[\w-]{20,}/all/milestones/2\n", text)
    assert re.search(r'href="https?://\S+/pages/[\w-]{20,}/all/milestones/3"', html(receipt))
    assert "Wrong? Reply to this mail, one line per fix" in text and "    #2 not a milestone\n" in text
    assert "moved from Fri 20 Nov to Fri 27 Nov: 1st slip" in html(receipt)

    # the same forward again (a second copy in the mailbox), and the outbox retried: nothing more is sent
    arrive(cli, smtp_config, tmp_path, SLIP.read_bytes())
    cli("outbox", "--retry", "--config", smtp_config)
    assert len(smtp_inbox.received) == 2
    assert [(r["kind"], r["attempts"]) for r in outbox(cli, smtp_config)] == [("receipt", 1), ("receipt", 1)]
    listed = cli("outbox", "--config", smtp_config).output.splitlines()
    assert listed[0].startswith(f"   2 receipt      {MAYA} <slipwatch-receipt-2@fernhill.example>  sent 2026-11-24")


def test_a_receipt_waits_out_an_smtp_outage_and_goes_once(cli, smtp_config, tmp_path, smtp_inbox):
    smtp_inbox.refuse = True
    arrive(cli, smtp_config, tmp_path, SLIP.read_bytes())
    (row,) = outbox(cli, smtp_config)
    assert row["sent_at"] is None and "451" in row["last_error"]
    smtp_inbox.refuse = False
    cli("outbox", "--retry", "--config", smtp_config)
    cli("outbox", "--retry", "--config", smtp_config)
    assert len(smtp_inbox.received) == 1


def test_a_mail_that_yields_nothing_says_so_and_how_to_add_one(cli, config_file, tmp_path):
    forward = forwarded("Hi team, FYI: they are hiring.\n")
    (tmp_path / "fwd.eml").write_bytes(forward)
    cli("ingest", tmp_path / "fwd.eml", "--config", config_file)
    (row,) = outbox(cli, config_file)
    assert row["kind"] == "receipt"
    cli("outbox", "--retry", "--config", config_file)
    text = (tmp_path / "outbox" / "slipwatch-receipt-1_fernhill.example.eml").read_text()
    assert "slipwatch found no dated deliverable in" in text and "add: UAT build due 5 Dec 18:00 IST" in text


def forwarded(vendor_text: str, *, forwarder: str = "Maya Chen <maya.chen@fernhill.example>", auth: str = "pass",
              headers: dict[str, str] | None = None) -> bytes:
    """A staff member's forward of a Nimbus Labs mail, written as Gmail writes one."""
    msg = EmailMessage()
    msg["Authentication-Results"] = authenticated(forwarder) if auth == "pass" else auth
    msg["From"] = forwarder
    msg["To"] = "schedule@fernhill.example"
    msg["Subject"] = "Fwd: Trailhead news"
    msg["Date"] = "Mon, 23 Nov 2026 09:00:00 -0500"
    msg["Message-ID"] = NEWS_ID
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content("FYI\n\n---------- Forwarded message ---------\nFrom: Rahul K <rahul.k@nimbuslabs.example>\n"
                    "Date: Mon, 23 Nov 2026 at 18:30\nSubject: Trailhead news\n"
                    f"To: Maya Chen <maya.chen@fernhill.example>\n\n{vendor_text}")
    return msg.as_bytes()


# -- corrections by reply ---------------------------------------------------------------------------------------


def test_a_reply_with_three_lines_changes_the_schedule_and_is_confirmed_once(cli, smtp_config, tmp_path,
                                                                             smtp_inbox, monkeypatch):
    arrive(cli, smtp_config, tmp_path, PLAN.read_bytes(), SLIP.read_bytes())
    receipt_id = smtp_inbox.received[1].message["Message-ID"]
    feed = tmp_path / "platform.ics"
    cli("feed", "write", "--team", "Platform", "--output", feed, "--config", smtp_config)
    assert "DTSTART;VALUE=DATE:20261204" in feed.read_text()  # the App Store submission
    reply = staff_reply(
        "#2 due 2026-12-04\n#3 not a milestone\nadd: UAT build due 5 Dec 18:00 IST\n#2 due someday\n\nThanks,\nMaya\n\n"
        "On Tue, 24 Nov 2026 at 12:00, slipwatch <slipwatch@fernhill.example> wrote:\n"
        "> #2 Beta build\n>     due:      Fri 27 Nov 2026\n> #3 delivered\n",
        to_receipt=receipt_id,
    )
    arrive(cli, smtp_config, tmp_path, reply)

    # the milestones
    beta = show(cli, smtp_config, 2)
    assert (beta["due"], beta["revisions"][-1]["author"], beta["revisions"][-1]["kind"]) == (
        "2026-12-04", MAYA, "correction")
    milestones = json.loads(cli("milestones", "--json", "--config", smtp_config).output)
    assert "App Store submission" not in [m["name"] for m in milestones]  # not a milestone: hidden
    (uat,) = [m for m in milestones if m["name"] == "UAT build"]
    # added to the vendor and the project of the mail the receipt was about
    assert (uat["id"], uat["due"], uat["vendor"], uat["project"]) == (4, "2026-12-05T18:00+05:30", "Nimbus Labs",
                                                                       "Trailhead app")
    assert show(cli, smtp_config, 3)["status"] == "at_risk"  # the quoted "#3 delivered" was not applied
    # the feed and the next digest
    cli("feed", "write", "--team", "Platform", "--output", feed, "--config", smtp_config)
    ics = feed.read_text().replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20261204" in ics and "UAT build" in ics and "App Store submission" not in ics
    digest = cli("digest", "preview", "--team", "Platform", "--config", smtp_config).output
    assert "UAT build" in digest and "App Store submission" not in digest

    # one confirmation, threaded to the reply, naming the three changes and the refused line with its reason
    assert len(smtp_inbox.received) == 3
    answer = smtp_inbox.received[2].message
    assert (answer["In-Reply-To"], answer["To"]) == ("<fix-1@fernhill.example>", MAYA)
    assert plain(answer).startswith(textwrap.dedent("""\
        Applied 3 changes from your reply:

            #2 due 2026-12-04
                #2 Beta build: due 2026-12-04
            #3 not a milestone
                #3 App Store submission is no milestone: hidden from feeds and digests
            add: UAT build due 5 Dec 18:00 IST
                #4 UAT build: added, due 2026-12-05T18:00+05:30

        Not applied (1), nothing changed for this line:

            #2 due someday
                due 'someday': write a date as YYYY-MM-DD or an instant as YYYY-MM-DDTHH:MM+HH:MM
        """))
    # the same reply again is a duplicate: nothing applied twice, no second answer
    arrive(cli, smtp_config, tmp_path, reply)
    assert len(smtp_inbox.received) == 3 and len(show(cli, smtp_config, 2)["revisions"]) == len(beta["revisions"])


@pytest.mark.parametrize("line, reason", [
    ("#99 delivered", "no milestone 99; the message you replied to is about #1 beta build (due 2026-11-27)"),
    ("#1 frobnicate", "'frobnicate' is not a correction; write one of: #ID due YYYY-MM-DD"),
    ("#1 same as #1", "milestones 1 and 1 are already one"),
    ("add: UAT build", "add: 'UAT build' names no date after the milestone's name"),
])
def test_a_line_that_cannot_be_applied_is_named_with_its_reason(cli, config_file, tmp_path, line, reason):
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready for review on Friday 27 Nov.\n"))
    cli("ingest", tmp_path / "fwd.eml", "--config", config_file)
    (tmp_path / "reply.eml").write_bytes(staff_reply(f"{line}\n", to_receipt="<slipwatch-receipt-1@fernhill.example>",
                                                     forward=NEWS_ID))
    cli("ingest", tmp_path / "reply.eml", "--config", config_file)
    confirmation = [r for r in outbox(cli, config_file) if r["kind"] == "confirmation"]
    assert len(confirmation) == 1
    cli("outbox", "--retry", "--config", config_file)
    text = (tmp_path / "outbox" / "slipwatch-confirmation-2_fernhill.example.eml").read_bytes()
    body = plain(message_from_bytes(text))
    assert f"Not applied (1), nothing changed for this line:\n\n    {line}\n        {reason}" in body


def test_a_reply_to_a_receipt_is_never_read_as_vendor_status(cli, config_file, tmp_path):
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready for review on Friday 27 Nov.\n"))
    cli("ingest", tmp_path / "fwd.eml", "--config", config_file)
    (tmp_path / "reply.eml").write_bytes(staff_reply(
        "Thanks, the UAT build is due on 4 Dec by the way.\n", to_receipt="<slipwatch-receipt-1@fernhill.example>",
        forward=NEWS_ID))
    cli("ingest", tmp_path / "reply.eml", "--config", config_file)
    assert [m["name"] for m in json.loads(cli("milestones", "--json", "--config", config_file).output)] == [
        "beta build"]
    assert [r["kind"] for r in outbox(cli, config_file)] == ["receipt"]  # no line to apply: nothing to confirm


# -- loop protection ------------------------------------------------------------------------------------------


def test_a_receipt_reaching_the_mailbox_gets_no_receipt_and_is_not_status(cli, config_file, tmp_path):
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready for review on Friday 27 Nov.\n"))
    cli("ingest", tmp_path / "fwd.eml", "--config", config_file)
    cli("outbox", "--retry", "--config", config_file)
    receipt = (tmp_path / "outbox" / "slipwatch-receipt-1_fernhill.example.eml").read_bytes()
    # the mailbox is among the forwarder's addresses, or a rule copies slipwatch's mail into it
    arrived = f"Authentication-Results: {authenticated('slipwatch@fernhill.example')}\r\n".encode() + receipt
    (tmp_path / "back.eml").write_bytes(arrived)
    assert "1 new" in cli("ingest", tmp_path / "back.eml", "--config", config_file).output
    assert len(outbox(cli, config_file)) == 1
    assert len(json.loads(cli("milestones", "--json", "--config", config_file).output)) == 1
    (message,) = [m for m in json.loads(cli("messages", "--json", "--config", config_file).output)
                  if m["message_id"] == "<slipwatch-receipt-1@fernhill.example>"]
    assert "sent by slipwatch itself" in message["problems"]


@pytest.mark.parametrize("headers", [
    {"Auto-Submitted": "auto-replied"},  # an out-of-office forwarding the vendor's mail
    {"X-Slipwatch-Receipt": "7"},  # a receipt forwarded on by a rule
    {"Precedence": "bulk"},
])
def test_automatic_mail_gets_no_receipt(cli, config_file, tmp_path, headers):
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready for review on Friday 27 Nov.\n",
                                                 headers=headers))
    cli("ingest", tmp_path / "fwd.eml", "--config", config_file)
    assert outbox(cli, config_file) == []


def test_a_digest_sent_to_the_mailbox_gets_no_receipt(cli, config_file, tmp_path):
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready for review on Friday 27 Nov.\n"))
    cli("ingest", tmp_path / "fwd.eml", "--config", config_file)
    out = cli("digest", "send", "--team", "Platform", "--now", "--config", config_file).output
    digest = next((tmp_path / "outbox").glob("slipwatch-digest-*.eml")).read_bytes()
    assert "wrote" in out
    (tmp_path / "digest.eml").write_bytes(
        f"Authentication-Results: {authenticated('slipwatch@fernhill.example')}\r\n".encode() + digest)
    cli("ingest", tmp_path / "digest.eml", "--config", config_file)
    assert sorted(r["kind"] for r in outbox(cli, config_file)) == ["digest", "receipt"]


def test_a_vendor_writing_directly_gets_no_receipt(cli, config_file, tmp_path):
    (tmp_path / "direct.eml").write_bytes(vendor_mail())
    cli("ingest", tmp_path / "direct.eml", "--config", config_file)
    assert outbox(cli, config_file) == []


# -- quiet by choice ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra, team, expected", [
    ('[receipts]\nmode = "off"\n', "", 0),
    ("", 'receipts = "off"\n', 0),  # Maya's team asked for quiet
    ('[receipts]\nmode = "off"\n', 'receipts = "forwarder"\n', 1),  # ...or for receipts when others have none
])
def test_receipts_off_globally_or_for_a_team(cli, write_config, tmp_path, extra, team, expected):
    text = CONFIG.replace('digest_to = ["maya.chen@fernhill.example"]\n',
                          f'digest_to = ["maya.chen@fernhill.example"]\n{team}') + extra
    config = write_config(text)
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready for review on Friday 27 Nov.\n"))
    cli("ingest", tmp_path / "fwd.eml", "--config", config)
    assert len(outbox(cli, config)) == expected


def test_no_receipts_without_smtp(cli, write_config, tmp_path):
    config = write_config(CONFIG.replace('[smtp]\nkind = "outbox"\noutbox_path = "outbox"\n', ""))
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready for review on Friday 27 Nov.\n"))
    cli("ingest", tmp_path / "fwd.eml", "--config", config)
    assert outbox(cli, config) == []


def test_a_forwarder_gets_at_most_the_daily_cap(cli, write_config, tmp_path, monkeypatch):
    config = write_config(CONFIG + "[receipts]\ndaily_cap = 2\n")
    for n in range(3):
        raw = forwarded(f"The beta build {n} is ready for review on Friday 27 Nov.\n")
        (tmp_path / f"fwd{n}.eml").write_bytes(raw.replace(b"<fwd-news@", f"<fwd-news-{n}@".encode()))
    cli("ingest", tmp_path / "fwd0.eml", tmp_path / "fwd1.eml", tmp_path / "fwd2.eml", "--config", config)
    assert len(outbox(cli, config)) == 2
    # a day later the cap has room again
    monkeypatch.setenv("SLIPWATCH_NOW", "2026-11-25T12:00:01+00:00")
    raw = forwarded("The beta build 3 is ready for review on Friday 27 Nov.\n")
    (tmp_path / "fwd3.eml").write_bytes(raw.replace(b"<fwd-news@", b"<fwd-news-3@"))
    cli("ingest", tmp_path / "fwd3.eml", "--config", config)
    assert len(outbox(cli, config)) == 3


@pytest.mark.parametrize("text, key", [
    ('[receipts]\nmode = "everyone"\n', 'receipts.mode: "everyone" is not a receipts mode; use "forwarder" or "off"'),
    ("[receipts]\ndaily_cap = 0\n", "receipts.daily_cap: must be at least 1, got 0"),
])
def test_a_bad_receipts_setting_is_named(write_config, text, key):
    with pytest.raises(ConfigError, match=key.replace("(", r"\(")):
        config_mod.load(write_config(CONFIG + text))


def test_a_bad_team_receipts_setting_is_named(write_config):
    text = CONFIG.replace('digest_to = ["maya.chen@fernhill.example"]\n',
                          'digest_to = ["maya.chen@fernhill.example"]\nreceipts = "loud"\n')
    with pytest.raises(ConfigError, match='teams\\[0\\].receipts: "loud" is not a receipts mode'):
        config_mod.load(write_config(text))


# -- quarantine -----------------------------------------------------------------------------------------------


def test_a_quarantined_forward_gets_one_notice_with_the_reason_and_the_release_command(cli, config_file, tmp_path):
    failed = f"mx1.fernhill.example; dmarc=fail header.from=fernhill.example"
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready for review on Friday 27 Nov.\n", auth=failed))
    assert "1 quarantined" in cli("ingest", tmp_path / "fwd.eml", "--config", config_file).output
    cli("ingest", tmp_path / "fwd.eml", "--config", config_file)
    (row,) = outbox(cli, config_file)
    assert (row["kind"], row["recipients"]) == ("quarantine", MAYA)
    cli("outbox", "--retry", "--config", config_file)
    body = plain(message_from_bytes((tmp_path / "outbox" / "slipwatch-quarantine-1_fernhill.example.eml").read_bytes()))
    assert "Why: DMARC fail for fernhill.example" in body and "slipwatch quarantine release 1" in body
    # released, it is read, and its forwarder gets the receipt then
    cli("quarantine", "release", 1, "--config", config_file)
    assert [r["kind"] for r in outbox(cli, config_file)] == ["receipt", "quarantine"]


def test_an_outsiders_quarantined_mail_gets_no_notice(cli, config_file, tmp_path):
    (tmp_path / "fwd.eml").write_bytes(forwarded("The beta build is ready on Friday 27 Nov.\n",
                                                 forwarder="Eve <eve@elsewhere.example>"))
    assert "1 quarantined" in cli("ingest", tmp_path / "fwd.eml", "--config", config_file).output
    assert outbox(cli, config_file) == []


def test_what_the_vendor_wrote_shows_as_text_in_the_receipt(cli, config_file, tmp_path):
    (tmp_path / "fwd.eml").write_bytes(forwarded(
        'The beta build <img src="https://tracker.example/x.png"> is ready on Friday 27 Nov.\n'))
    cli("ingest", tmp_path / "fwd.eml", "--config", config_file)
    cli("outbox", "--retry", "--config", config_file)
    receipt = message_from_bytes((tmp_path / "outbox" / "slipwatch-receipt-1_fernhill.example.eml").read_bytes())
    assert "&lt;img src=&#34;https://tracker.example/x.png&#34;&gt;" in html(receipt)
    assert "<img" not in html(receipt)
