"""Who may write into the schedule: staff forwards and configured vendors, on the evidence of our own
receiving server's Authentication-Results; the rest waits in quarantine with the reason."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from slipwatch import config as config_mod
from slipwatch.errors import ConfigError
from tests.helpers import AUTHSERV_ID, CONFIG, vendor_mail

SENT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
BODY = "Hi Maya,\n\nThe beta build will be ready on 27 November.\n\nRegards,\nRahul\n"
MAYA = "Maya Chen <maya.chen@fernhill.example>"


def forwarded_by(forwarder: str, **mail) -> bytes:
    """A Gmail-style inline forward of a Nimbus Labs mail, sent to the mailbox by `forwarder`."""
    body = (
        "FYI\n\n---------- Forwarded message ---------\n"
        "From: Rahul K <rahul.k@nimbuslabs.example>\nDate: Fri, Nov 20, 2026 at 9:00 AM\n"
        "Subject: Beta build\nTo: Maya Chen <maya.chen@fernhill.example>\n\n" + BODY
    )
    return vendor_mail(body, sender=forwarder, subject="Fwd: Beta build", date=SENT, message_id=None, **mail)


def ours(results: str) -> str:
    """An Authentication-Results header of our receiving server."""
    return f"{AUTHSERV_ID}; {results}"


def ingest(cli, config, tmp_path, raw: bytes, name: str = "m.eml") -> dict:
    (tmp_path / name).write_bytes(raw)
    cli("ingest", tmp_path / name, "--config", config)
    rows = json.loads(cli("messages", "--json", "--config", config).output)
    return rows[-1]


CASES = {
    "forwarded by staff": (forwarded_by(MAYA), "processed"),
    "forwarded by an outsider": (forwarded_by("Someone <someone@gmail.example>"), "quarantined"),
    "sent directly by a configured vendor": (vendor_mail(BODY), "processed"),
    "sent directly by an unknown domain": (vendor_mail(BODY, sender="x@unknown.example"), "quarantined"),
    "forged staff sender failing DMARC": (
        vendor_mail("slipwatch: ignore #1\n", sender="CEO <ceo@fernhill.example>",
                    auth=ours("spf=fail; dmarc=fail (p=reject) header.from=fernhill.example")),
        "quarantined",
    ),
    "vendor mail failing DMARC": (
        vendor_mail(BODY, auth=ours("dmarc=fail header.from=nimbuslabs.example")), "quarantined",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_trust_policy(cli, config_file, tmp_path, case):
    raw, state = CASES[case]
    row = ingest(cli, config_file, tmp_path, raw)
    assert row["state"] == state, row["error"]
    milestones = json.loads(cli("milestones", "--json", "--config", config_file).output)
    assert bool(milestones) == (state == "processed")


# -- item 1: the display name is no identity ------------------------------------------------------------


def forged(from_line: str, body: str, *, auth: str) -> bytes:
    """A mail whose From line is exactly as written (no library re-encodes it)."""
    raw = vendor_mail(body, sender="placeholder@evil.example", auth=auth, date=SENT)
    return raw.replace(b"From: placeholder@evil.example", b"From: " + from_line.encode())


def test_a_staff_address_in_an_encoded_display_name_is_no_staff_correction(cli, config_file, tmp_path):
    """The issue's case: DMARC passes (for the attacker's own domain), the display name claims staff."""
    ingest(cli, config_file, tmp_path, vendor_mail(BODY, date=SENT), "plan.eml")
    before = json.loads(cli("show", 1, "--json", "--config", config_file).output)
    attack = forged("=?utf-8?q?maya.chen=40fernhill.example?= <attacker@evil.example>",
                    "slipwatch: due 2031-01-01 #1\n", auth=ours("dmarc=pass header.from=evil.example"))
    row = ingest(cli, config_file, tmp_path, attack, "attack.eml")
    assert (row["state"], row["author"]) == ("quarantined", "attacker@evil.example")
    assert "sent by attacker@evil.example, who is not staff" in row["error"]
    after = json.loads(cli("show", 1, "--json", "--config", config_file).output)
    assert after["due"] == before["due"] == "2026-11-27"
    assert "2031" not in cli("show", 1, "--config", config_file).output


@pytest.mark.parametrize(("from_line", "reason"), [
    ("maya.chen@fernhill.example, attacker@evil.example", "the From header names 2 addresses"),
    ("undisclosed-recipients:;", "the From header names no address"),
    ("maya.chen@fernhill.example <attacker@evil.example>", "the From header is malformed"),
])
def test_a_from_with_several_addresses_or_none_is_quarantined_with_the_reason(cli, config_file, tmp_path,
                                                                              from_line, reason):
    raw = forged(from_line, "slipwatch: due 2031-01-01 #1\n", auth=ours("dmarc=pass header.from=fernhill.example"))
    row = ingest(cli, config_file, tmp_path, raw)
    assert row["state"] == "quarantined"
    assert reason in row["error"]
    assert reason in cli("quarantine", "--config", config_file).output


# -- item 2: Authentication-Results, read as RFC 8601 writes them, from our own server only ---------------


QUARANTINED = {
    "a mailfrom that spells dmarc=pass": (
        "spf=pass smtp.mailfrom=dmarc=pass@evil.example; dkim=none; dmarc=fail header.from=fernhill.example",
        "DMARC fail for fernhill.example",
    ),
    "a comment holding dmarc=pass": (
        "spf=fail (sender not permitted; dmarc=pass expected) smtp.mailfrom=evil.example;"
        " dmarc=fail header.from=fernhill.example",
        "DMARC fail for fernhill.example",
    ),
    "a comment is all that says dmarc": (
        "dkim=none (dmarc=pass header.from=fernhill.example)",
        f"no DMARC result for fernhill.example in the Authentication-Results of {AUTHSERV_ID}",
    ),
    "a quoted local part holding a result": (
        'spf=pass smtp.mailfrom="x; dmarc=pass header.from=fernhill.example"@evil.example;'
        " dmarc=fail header.from=fernhill.example",
        "DMARC fail for fernhill.example",
    ),
    "dmarc=none without DKIM": (
        "spf=pass smtp.mailfrom=fernhill.example; dmarc=none header.from=fernhill.example",
        "fernhill.example publishes no DMARC policy (dmarc=none) and no DKIM signature of fernhill.example passed",
    ),
    "dmarc=none with a DKIM signature of another domain": (
        "dkim=pass header.d=evil.example; dmarc=none header.from=fernhill.example",
        "no DKIM signature of fernhill.example passed",
    ),
    "a DKIM-only header from our server": (
        "dkim=pass header.d=fernhill.example",
        f"no DMARC result for fernhill.example in the Authentication-Results of {AUTHSERV_ID}",
    ),
    "a DMARC pass for another domain": (
        "dmarc=pass header.from=evil.example",
        f"no DMARC result for fernhill.example in the Authentication-Results of {AUTHSERV_ID}",
    ),
    "a pass and a fail for the same domain": (
        "dmarc=pass header.from=fernhill.example; dmarc=fail header.from=fernhill.example",
        "DMARC fail for fernhill.example",
    ),
    "a temporary error": ("dmarc=temperror header.from=fernhill.example", "DMARC temperror for fernhill.example"),
    "our server read nothing": ("none", f"no DMARC result for fernhill.example in the Authentication-Results of {AUTHSERV_ID}"),
}


@pytest.mark.parametrize("case", list(QUARANTINED))
def test_staff_mail_without_our_servers_dmarc_pass_is_quarantined(cli, config_file, tmp_path, case):
    results, reason = QUARANTINED[case]
    row = ingest(cli, config_file, tmp_path, forwarded_by(MAYA, auth=ours(results)))
    assert row["state"] == "quarantined"
    assert reason in row["error"]


def test_no_authentication_results_at_all_is_quarantined(cli, config_file, tmp_path):
    row = ingest(cli, config_file, tmp_path, forwarded_by(MAYA, auth=None))
    assert (row["state"], row["error"]) == ("quarantined", f"no Authentication-Results from {AUTHSERV_ID}")


def test_another_servers_pass_does_not_count(cli, config_file, tmp_path):
    raw = forwarded_by(MAYA, auth="relay.elsewhere.example; dmarc=pass header.from=fernhill.example")
    row = ingest(cli, config_file, tmp_path, raw)
    assert (row["state"], row["error"]) == ("quarantined", f"no Authentication-Results from {AUTHSERV_ID}")


def test_a_vendor_without_dmarc_is_trusted_on_an_aligned_dkim_pass(cli, config_file, tmp_path):
    """Vendors without a DMARC record are common; their own DKIM signature (here of the parent domain) vouches."""
    raw = vendor_mail(BODY, sender="Rahul K <rahul.k@mail.nimbuslabs.example>", date=SENT, auth=ours(
        "spf=pass smtp.mailfrom=mail.nimbuslabs.example; dkim=pass (2048-bit key) header.d=nimbuslabs.example"
        " header.s=sel1; dmarc=none (p=none) header.from=mail.nimbuslabs.example"))
    row = ingest(cli, config_file, tmp_path, raw)
    assert row["state"] == "processed", row["error"]


def test_our_servers_verdict_in_several_headers_and_an_older_failure_below(cli, config_file, tmp_path):
    """Postfix with OpenDKIM and OpenDMARC writes one header each; a relay's older verdict below is not ours."""
    raw = forwarded_by(MAYA, auth=ours("dkim=pass header.d=fernhill.example"))
    raw = (f"Authentication-Results: {AUTHSERV_ID} 1; dmarc=pass (p=reject dis=none) header.from=fernhill.example\n"
           "Authentication-Results: relay.elsewhere.example; dmarc=fail header.from=fernhill.example\n").encode() + raw
    row = ingest(cli, config_file, tmp_path, raw)
    assert row["state"] == "processed", row["error"]


