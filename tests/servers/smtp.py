"""A real SMTP server (aiosmtpd) on loopback: STARTTLS required, AUTH required, mail kept in memory."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.servers.dovecot import free_port

USER, PASSWORD = "slipwatch", "smtp-secret"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Message


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: bool = False  # answer 451 to every message, as a server that is down for maintenance

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "451 4.3.0 try again later"
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
    # handled=False on failure: aiosmtpd then answers 535; handled=True would leave the client waiting
    return AuthResult(success=ok, handled=False)


class SmtpServer:
    def __init__(self, ca: trustme.CA | None = None) -> None:
        self.ca = ca or trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, tls_context=context, require_starttls=True,
            authenticator=authenticate, auth_require_tls=True, server_hostname="localhost",
        )

    def start(self) -> None:
        self.controller.start()  # returns once the server answers

    def stop(self) -> None:
        self.controller.stop()

    def write_ca(self, path) -> None:
        self.ca.cert_pem.write_to_path(str(path))
