"""The same mail is recorded once: its Message-ID however it is written, else what its author wrote.

A Message-ID is compared with its angle brackets, without folding whitespace, and
with its domain part in lower case (the local part is the sender's and keeps its
case). A mail without one is known by a hash of what its author wrote: the
headers added on the way (Received, Return-Path, Delivered-To, X-*,
Authentication-Results, ARC-*, ...) and line ends do not count, so the same
mail reaching the mailbox over two routes is one message.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from slipwatch.mail.dedup import content_digest, normalise_message_id
from slipwatch.pipeline import header_message_id
from slipwatch.store import Location, Store
from slipwatch.store.migrations import MIGRATIONS, migrate
from tests.helpers import vendor_mail

PLAN = "Hi Maya,\n\nThe beta build will be ready on 27 November.\n\nRegards,\nRahul\n"


@pytest.mark.parametrize(("written", "normal"), [
    ("<Plan-1@Mail.NimbusLabs.Example>", "<Plan-1@mail.nimbuslabs.example>"),
    ("Plan-1@mail.nimbuslabs.example", "<Plan-1@mail.nimbuslabs.example>"),
    ("\r\n <Plan-1@mail.nimbuslabs.example>", "<Plan-1@mail.nimbuslabs.example>"),
    ("<Plan-1@mail.nimbuslabs.example\r\n >", "<Plan-1@mail.nimbuslabs.example>"),
    ("< Plan-1@mail.nimbuslabs.example >  (sent by Nimbus)", "<Plan-1@mail.nimbuslabs.example>"),
    ('<"Plan 1"@MAIL.example>', '<"Plan 1"@mail.example>'),
    ("", None),
    ("  ", None),
    ("<>", None),
])
def test_a_message_id_is_normalised(written, normal):
    assert normalise_message_id(written) == normal


def test_the_local_part_keeps_its_case():
    assert normalise_message_id("<ABC@x.example>") != normalise_message_id("<abc@x.example>")


def with_header(raw: bytes, name: str, value: str) -> bytes:
    """The mail with its Message-ID header written another way."""
    head, _, body = raw.partition(b"\n\n")
    lines = [line for line in head.split(b"\n") if not line.lower().startswith(name.lower().encode() + b":")]
    return b"\n".join([f"{name}: {value}".encode(), *lines]) + b"\n\n" + body


def ingest(cli, config, tmp_path, *mails: bytes) -> str:
    paths = []
    for n, raw in enumerate(mails):
        paths.append(tmp_path / f"{n}.eml")
        paths[-1].write_bytes(raw)
    return cli("ingest", *paths, "--config", config).output


def test_the_same_mail_with_its_message_id_written_another_way_is_recorded_once(cli, config_file, tmp_path):
    raw = vendor_mail(PLAN)
    out = ingest(cli, config_file, tmp_path,
                 with_header(raw, "Message-ID", "<Plan-1@MAIL.NimbusLabs.example>"),
                 with_header(raw, "Message-ID", "\r\n <Plan-1@mail.nimbuslabs.example>"),
                 with_header(raw, "Message-ID", "Plan-1@mail.nimbuslabs.example"))
    assert "1 new, 2 duplicate" in out
    (row,) = json.loads(cli("messages", "--json", "--config", config_file).output)
    assert row["message_id"] == "<Plan-1@mail.nimbuslabs.example>"


def test_message_ids_differing_in_the_local_part_are_two_mails(cli, config_file, tmp_path):
    raw = vendor_mail(PLAN)
    out = ingest(cli, config_file, tmp_path, with_header(raw, "Message-ID", "<plan-1@nimbuslabs.example>"),
                 with_header(raw, "Message-ID", "<PLAN-1@nimbuslabs.example>"))
    assert "2 new, 0 duplicate" in out


TRANSPORT = (
    b"Return-Path: <bounces+123@mailer.nimbuslabs.example>\r\n"
    b"Delivered-To: schedule@fernhill.example\r\n"
    b"Received: from mx2.fernhill.example by imap.fernhill.example; Fri, 20 Nov 2026 12:36:01 +0000\r\n"
    b"Received: from mail.nimbuslabs.example by mx2.fernhill.example; Fri, 20 Nov 2026 12:36:00 +0000\r\n"
    b"ARC-Seal: i=1; a=rsa-sha256; d=fernhill.example; s=arc; b=abc\r\n"
    b"X-Spam-Score: 0.4\r\n"
    b"X-Original-To: tom.okafor@fernhill.example\r\n"
)


def over_another_route(raw: bytes) -> bytes:
    """The same mail as a second route delivers it: other transport headers on top, CRLF line ends."""
    head, _, body = raw.partition(b"\n\n")
    head = b"\n".join(line for line in head.split(b"\n") if not line.startswith(b"Authentication-Results"))
    text = (head + b"\n\n" + body).replace(b"\n", b"\r\n")
    return (TRANSPORT + b"Authentication-Results: mx2.fernhill.example; dmarc=pass header.from=nimbuslabs.example\r\n"
            + text + b"\r\n")


def test_a_mail_without_message_id_over_two_routes_is_recorded_once(cli, config_file, tmp_path):
    raw = vendor_mail(PLAN, message_id=None)
    assert content_digest(raw) == content_digest(over_another_route(raw))
    out = ingest(cli, config_file, tmp_path, raw, over_another_route(raw))
    assert "1 new, 1 duplicate" in out


@pytest.mark.parametrize("change", [
    lambda raw: raw.replace(b"27 November", b"28 November"),
    lambda raw: raw.replace(b"Subject: Trailhead beta build", b"Subject: Trailhead beta build (2)"),
    lambda raw: raw.replace(b"Date: Fri, 20 Nov 2026 18:05:00", b"Date: Fri, 20 Nov 2026 18:06:00"),
    lambda raw: raw.replace(b"To: Schedule <schedule@fernhill.example>", b"To: Tom <tom.okafor@fernhill.example>"),
])
def test_a_mail_without_message_id_that_differs_in_what_its_author_wrote_is_another_mail(change):
    raw = vendor_mail(PLAN, message_id=None)
    assert change(raw) != raw
    assert content_digest(change(raw)) != content_digest(raw)


def test_the_pipeline_stores_the_normalised_id(tmp_path):
    raw = with_header(vendor_mail(PLAN), "Message-ID", "<Plan-1@MAIL.NimbusLabs.example>")
    assert header_message_id(raw) == "<Plan-1@mail.nimbuslabs.example>"


def test_a_reply_finds_its_thread_whatever_the_case_of_the_domain(cli, config_file, tmp_path):
    """The plan's Message-ID in capitals, the staff reply's In-Reply-To in lower case: the same thread."""
    plan = vendor_mail(PLAN, message_id="<Plan-1@MAIL.NIMBUSLABS.EXAMPLE>")
    reply = vendor_mail("slipwatch: delivered\n\nMaya\n", sender="Maya Chen <maya.chen@fernhill.example>",
                        subject="Re: Trailhead beta build", message_id="<fix-1@fernhill.example>")
    reply = reply.replace(b"Subject:", b"In-Reply-To: <Plan-1@mail.nimbuslabs.example>\nSubject:", 1)
    ingest(cli, config_file, tmp_path, plan, reply)
    (milestone,) = json.loads(cli("milestones", "--json", "--config", config_file).output)
    assert milestone["status"] == "delivered"


# -- stored values of an older slipwatch -------------------------------------------------------------------


def test_the_migration_normalises_stored_ids_and_keeps_earlier_twins_apart(tmp_path):
    """Rows stored before this version as written; two that turn out to be one mail both stay (their history
    is recorded), and the mail arriving once more is known as the first."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    version = next(m.version for m in MIGRATIONS if m.name.startswith("Message-IDs normalised"))
    migrate(conn, tuple(m for m in MIGRATIONS if m.version < version))
    no_id = vendor_mail(PLAN, message_id=None)
    rows = [
        ("<Plan-1@MAIL.example>", "<Plan-1@MAIL.example>", b"a"),
        ("<Plan-1@mail.example>", "<Plan-1@mail.example>", b"b"),
        ("sha256:old-1", None, no_id),
        ("sha256:old-2", None, over_another_route(no_id)),
    ]
    for key, mid, raw in rows:
        cur = conn.execute("INSERT INTO messages (dedup_key, message_id, sha256, size, received_at, state,"
                           " vendor_message_id) VALUES (?, ?, 'x', 1, '2026-11-20', 'processed', ?)", (key, mid, mid))
        conn.execute("INSERT INTO raw_messages (message, raw) VALUES (?, ?)", (cur.lastrowid, raw))
    conn.close()

    store = Store.open(path)
    stored = store.conn.execute("SELECT id, dedup_key, message_id, vendor_message_id FROM messages ORDER BY id").fetchall()
    assert [r[2] for r in stored] == ["<Plan-1@mail.example>", "<Plan-1@mail.example>", None, None]
    assert [r[3] for r in stored] == ["<Plan-1@mail.example>", "<Plan-1@mail.example>", None, None]
    assert stored[0][1] == "<Plan-1@mail.example>" and stored[2][1] == f"sha256:{content_digest(no_id)}"
    assert len({r[1] for r in stored}) == 4  # the later twins keep keys of their own
    assert store.admit(b"Message-ID: <Plan-1@Mail.Example>\n\nagain", "<Plan-1@mail.example>",
                       Location("file", "/again.eml")).id == stored[0][0]
    assert store.admit(over_another_route(no_id), None, Location("file", "/again-2.eml")).id == stored[2][0]
    store.close()


