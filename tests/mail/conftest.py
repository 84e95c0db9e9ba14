"""Builders for the mail tests: staff of Harbourline forward mail from their vendors.

Every fixture is written for these tests; none is copied from a corpus.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from email.message import EmailMessage

import pytest

STAFF = "Nora Quist <nora.quist@harbourline.test>"
MAILBOX = "milestones@harbourline.test"


def build_mail(
    body: str | None,
    *,
    subject: str,
    sender: str = STAFF,
    date: str = "Tue, 10 Nov 2026 09:30:00 -0500",
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A mail sent to the mailbox; `body` is dedented, `html` added as the alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = MAILBOX
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = "<test-1@harbourline.test>"
    for name, value in (headers or {}).items():
        message[name] = value
    if body is not None:
        message.set_content(textwrap.dedent(body).lstrip("\n"))
        if html is not None:
            message.add_alternative(html, subtype="html")
    elif html is not None:
        message.set_content(html, subtype="html")
    return bytes(message)


@pytest.fixture
def mail() -> Callable[..., bytes]:
    return build_mail
