"""Every command through click's CliRunner, on files written by the tests."""

from __future__ import annotations

import json
import mailbox
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slipwatch.store import Location, Store

from tests.helpers import DEMO_INBOX, GARBAGE, demo_config, vendor_mail


@pytest.fixture
def mails(tmp_path: Path) -> Path:
    """A folder with three vendor mails and one that is not a mail at all."""
    folder = tmp_path / "mails"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.eml").write_bytes(vendor_mail(subject=f"Status {n}"))
    (folder / "junk.eml").write_bytes(GARBAGE)
    return folder


def test_check_config_prints_a_summary(cli, config_file):
    out = cli("check-config", "--config", config_file).output
    assert "source: maildir" in out and "team Platform: America/New_York" in out
    assert out.strip().endswith("config OK")


def test_check_config_names_the_bad_key(cli, write_config):
    path = write_config("[store]\npath = 'x.db'\n[source]\nkind = 'maildir'\npath = 'in'\n[organisation]\nname = 'x'\ndomains = ['x.example']\n[[teams]]\nname = 'A'\ntimezone = 'Mars/Olympus'\n")
    result = cli("check-config", "--config", path, ok=False)
    assert result.exit_code == 1
    assert f"Error: {path}: teams[0].timezone: \"Mars/Olympus\" is not an IANA time zone" in result.output


def test_ingest_twice_stores_each_message_once(cli, config_file, mails):
    first = cli("ingest", mails, "--config", config_file, ok=False).output
    assert "3 new, 0 duplicate, 1 failed" in first
    second = cli("ingest", mails, "--config", config_file, ok=False).output
    assert "0 new, 3 duplicate, 1 failed" in second  # the junk is still no mail, and says so again


def test_a_file_that_is_no_mail_is_stored_as_failed_with_its_reason(cli, config_file, mails):
    cli("ingest", mails, "--config", config_file, ok=False)
    failed = json.loads(cli("messages", "--state", "failed", "--json", "--config", config_file).output)
    assert len(failed) == 1
    assert failed[0]["error"] == "not a mail message: binary"
    assert failed[0]["location"] == str(mails / "junk.eml")
    store = Store.open(config_file.parent / "slipwatch.db")
    assert store.raw(failed[0]["id"]) == GARBAGE  # kept, whatever happened
    store.close()


def test_ingest_reads_mbox_and_maildir(cli, config_file, tmp_path):
    box = mailbox.mbox(tmp_path / "vendors.mbox")
    for n in range(2):
        box.add(vendor_mail(subject=f"mbox {n}"))
    box.close()
    md = mailbox.Maildir(tmp_path / "md")
    md.add(vendor_mail(subject="maildir"))
    out = cli("ingest", tmp_path / "vendors.mbox", tmp_path / "md", "--config", config_file).output
    assert "3 new, 0 duplicate, 0 failed" in out


def test_extract_prints_one_json_line_per_file_in_order(cli, mails):
    files = sorted(mails.glob("*.eml"))
    lines = cli("extract", "--json", *files).output.splitlines()
    reports = [json.loads(line) for line in lines]
    assert [r["file"] for r in reports] == [str(f) for f in files]
    for report in reports[:3]:
        assert set(report) >= {"file", "forwarded_by", "from", "subject", "sent", "milestones"}
        assert report["from"] == "rahul.k@nimbuslabs.example"
        assert report["forwarded_by"] is None
        assert report["sent"] == "2026-11-20T18:05+05:30"


def test_extract_without_json_is_readable(cli, mails):
    out = cli("extract", mails / "0.eml").output
    assert "from:         rahul.k@nimbuslabs.example" in out


def test_run_once_takes_the_maildir_and_marks_messages_read(cli, config_file, mails):
    inbox = config_file.parent / "inbox"
    md = mailbox.Maildir(inbox)
    for f in sorted(mails.glob("*.eml")):
        md.add(f.read_bytes())
    cli("run", "--once", "--config", config_file)
    assert len(list((inbox / "new").iterdir())) == 1  # the failed one stays where it was
    assert len(list((inbox / "cur").iterdir())) == 3
    listed = cli("messages", "--config", config_file).output
    assert listed.count("processed") == 3 and listed.count("failed") == 1
    cli("run", "--once", "--config", config_file)  # nothing is taken twice
    store = Store.open(config_file.parent / "slipwatch.db")
    assert store.counts() == {"processed": 3, "failed": 1}
    assert store.conn.execute("SELECT count(*) FROM message_locations").fetchone()[0] == 4
    store.close()


