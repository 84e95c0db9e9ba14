"""What `ingest` and the Maildir source make of files that are not mail: each named, with what is wrong."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

import pytest

from tests.helpers import CONFIG, vendor_mail

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00\x90\x91h6"


@pytest.fixture
def inbox_folder(tmp_path: Path) -> Path:
    """What a person drops into a folder: one vendor mail, a picture, an empty file, a newline, notes."""
    folder = tmp_path / "dropped"
    folder.mkdir()
    (folder / "a-status.eml").write_bytes(vendor_mail())
    (folder / "b-picture.eml").write_bytes(PNG)
    (folder / "c-empty.eml").write_bytes(b"")
    (folder / "d-newline.eml").write_bytes(b"\n")
    (folder / "notes.txt").write_text("call Rahul about the beta\n")
    return folder


def test_ingest_dir_names_each_failed_and_skipped_file_and_exits_1(cli, config_file, inbox_folder):
    result = cli("ingest", inbox_folder, "--config", config_file, ok=False)
    assert result.exit_code == 1
    out = result.output
    assert f"skipped {inbox_folder / 'notes.txt'}: not an .eml file" in out
    assert f"failed {inbox_folder / 'b-picture.eml'}: not a mail message: binary (a PNG image)" in out
    assert f"failed {inbox_folder / 'c-empty.eml'}: not a mail message: empty" in out
    assert f"failed {inbox_folder / 'd-newline.eml'}: not a mail message: empty (only blank lines)" in out
    assert "1 new, 0 duplicate, 3 failed, 1 skipped" in out
    assert "Error: 3 of 4 messages failed; `slipwatch messages --state failed` keeps the reasons" in out
    assert "no sender address" not in out and "MessageError" not in out


def test_failed_messages_are_listed_by_file_name(cli, config_file, inbox_folder):
    cli("ingest", inbox_folder, "--config", config_file, ok=False)
    failed = json.loads(cli("messages", "--state", "failed", "--json", "--config", config_file).output)
    assert [(f["location"], f["error"], f["attempts"]) for f in failed] == [
        (str(inbox_folder / "b-picture.eml"), "not a mail message: binary (a PNG image)", 3),  # not retried
        (str(inbox_folder / "c-empty.eml"), "not a mail message: empty", 3),
        (str(inbox_folder / "d-newline.eml"), "not a mail message: empty (only blank lines)", 3),
    ]
    listed = cli("messages", "--state", "failed", "--config", config_file).output
    assert f"    {inbox_folder / 'b-picture.eml'}\n    not a mail message: binary (a PNG image)\n" in listed


def test_ingest_file_names_a_picture_whatever_its_name(cli, config_file, tmp_path):
    (tmp_path / "scan.png").write_bytes(PNG)
    result = cli("ingest", tmp_path / "scan.png", "--config", config_file, ok=False)
    assert f"failed {tmp_path / 'scan.png'}: not a mail message: binary (a PNG image)" in result.output
    assert "0 new, 0 duplicate, 1 failed" in result.output and result.exit_code == 1


def test_a_second_empty_file_fails_too_rather_than_pass_as_a_duplicate(cli, config_file, tmp_path):
    (tmp_path / "one.eml").write_bytes(b"")
    (tmp_path / "two.eml").write_bytes(b"")
    out = cli("ingest", tmp_path, "--config", config_file, ok=False).output
    assert f"failed {tmp_path / 'one.eml'}: not a mail message: empty" in out
    assert f"failed {tmp_path / 'two.eml'}: not a mail message: empty" in out
    assert "0 new, 0 duplicate, 2 failed" in out


def test_text_without_headers_has_no_header_block(cli, config_file, tmp_path):
    (tmp_path / "pasted.eml").write_text("Hi Maya,\n\nThe beta build is ready on Friday.\n")
    out = cli("ingest", tmp_path / "pasted.eml", "--config", config_file, ok=False).output
    assert "not a mail message: no header block (the first line is not a header such as From: or Subject:)" in out


def test_a_mail_without_a_sender_is_quarantined_and_logged_by_its_message_id(cli, config_file, tmp_path):
    raw = vendor_mail(message_id="<no-sender@nimbuslabs.example>").replace(b"From: Rahul K <rahul.k@nimbuslabs.example>\n", b"")
    (tmp_path / "anonymous.eml").write_bytes(raw)
    out = cli("ingest", tmp_path / "anonymous.eml", "--config", config_file).output
    assert "quarantined <no-sender@nimbuslabs.example>, unread: no From header" in out  # the log line
    assert "0 new, 0 duplicate, 0 failed, 1 quarantined" in out


def test_without_trust_checks_a_mail_without_a_sender_fails_and_is_retried(cli, write_config, tmp_path):
    config = write_config(CONFIG.replace('authserv_id = "mx1.fernhill.example"', 'mode = "off"'))
    raw = vendor_mail(message_id="<no-sender@nimbuslabs.example>").replace(b"From: Rahul K <rahul.k@nimbuslabs.example>\n", b"")
    (tmp_path / "anonymous.eml").write_bytes(raw)
    out = cli("ingest", tmp_path / "anonymous.eml", "--config", config, ok=False).output
    assert ("failed <no-sender@nimbuslabs.example> (message 1, attempt 1 of 3): "
            "no sender address: no From header") in out  # the log line
    assert f"failed {tmp_path / 'anonymous.eml'}: no sender address" in out  # the report names the file


def test_a_mail_without_message_id_is_logged_by_its_file_name(cli, config_file, tmp_path):
    (tmp_path / "empty.eml").write_bytes(b"")
    out = cli("ingest", tmp_path / "empty.eml", "--config", config_file, ok=False).output
    assert f"failed {tmp_path / 'empty.eml'} (message 1, not retried): not a mail message: empty" in out


def test_a_folder_holding_an_mbox_and_a_maildir(cli, config_file, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    box = mailbox.mbox(folder / "vendors.mbox")
    box.add(vendor_mail(subject="mbox"))
    box.close()
    md = mailbox.Maildir(folder / "Maildir")
    md.add(vendor_mail(subject="maildir"))
    (folder / "Maildir" / "dovecot-uidlist").write_text("3 V1 N2\n")  # the Maildir's own files are not reported
    out = cli("ingest", folder, "--config", config_file).output
    assert f"skipped {folder / 'vendors.mbox'}: an mbox file, not an .eml file (name it on the command line" in out
    assert "dovecot-uidlist" not in out
    assert "1 new, 0 duplicate, 0 failed, 1 skipped" in out  # skipped files are no failure: exit 0
    assert "1 new, 0 duplicate, 0 failed" in cli("ingest", folder / "vendors.mbox", "--config", config_file).output


def test_the_maildir_source_names_a_picture_in_the_inbox(cli, config_file):
    inbox = config_file.parent / "inbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True)
    (inbox / "new" / "photo.png").write_bytes(PNG)
    (inbox / "new" / "status").write_bytes(vendor_mail())
    out = cli("run", "--once", "--config", config_file).output
    assert f"failed photo.png in maildir:{inbox} (message 1, not retried): not a mail message: binary (a PNG image)" in out
    listed = cli("messages", "--state", "failed", "--config", config_file).output
    assert f"    photo.png in maildir:{inbox}\n    not a mail message: binary (a PNG image)\n" in listed
    assert (inbox / "new" / "photo.png").exists()  # left where it was, unread
    assert "photo.png" not in cli("run", "--once", "--config", config_file).output  # not taken again


def test_extract_says_a_picture_is_not_mail(cli, tmp_path):
    (tmp_path / "scan.eml").write_bytes(PNG)
    (report,) = [json.loads(line) for line in cli("extract", "--json", tmp_path / "scan.eml").output.splitlines()]
    assert report["error"] == "not a mail message: binary (a PNG image)" and report["milestones"] == []
