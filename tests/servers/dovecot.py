"""A real Dovecot IMAP server on loopback, for the integration tests.

Started from the Debian package's binary with a config of our own in a 0755
temporary folder (Dovecot's auth process cannot enter 0700 ones such as
pytest's tmp_path), a passwd-file user database and Maildir storage. It
listens on two free ports: plain IMAP with STARTTLS, and implicit TLS, with a
certificate from a throwaway CA (trustme).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import imapclient
import trustme

CONF = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/server.pem
ssl_key = <{root}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
{user_settings}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
  default_fields = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
"""


ACCOUNTS = 200


def account(n: int) -> tuple[str, str]:
    return f"user{n}", f"pw-{n}-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_binary() -> str | None:
    return shutil.which("dovecot") or next((p for p in ("/usr/sbin/dovecot",) if os.path.exists(p)), None)


class Dovecot:
    """One running Dovecot; `add_user()` gives each test its own mailbox."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.root = Path(tempfile.mkdtemp(prefix="slipwatch-dovecot-", dir="/tmp"))
        self.root.chmod(0o755)
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir(mode=0o755)
        # accounts are made up front: Dovecot may not notice a passwd-file changed within the same second
        (self.root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in map(account, range(1, ACCOUNTS + 1))))
        self.port = free_port()
        self.tls_port = free_port()
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        cert.private_key_pem.write_to_path(str(self.root / "server.key"))
        cert.cert_chain_pems[0].write_to_path(str(self.root / "server.pem"))
        self.ca_file = self.root / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        if os.geteuid() == 0:  # mail is owned by nobody; Dovecot refuses uid 0 for mail
            self.uid, self.gid, user_settings = 65534, 65534, ""
        else:
            me = pwd.getpwuid(os.geteuid()).pw_name
            self.uid, self.gid = os.geteuid(), os.getegid()
            user_settings = f"default_internal_user = {me}\ndefault_login_user = {me}\n"
        self.conf = self.root / "dovecot.conf"
        self.conf.write_text(
            CONF.format(
                root=self.root, port=self.port, tls_port=self.tls_port, uid=self.uid, gid=self.gid,
                user_settings=user_settings,
            )
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.users = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.conf)],
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        user, password = self.add_user()
        deadline = time.monotonic() + 20
        while True:  # ready when a LOGIN succeeds, not merely when the port opens
            try:
                with self.client(user, password):
                    return
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    log = (self.root / "dovecot.log").read_text() if (self.root / "dovecot.log").exists() else ""
                    raise RuntimeError(f"Dovecot did not come up:\n{log[-2000:]}")
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def add_user(self) -> tuple[str, str]:
        """An account not used before, with an empty mailbox: (user, password)."""
        self.users += 1
        if self.users > ACCOUNTS:
            raise RuntimeError(f"more than {ACCOUNTS} accounts asked for; raise ACCOUNTS")
        user, password = account(self.users)
        home = self.root / "home" / user
        home.mkdir(mode=0o755)
        os.chown(home, self.uid, self.gid)
        return user, password

    def client(self, user: str, password: str) -> imapclient.IMAPClient:
        """A plain (loopback) client, logged in; use as a context manager."""
        c = imapclient.IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        c.login(user, password)
        return c
