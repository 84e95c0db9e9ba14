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

from slipwatch import config as config_mod, credentials, trust
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
        try:  # when trust.authserv_id is all that is missing, the stored mail shows what to set it to
            partial = config_mod.load(path, need_authserv_id=False)
        except SlipwatchError:
            return
        yield _guard("trust", lambda: _trust(partial))
        return
    yield Check("config", True, f"{config.path} is valid")
    yield _guard("store", lambda: _store(config))
    if credentials.password_files(config):
        yield _secret_files(config)
    yield _guard("source", lambda: _source(config))
    yield _guard("smtp", lambda: _smtp(config))
    yield _guard("feeds directory", lambda: _writable(config.feeds.directory, "feeds.directory"))
    yield _guard("feeds listen", lambda: _listen(config.feeds.listen))
    yield _guard("trust", lambda: _trust(config))


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


RECENT = 50  # stored messages whose Authentication-Results the trust check reads
_HEAD_BYTES = 65536  # enough of a raw message for its header block
_SET_IT = ("set [trust] authserv_id to the name your receiving server writes first in the Authentication-Results "
           "of the mail it delivers")


def _trust(config: config_mod.Config) -> Check:
    """Whether trust.authserv_id names the server that wrote the Authentication-Results of recent mail."""
    if config.trust.mode == "off":
        return Check("trust", True, 'trust checks are off (trust.mode = "off"): every message writes into the schedule')
    want = config.trust.authserv_id
    seen = trust.seen_authserv_ids(_recent_heads(config.store.path))
    if not seen.messages:
        return Check("trust", want is not None, "no stored mail yet to compare trust.authserv_id with",
                     "" if want else _SET_IT)
    last = f"the last {seen.messages} stored messages"
    if not seen.count:
        return Check("trust", False, f"none of {last} has an Authentication-Results header",
                     'have the receiving server check DMARC and add Authentication-Results (RFC 8601), or set '
                     'trust.mode = "off" to let mail in unchecked')
    if want and seen.count[want.lower()]:
        return Check("trust", True, f"{want} wrote the Authentication-Results of {seen.count[want.lower()]} of {last}")
    found = f"Authentication-Results of {last}: {seen.describe()}"
    detail = f"{want} wrote the Authentication-Results of none of {last}; seen: {seen.describe()}" if want else found
    if seen.likeliest is None:
        return Check("trust", False, detail, "these headers name no server (Microsoft 365 writes them so), which "
                     'slipwatch cannot tell from headers a sender wrote; set trust.mode = "off" to let mail in unchecked')
    return Check("trust", False, detail, f'set [trust] authserv_id = "{seen.likeliest}" (the topmost header of most of '
                                          "them is the receiving server's own)")


def _recent_heads(path: Path) -> list[bytes]:
    """The start of the raw bytes of the newest stored messages, read-only; none when there is no database yet."""
    if not path.exists():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT substr(raw, 1, ?) FROM raw_messages ORDER BY message DESC LIMIT ?",
                            (_HEAD_BYTES, RECENT)).fetchall()
    except sqlite3.Error:
        return []  # the store check names what is wrong with the database
    finally:
        conn.close()
    return [bytes(row[0]) for row in rows]


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
