"""Who may write into the schedule: staff forwards and configured vendors; the rest waits in quarantine."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.helpers import CONFIG, vendor_mail

SENT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
BODY = "Hi Maya,\n\nThe beta build will be ready on 27 November.\n\nRegards,\nRahul\n"


def forwarded_by(forwarder: str) -> bytes:
    """A Gmail-style inline forward of a Nimbus Labs mail, sent to the mailbox by `forwarder`."""
    body = (
        "FYI\n\n---------- Forwarded message ---------\n"
        "From: Rahul K <rahul.k@nimbuslabs.example>\nDate: Fri, Nov 20, 2026 at 9:00 AM\n"
        "Subject: Beta build\nTo: Maya Chen <maya.chen@fernhill.example>\n\n" + BODY
    )
    return vendor_mail(body, sender=forwarder, subject="Fwd: Beta build", date=SENT, message_id=None)


def with_auth(raw: bytes, *results: str) -> bytes:
    """Authentication-Results headers on top, the first as the receiving server adds it."""
    return "".join(f"Authentication-Results: {r}\n" for r in results).encode() + raw


CASES = {
    "forwarded by staff": (forwarded_by("Maya Chen <maya.chen@fernhill.example>"), "processed"),
    "forwarded by an outsider": (forwarded_by("Someone <someone@gmail.example>"), "quarantined"),
    "sent directly by a configured vendor": (vendor_mail(BODY), "processed"),
    "sent directly by an unknown domain": (vendor_mail(BODY, sender="x@unknown.example"), "quarantined"),
    "forged staff sender failing DMARC": (
        with_auth(vendor_mail("slipwatch: ignore #1\n", sender="CEO <ceo@fernhill.example>"),
                  "mx.fernhill.example; spf=fail; dmarc=fail (p=reject) header.from=fernhill.example"),
        "quarantined",
    ),
    "vendor mail failing DMARC": (
        with_auth(vendor_mail(BODY), "mx.fernhill.example; dmarc=fail header.from=nimbuslabs.example"),
        "quarantined",
    ),
    "an older DMARC failure below ours does not count": (
        with_auth(vendor_mail(BODY), "mx.fernhill.example; dmarc=pass", "relay.elsewhere.example; dmarc=fail"),
        "processed",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_trust_policy(cli, config_file, tmp_path, case):
    raw, state = CASES[case]
    (tmp_path / "m.eml").write_bytes(raw)
    cli("ingest", tmp_path / "m.eml", "--config", config_file)
    (row,) = json.loads(cli("messages", "--json", "--config", config_file).output)
    assert row["state"] == state, row["error"]
    milestones = json.loads(cli("milestones", "--json", "--config", config_file).output)
    assert bool(milestones) == (state == "processed")


def test_authserv_id_picks_our_servers_header(cli, write_config, tmp_path):
    config = write_config(CONFIG + '\n[trust]\nauthserv_id = "mx.fernhill.example"\n')
    raw = with_auth(vendor_mail(BODY), "spoofed.example; dmarc=pass", "mx.fernhill.example; dmarc=fail")
    (tmp_path / "m.eml").write_bytes(raw)
    assert "1 quarantined" in cli("ingest", tmp_path / "m.eml", "--config", config).output


def test_quarantine_lists_the_reason_and_release_records_it(cli, config_file, tmp_path, monkeypatch):
    (tmp_path / "m.eml").write_bytes(forwarded_by("Someone <someone@gmail.example>"))
    cli("ingest", tmp_path / "m.eml", "--config", config_file)
    listed = cli("quarantine", "--config", config_file).output
    assert "forwarded by someone@gmail.example, who is not staff" in listed
    assert json.loads(cli("milestones", "--json", "--config", config_file).output) == []
    monkeypatch.setenv("SLIPWATCH_USER", "maya")
    cli("quarantine", "release", "1", "--config", config_file)
    assert cli("quarantine", "--config", config_file).stdout == "nothing in quarantine\n"
    (m,) = json.loads(cli("milestones", "--json", "--config", config_file).output)
    assert m["due"] == "2026-11-27"
    assert "not in quarantine" in cli("quarantine", "release", "1", "--config", config_file, ok=False).output


def test_trust_checks_can_be_turned_off(cli, write_config, tmp_path):
    config = write_config(CONFIG + '\n[trust]\nmode = "off"\n')
    (tmp_path / "m.eml").write_bytes(vendor_mail(BODY, sender="x@unknown.example"))
    assert "1 new" in cli("ingest", tmp_path / "m.eml", "--config", config).output
