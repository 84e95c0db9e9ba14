"""Vendor text reaches people inert: control characters, bidi overrides and invisible characters show as
visible forms (␛, <U+202E>) in the CLI, the digest, the feeds and the answers we send; the store keeps
what the mail said."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import json
import sqlite3
import unicodedata

import icalendar
import pytest

from slipwatch.cli import main
from slipwatch.extract.model import Milestone
from slipwatch.store import Store
from tests.helpers import record_mail, vendor_mail

CLEAR = "\x1b[2J"  # clears the screen
LINK = "\x1b]8;;https://evil.example/\x1b\\the plan\x1b]8;;\x1b\\"  # an OSC 8 hyperlink under innocent words
RLO = "\u202e"  # right-to-left override: "gnp.exe" reads as "exe.png"
CSI = "\x9b2J"  # the one-byte C1 form of ESC [
ZWSP = "\u200b"  # invisible

NAME = f"Beta {CLEAR}build {RLO}gnp.exe"
EVIDENCE = f"Beta build{ZWSP} is due on 27 November, see {LINK} {CSI}"
SUBJECT = f"Trailhead {RLO}gnp.exe {CLEAR}beta {LINK}"

SENT = dt.datetime(2026, 11, 20, 18, 5, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


def inert(text: str, *, lines: bool = True) -> bool:
    """No character a terminal, a mail client or a calendar would act on, or that hides or reorders text:
    C0/C1 controls and DEL (but newlines and tabs where `lines`), format characters (bidi controls,
    zero-width characters), surrogates, line and paragraph separators."""
    allowed = "\n\t\r" if lines else ""
    return not any(
        unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") and c not in allowed for c in text
    )


def shows_the_hostile_forms(text: str) -> bool:
    return "␛[2J" in text and "<U+202E>" in text


def encoded_subject(raw: bytes, subject: str) -> bytes:
    return raw.replace(b"Subject: x", b"Subject: =?utf-8?b?" + base64.b64encode(subject.encode()) + b"?=")


@pytest.fixture
def hostile(config_file):
    """A schedule whose one milestone has a hostile name and evidence, from a mail with a hostile subject."""
    store = Store.open(config_file.parent / "slipwatch.db")
    record_mail(store, [Milestone(NAME, "Trailhead", "2026-11-27", "planned", evidence=EVIDENCE)],
                sent=SENT, message_id="<plan@nimbuslabs.example>", subject=SUBJECT)
    store.close()
    return config_file


@pytest.fixture
def terminal(runner):
    """`slipwatch ARGS...` as a terminal receives it: click keeps escape codes (color=True) as a tty would."""

    def invoke(*args) -> str:
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False, color=True)
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_the_store_keeps_what_the_mail_said(hostile):
    conn = sqlite3.connect(hostile.parent / "slipwatch.db")
    assert conn.execute("SELECT name FROM milestones").fetchone()[0] == NAME
    assert conn.execute("SELECT evidence FROM milestone_revisions").fetchone()[0] == EVIDENCE
    conn.close()


def test_milestones_and_show_show_hostile_text_in_visible_form(terminal, hostile):
    for out in (terminal("milestones", "--config", hostile), terminal("show", 1, "--config", hostile)):
        assert inert(out) and shows_the_hostile_forms(out), out
    out = terminal("show", 1, "--config", hostile)
    assert "␛]8;;https://evil.example/␛\\the plan␛]8;;␛\\" in out  # the link is shown for what it is
    assert "<U+009B>2J" in out and "build<U+200B> is due" in out


def test_a_reason_given_by_mail_is_shown_in_visible_form(terminal, hostile):
    """The actions under a timeline (ignore, merge, split) carry what people wrote, which a forged mail controls."""
    store = Store.open(hostile.parent / "slipwatch.db")
    from slipwatch.track import corrections

    with store.transaction() as conn:
        corrections.ignore(conn, 1, author=f"maya{CLEAR}", at=SENT, reason=f"not one {RLO}gnp.exe\nfake line")
    store.close()
    out = terminal("show", 1, "--config", hostile)
    assert inert(out) and shows_the_hostile_forms(out)
    assert "because not one <U+202E>gnp.exe fake line" in out  # and one line, as the layout has it


def test_message_and_quarantine_listings_show_hostile_subjects_in_visible_form(terminal, config_file, tmp_path):
    (tmp_path / "vendor.eml").write_bytes(encoded_subject(vendor_mail(subject="x"), SUBJECT))
    (tmp_path / "outsider.eml").write_bytes(
        encoded_subject(vendor_mail(subject="x", sender="someone@evil.example"), SUBJECT))
    terminal("ingest", tmp_path / "vendor.eml", tmp_path / "outsider.eml", "--config", config_file)
    for out in (terminal("messages", "--config", config_file), terminal("quarantine", "--config", config_file)):
        assert inert(out) and shows_the_hostile_forms(out), out


def test_errors_name_hostile_files_in_visible_form(runner, config_file, tmp_path):
    """`ingest` names each file that failed: a file's name is anyone's to choose."""
    (tmp_path / f"junk{CLEAR}{RLO}.eml").write_bytes(b"\x00\x01 not a mail\r\n")
    result = runner.invoke(main, ["ingest", str(tmp_path), "--config", str(config_file)], color=True)
    assert result.exit_code == 1
    assert inert(result.output) and shows_the_hostile_forms(result.output), result.output


def test_extract_shows_a_hostile_subject_in_visible_form(terminal, tmp_path):
    (tmp_path / "m.eml").write_bytes(encoded_subject(vendor_mail(subject="x"), SUBJECT))
    out = terminal("extract", tmp_path / "m.eml")
    assert inert(out) and shows_the_hostile_forms(out), out


def test_the_digest_shows_hostile_text_in_visible_form_in_text_and_html(terminal, hostile, tmp_path):
    text = terminal("digest", "preview", "--team", "Platform", "--as-of", "2026-11-24T12:00Z",
                    "--html", tmp_path / "digest.html", "--config", hostile)
    html = (tmp_path / "digest.html").read_text()
    assert "Beta ␛[2Jbuild <U+202E>gnp.exe" in text
    assert "Beta ␛[2Jbuild &lt;U+202E&gt;gnp.exe" in html  # visible, and still escaped
    for body in (text, html):
        assert inert(body) and "␛]8;;https://evil.example/" in body and "<U+009B>2J" in body.replace("&lt;", "<").replace("&gt;", ">")


def test_the_digest_mail_carries_no_control_character(hostile):
    from slipwatch import config as config_mod
    from slipwatch.publish import dispatch
    from slipwatch.service import open_store

    config = config_mod.load(hostile)
    store = open_store(config)
    d = dispatch.preview(store, config, "Platform", dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC))
    raw = dispatch.render(config, config.teams[0], d, "<x@fernhill.example>")
    store.close()
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    for part in mail.iter_parts():
        body = part.get_content()
        assert inert(body) and "␛[2J" in body


def test_feed_summary_and_description_show_hostile_text_in_visible_form(cli, hostile, tmp_path):
    cli("feed", "write", "--output", tmp_path / "feeds", "--config", hostile)
    for path in (tmp_path / "feeds").glob("*.ics"):
        assert inert(path.read_text(encoding="utf-8"))
        (event,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        summary, description = str(event["SUMMARY"]), str(event["DESCRIPTION"])
        assert summary.startswith("Nimbus Labs: Beta ␛[2Jbuild <U+202E>gnp.exe")
        assert inert(summary, lines=False) and inert(description) and shows_the_hostile_forms(description)
        assert "“Beta build<U+200B> is due on 27 November, see ␛]8;;https://evil.example/" in description


def test_the_answer_to_a_staff_mail_shows_hostile_text_in_visible_form(cli, hostile, tmp_path):
    """The reply names the line and the milestones the mail was about: both may hold anything."""
    raw = vendor_mail(f"slipwatch: name {CLEAR}x{RLO}y\n\nMaya\n", sender="Maya Chen <maya.chen@fernhill.example>",
                      subject="Re: Trailhead plan", date=dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC),
                      message_id="<fix@fernhill.example>")
    store = Store.open(hostile.parent / "slipwatch.db")
    record_mail(store, [Milestone("App Store submission", "Trailhead", "2026-12-04", "planned")],
                sent=SENT, message_id="<plan-2@nimbuslabs.example>")
    store.close()
    raw = raw.replace(b"Subject:", b"References: <plan@nimbuslabs.example> <plan-2@nimbuslabs.example>\nSubject:", 1)
    (tmp_path / "fix.eml").write_bytes(raw)
    cli("ingest", tmp_path / "fix.eml", "--config", hostile, ok=False)
    conn = sqlite3.connect(hostile.parent / "slipwatch.db")
    (answer,) = conn.execute("SELECT raw FROM outbox WHERE kind = 'notice'").fetchone()
    conn.close()
    body = email.message_from_bytes(answer, policy=email.policy.default).get_content()
    assert inert(body) and shows_the_hostile_forms(body), body
    assert "slipwatch: name ␛[2Jx<U+202E>y" in body and "#1 Beta ␛[2Jbuild <U+202E>gnp.exe" in body
    failed = json.loads(cli("messages", "--state", "failed", "--json", "--config", hostile).output)
    assert CLEAR in failed[0]["error"]  # the store (and --json) keep it as it was
