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
         '"Asia/Calcuta" is not an IANA time zone'),
        (('poll_seconds = 1', 'poll_seconds = 1\npoll_second = 5'), "source.poll_second", "unknown key"),
        (('[smtp]', '[smtpp]'), "smtpp", "unknown section"),
        (('kind = "maildir"', 'kind = "pop3"'), "source.kind", '"pop3" is not a source kind'),
        (('poll_seconds = 1', 'poll_seconds = "often"'), "source.poll_seconds", "expected a whole number"),
        (('domains = ["fernhill.example"]', 'domains = []'), "organisation.domains", "list at least one"),
        (('name = "Platform"', 'name = "Platform"\ndigest_at = "Mondays at nine"'), "teams[0].digest_at",
         'write a weekday and 24-hour time such as "MON 09:00"'),
        (('name = "Nimbus Labs"\ndomains', 'domains'), "vendors[0].name", "is required"),
        (('poll_seconds = 1', 'poll_seconds = 1\nseed_recent = true'), "source.seed_recent", "it needs source.seed"),
    ],
)
def test_each_mistake_names_file_key_and_fix(write_config, change, key, words):
    path = write_config(CONFIG.replace(*change))
    with pytest.raises(ConfigError) as err:
        config.load(path)
    message = str(err.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert words in message


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