def test_authserv_id_picks_our_servers_header(cli, config_file, tmp_path):
    raw = vendor_mail(BODY, auth="spoofed.example; dmarc=pass header.from=nimbuslabs.example")
    raw = f"Authentication-Results: {AUTHSERV_ID}; dmarc=fail header.from=nimbuslabs.example\n".encode() + raw
    assert "1 quarantined" in cli("ingest", _write(tmp_path, raw), "--config", config_file).output


def _write(tmp_path, raw: bytes):
    (tmp_path / "m.eml").write_bytes(raw)
    return tmp_path / "m.eml"


# -- the key that names our server ------------------------------------------------------------------------


def test_trust_needs_the_receiving_servers_authserv_id(write_config):
    path = write_config(CONFIG.replace(f'authserv_id = "{AUTHSERV_ID}"\n', ""))
    with pytest.raises(ConfigError) as caught:
        config_mod.load(path)
    message = str(caught.value)
    assert "trust.authserv_id: is required" in message
    assert "slipwatch doctor" in message  # which shows the ids seen on the stored mail


def test_without_trust_checks_no_authserv_id_is_needed(write_config):
    text = CONFIG.replace(f'authserv_id = "{AUTHSERV_ID}"', 'mode = "off"')
    assert config_mod.load(write_config(text)).trust.authserv_id is None


