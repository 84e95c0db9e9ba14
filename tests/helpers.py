"""Test data shared by the test modules: a config, vendor mail builders, paths."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_INBOX = REPO / "config" / "demo-inbox"


def demo_config() -> str:
    """config/demo.toml with its var/ folder beside the written file, seeded from the repository's demo inbox."""
    text = (REPO / "config" / "demo.toml").read_text()
    return text.replace("../var/", "var/").replace('seed = "demo-inbox"', f'seed = "{DEMO_INBOX}"')

CONFIG = """
[store]
path = "slipwatch.db"

[source]
kind = "maildir"
path = "inbox"
poll_seconds = 1

[smtp]
kind = "outbox"
outbox_path = "outbox"

[feeds]
# any free port: several daemons may run at once in the tests
listen = "127.0.0.1:0"

[organisation]
name = "Fernhill Outfitters"
domains = ["fernhill.example"]

[[teams]]
name = "Platform"
timezone = "America/New_York"
members = ["maya.chen@fernhill.example"]
vendors = ["Nimbus Labs"]
digest_to = ["maya.chen@fernhill.example"]

[[vendors]]
name = "Nimbus Labs"
domains = ["nimbuslabs.example"]
timezone = "Asia/Kolkata"

[trust]
authserv_id = "mx1.fernhill.example"
"""

#: The receiving server of CONFIG's mailbox, as it names itself in Authentication-Results.
AUTHSERV_ID = "mx1.fernhill.example"


def authenticated(sender: str) -> str:
    """The Authentication-Results our receiving server writes on mail whose From passes DMARC."""
    domain = parseaddr(sender)[1].rpartition("@")[2]
    return f"{AUTHSERV_ID}; spf=pass smtp.mailfrom={domain}; dkim=pass header.d={domain}; dmarc=pass header.from={domain}"


def with_attachment(data: bytes, filename: str, ctype: str, body: str = "Please find the schedule attached.") -> bytes:
    """A mail from an authenticated vendor, sent 20 Nov 2026 09:00 +0530, with one attachment."""
    msg = EmailMessage()
    msg["Authentication-Results"] = authenticated("rahul.k@nimbuslabs.example")
    msg["From"] = "Rahul K <rahul.k@nimbuslabs.example>"
    msg["To"] = "schedule@fernhill.example"
    msg["Subject"] = "Schedule attached"
    msg["Date"] = "Fri, 20 Nov 2026 09:00:00 +0530"
    msg["Message-ID"] = f"<{filename}@nimbuslabs.example>"
    msg.set_content(body)
    maintype, subtype = ctype.split("/")
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def with_smtp(config: str, smtp_server, folder: Path) -> str:
    """The config with its [smtp] sending to the test SMTP server (tests/servers/smtp.py) over STARTTLS;
    the password comes from $TEST_SMTP_PW."""
    from tests.servers.smtp import USER

    smtp_server.write_ca(folder / "smtp-ca.pem")
    return config.replace(
        'kind = "outbox"\noutbox_path = "outbox"',
        f'kind = "smtp"\nhost = "localhost"\nport = {smtp_server.port}\ntls = "starttls"\nusername = "{USER}"\n'
        f'password_env = "TEST_SMTP_PW"\nca_file = "{folder / "smtp-ca.pem"}"\nfrom = "slipwatch@fernhill.example"',
    )


#: The demo's other vendors, to add to CONFIG where a test needs them configured.
MORE_VENDORS = """
[[vendors]]
name = "Harbor Code"
domains = ["harborcode.example"]
timezone = "Europe/Warsaw"

[[vendors]]
name = "Estudio Norte"
domains = ["estudionorte.example"]
timezone = "Europe/Madrid"

[[vendors]]
name = "Polar Print"
domains = ["polarprint.example"]
timezone = "Asia/Manila"
"""


def vendor_mail(
    body: str = "Hi Maya,\n\nThe beta build is ready for review on Friday.\n\nRegards,\nRahul\n",
    *,
    sender: str = "Rahul K <rahul.k@nimbuslabs.example>",
    to: str = "Schedule <schedule@fernhill.example>",
    subject: str = "Trailhead beta build",
    date: dt.datetime = dt.datetime(2026, 11, 20, 18, 5, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    message_id: str | None = "auto",
    auth: str | None = "pass",
) -> bytes:
    """A plain vendor mail as bytes, written directly to the mailbox.

    `auth` is the Authentication-Results header the receiving server put on top: "pass" (DMARC passed for
    the sender's domain), the header's value as written, or None for none at all.
    """
    msg = EmailMessage()
    if auth:
        msg["Authentication-Results"] = authenticated(sender) if auth == "pass" else auth
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    if message_id:
        msg["Message-ID"] = make_msgid(domain="nimbuslabs.example") if message_id == "auto" else message_id
    msg.set_content(body)
    return msg.as_bytes()


#: Not a mail at all: no header names a sender; the store keeps it as failed.
GARBAGE = b"\x00\x01binary junk that is not a message\r\n\r\n\xff\xfe"


def record_mail(store, items, *, vendor: str = "Nimbus Labs", sender: str = "Rahul K <rahul.k@nimbuslabs.example>",
                sent: dt.datetime, message_id: str, body: str = "Status update.\n", **mail) -> int:
    """Store a vendor mail and record `items` (extract.model.Milestone values) as what it said.

    Tests of tracking, feeds and digests seed their schedules this way, without
    depending on what the extractor makes of a sentence. Returns the message row id.
    """
    from slipwatch.mail import read_message
    from slipwatch.store import Location
    from slipwatch.track.record import Observation, record

    raw = vendor_mail(body, sender=sender, date=sent, message_id=message_id, **mail)
    message = store.admit(raw, message_id, Location("test", message_id)).id
    author = read_message(raw).author
    with store.transaction() as conn:
        store.record_message(conn, message, read_message(raw))
        record(conn, Observation(message, vendor, author, sent, items))
    return message


def unlinked(feed: bytes) -> bytes:
    """A feed unfolded, the token of its page links left out: each store makes its own."""
    return re.sub(rb"/pages/[^/]+/", b"/pages/TOKEN/", feed.replace(b"\r\n ", b""))