# -- the real mailbox: two copies of one mail, delivered by two routes ---------------------------------------


def test_two_copies_in_the_imap_mailbox_are_one_message(write_config, dovecot, mailbox_account, monkeypatch):
    from slipwatch import config as config_mod
    from slipwatch.service import Service
    from slipwatch.sources.imap import ImapSource
    from tests.helpers import CONFIG

    user, password = mailbox_account
    monkeypatch.setenv("SLIPWATCH_TEST_IMAP_PW", password)
    raw = vendor_mail(PLAN, message_id=None)
    with dovecot.client(user, password) as client:
        client.append("INBOX", raw)
        client.append("INBOX", over_another_route(raw))
        client.append("INBOX", with_header(vendor_mail(PLAN), "Message-ID", "<Plan-2@MAIL.NimbusLabs.example>"))
        client.append("INBOX", with_header(vendor_mail(PLAN), "Message-ID", "<Plan-2@mail.nimbuslabs.example>"))
    source = (f'kind = "imap"\nhost = "127.0.0.1"\nport = {dovecot.port}\ntls = "none"\nusername = "{user}"\n'
              'password_env = "SLIPWATCH_TEST_IMAP_PW"\ntimeout_seconds = 10')
    config = config_mod.load(write_config(CONFIG.replace('kind = "maildir"\npath = "inbox"\npoll_seconds = 1', source)))
    store = Store.open(config.store.path)
    imap = ImapSource(config.source, store)
    try:
        Service(config, store, imap).poll_once()
        assert store.counts() == {"processed": 2}
        assert store.conn.execute("SELECT count(*) FROM message_locations").fetchone()[0] == 4
    finally:
        imap.close()
        store.close()
