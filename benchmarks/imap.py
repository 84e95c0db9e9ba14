"""IMAP ingest against a real Dovecot on loopback.

    .venv/bin/python benchmarks/imap.py [--mails 10000] [--idle 50]

Prints three figures:

1. the ingest rate of one `slipwatch run --once` pass over N vendor mails, beside
   the ceiling: a bare imapclient fetch (BODY.PEEK[], same batches) plus a
   stdlib `email` parse of the same mails, measured in the same run;
2. a poll with nothing new: IMAP commands sent and wall time;
3. IDLE latency: a mail appended -> its message recorded, p50 and p95.

The mails are the demo inbox's, each copy with its own Message-ID.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers.dovecot import Dovecot, find_binary  # noqa: E402

from slipwatch import config as config_mod  # noqa: E402
from slipwatch.service import Service  # noqa: E402
from slipwatch.sources.imap import ImapSource  # noqa: E402
from slipwatch.store import Store  # noqa: E402

CONFIG = """
[store]
path = "{db}"
[source]
kind = "imap"
host = "127.0.0.1"
port = {port}
tls = "none"
username = "{user}"
password_file = "{pwfile}"
poll_seconds = 30
batch_size = 200
[organisation]
name = "Fernhill Outfitters"
domains = ["fernhill.example"]
"""


def mails(count: int) -> list[bytes]:
    samples = [p.read_bytes() for p in sorted((ROOT / "config" / "demo-inbox").glob("*.eml"))]
    out = []
    for n in range(count):
        raw = samples[n % len(samples)]
        out.append(re.sub(rb"(?im)^Message-ID:[^\n]*\n", f"Message-ID: <bench-{n}@slipwatch.test>\n".encode(), raw, count=1))
    return out


def fill(server: Dovecot, account: tuple[str, str], batch: list[bytes]) -> None:
    with server.client(*account) as c:
        for i in range(0, len(batch), 500):
            c.multiappend("INBOX", batch[i : i + 500])


def ceiling(server: Dovecot, account: tuple[str, str], batch_size: int) -> float:
    start = time.perf_counter()
    with server.client(*account) as c:
        c.select_folder("INBOX", readonly=True)
        uids = c.search(["ALL"])
        for i in range(0, len(uids), batch_size):
            for data in c.fetch(uids[i : i + batch_size], ["BODY.PEEK[]"]).values():
                email.message_from_bytes(data[b"BODY[]"], policy=email.policy.compat32)
    return len(uids) / (time.perf_counter() - start)


def config_for(server: Dovecot, account: tuple[str, str], work: Path) -> config_mod.Config:
    pwfile = work / "pw"
    pwfile.write_text(account[1])
    path = work / "slipwatch.toml"
    path.write_text(CONFIG.format(db=work / "bench.db", port=server.port, user=account[0], pwfile=pwfile))
    return config_mod.load(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--idle", type=int, default=50)
    args = parser.parse_args()
    binary = find_binary()
    if binary is None:
        sys.exit("Dovecot is not installed: apt-get install dovecot-imapd")
    server = Dovecot(binary)
    server.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            account = server.add_user()
            fill(server, account, mails(args.mails))
            config = config_for(server, account, work)
            bare = ceiling(server, account, config.source.batch_size)

            store = Store.open(config.store.path)
            source = ImapSource(config.source, store)
            service = Service(config, store, source)
            start = time.perf_counter()
            taken = sum(service.poll_once().counts.values())
            rate = taken / (time.perf_counter() - start)
            print(f"ingest of {taken} mails: slipwatch {rate:.0f} mails/s, "
                  f"ceiling (imapclient fetch + email parse) {bare:.0f} mails/s = {rate / bare:.0%} of the ceiling")

            before, start = source.commands, time.perf_counter()
            service.poll_once()
            print(f"poll with nothing new: {source.commands - before} IMAP command(s), "
                  f"{(time.perf_counter() - start) * 1000:.1f} ms")

            thread = threading.Thread(target=service.run, daemon=True)
            thread.start()
            time.sleep(0.5)
            latencies = []
            for n, raw in enumerate(mails(args.mails + args.idle)[args.mails :]):
                sent = time.perf_counter()
                fill(server, account, [raw])
                while store_count(config) < taken + n + 1:
                    time.sleep(0.005)
                latencies.append(time.perf_counter() - sent)
            service.request_stop()
            thread.join()
            q = statistics.quantiles(latencies, n=20)
            print(f"IDLE arrival -> message recorded, {len(latencies)} mails: "
                  f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms")
            source.close()
            store.close()
    finally:
        server.cleanup()


def store_count(config: config_mod.Config) -> int:
    with sqlite3.connect(config.store.path) as conn:
        return conn.execute("SELECT count(*) FROM messages WHERE state != 'new'").fetchone()[0]


if __name__ == "__main__":
    main()
