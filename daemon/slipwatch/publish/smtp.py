"""An SMTP connection as [smtp] describes it: implicit TLS or STARTTLS, verified, logged in."""

from __future__ import annotations

import smtplib
import ssl

from slipwatch import credentials
from slipwatch.config import SmtpConfig

DEFAULT_PORTS = {"implicit": 465, "starttls": 587, "none": 25}
TIMEOUT_SECONDS = 30


def connect(config: SmtpConfig) -> smtplib.SMTP:
    """A connected SMTP client, TLS verified and logged in when a username is set; the caller quits it."""
    assert config.host  # the config loader requires it for kind = "smtp"
    context = ssl.create_default_context(cafile=str(config.ca_file) if config.ca_file else None)
    port = config.port or DEFAULT_PORTS[config.tls]
    client: smtplib.SMTP
    if config.tls == "implicit":
        client = smtplib.SMTP_SSL(config.host, port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(config.host, port, timeout=TIMEOUT_SECONDS)
    try:
        client.ehlo()
        if config.tls == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if config.username:
            secret = credentials.fetch(config, "smtp")
            if secret.kind == "oauth2":
                token = f"user={config.username}\x01auth=Bearer {secret.value}\x01\x01"
                client.auth("XOAUTH2", lambda challenge=None: token, initial_response_ok=True)
            else:
                client.login(config.username, secret.value)
    except BaseException:
        client.close()
        raise
    return client
