"""Hostile mail: each bound holds, the message is failed with the bound it broke, and the daemon goes on."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import io
import json
import time
import zipfile

import pytest

from slipwatch import config as config_mod
from slipwatch import pipeline
from slipwatch.mail import reader
from slipwatch.publish import dispatch
from slipwatch.service import open_store
from tests.helpers import CONFIG, authenticated, vendor_mail, with_attachment

SENT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


# the hostile mails come from a vendor our server vouches for: one it does not is quarantined unread
_AUTHENTICATED = f"Authentication-Results: {authenticated('rahul.k@nimbuslabs.example')}\r\n".encode()


def many_parts(n: int) -> bytes:
    parts = b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(n))
    return (_AUTHENTICATED + b"From: rahul.k@nimbuslabs.example\r\nMessage-ID: <parts@nimbuslabs.example>\r\n"
            b"Subject: parts\r\n"
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n" + parts + b"--b--\r\n")


def nested(levels: int) -> bytes:
    inner = b"From: rahul.k@nimbuslabs.example\r\nSubject: innermost\r\n\r\nThe beta is due on 27 November.\r\n"
    for n in range(levels):
        inner = (b"From: rahul.k@nimbuslabs.example\r\nSubject: level %d\r\n" % n
                 + b"Content-Type: multipart/mixed; boundary=q%d\r\n\r\n--q%d\r\n" % (n, n)
                 + b"Content-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--q%d--\r\n" % n)
    return _AUTHENTICATED + inner.replace(b"Subject: level", b"Message-ID: <nested@nimbuslabs.example>\r\nSubject: level", 1)


def nested_multiparts(levels: int) -> bytes:
    """Multiparts inside multiparts, deeper than Python's parser can recurse."""
    opening = b"".join(b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (n, n + 1)
                       for n in range(levels))
    return (_AUTHENTICATED + b"From: rahul.k@nimbuslabs.example\r\nMessage-ID: <deep@nimbuslabs.example>\r\n"
            b"Subject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n" + opening)


def ics_events(n: int) -> bytes:
    event = b"BEGIN:VEVENT\r\nUID:%d@x\r\nDTSTART;VALUE=DATE:20261201\r\nSUMMARY:Go-live %d\r\nEND:VEVENT\r\n"
    return b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + b"".join(event % (i, i) for i in range(n)) + b"END:VCALENDAR\r\n"


def zip_bomb() -> bytes:
    """A 100 kB zip whose CSV inflates to 200 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("schedule.csv", "w") as member:
            row = b"Deliverable,Due\n" + b"x" * 1_000_000 + b"\n"
            for _ in range(200):
                member.write(row)
    return out.getvalue()


HOSTILE = {
    "a 50 MB attachment": (lambda: with_attachment(b"\0" * 50_000_000, "big.pdf", "application/pdf"),
                           "max_message_bytes"),
    "10,000 MIME parts": (lambda: many_parts(10_000), "limits.max_parts = 1000"),
    "100 nested message/rfc822": (lambda: nested(100), "limits.max_depth = 8"),
    "3,000 nested multiparts": (lambda: nested_multiparts(3000), "MIME parts nested too deep to parse"),
    "an ICS with 100,000 events": (lambda: with_attachment(ics_events(100_000), "plan.ics", "text/calendar"),
                                   "limits.max_ics_events = 5000"),
    "a zip bomb of a CSV": (lambda: with_attachment(zip_bomb(), "schedule.zip", "application/zip"),
                            "decompresses to more than limits.max_attachment_bytes"),
    "a gzip bomb of a CSV": (lambda: with_attachment(gzip.compress(b"a,b\n" * 20_000_000), "schedule.csv.gz",
                                                     "application/gzip"), "limits.max_attachment_bytes"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_each_bound_fails_the_message_and_the_next_one_is_read(cli, config_file, tmp_path, case):
    make, reason = HOSTILE[case]
    (tmp_path / "a-hostile.eml").write_bytes(make())
    (tmp_path / "b-fine.eml").write_bytes(vendor_mail("The beta build is due on 27 November.\n"))
    result = cli("ingest", tmp_path / "a-hostile.eml", tmp_path / "b-fine.eml", "--config", config_file, ok=False)
    assert result.exit_code == 1 and "1 new, 0 duplicate, 1 failed" in result.output
    assert f"failed {tmp_path / 'a-hostile.eml'}: " in result.output
    (failed,) = json.loads(cli("messages", "--state", "failed", "--json", "--config", config_file).output)
    assert reason in failed["error"] and failed["attempts"] >= 3  # not retried: it would break the bound again


def test_a_compressed_csv_within_the_bounds_is_read(cli, config_file, tmp_path):
    csv = b"Deliverable,Due,Status\nBeta build,2026-11-27,planned\nStore submission,2026-12-11,planned\n"
    (tmp_path / "m.eml").write_bytes(with_attachment(gzip.compress(csv), "plan.csv.gz", "application/gzip"))
    cli("ingest", tmp_path / "m.eml", "--config", config_file)
    names = {m["name"] for m in json.loads(cli("milestones", "--json", "--config", config_file).output)}
    assert names == {"Beta build", "Store submission"}


def test_a_line_break_in_a_vendor_subject_reaches_no_header(cli, config_file, tmp_path):
    """CR/LF in what a vendor wrote must not reach the digest's headers or the ICS unescaped."""
    evil = "Beta build\r\nBcc: everyone@example.com"
    raw = vendor_mail("The beta build is due on 27 November.\n", subject="x").replace(
        b"Subject: x", b"Subject: =?utf-8?b?" + base64.b64encode(evil.encode()) + b"?=")
    (tmp_path / "m.eml").write_bytes(raw)
    cli("ingest", tmp_path / "m.eml", "--config", config_file)
    config = config_mod.load(config_file)
    store = open_store(config)
    mail = dispatch.render(config, config.teams[0], dispatch.preview(store, config, "Platform", SENT + dt.timedelta(days=1)),
                           "<x@fernhill.example>")
    store.close()
    head = mail.split(b"\r\n\r\n", 1)[0]
    assert b"Bcc" not in head
    cli("feed", "write", "--output", tmp_path / "feeds", "--config", config_file)
    for feed in (tmp_path / "feeds").glob("*.ics"):
        lines = feed.read_bytes().split(b"\r\n")
        assert not any(line.startswith(b"Bcc") for line in lines)


