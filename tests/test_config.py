"""The config file: what a valid one gives, and how each mistake is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from slipwatch import config
from slipwatch.errors import ConfigError

from tests.helpers import CONFIG, REPO


def load_text(write_config, text: str) -> config.Config:
    return config.load(write_config(text))


def test_demo_config_is_valid():
    c = config.load(REPO / "config" / "demo.toml")
    assert c.source.kind == "maildir"
    assert c.source.seed == REPO / "config" / "demo-inbox" and c.source.seed_recent  # the story plays out around today
    assert c.store.path == REPO / "var" / "slipwatch.db"
    assert [t.name for t in c.teams] == ["Platform", "Brand"]
    assert c.smtp is not None and c.smtp.from_ == "slipwatch@fernhill.example"


def test_relative_paths_are_read_from_the_config_folder(config_file: Path):
    c = config.load(config_file)
    assert c.store.path == config_file.parent / "slipwatch.db"
    assert c.source.path == config_file.parent / "inbox"


def test_config_path_prefers_option_then_environment(monkeypatch):
    monkeypatch.setenv("SLIPWATCH_CONFIG", "/srv/env.toml")
    assert config.config_path("given.toml") == Path("given.toml")
    assert config.config_path() == Path("/srv/env.toml")
    monkeypatch.delenv("SLIPWATCH_CONFIG")
    assert config.config_path() == Path("/etc/slipwatch/config.toml")


@pytest.mark.parametrize(
    "change, key, words",
    [
        (('timezone = "America/New_York"', 'timezone = "Asia/Calcuta"'), "teams[0].timezone",
         '"Asia/Calcuta" is not an IANA time zone; did you mean "Asia/Calcutta" or "Asia/Kolkata"?'),
        (('timezone = "America/New_York"', 'timezone = "new york"'), "teams[0].timezone",
         'did you mean "America/New_York"?'),
        (('timezone = "America/New_York"', 'timezone = "IST"'), "teams[0].timezone",
         '"IST" is not an IANA time zone (examples: "Europe/Berlin", "Asia/Kolkata")'),
        (('poll_seconds = 1', 'poll_seconds = 1\npoll_second = 5'), "source.poll_second",
         'unknown key; did you mean "poll_seconds"?'),
        (('poll_seconds = 1', 'poll_seconds = 1\ncolour = "blue"'), "source.colour",
         "unknown key; expected one of backlog, batch_size,"),
        (('[smtp]', '[smtpp]'), "smtpp", 'unknown section; did you mean "smtp"?'),
        (('vendors = ["Nimbus Labs"]', 'vendors = ["Nimbus Labs", "Nimbus Lab"]'), "teams[0].vendors[1]",
         '"Nimbus Lab" is not a configured vendor; did you mean "Nimbus Labs"?'),
        (('vendors = ["Nimbus Labs"]', 'vendors = ["Acme"]'), "teams[0].vendors[0]",
         '"Acme" is not a configured vendor; configured: "Nimbus Labs"; add a [[vendors]] table named "Acme"'),
        (('kind = "maildir"', 'kind = "pop3"'), "source.kind", '"pop3" is not a source kind'),
        (('poll_seconds = 1', 'poll_seconds = "often"'), "source.poll_seconds", "expected a whole number"),
        (('domains = ["fernhill.example"]', 'domains = []'), "organisation.domains", "list at least one"),
        (('domains = ["fernhill.example"]', 'domains = ["fernhill.example"]\ntimezone = "Central European Time"'),
         "organisation.timezone", '"Central European Time" is not an IANA time zone (examples: "Europe/Berlin"'),
        (('name = "Platform"', 'name = "Platform"\ndigest_at = "Mondays at nine"'), "teams[0].digest_at",
         'write a weekday and 24-hour time such as "MON 09:00"'),
        (('name = "Nimbus Labs"\ndomains', 'domains'), "vendors[0].name", "is required"),
        (('poll_seconds = 1', 'poll_seconds = 1\nseed_recent = true'), "source.seed_recent", "it needs source.seed"),
        (('[smtp]', '[limits]\nmax_sheet_rows = 0\n\n[smtp]'), "limits.max_sheet_rows", "must be at least 1, got 0"),
    ],
)
def test_each_mistake_names_file_key_and_fix(write_config, change, key, words):
    path = write_config(CONFIG.replace(*change))
    with pytest.raises(ConfigError) as err:
        config.load(path)
    message = str(err.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert words in message


def test_times_show_in_the_organisations_zone_else_the_first_teams_else_utc(write_config):
    org = 'domains = ["fernhill.example"]'
    assert load_text(write_config, CONFIG.replace(org, f'{org}\ntimezone = "Europe/Berlin"')).timezone == "Europe/Berlin"
    assert load_text(write_config, CONFIG).timezone == "America/New_York"  # Platform's, the only team
    no_team = CONFIG[:CONFIG.index("[[teams]]")] + CONFIG[CONFIG.index("[[vendors]]"):]
    assert load_text(write_config, no_team).timezone == "UTC"


def test_the_summary_says_where_times_are_shown_and_why(write_config):
    (line,) = [x for x in config.summary(load_text(write_config, CONFIG)) if x.startswith("organisation:")]
    assert line == ("organisation: Fernhill Outfitters (fernhill.example), times shown in America/New_York "
                    "([organisation] timezone is not set: the first team's zone, else UTC)")


def test_a_team_names_its_vendors_in_any_case(write_config):
    c = load_text(write_config, CONFIG.replace('vendors = ["Nimbus Labs"]', 'vendors = ["nimbus LABS"]'))
    assert c.teams[0].vendors == ("nimbus LABS",)  # the schedule matches vendor names without regard to case


def test_missing_section_is_named_with_an_example(write_config):
    text = CONFIG.replace('[source]\nkind = "maildir"\npath = "inbox"\npoll_seconds = 1\n', "")
    path = write_config(text)
    with pytest.raises(ConfigError, match=r"slipwatch.toml: \[source\]: section is missing; add a \[source\] table"):
        config.load(path)


def test_imap_without_tls_is_only_allowed_on_loopback(write_config):
    imap = CONFIG.replace(
        'kind = "maildir"\npath = "inbox"',
        'kind = "imap"\nhost = "mail.example.com"\nusername = "u"\npassword_env = "PW"\ntls = "none"',
    )
    with pytest.raises(ConfigError, match=r"source.tls: \"none\" sends passwords in clear text"):
        config.load(write_config(imap))
    assert config.load(write_config(imap.replace("mail.example.com", "127.0.0.1"))).source.tls == "none"


def test_imap_needs_exactly_one_way_to_get_the_password(write_config):
    imap = CONFIG.replace('kind = "maildir"\npath = "inbox"', 'kind = "imap"\nhost = "h"\nusername = "u"')
    with pytest.raises(ConfigError, match=r"source.password_\*: set exactly one of .* \(found 0\)"):
        config.load(write_config(imap))


def test_unreadable_toml_and_missing_file_are_clear(write_config, tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(write_config("[store\npath = 1"))
    with pytest.raises(ConfigError, match="no such config file"):
        config.load(tmp_path / "absent.toml")


def test_summary_names_secret_sources_never_values(write_config, monkeypatch):
    monkeypatch.setenv("IMAP_PW", "hunter2")
    imap = CONFIG.replace(
        'kind = "maildir"\npath = "inbox"',
        'kind = "imap"\nhost = "imap.example.com"\nusername = "u"\npassword_env = "IMAP_PW"',
    )
    text = "\n".join(config.summary(config.load(write_config(imap))))
    assert "password_env" in text and "hunter2" not in text


# -- the secrets the daemon will need: check-config reads them (never shows them) ---------------------------

IMAP = 'kind = "imap"\nhost = "imap.example.com"\nusername = "u"\n'


def imap_config(write_config, secret: str) -> Path:
    return write_config(CONFIG.replace('kind = "maildir"\npath = "inbox"', IMAP + secret))


def test_check_config_fails_when_the_password_variable_is_unset_or_empty(cli, write_config, monkeypatch):
    path = imap_config(write_config, 'password_env = "SLIPWATCH_TEST_PW"')
    monkeypatch.delenv("SLIPWATCH_TEST_PW", raising=False)
    result = cli("check-config", "--config", path, ok=False)
    assert result.exit_code == 1 and "config OK" not in result.output
    assert (f"Error: {path}: source.password_env: the environment variable SLIPWATCH_TEST_PW is not set; "
            "set it to the password where slipwatch runs") in result.output
    monkeypatch.setenv("SLIPWATCH_TEST_PW", "")
    assert "SLIPWATCH_TEST_PW is empty" in cli("check-config", "--config", path, ok=False).output
    monkeypatch.setenv("SLIPWATCH_TEST_PW", "hunter2")
    out = cli("check-config", "--config", path).output
    assert out.strip().endswith("config OK") and "hunter2" not in out


def test_check_config_fails_when_the_password_file_cannot_be_read(cli, write_config, tmp_path):
    path = imap_config(write_config, 'password_file = "imap-password"')
    missing = cli("check-config", "--config", path, ok=False).output
    assert f"Error: {path}: source.password_file: cannot read {tmp_path / 'imap-password'}: No such file" in missing
    assert "the password on its first line, readable by the user slipwatch runs as" in missing
    (tmp_path / "imap-password").mkdir()  # unreadable as a file, even for root
    assert "source.password_file: cannot read" in cli("check-config", "--config", path, ok=False).output
    (tmp_path / "imap-password").rmdir()
    (tmp_path / "imap-password").write_text("\n")
    assert "imap-password is empty" in cli("check-config", "--config", path, ok=False).output
    (tmp_path / "imap-password").write_bytes(b"\xff\xfe\n")
    assert "imap-password is not UTF-8 text" in cli("check-config", "--config", path, ok=False).output
    (tmp_path / "imap-password").write_text("hunter2\n")
    assert "hunter2" not in cli("check-config", "--config", path).output


def test_smtp_secret_is_checked_only_when_it_logs_in(cli, write_config, monkeypatch):
    monkeypatch.delenv("SLIPWATCH_TEST_PW", raising=False)
    smtp = ('kind = "smtp"\nhost = "localhost"\nfrom = "slipwatch@fernhill.example"\n')
    relay = write_config(CONFIG.replace('kind = "outbox"\noutbox_path = "outbox"', smtp))
    assert "config OK" in cli("check-config", "--config", relay).output  # a local relay: no login, no secret
    login = write_config(CONFIG.replace(
        'kind = "outbox"\noutbox_path = "outbox"', smtp + 'username = "u"\npassword_env = "SLIPWATCH_TEST_PW"'))
    assert "smtp.password_env: the environment variable SLIPWATCH_TEST_PW is not set" in cli(
        "check-config", "--config", login, ok=False).output


def test_a_maildir_config_needs_no_secret(cli):
    # `make run`: the demo reads a Maildir and writes digests to an outbox folder
    assert cli("check-config", "--config", REPO / "config" / "demo.toml").output.strip().endswith("config OK")


def test_secrets_only_the_service_can_give_are_named_as_not_checked(cli, write_config, tmp_path, monkeypatch):
    ran = tmp_path / "ran"
    path = imap_config(write_config, f'password_command = "touch {ran}; echo pw"')
    out = cli("check-config", "--config", path).output
    assert "not checked: source.password_command: not run here; `slipwatch doctor` runs it" in out
    assert not ran.exists()  # it may prompt or take long: check-config does not run it
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    path = imap_config(write_config, 'password_credential = "imap-password"')
    out = cli("check-config", "--config", path).output
    assert "not checked: source.password_credential: only systemd provides it" in out and "config OK" in out
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path / "credentials"))  # under systemd: read it
    assert "source.password_credential: cannot read" in cli("check-config", "--config", path, ok=False).output


def test_the_summary_says_who_gets_receipts(write_config):
    on = config.summary(load_text(write_config, CONFIG))
    assert "receipts: to the staff member who forwarded each vendor mail, at most 50 a day each" in on
    quiet = CONFIG.replace('digest_to = ["maya.chen@fernhill.example"]\n',
                           'digest_to = ["maya.chen@fernhill.example"]\nreceipts = "off"\n')
    quiet += '[receipts]\nmode = "off"\n'
    lines = config.summary(load_text(write_config, quiet))
    assert "receipts: off" in lines
    assert "team Platform: America/New_York, vendors Nimbus Labs, digest MON 09:00, receipts off" in lines