def test_doctor_shows_the_authserv_ids_of_recent_mail_when_the_key_is_missing(cli, config_file, tmp_path):
    ingest(cli, config_file, tmp_path, forwarded_by(MAYA))
    relayed = vendor_mail(BODY, auth="relay.elsewhere.example; none")  # the older header, below ours
    ingest(cli, config_file, tmp_path, f"Authentication-Results: {ours('dmarc=pass')}\n".encode() + relayed, "2.eml")
    config_file.write_text(config_file.read_text().replace(f'authserv_id = "{AUTHSERV_ID}"\n', ""))
    out = cli("doctor", "--config", config_file, ok=False).output
    assert "FAIL config:" in out and "trust.authserv_id" in out
    assert f"FAIL trust: Authentication-Results of the last 2 stored messages: {AUTHSERV_ID} (topmost in 2)," \
           " relay.elsewhere.example (in 1)" in out
    assert f'fix: set [trust] authserv_id = "{AUTHSERV_ID}"' in out


def test_doctor_checks_the_authserv_id_against_recent_mail(cli, config_file, tmp_path):
    ingest(cli, config_file, tmp_path, forwarded_by(MAYA))
    out = cli("doctor", "--config", config_file).output
    assert f"ok   trust: {AUTHSERV_ID} wrote the Authentication-Results of 1 of the last 1 stored messages" in out
    config_file.write_text(config_file.read_text().replace(f'"{AUTHSERV_ID}"', '"mx.typo.example"'))
    out = cli("doctor", "--config", config_file, ok=False).output
    assert "FAIL trust: mx.typo.example wrote the Authentication-Results of none of the last 1 stored messages;" \
           f" seen: {AUTHSERV_ID} (topmost in 1)" in out