def test_run_seeds_a_new_maildir_from_the_demo_inbox(cli, write_config):
    path = write_config(demo_config())
    cli("run", "--once", "--config", path)
    store = Store.open(path.parent / "var" / "slipwatch.db")
    counts = store.counts()
    store.close()
    assert counts.get("processed", 0) == len(list(DEMO_INBOX.glob("*.eml"))) >= 10


def test_a_crash_between_storing_and_reading_is_finished_on_the_next_run(cli, config_file):
    store = Store.open(config_file.parent / "slipwatch.db")
    store.admit(vendor_mail(), "<x@nimbuslabs.example>", Location("file", "/x.eml"))
    store.close()
    cli("run", "--once", "--config", config_file)
    store = Store.open(config_file.parent / "slipwatch.db")
    assert store.counts() == {"processed": 1}
    store.close()


def test_milestones_lists_current_state_and_filters(cli, config_file):
    store = Store.open(config_file.parent / "slipwatch.db")
    store.sync_directory([{"name": "Nimbus Labs"}, {"name": "Other Co"}], [])
    with store.transaction() as conn:
        conn.execute("INSERT INTO milestones (id, vendor, name, created_at) VALUES (1, 1, 'Beta build', 'now')")
        conn.execute("INSERT INTO milestones (id, vendor, name, created_at) VALUES (2, 2, 'Logo', 'now')")
        for sent, due, status in [("2026-11-02T10:00+05:30", "2026-11-20", "planned"),
                                  ("2026-11-18T10:00+05:30", "2026-11-27", "delayed")]:
            conn.execute("INSERT INTO milestone_revisions (milestone, sent, due, status, recorded_at)"
                         " VALUES (1, ?, ?, ?, 'now')", (sent, due, status))
        conn.execute("INSERT INTO milestone_revisions (milestone, sent, due, status, recorded_at)"
                     " VALUES (2, '2026-11-02T10:00Z', '2026-12-01', 'planned', 'now')")
    store.close()
    rows = json.loads(cli("milestones", "--json", "--config", config_file).output)
    beta = rows[0]
    assert (beta["due"], beta["status"], beta["baseline_due"], beta["slip_days"]) == ("2026-11-27", "delayed", "2026-11-20", 7)
    assert beta["teams"] == ["Platform"] and rows[1]["teams"] == []
    assert [r["id"] for r in json.loads(cli("milestones", "--json", "--slipped", "--config", config_file).output)] == [1]
    assert [r["id"] for r in json.loads(cli("milestones", "--json", "--team", "platform", "--config", config_file).output)] == [1]
    assert [r["id"] for r in json.loads(cli("milestones", "--json", "--vendor", "other co", "--config", config_file).output)] == [2]
    assert "Beta build" in cli("milestones", "--config", config_file).output
    assert "no team 'Nope'" in cli("milestones", "--team", "Nope", "--config", config_file, ok=False).output
    # a status as the table prints it ("at risk") is as good as its JSON name (at_risk)
    for written in ("delayed", "Delayed", " delayed "):
        assert [r["id"] for r in json.loads(cli("milestones", "--json", "--status", written, "--config",
                                                config_file).output)] == [1]
    assert cli("milestones", "--json", "--status", "at risk", "--config", config_file).output.strip() == "[]"
    assert cli("milestones", "--json", "--status", "at-risk", "--config", config_file).output.strip() == "[]"
    assert "'at risky' is not one of" in cli("milestones", "--status", "at risky", "--config", config_file,
                                            ok=False).output


def test_what_the_reader_could_not_read_is_recorded_with_the_message(cli, config_file, tmp_path):
    broken = vendor_mail().replace(b"Content-Transfer-Encoding: 7bit", b"Content-Transfer-Encoding: base64")
    broken = broken.replace(b"Content-Type: text/plain", b"Content-Type: text/plain; charset=x-no-such-charset")
    (tmp_path / "broken.eml").write_bytes(broken)
    cli("ingest", tmp_path / "broken.eml", "--config", config_file)
    (row,) = json.loads(cli("messages", "--json", "--config", config_file).output)
    assert row["state"] == "processed" and json.loads(row["problems"])
    assert "problem:" in cli("messages", "--config", config_file).output


def test_commands_that_read_no_mail_start_without_the_grammar():
    """The date grammar and the readers compile hundreds of patterns and load the office libraries: `slipwatch
    --version`, `milestones`, `feeds` and the rest start without them (issue 19); `extract` and `ingest` load them."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, slipwatch.cli; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    heavy = {"slipwatch.extract.dates", "slipwatch.extract.extractor", "slipwatch.mail.reader", "openpyxl", "pypdf"}
    assert not heavy & set(loaded)
