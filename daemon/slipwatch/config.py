"""The configuration file: TOML in, frozen dataclasses out, validated up front.

Every problem is reported as ``FILE: key.path: what is wrong (the fix)`` so the
person reading it knows where to look. Unknown keys are errors: a typo must
not silently fall back to a default. Relative paths are resolved against the
directory of the config file, so the daemon behaves the same whatever its
working directory (systemd starts it in /).

Secrets never live in the file itself: it names where to get them
(``password_env``, ``password_file``, ``password_command``...), and nothing here
prints or logs their values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import importlib.resources
import ipaddress
import os
import re
import tomllib
import types
import typing
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slipwatch.errors import ConfigError

DEFAULT_PATH = Path("/etc/slipwatch/config.toml")
ENV_VAR = "SLIPWATCH_CONFIG"

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
ALL_FEED = "all"  # the calendar feed of every team's milestones: no team's slug may take the name
SECRET_KEYS = ("password_env", "password_file", "password_command", "password_credential", "oauth2_token_command")


@dataclass(frozen=True)
class StoreConfig:
    path: Path
    # how long a write waits for another process (a backup, a CLI command) before retrying later
    busy_timeout_seconds: int = 30


@dataclass(frozen=True, kw_only=True)
class ServerConfig:
    """What IMAP and SMTP sections share: where the server is, how to reach it, where its secret comes from."""

    host: str | None = None
    port: int | None = None
    tls: str = "implicit"
    username: str | None = None
    password_env: str | None = None
    password_file: Path | None = None
    password_command: str | None = None
    password_credential: str | None = None
    oauth2_token_command: str | None = None
    ca_file: Path | None = None


@dataclass(frozen=True, kw_only=True)
class SourceConfig(ServerConfig):
    kind: str
    path: Path | None = None
    seed: Path | None = None
    seed_recent: bool = False  # move the seed mail by whole weeks so that its newest is less than a week old
    folder: str = "INBOX"
    processed_folder: str | None = None
    processed_keyword: str | None = None
    backlog: str = "all"
    poll_seconds: int = 60
    idle: bool = True
    timeout_seconds: int = 60
    batch_size: int = 200
    max_message_bytes: int = 25_000_000
    max_attempts: int = 3


@dataclass(frozen=True, kw_only=True)
class SmtpConfig(ServerConfig):
    kind: str = "outbox"
    tls: str = "starttls"
    from_: str | None = None
    outbox_path: Path | None = None


@dataclass(frozen=True)
class FeedsConfig:
    directory: Path | None = None
    listen: str = "127.0.0.1:8025"
    base_url: str | None = None


@dataclass(frozen=True)
class LimitsConfig:
    """Bounds on one message (see slipwatch.limits); the message size is source.max_message_bytes."""

    max_parts: int = 1000
    max_depth: int = 8
    max_attachment_bytes: int = 20_000_000
    max_ics_events: int = 5000
    max_csv_lines: int = 50_000
    max_sheets: int = 50  # sheets of a spreadsheet attachment that are read
    max_sheet_rows: int = 50_000  # rows of one sheet that are read, empty ones too
    max_cells: int = 1_000_000  # cells of one office document (all its sheets or tables)
    max_pages: int = 200  # pages of a PDF attachment; at ~50 ms a page, fewer than extract_seconds reads
    max_paragraphs: int = 20_000  # paragraphs of a Word attachment
    extract_seconds: int = 20


@dataclass(frozen=True)
class TrustConfig:
    mode: str = "quarantine"  # or "off": every message writes into the schedule
    # the name our receiving server writes first in Authentication-Results; required when mode = "quarantine"
    authserv_id: str | None = None


#: Who gets a receipt for a forwarded vendor mail (slipwatch.publish.receipts).
RECEIPT_MODES = ("forwarder", "off")


@dataclass(frozen=True)
class ReceiptsConfig:
    mode: str | None = None  # "forwarder" or "off"; None: "forwarder" when [smtp] is set
    daily_cap: int = 50  # receipts, confirmations and notices one staff member gets in 24 hours


@dataclass(frozen=True)
class OrganisationConfig:
    name: str
    domains: tuple[str, ...]
    timezone: str | None = None  # where the CLI shows times when no team is named; see Config.timezone


@dataclass(frozen=True)
class TeamConfig:
    name: str
    timezone: str
    members: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    digest_to: tuple[str, ...] = ()
    digest_at: str = "MON 09:00"
    send_empty_digest: bool = False
    alert_slip_days: int = 0
    receipts: str | None = None  # "forwarder" or "off" for this team's mail; None: [receipts] mode

    @property
    def slug(self) -> str:
        """The team's name in feed URLs and file names: ASCII lower case, words joined by hyphens."""
        ascii_name = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