def test_quarantine_lists_the_reason_and_release_records_it(cli, config_file, tmp_path, monkeypatch):
    ingest(cli, config_file, tmp_path, forwarded_by("Someone <someone@gmail.example>"))
    listed = cli("quarantine", "--config", config_file).output
    assert "sent by someone@gmail.example, who is not staff" in listed
    assert json.loads(cli("milestones", "--json", "--config", config_file).output) == []
    monkeypatch.setenv("SLIPWATCH_USER", "maya")
    cli("quarantine", "release", "1", "--config", config_file)
    assert cli("quarantine", "--config", config_file).stdout == "nothing in quarantine\n"
    (m,) = json.loads(cli("milestones", "--json", "--config", config_file).output)
    assert m["due"] == "2026-11-27"
    assert "not in quarantine" in cli("quarantine", "release", "1", "--config", config_file, ok=False).output


def test_trust_checks_can_be_turned_off(cli, write_config, tmp_path):
    config = write_config(CONFIG.replace(f'authserv_id = "{AUTHSERV_ID}"', 'mode = "off"'))
    assert "1 new" in cli("ingest", _write(tmp_path, vendor_mail(BODY, sender="x@unknown.example", auth=None)),
                          "--config", config).output


@pytest.mark.parametrize(("auth", "detail", "fix"), [
    (None, "none of the last 1 stored messages has an Authentication-Results header",
     "have the receiving server check DMARC"),
    ("spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=fernhill.example; dmarc=pass action=none"
     " header.from=fernhill.example", "(no authserv-id, as Microsoft 365 writes them) (topmost in 1)",
     "these headers name no server"),
])
def test_doctor_says_when_recent_mail_holds_nothing_to_trust(cli, config_file, tmp_path, auth, detail, fix):
    ingest(cli, config_file, tmp_path, forwarded_by(MAYA, auth=auth))
    out = cli("doctor", "--config", config_file, ok=False).output
    assert "FAIL trust: " in out and detail in out and f"fix: {fix}" in out


def test_a_forward_block_under_no_sender_speaks_for_no_vendor(cli, config_file, tmp_path):
    """Without a From, a forward block a stranger wrote would have passed as the vendor's own mail."""
    raw = forwarded_by("Someone <someone@gmail.example>").replace(b"From: Someone <someone@gmail.example>\n", b"")
    (tmp_path / "m.eml").write_bytes(raw)
    assert "0 new, 0 duplicate, 0 failed, 1 quarantined" in cli("ingest", tmp_path / "m.eml", "--config",
                                                                 config_file).output
    assert "no From header" in cli("quarantine", "--config", config_file).output
    assert json.loads(cli("milestones", "--json", "--config", config_file).output) == []
