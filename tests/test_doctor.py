"""`slipwatch doctor` against the real servers: all green, and each failure named with its fix."""

from __future__ import annotations

import http.server
import threading

import pytest

from tests.helpers import CONFIG
from tests.servers.dovecot import free_port
from tests.servers.smtp import PASSWORD, USER


@pytest.fixture
def production_like(write_config, dovecot, mailbox_account, smtp_server, tmp_path, monkeypatch):
    """A config with IMAP on Dovecot (STARTTLS) and SMTP on aiosmtpd (STARTTLS + AUTH)."""
    user, password = mailbox_account
    monkeypatch.setenv("DOCTOR_IMAP_PW", password)
    monkeypatch.setenv("DOCTOR_SMTP_PW", PASSWORD)
    smtp_server.write_ca(tmp_path / "smtp-ca.pem")

    def make(imap_port: int = dovecot.port, smtp_port: int = smtp_server.port):
        text = CONFIG.replace(
            'kind = "maildir"\npath = "inbox"',
            f'kind = "imap"\nhost = "localhost"\nport = {imap_port}\ntls = "starttls"\nusername = "{user}"\n'
            f'password_env = "DOCTOR_IMAP_PW"\nca_file = "{dovecot.ca_file}"\ntimeout_seconds = 5',
        ).replace(
            'kind = "outbox"\noutbox_path = "outbox"',
            f'kind = "smtp"\nhost = "localhost"\nport = {smtp_port}\ntls = "starttls"\nusername = "{USER}"\n'
            f'password_env = "DOCTOR_SMTP_PW"\nca_file = "{tmp_path / "smtp-ca.pem"}"\nfrom = "slipwatch@fernhill.example"',
        ).replace('listen = "127.0.0.1:0"', f'directory = "feeds"\nlisten = "127.0.0.1:{free_port()}"')
        return write_config(text)

    return make


def test_doctor_is_all_green_against_working_servers(cli, production_like):
    out = cli("doctor", "--config", production_like()).output
    assert "FAIL" not in out
    assert "ok   source: logged in to" in out and "IDLE" in out
    assert "ok   smtp: localhost:" in out and "logged in as slipwatch; nothing sent" in out


def test_a_wrong_imap_password_is_named_with_its_fix(cli, production_like, monkeypatch):
    monkeypatch.setenv("DOCTOR_IMAP_PW", "wrong")
    result = cli("doctor", "--config", production_like(), ok=False)
    assert result.exit_code == 1
    assert "FAIL source:" in result.output and "refused by the server" in result.output
    assert "fix: check source.host, port, tls, username and the password" in result.output


def test_a_closed_smtp_port_is_named_with_its_fix(cli, production_like):
    result = cli("doctor", "--config", production_like(smtp_port=free_port()), ok=False)
    assert "FAIL smtp:" in result.output and "cannot connect" in result.output
    assert "fix: check smtp.host and smtp.port" in result.output


def test_a_wrong_smtp_password_is_named_with_its_fix(cli, production_like, monkeypatch):
    monkeypatch.setenv("DOCTOR_SMTP_PW", "wrong")
    result = cli("doctor", "--config", production_like(), ok=False)
    assert "FAIL smtp:" in result.output and "login refused (535)" in result.output


def test_a_bad_config_stops_the_doctor_at_once(cli, write_config):
    result = cli("doctor", "--config", write_config(CONFIG.replace('timezone = "Asia/Kolkata"', 'timezone = "IST"')), ok=False)
    assert "FAIL config:" in result.output and 'vendors[0].timezone: "IST" is not an IANA time zone' in result.output
    assert "store" not in result.output.split("fix:")[1]  # nothing else was tried


# -- the feeds' listen address (taken by the running daemon: tests/publish/test_http.py) -------------------


@pytest.fixture
def local_config(write_config):
    """The maildir and outbox config, its feeds listening on the given port: doctor needs no server for the rest."""
    return lambda port: write_config(CONFIG.replace('listen = "127.0.0.1:0"', f'listen = "127.0.0.1:{port}"'))


def test_a_listen_address_held_by_another_program_fails_with_the_fix(cli, local_config):
    class Foreign(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"no such feed\n")  # the same words, but not slipwatch's server

        def log_message(self, *args):
            pass

    foreign = http.server.HTTPServer(("127.0.0.1", 0), Foreign)
    threading.Thread(target=foreign.serve_forever, daemon=True).start()
    try:
        result = cli("doctor", "--config", local_config(foreign.server_port), ok=False)
    finally:
        foreign.shutdown()
        foreign.server_close()
    assert (f"FAIL feeds listen: cannot listen on 127.0.0.1:{foreign.server_port}: Address already in use, "
            "and what holds it is not a slipwatch feed server") in result.output
    assert "fix: stop the program holding the port (`ss -ltnp` names it) or pick a free port in feeds.listen" in (
        result.output)
    assert "1 check(s) failed" in result.output


def test_a_free_listen_address_is_fine(cli, local_config):
    port = free_port()
    assert f"ok   feeds listen: 127.0.0.1:{port} is free to listen on" in cli("doctor", "--config", local_config(port)).output