@dataclass(frozen=True)
class VendorConfig:
    name: str
    timezone: str
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    path: Path
    store: StoreConfig
    source: SourceConfig
    organisation: OrganisationConfig
    smtp: SmtpConfig | None = None
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    trust: TrustConfig = field(default_factory=TrustConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    receipts: ReceiptsConfig = field(default_factory=ReceiptsConfig)
    teams: tuple[TeamConfig, ...] = ()
    vendors: tuple[VendorConfig, ...] = ()

    @property
    def timezone(self) -> str:
        """The zone times are shown in when no team is named: [organisation] timezone, else the first team's.

        Not the server's own zone: servers mostly run in UTC, far from the people
        reading, and the same command would show other times on another machine.
        The first team is where most organisations start (often their only team);
        with no team at all, UTC.
        """
        return self.organisation.timezone or (self.teams[0].timezone if self.teams else "UTC")

    @property
    def receipts_mode(self) -> str:
        """Whether forwarders get receipts where no team says otherwise: [receipts] mode, else on with [smtp]."""
        return "off" if self.smtp is None else self.receipts.mode or "forwarder"

    def vendor_for_address(self, address: str | None) -> VendorConfig | None:
        """The configured vendor whose domain the address belongs to."""
        if not address or "@" not in address:
            return None
        domain = address.rsplit("@", 1)[1].lower()
        for vendor in self.vendors:
            if any(domain == d or domain.endswith("." + d) for d in vendor.domains):
                return vendor
        return None


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config file to use: the option, then $SLIPWATCH_CONFIG, then /etc."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_PATH


def load(path: str | os.PathLike[str] | None = None, *, need_authserv_id: bool = True) -> Config:
    """Read and validate a config file; raise ConfigError naming file and key.

    `need_authserv_id=False` lets `slipwatch doctor` go on without `trust.authserv_id`, to show the values
    seen on stored mail.
    """
    file = config_path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{file}: no such config file (pass --config FILE or set ${ENV_VAR}; "
            "config/demo.toml is a working example)"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read it: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    return _Reader(file, need_authserv_id).config(data)


def accepted_keys() -> dict[str, tuple[str, ...]]:
    """Every key a config file may hold, by section, read off the dataclasses the loader fills.

    `teams` and `vendors` are arrays of tables (`[[teams]]`), the others tables. docs/configuration.md
    documents each key, and tests/test_docs.py holds it to this list.
    """
    hints = typing.get_type_hints(Config)
    return {
        section: tuple(_table_keys(_table_class(hints[f.name])))
        for section, f in _table_keys(Config).items()
        if f.name != "path"  # the file's own path, not a section of it
    }


def _table_keys(cls: type) -> dict[str, dataclasses.Field[Any]]:
    """A table's keys and the fields they fill: a field named for a Python keyword has an underscore (`from_`)."""
    return {f.name.rstrip("_"): f for f in dataclasses.fields(cls)}


def _table_class(hint: Any) -> type:
    """The dataclass a section is read into: `SmtpConfig | None` and `tuple[TeamConfig, ...]` hold one."""
    hint = _not_none(hint)
    return typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else hint


def _not_none(hint: Any) -> Any:
    """X for an optional field's `X | None`: TOML has no null, a key is either given or left out."""
    if isinstance(hint, types.UnionType):
        return next(a for a in typing.get_args(hint) if a is not type(None))
    return hint


class _Reader:
    """Turns the TOML tables into dataclasses, checking each key on the way."""

    def __init__(self, file: Path, need_authserv_id: bool = True) -> None:
        self.file = file
        self.base = file.resolve().parent
        self.need_authserv_id = need_authserv_id

    def fail(self, key: str, problem: str) -> typing.NoReturn:
        raise ConfigError(f"{self.file}: {key}: {problem}")

    def config(self, data: dict[str, Any]) -> Config:
        for section in ("store", "source", "organisation"):
            if section not in data:
                self.fail(f"[{section}]", f"section is missing; add a [{section}] table ({_HINTS[section]})")
        known = accepted_keys()
        for key in data:
            if key not in known:
                self.fail(key, f"unknown section; {_unknown(key, known)}")
        teams = data.get("teams", [])
        vendors = data.get("vendors", [])
        if not isinstance(teams, list):
            self.fail("teams", "must be an array of tables, written [[teams]]")
        if not isinstance(vendors, list):
            self.fail("vendors", "must be an array of tables, written [[vendors]]")
        config = Config(
            path=self.file,
            store=self.table(StoreConfig, data["store"], "store"),
            source=self.table(SourceConfig, data["source"], "source"),
            organisation=self.table(OrganisationConfig, data["organisation"], "organisation"),
            smtp=self.table(SmtpConfig, data["smtp"], "smtp") if "smtp" in data else None,
            feeds=self.table(FeedsConfig, data.get("feeds", {}), "feeds"),
            trust=self.table(TrustConfig, data.get("trust", {}), "trust"),
            limits=self.table(LimitsConfig, data.get("limits", {}), "limits"),
            receipts=self.table(ReceiptsConfig, data.get("receipts", {}), "receipts"),
            teams=tuple(self.table(TeamConfig, t, f"teams[{i}]") for i, t in enumerate(teams)),
            vendors=tuple(self.table(VendorConfig, v, f"vendors[{i}]") for i, v in enumerate(vendors)),
        )
        self.check(config)
        return config

    def table(self, cls: type, raw: Any, where: str) -> Any:
        if not isinstance(raw, dict):
            self.fail(where, "must be a table")
        fields = _table_keys(cls)
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in fields:
                self.fail(f"{where}.{key}", f"unknown key; {_unknown(key, fields)}")
            f = fields[key]
            values[f.name] = self.value(hints[f.name], value, f"{where}.{key}")
        for key, f in fields.items():
            missing = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if missing and f.name not in values:
                self.fail(f"{where}.{key}", "is required")
        return cls(**values)

    def value(self, hint: Any, value: Any, key: str) -> Any:
        """Coerce one TOML value to the field's type hint."""
        hint = _not_none(hint)
        if hint is Path:
            if not isinstance(value, str) or not value:
                self.fail(key, f"expected a path string, got {value!r}")
            path = Path(value).expanduser()
            return Path(os.path.normpath(self.base / path))
        if typing.get_origin(hint) is tuple:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.fail(key, f"expected a list of strings, got {value!r}")
            return tuple(value)
        if hint is bool:
            if not isinstance(value, bool):
                self.fail(key, f"expected true or false, got {value!r}")
            return value
        if hint is int:
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(key, f"expected a whole number, got {value!r}")
            return value
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {value!r}")
        return value

    def check(self, c: Config) -> None:
        """Rules that involve the meaning of values, not just their types."""
        if c.source.kind not in ("maildir", "imap"):
            self.fail("source.kind", f'"{c.source.kind}" is not a source kind; use "maildir" or "imap"')
        if c.source.kind == "maildir" and c.source.path is None:
            self.fail("source.path", 'is required when kind = "maildir" (the Maildir folder to watch)')
        if c.source.kind == "imap":
            if not c.source.host:
                self.fail("source.host", 'is required when kind = "imap"')
            self.check_tls("source", c.source.tls, c.source.host)
            self.check_secret("source", c.source)
            if not c.source.username:
                self.fail("source.username", 'is required when kind = "imap"')
        for key in ("poll_seconds", "timeout_seconds", "batch_size", "max_message_bytes", "max_attempts"):
            if getattr(c.source, key) < 1:
                self.fail(f"source.{key}", f"must be at least 1, got {getattr(c.source, key)}")
        if not _BACKLOG.fullmatch(c.source.backlog) or (
            c.source.backlog.startswith("since:") and not _is_date(c.source.backlog[6:])
        ):
            self.fail("source.backlog", f'"{c.source.backlog}" is not "all", "none" or "since:YYYY-MM-DD"')
        if c.source.seed_recent and c.source.seed is None:
            self.fail("source.seed_recent", "moves seed mail in time, so it needs source.seed (a folder of .eml files)")
        if c.source.processed_folder and c.source.processed_keyword:
            self.fail("source.processed_keyword", "set processed_folder or processed_keyword, not both")
        if c.smtp is not None:
            self.check_smtp(c.smtp)
        self.check_listen(c.feeds.listen)
        for f in dataclasses.fields(LimitsConfig):
            if getattr(c.limits, f.name) < 1:
                self.fail(f"limits.{f.name}", f"must be at least 1, got {getattr(c.limits, f.name)}")
        if c.trust.mode not in ("quarantine", "off"):
            self.fail("trust.mode", f'"{c.trust.mode}" is not a trust mode; use "quarantine" or "off"')
        modes = " or ".join(f'"{m}"' for m in RECEIPT_MODES)
        if c.receipts.mode is not None and c.receipts.mode not in RECEIPT_MODES:
            self.fail("receipts.mode", f'"{c.receipts.mode}" is not a receipts mode; use {modes}')
        if c.receipts.daily_cap < 1:
            self.fail("receipts.daily_cap",
                      f'must be at least 1, got {c.receipts.daily_cap} (mode = "off" sends none)')
        for i, team in enumerate(c.teams):
            if team.receipts is not None and team.receipts not in RECEIPT_MODES:
                self.fail(f"teams[{i}].receipts", f'"{team.receipts}" is not a receipts mode; use {modes}')
        if not c.organisation.domains:
            self.fail("organisation.domains", "list at least one staff mail domain, e.g. [\"example.com\"]")
        if c.organisation.timezone is not None:
            self.check_zone("organisation.timezone", c.organisation.timezone)
        for where, items in (("teams", c.teams), ("vendors", c.vendors)):
            seen: set[str] = set()
            for i, item in enumerate(items):
                self.check_zone(f"{where}[{i}].timezone", item.timezone)
                if item.name.casefold() in seen:
                    self.fail(f"{where}[{i}].name", f'"{item.name}" is used twice; names must be unique')
                seen.add(item.name.casefold())
        slugs = {ALL_FEED}
        for i, team in enumerate(c.teams):
            if not team.slug or team.slug in slugs:
                self.fail(
                    f"teams[{i}].name",
                    f'"{team.name}" makes the feed name "{team.slug}", which is empty or taken (by another team, '
                    f'or "{ALL_FEED}" for every team\'s feed); rename the team',
                )
            slugs.add(team.slug)
            self.check_team_vendors(i, team, c.vendors)
            if not _DIGEST_AT.fullmatch(team.digest_at.strip().upper()):
                self.fail(
                    f"teams[{i}].digest_at",
                    f'"{team.digest_at}" is not a weekly time; write a weekday and 24-hour time such as "MON 09:00"',
                )
        # last: `slipwatch doctor` reads the rest of the file to show what to set it to
        if c.trust.mode == "quarantine" and not (c.trust.authserv_id or "").strip() and self.need_authserv_id:
            self.fail("trust.authserv_id", 'is required when trust.mode = "quarantine": the name your receiving mail '
                      "server writes first in its Authentication-Results headers (e.g. \"mx.example.com\"); "
                      '`slipwatch doctor` lists those on recent stored mail. Or set trust.mode = "off" to let every '
                      "message into the schedule")

    def check_smtp(self, smtp: SmtpConfig) -> None:
        if smtp.kind not in ("smtp", "outbox"):
            self.fail("smtp.kind", f'"{smtp.kind}" is not an smtp kind; use "smtp" or "outbox"')
        if smtp.kind == "outbox" and smtp.outbox_path is None:
            self.fail("smtp.outbox_path", 'is required when kind = "outbox" (the folder .eml files go to)')
        if smtp.kind == "smtp":
            if not smtp.host:
                self.fail("smtp.host", 'is required when kind = "smtp"')
            if not smtp.from_:
                self.fail("smtp.from", 'is required when kind = "smtp" (the sender address of digests)')
            self.check_tls("smtp", smtp.tls, smtp.host)
            if smtp.username:  # a local relay may take mail without logging in
                self.check_secret("smtp", smtp)

    def check_team_vendors(self, i: int, team: TeamConfig, vendors: tuple[VendorConfig, ...]) -> None:
        """A team follows vendors by their configured name: a misspelt one would silently follow nothing."""
        names = {v.name.casefold(): v.name for v in vendors}
        for j, name in enumerate(team.vendors):
            if name.casefold() in names:
                continue  # matched without regard to case, as the schedule matches them
            meant = _closest(name, names.values(), fold=True)
            configured = ", ".join(f'"{v}"' for v in names.values()) or "none"
            fix = f'did you mean "{meant}"?' if meant else (
                f'configured: {configured}; add a [[vendors]] table named "{name}" with its domains'
            )
            self.fail(f"teams[{i}].vendors[{j}]", f'"{name}" is not a configured vendor; {fix}')

    def check_zone(self, key: str, name: str) -> None:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            suggestions = _zone_suggestions(name)
            if suggestions:
                fix = "; did you mean " + " or ".join(f'"{z}"' for z in suggestions) + "?"
            else:
                fix = ' (examples: "Europe/Berlin", "Asia/Kolkata")'
            self.fail(key, f'"{name}" is not an IANA time zone{fix}')

    def check_tls(self, section: str, tls: str, host: str | None) -> None:
        if tls not in ("implicit", "starttls", "none"):
            self.fail(f"{section}.tls", f'"{tls}" is not a TLS mode; use "implicit", "starttls" or "none"')
        if tls == "none" and not _is_loopback(host):
            self.fail(
                f"{section}.tls",
                f'"none" sends passwords in clear text and is allowed only for a loopback host, not {host!r}; '
                'use "implicit" or "starttls"',
            )

    def check_secret(self, section: str, table: Any) -> None:
        given = [k for k in SECRET_KEYS if getattr(table, k)]
        if len(given) != 1:
            self.fail(f"{section}.password_*", f"set exactly one of {', '.join(SECRET_KEYS)} (found {len(given)})")

    def check_listen(self, listen: str) -> None:
        host, sep, port = listen.rpartition(":")
        if not sep or not port.isdigit() or not 0 <= int(port) < 65536 or not host:
            self.fail("feeds.listen", f'"{listen}" is not HOST:PORT, e.g. "127.0.0.1:8025"')


_BACKLOG = re.compile(r"all|none|since:\d{4}-\d{2}-\d{2}")
_DIGEST_AT = re.compile(rf"(?:{'|'.join(WEEKDAYS)}) (?:[01]\d|2[0-3]):[0-5]\d")

_HINTS = {
    "store": 'path = "/var/lib/slipwatch/slipwatch.db"',
    "source": 'kind = "maildir" with path, or kind = "imap" with host and username',
    "organisation": 'name and domains, the mail domains of your staff',
}


def _closest(word: str, choices: typing.Iterable[str], *, fold: bool = False) -> str | None:
    """The choice a misspelt word probably meant, or None when none is close."""
    by_key = {(c.casefold() if fold else c): c for c in choices}
    close = difflib.get_close_matches(word.casefold() if fold else word, by_key, n=1)
    return by_key[close[0]] if close else None


def _unknown(word: str, choices: typing.Collection[str]) -> str:
    """The fix for an unknown key or section: the one it probably meant, else the list of them."""
    meant = _closest(word, choices)
    return f'did you mean "{meant}"?' if meant else f"expected one of {', '.join(sorted(choices))}"


def _zone_suggestions(name: str) -> list[str]:
    """The IANA zones a misspelt name probably meant: the closest one, and its current name when it is an old one.

    Matched without regard to case, on the whole name ("Asia/Calcuta") or on
    the city alone ("Berlin", "New York").
    """
    zones = {z.casefold(): z for z in zoneinfo.available_timezones()}
    wanted = name.strip().replace(" ", "_").casefold()
    close = difflib.get_close_matches(wanted, zones, n=1, cutoff=0.8)
    if not close:
        cities = {z.rpartition("/")[2]: z for z in zones if "/" in z}
        city = difflib.get_close_matches(wanted.rpartition("/")[2], cities, n=1, cutoff=0.85)
        close = [cities[city[0]]] if city else []
    if not close:
        return []
    zone = zones[close[0]]
    current = _zone_links().get(zone)
    return [zone, current] if current else [zone]


@functools.cache
def _zone_links() -> dict[str, str]:
    """Old zone names and the names they link to today ("Asia/Calcutta" -> "Asia/Kolkata"), from tzdata."""
    try:
        text = (importlib.resources.files("tzdata") / "zoneinfo" / "tzdata.zi").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):  # no tzdata package: suggestions go without the current name
        return {}
    links = (line.split() for line in text.splitlines() if line.startswith("L "))
    return {fields[2]: fields[1] for fields in links if len(fields) == 3}


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return False


def summary(c: Config) -> list[str]:
    """Human lines describing a config, with secrets named by source only."""
    src = c.source
    lines = [f"config: {c.path}", f"store: {c.store.path}"]
    if src.kind == "maildir":
        seeded = f" (seeded from {src.seed}{', moved to recent weeks' if src.seed_recent else ''})" if src.seed else ""
        lines.append(f"source: maildir {src.path}{seeded}")
    else:
        secret = next(f"{k}={getattr(src, k)}" for k in SECRET_KEYS if getattr(src, k))
        lines.append(f"source: imap {src.username}@{src.host}:{src.port or 'default'} tls={src.tls} "
                     f"folder={src.folder} credentials from {secret.split('=')[0]}")
    if c.smtp is None:
        lines.append("digests: off (no [smtp] section)")
    elif c.smtp.kind == "outbox":
        lines.append(f"digests: written to {c.smtp.outbox_path} (no SMTP)")
    else:
        lines.append(f"digests: smtp {c.smtp.host}:{c.smtp.port or 'default'} tls={c.smtp.tls} from {c.smtp.from_}")
    if c.receipts_mode == "off":
        lines.append("receipts: off" + (" (no [smtp] section)" if c.smtp is None else ""))
    else:
        lines.append(f"receipts: to the staff member who forwarded each vendor mail, at most "
                     f"{c.receipts.daily_cap} a day each")
    lines.append(f"feeds: {c.feeds.directory or '(not written to disk)'}, served on http://{c.feeds.listen}/")
    if c.trust.mode == "off":
        lines.append("trust: off (every message writes into the schedule)")
    else:
        lines.append(f"trust: untrusted mail is quarantined; DMARC as {c.trust.authserv_id} records it "
                     "in Authentication-Results")
    chosen = "" if c.organisation.timezone else " ([organisation] timezone is not set: the first team's zone, else UTC)"
    lines.append(f"organisation: {c.organisation.name} ({', '.join(c.organisation.domains)}), "
                 f"times shown in {c.timezone}{chosen}")
    for t in c.teams:
        receipts = f", receipts {t.receipts}" if t.receipts else ""
        lines.append(f"team {t.name}: {t.timezone}, vendors {', '.join(t.vendors) or '-'}, digest {t.digest_at}"
                     f"{receipts}")
    for v in c.vendors:
        lines.append(f"vendor {v.name}: {v.timezone}, domains {', '.join(v.domains) or '-'}")
    return lines
