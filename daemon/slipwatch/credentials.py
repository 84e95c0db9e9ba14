"""Secrets for IMAP and SMTP, fetched from where the config says, never logged.

One of: an environment variable, a file, a command's output (like mbsync's
PassCmd), a systemd credential (``$CREDENTIALS_DIRECTORY/<name>``, from
``LoadCredential=``), or an OAuth2 access token printed by a command, used with
XOAUTH2 and fetched again when the server rejects an expired one.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from slipwatch.config import Config, ServerConfig
from slipwatch.errors import ConfigError
from slipwatch.modes import readers

COMMAND_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Secret:
    """A password or an OAuth2 token; its repr never shows the value."""

    kind: str  # "password" or "oauth2"
    value: str = field(repr=False)


def fetch(section: ServerConfig, where: str) -> Secret:
    """Fetch the secret a config section names; ConfigError naming the key when it cannot."""
    if section.password_env:
        value = os.environ.get(section.password_env)
        if not value:
            raise ConfigError(
                f"{where}.password_env: the environment variable {section.password_env} is "
                f"{'not set' if value is None else 'empty'}; set it to the password where slipwatch runs "
                "(Environment= or EnvironmentFile= in the service's unit; export it to check by hand)"
            )
        return Secret("password", value)
    if section.password_file:
        return Secret("password", _read(section.password_file, f"{where}.password_file"))
    if section.password_credential:
        directory = os.environ.get("CREDENTIALS_DIRECTORY")
        if not directory:
            raise ConfigError(
                f"{where}.password_credential: $CREDENTIALS_DIRECTORY is not set; run under systemd with "
                f"LoadCredential={section.password_credential}:/path/to/secret"
            )
        return Secret("password", _read(Path(directory) / section.password_credential, f"{where}.password_credential"))
    if section.password_command:
        return Secret("password", _run(section.password_command, f"{where}.password_command"))
    if section.oauth2_token_command:
        return Secret("oauth2", _run(section.oauth2_token_command, f"{where}.oauth2_token_command"))
    raise ConfigError(f"{where}: no password key set (password_env, password_file, password_command, ...)")


def _read(path: Path, key: str) -> str:
    fix = "the password on its first line, readable by the user slipwatch runs as"
    try:
        value = path.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise ConfigError(f"{key}: cannot read {path}: {exc.strerror} (it must hold {fix})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{key}: {path} is not UTF-8 text (it must hold {fix})") from None
    if not value:
        raise ConfigError(f"{key}: {path} is empty (it must hold {fix})")
    return value


def _run(command: str, key: str) -> str:
    try:
        done = subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(f"{key}: the command did not finish within {COMMAND_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        # stderr may be useful, stdout may hold a secret: show only the former
        raise ConfigError(f"{key}: the command failed (exit {done.returncode}): {done.stderr.strip()[:200]}")
    lines = done.stdout.splitlines()
    if not lines or not lines[0].strip():
        raise ConfigError(f"{key}: the command printed nothing")
    return lines[0].strip()


@dataclass(frozen=True)
class Availability:
    """Whether the secrets the daemon will need can be had here (their values are never kept)."""

    problems: tuple[str, ...]  # each names the file and key: the daemon would fail the same way
    unchecked: tuple[str, ...]  # what only the daemon's own environment can tell: commands, systemd credentials
    exposed: tuple[Exposed, ...] = ()  # password files others can read


def check(config: Config) -> Availability:
    """Read each secret the config will need, as `check-config` does, without showing any.

    Commands are not run (they may prompt or take long; `doctor` runs them
    when it logs in), and systemd credentials exist only under systemd.
    """
    problems, unchecked = [], []
    for where, section in _needed(config):
        if section.password_command or section.oauth2_token_command:
            key = "password_command" if section.password_command else "oauth2_token_command"
            unchecked.append(f"{where}.{key}: not run here; `slipwatch doctor` runs it and logs in")
            continue
        if section.password_credential and not os.environ.get("CREDENTIALS_DIRECTORY"):
            unchecked.append(f"{where}.password_credential: only systemd provides it (LoadCredential= in the unit)")
            continue
        try:
            fetch(section, where)
        except ConfigError as exc:
            problems.append(f"{config.path}: {exc}")
    return Availability(tuple(problems), tuple(unchecked), exposed(config))


@dataclass(frozen=True)
class Exposed:
    """A password file that the user slipwatch runs as is not alone in reading."""

    key: str  # source.password_file
    path: Path
    mode: int

    @property
    def problem(self) -> str:
        return f"{self.key}: {self.path} can be read by {readers(self.mode)} (mode {self.mode:04o})"

    @property
    def fix(self) -> str:
        return f"`chmod 600 {self.path}`"

    def __str__(self) -> str:
        return f"{self.problem}; {self.fix}"


def password_files(config: Config) -> list[tuple[str, Path]]:
    """(key, path) of each password file the daemon will read."""
    return [(f"{where}.password_file", s.password_file) for where, s in _needed(config) if s.password_file]


def exposed(config: Config) -> tuple[Exposed, ...]:
    """The password files others can read: told by `check-config`, `doctor` and the daemon at start.

    A warning, not a refusal: the password works, and a group set up on
    purpose is its owner's decision.
    """
    found = []
    for key, path in password_files(config):
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            continue  # unreadable: `check` says so
        if readers(mode):
            found.append(Exposed(key, path, mode))
    return tuple(found)


def _needed(config: Config) -> list[tuple[str, ServerConfig]]:
    """The config sections whose secret the daemon will fetch: IMAP, and SMTP when it logs in."""
    sections: list[tuple[str, ServerConfig]] = []
    if config.source.kind == "imap":
        sections.append(("source", config.source))
    if config.smtp is not None and config.smtp.kind == "smtp" and config.smtp.username:
        sections.append(("smtp", config.smtp))
    return sections