def test_reading_past_its_time_fails_once_for_good_and_the_mail_behind_it_is_read(cli, write_config, monkeypatch):
    """Past limits.extract_seconds a mail is failed with that reason: never "no sender address", never read
    again (reading it again would take as long, and hold up the mail behind it each time), left in the mailbox."""
    config = write_config(CONFIG + "\n[limits]\nextract_seconds = 1\n")
    inbox = config.parent / "inbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True)
    (inbox / "new" / "1-slow").write_bytes(vendor_mail("The beta build is due on 27 November.\n",
                                                       message_id="<slow@nimbuslabs.example>"))
    (inbox / "new" / "2-next").write_bytes(vendor_mail("The store submission is due on 11 December.\n"))
    reads = []

    def slow(raw: bytes, limits, tree, read=reader._read):
        reads.append(raw)
        if b"<slow@" in raw:
            time.sleep(30)  # what a body that takes long to read does, made certain
        return read(raw, limits, tree)

    monkeypatch.setattr(reader, "_read", slow)
    out = cli("run", "--once", "--config", config).output
    reason = "reading took longer than 1 s (limits.extract_seconds)"
    assert f"failed <slow@nimbuslabs.example> (message 1, not retried): {reason}" in out
    (failed,) = json.loads(cli("messages", "--state", "failed", "--json", "--config", config).output)
    assert failed["error"] == reason and failed["attempts"] == 3
    (read,) = json.loads(cli("milestones", "--json", "--config", config).output)
    assert read["due"] == "2026-12-11"
    assert (inbox / "new" / "1-slow").exists()  # left in the mailbox, as unread mail
    cli("run", "--once", "--config", config)
    assert sum(b"<slow@" in raw for raw in reads) == 1


def test_extract_reports_a_mail_read_past_its_time_by_its_header(monkeypatch):
    """`slipwatch extract` gives the envelope of such a mail from its header, without reading it all again."""
    monkeypatch.setattr(reader, "_read", lambda raw, limits, tree: time.sleep(30))
    raw = vendor_mail("The beta build is due on 27 November.\n")
    report = pipeline.extract_report(raw, config_mod.LimitsConfig(extract_seconds=1))
    assert report["error"] == "reading took longer than 1 s (limits.extract_seconds)"
    assert report["from"] == "rahul.k@nimbuslabs.example" and report["milestones"] == []


def test_a_sender_the_header_does_not_vouch_for_is_quarantined_unread(cli, config_file, tmp_path, monkeypatch):
    """A body made to hold up the reader never runs for a sender who could not write into the schedule:
    the header settles it, and the body is read only if someone releases the message."""
    reads = []
    monkeypatch.setattr(reader, "_read", lambda raw, limits, read=reader._read: reads.append(raw) or read(raw, limits))
    (tmp_path / "stranger.eml").write_bytes(vendor_mail("From: a\n" * 4000, sender="x@evil.example"))
    (tmp_path / "unsigned.eml").write_bytes(vendor_mail("From: a\n" * 4000, auth=None))
    out = cli("ingest", tmp_path / "stranger.eml", tmp_path / "unsigned.eml", "--config", config_file).output
    assert "0 new, 0 duplicate, 0 failed, 2 quarantined" in out
    assert reads == []
    listed = cli("quarantine", "--config", config_file).output
    assert "sent by x@evil.example, who is not staff" in listed
    assert "no Authentication-Results from" in listed
