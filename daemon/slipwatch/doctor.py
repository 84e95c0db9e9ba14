"""`slipwatch doctor`: check everything the daemon needs, and say how to fix what fails.

Nothing is changed: the database is opened read-only, IMAP is only logged in
to, SMTP only greeted (EHLO, AUTH), the listen address only bound for a moment;
when it is taken, an HTTP request without a token asks whether slipwatch serves it.
"""

from __future__ import annotations

import errno
import os
import smtplib
import socket
import sqlite3
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from slipwatch import config as config_mod, credentials
from slipwatch.errors import SlipwatchError
from slipwatch.publish import smtp
from slipwatch.publish.http import feed_server_at, split_listen
from slipwatch.sources.imap import ImapSource
from slipwatch.store import Store


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""  # with ok, a warning: it works, but should be fixed


def checks(path: str | os.PathLike[str] | None) -> Iterator[Check]:
    """Each check in turn; a config that does not load stops the rest."""
    try:
        config = config_mod.load(path)
    except SlipwatchError as exc:
        yield Check("config", False, str(exc), "correct the key named above")
        return
    yield Check("config", True, f"{config.path} is valid")
    yield _guard("store", lambda: _store(config))
    if credentials.password_files(config):
        yield _secret_files(config)
    yield _guard("source", lambda: _source(config))
    yield _guard("smtp", lambda: _smtp(config))
    yield _guard("feeds directory", lambda: _writable(config.feeds.directory, "feeds.directory"))
    yield _guard("feeds listen", lambda: _listen(config.feeds.listen))


def _guard(name: str, run: Callable[[], Check | tuple[str, str]]) -> Check:
    """Run one check; an exception is a failure whose message leads the way."""
    try:
        result = run()
    except SlipwatchError as exc:
        return Check(name, False, str(exc), "see the message above")
    if isinstance(result, Check):
        return result
    detail, fix = result
    return Check(name, not fix, detail, fix)


def _store(config: config_mod.Config) -> Check:
    path = config.store.path
    if not path.exists():
        return _writable(path.parent, "store.path", what="database folder (the database is created on the first run)")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        version = conn.execute("SELECT max(version) FROM migrations").fetchone()[0]
    except sqlite3.Error as exc:
        return Check("store", False, f"{path}: {exc}", "restore the database from a backup")
    finally:
        conn.close()
    newest = Store.newest_schema_version()
    if integrity != "ok":
        return Check("store", False, f"{path}: integrity check says {integrity}", "restore the database from a backup")
    if version > newest:
        return Check("store", False, f"schema version {version} is newer than this slipwatch ({newest})",
                     "upgrade slipwatch")
    note = "" if version == newest else f"; the next start migrates it to {newest}"
    return Check("store", True, f"{path}: integrity ok, schema version {version}{note}")


def _secret_files(config: config_mod.Config) -> Check:
    exposed = credentials.exposed(config)
    if not exposed:
        return Check("secret files", True, "readable by slipwatch's user only")
    return Check("secret files", True, "; ".join(e.problem for e in exposed), "; ".join(e.fix for e in exposed))


def _source(config: config_mod.Config) -> Check:
    if config.source.kind == "maildir":
        return _writable(config.source.path, "source.path", what="Maildir")
    source = ImapSource(config.source, Store.open(":memory:"))
    try:
        source.open()
        caps = sorted(c.decode() for c in source.client.capabilities())
    except SlipwatchError as exc:
        return Check("source", False, str(exc), "check source.host, port, tls, username and the password")
    finally:
        source.close()
    return Check("source", True, f"logged in to {source.name}, folder {config.source.folder}; "
                                 f"capabilities: {' '.join(caps)}")


def _smtp(config: config_mod.Config) -> Check:
    if config.smtp is None:
        return Check("smtp", True, "no [smtp] section: digests are not sent")
    if config.smtp.kind == "outbox":
        return _writable(config.smtp.outbox_path, "smtp.outbox_path", what="outbox folder")
    where = f"{config.smtp.host}:{config.smtp.port or smtp.DEFAULT_PORTS[config.smtp.tls]}"
    try:
        client = smtp.connect(config.smtp)
    except smtplib.SMTPAuthenticationError as exc:
        return Check("smtp", False, f"{where}: login refused ({exc.smtp_code})", "check smtp.username and the password")
    except ssl.SSLError as exc:
        return Check("smtp", False, f"{where}: TLS failed ({exc})", "check smtp.tls and smtp.ca_file")
    except (OSError, smtplib.SMTPException) as exc:
        return Check("smtp", False, f"{where}: cannot connect ({exc})", "check smtp.host and smtp.port")
    client.quit()
    auth = f" as {config.smtp.username}" if config.smtp.username else ""
    return Check("smtp", True, f"{where}: EHLO accepted, logged in{auth}; nothing sent")


def _writable(path: Path | None, key: str, *, what: str = "folder") -> tuple[str, str]:
    if path is None:
        return ("not set", "")
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK):
        return (f"{what} {path}: {probe} is not writable", f"give the slipwatch user write access to {probe} ({key})")
    return (f"{what} {path} is writable" if probe == path else f"{what} {path} will be created", "")


def _listen(listen: str) -> tuple[str, str]:
    host, port = split_listen(listen)
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            # doctor is run while the daemon runs: then the address is taken by the very server it checks
            if exc.errno == errno.EADDRINUSE and feed_server_at(listen):
                return (f"{listen} is served by a running slipwatch (its feed server answered)", "")
            if exc.errno == errno.EADDRINUSE:
                return (f"cannot listen on {listen}: {exc.strerror}, and what holds it is not a slipwatch feed server",
                        "stop the program holding the port (`ss -ltnp` names it) or pick a free port in feeds.listen")
            return (f"cannot listen on {listen}: {exc.strerror}", "pick another address in feeds.listen")
    return (f"{listen} is free to listen on", "")
