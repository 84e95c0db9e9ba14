"""Cost as history grows: the dev corpus replicated into a year of mail, ingested one mail at a time.

    .venv/bin/python benchmarks/scale.py [--mails 1000 5000] [--large] [--repeat-names] [--profile FILE] [--keep DIR]
        [--further N]

Copy k of the dev corpus (../shared/corpus/dev) is every mail with its Message-IDs made unique
(the inner ones of forwards too, so no copy is a duplicate of another), its Date headers moved k days
later, and, unless --repeat-names, the labelled milestone names (and aliases) in its text followed by
a word of that copy, so every copy brings new milestones that share their other words with the
earlier copies' (the worst case for identity matching). Trust is off: every mail is recorded.

For each size (1,000 and 5,000 mails; --large adds 20,000) it prints the cost of a mail (mean ms) per
window of 1,000 mails stored, the peak RSS of the process and the size of the database. "Cost of one
more mail" is the last window's mean. The clock is pinned past the last copy's dates so no send time
is believed later than its arrival. Peak RSS is the process's, so it is that of the largest size run
so far. The mails are stored as a Maildir's read mail (cur/), as the daemon would have left them.

Then the daemon (`slipwatch run`, poll_seconds = 1, feeds served on a free port) runs on that store
and Maildir: --latency-mails new mails (copies of dev mails with a milestone that has a due date, each
with a new word in its names) are dropped into new/ one at a time, and the time from the drop until
the `all` feed served over HTTP holds the word is the arrival -> HTTP feed latency (p50, p90). The
client asks every 50 ms with If-None-Match, so an unchanged feed costs a 304. Then, with nothing
arriving and nobody fetching, the daemon's CPU time over --idle-seconds (default 60, so that the
once-a-minute render is in it) is the idle CPU, in % of one core. The bare parse ceiling is the rate
of `email.message_from_bytes` alone (compat32, as the reader parses) on the replicated mails.
With --further N, N more copies are then ingested into a copy of each built store, after one copy of
the corpus that reads each vendor's milestones into memory (as a daemon does once), and their mean CPU
time is the cost of one more mail at that size, measured alike at every size (the must-show of issue
19 compares it at 1,000 and 20,000: `--mails 1000 --large --further 480 --latency-mails 0 --keep DIR`).
With --keep DIR each size is built in DIR/scale-SIZE (config, store, Maildir) and kept; a size whose
store is there already is not built again, only its daemon measured (adding its new mails).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import email
import email.policy
import email.utils
import json
import os
import re
import resource
import random
import shutil
import signal
import socket
import statistics
import sqlite3
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from slipwatch import clock, pipeline, service
from slipwatch import config as config_mod
from slipwatch.publish import publisher
from slipwatch.sources import Incoming
from slipwatch.sources.maildir import MaildirSource
from slipwatch.store.db import Location

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
WINDOW = 1000

CONFIG = """
[store]
path = "{root}/scale.db"
[source]
kind = "maildir"
path = "{root}/inbox"
poll_seconds = 1
[smtp]
kind = "outbox"
outbox_path = "{root}/outbox"
from = "slipwatch@larkspur.example"
[feeds]
directory = "{root}/feeds"
[trust]
mode = "off"
[organisation]
name = "Larkspur"
domains = ["larkspur.example"]
[[teams]]
name = "Everyone"
timezone = "Europe/London"
"""

_ID_HEADER = re.compile(rb"^(message-id|in-reply-to|references|resent-message-id):[^\n]*(\n[ \t][^\n]*)*",
                        re.IGNORECASE | re.MULTILINE)
_DATE_HEADER = re.compile(rb"^(date|resent-date):([^\n]*)", re.IGNORECASE | re.MULTILINE)
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def copy_word(k: int) -> str:
    """A made-up word of copy k, letters only (a number would tell names apart by itself)."""
    first, rest = divmod(k, len(_SYLLABLES))
    return ("Zu" + _SYLLABLES[first % len(_SYLLABLES)] + _SYLLABLES[rest]).capitalize()


def labelled_names(eml: Path) -> list[str]:
    label = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
    names = {n for m in label.get("milestones", []) for n in (m["name"], *m.get("aliases", ())) if n}
    return sorted(names, key=len, reverse=True)


def renamed(raw: bytes, names: list[str], word: str) -> bytes:
    """The mail with each labelled name in its text parts followed by `word`."""
    if not names:
        return raw
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_maintype() != "text" or part.is_attachment():
            continue
        try:
            text = part.get_content()
        except (LookupError, KeyError, ValueError):
            continue
        new = pattern.sub(lambda m: f"{m.group(0)} {word}", text)
        if new != text:
            part.set_content(new, subtype=part.get_content_subtype(), charset="utf-8")
    return msg.as_bytes()


def replicated(raw: bytes, k: int, tag: str = "") -> bytes:
    """Copy k: unique Message-IDs (every one the mail names, prefixed by `tag`, else by k), Dates k days later."""
    prefix = f"<{tag or f'c{k}'}.".encode()
    raw = _ID_HEADER.sub(lambda m: m.group(0).replace(b"<", prefix), raw)

    def shift(m: re.Match[bytes]) -> bytes:
        try:
            when = email.utils.parsedate_to_datetime(m.group(2).decode("ascii", "replace").strip())
        except (TypeError, ValueError):
            return m.group(0)
        return m.group(1) + b": " + email.utils.format_datetime(when + dt.timedelta(days=k)).encode()

    return _DATE_HEADER.sub(shift, raw)


def replica(eml: Path, k: int, *, new_names: bool = True) -> bytes:
    """Copy k of a dev corpus mail."""
    raw = eml.read_bytes()
    return replicated(renamed(raw, labelled_names(eml), copy_word(k)) if new_names else raw, k)


def corpus(dev: Path, count: int, repeat_names: bool, start: int = 0) -> Iterator[bytes]:
    """Copies number `start` to `count` - 1 of the replication, in order."""
    mails = sorted(dev.glob("*.eml"))
    if not mails:
        raise SystemExit(f"no .eml files in {dev}: the dev corpus is needed (--dev)")
    for n in range(start, count):
        k, i = divmod(n, len(mails))
        yield replica(mails[i], k, new_names=not repeat_names)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(root: Path) -> config_mod.Config:
    """The config of a size's folder, on a port free now (the daemon's feeds)."""
    path = root / "slipwatch.toml"
    listen = f'[feeds]\nlisten = "127.0.0.1:{free_port()}"\n'
    path.write_text(CONFIG.format(root=root).replace("[feeds]\n", listen), encoding="utf-8")
    return config_mod.load(path, need_authserv_id=False)


@dataclass
class Ingested:
    """What ingesting a run of replicated mails one at a time cost, mail by mail."""

    costs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # the process's own time: what other work does not inflate
    parse: float = 0.0  # email.message_from_bytes alone, over all of them
    statuses: Counter[str] = field(default_factory=Counter)


def ingest(root: Path, dev: Path, count: int, repeat_names: bool) -> Ingested:
    """Ingest the replication's mails from the first not in the Maildir yet up to `count` stored, each also
    written to the Maildir's cur/ as read."""
    config = write_config(root)
    inbox = MaildirSource(config.source.path)
    inbox.open()
    stored = sum(1 for _ in (inbox.path / "cur").iterdir())
    store = service.open_store(config)
    flow = pipeline.Pipeline(store, config)
    out = Ingested()
    try:
        for n, raw in enumerate(corpus(dev, count, repeat_names, start=stored), start=stored):
            key = f"{n:06d}.scale"
            (inbox.path / "cur" / f"{key}:2,").write_bytes(raw)
            began = time.perf_counter()
            email.message_from_bytes(raw, policy=email.policy.compat32)
            out.parse += time.perf_counter() - began
            began, began_cpu = time.perf_counter(), time.process_time()
            outcome = flow.accept(Incoming(raw, Location(inbox.name, key=key)))
            out.costs.append(time.perf_counter() - began)
            out.cpu.append(time.process_time() - began_cpu)
            out.statuses[outcome.status] += 1
    finally:
        store.close()
    return out


def build(size: int, root: Path, dev: Path, repeat_names: bool) -> None:
    """Ingest `size` replicated mails one at a time into a new store."""
    start = time.perf_counter()
    run = ingest(root, dev, size, repeat_names)
    total = time.perf_counter() - start
    with contextlib.closing(sqlite3.connect(root / "scale.db")) as conn:
        milestones = conn.execute("SELECT count(*) FROM milestones").fetchone()[0]
    size_mb = (root / "scale.db").stat().st_size / 2**20
    print(f"\n{size} mails ({'repeated' if repeat_names else 'new'} names): {total:.1f} s, "
          f"{size / total:.1f} mails/s; {milestones} milestones; "
          + ", ".join(f"{v} {k}" for k, v in sorted(run.statuses.items())))
    print("  stored      ms/mail (mean)  (median)  CPU ms/mail (mean)")
    for at in range(0, len(run.costs), WINDOW):
        window = run.costs[at:at + WINDOW]
        print(f"  {at:>6}+  {statistics.fmean(window) * 1000:>14.1f}  {statistics.median(window) * 1000:>8.1f}"
              f"  {statistics.fmean(run.cpu[at:at + WINDOW]) * 1000:>18.1f}")
    print(f"  cost of one more mail: {statistics.fmean(run.costs[-WINDOW:]) * 1000:.1f} ms "
          f"({statistics.fmean(run.cpu[-WINDOW:]) * 1000:.1f} ms CPU); "
          f"peak RSS {rss_mb():.0f} MB; database {size_mb:.1f} MB; "
          f"bare parse ceiling {size / run.parse:.0f} mails/s")


def further(root: Path, dev: Path, mails: int, repeat_names: bool) -> None:
    """The CPU cost of `mails` more mails (the replication's next copies) on a copy of a built store, so
    that a kept store measures the same again: what one more mail costs with that much history, without
    a build's window mixing in the cost of the mails stored on the way."""
    stored = sum(1 for _ in (root / "inbox" / "cur").iterdir())
    warm = len(list(dev.glob("*.eml")))
    with tempfile.TemporaryDirectory(prefix="slipwatch-further-") as scratch:
        copy = Path(scratch) / root.name
        shutil.copytree(root, copy)
        run = ingest(copy, dev, stored + warm + mails, repeat_names)
    # the first copy of the corpus reads each vendor's milestones into memory, once in a daemon's life
    cpu, costs = run.cpu[warm:], run.costs[warm:]
    print(f"  {mails} further mails on {stored + warm} stored, after {warm} that warm each vendor's memory: "
          f"CPU {statistics.fmean(cpu) * 1000:.1f} ms/mail (median {statistics.median(cpu) * 1000:.1f} ms), "
          f"wall {statistics.fmean(costs) * 1000:.1f} ms; the warming ones "
          f"{statistics.fmean(run.cpu[:warm]) * 1000:.1f} ms CPU/mail; peak RSS {rss_mb():.0f} MB")


def dated_mails(dev: Path) -> list[Path]:
    """The dev mails with a milestone the feeds show (a due date, not cancelled)."""
    return [eml for eml in sorted(dev.glob("*.eml"))
            if any(m.get("due") and m.get("status") != "cancelled"
                   for m in json.loads(eml.with_suffix(".json").read_text(encoding="utf-8")).get("milestones", []))]


class FeedClient:
    """The `all` feed over HTTP, fetched again only when its ETag changed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.etag: str | None = None
        self.body = b""

    def fetch(self) -> bytes:
        request = urllib.request.Request(self.url, headers={"If-None-Match": self.etag} if self.etag else {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                self.etag, self.body = response.headers["ETag"], response.read().replace(b"\r\n ", b"")
        except urllib.error.HTTPError as exc:
            if exc.code != 304:
                raise
        return self.body


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user and system) the process used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(client: FeedClient, word: bytes, timeout: float) -> float | None:
    """Fetch every 50 ms until the feed holds `word`; the perf_counter moment it did."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if word in client.fetch():
            return time.perf_counter()
        time.sleep(0.05)
    return None


def measure_daemon(size: int, root: Path, dev: Path, mails: int, idle_seconds: float) -> None:
    """Arrival -> HTTP feed latency over `mails` new mails, then the idle daemon's CPU."""
    config = write_config(root)
    store = service.open_store(config)
    try:
        url = publisher.rotate(config, store, "all").url  # a token made now: the one time its URL is whole
    finally:
        store.close()
    client = FeedClient(url)
    inbox = MaildirSource(config.source.path)
    log = (root / "daemon.log").open("ab")
    daemon = subprocess.Popen([sys.executable, "-m", "slipwatch", "run", "--config", str(config.path)],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        began = time.perf_counter()
        while True:
            with contextlib.suppress(urllib.error.URLError, ConnectionError):
                client.fetch()
                break
            if daemon.poll() is not None:
                raise SystemExit(f"the daemon exited ({daemon.returncode}); see {root / 'daemon.log'}")
            time.sleep(0.2)
        started = time.perf_counter() - began
        rng = random.Random()
        latencies, missed = [], 0
        sources = dated_mails(dev)
        k = size // len(sorted(dev.glob("*.eml"))) + 1  # dated after every stored copy
        for i in range(mails):
            word = "Zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))
            eml = sources[i % len(sources)]
            raw = replicated(renamed(eml.read_bytes(), labelled_names(eml), word.capitalize()), k, tag=word)
            tmp = inbox.path / "tmp" / f"{word}.latency"
            tmp.write_bytes(raw)
            time.sleep(rng.uniform(0.5, 1.5))  # arrivals fall anywhere in the poll interval
            dropped = time.perf_counter()
            tmp.rename(inbox.path / "new" / tmp.name)
            seen = wait_for(client, word.capitalize().encode(), timeout=120)
            if seen is None:
                missed += 1
            else:
                latencies.append(seen - dropped)
        time.sleep(5)  # the last mail's digests and outbox pass
        cpu, wall = process_cpu(daemon.pid), time.perf_counter()
        time.sleep(idle_seconds)
        idle = (process_cpu(daemon.pid) - cpu) / (time.perf_counter() - wall) * 100
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=120)
        log.close()
    shown = sorted(latencies)
    p50 = statistics.median(shown) if shown else float("nan")
    p90 = shown[min(len(shown) - 1, int(0.9 * len(shown)))] if shown else float("nan")
    print(f"  daemon at {size}: first feed after {started:.1f} s; arrival -> HTTP feed p50 {p50:.2f} s, "
          f"p90 {p90:.2f} s, max {max(shown, default=float('nan')):.2f} s over {len(shown)} mails"
          + (f" ({missed} never shown)" if missed else "")
          + f"; idle CPU {idle:.1f} % of a core over {idle_seconds:.0f} s")


def run(size: int, dev: Path, repeat_names: bool, keep: Path | None, mails: int, idle_seconds: float,
        further_mails: int = 0) -> None:
    with contextlib.ExitStack() as stack:
        if keep is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="slipwatch-scale-")))
        else:
            root = keep / f"scale-{size}"
            root.mkdir(parents=True, exist_ok=True)
        if (root / "scale.db").exists():
            print(f"\n{size} mails: the store in {root} is measured again")
        else:
            build(size, root, dev, repeat_names)
        if further_mails:
            further(root, dev, further_mails, repeat_names)
        if mails:
            measure_daemon(size, root, dev, mails, idle_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, nargs="+", default=[1000, 5000], help="sizes to replicate")
    parser.add_argument("--large", action="store_true", help="20,000 mails besides")
    parser.add_argument("--repeat-names", action="store_true", help="every copy keeps the corpus's milestone names")
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev corpus (default: ../shared/corpus/dev)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the last size to this file (its build"
                        " unless kept, and its further mails)")
    parser.add_argument("--keep", type=Path, help="keep each size's store, Maildir and config in this folder"
                        " (and measure a kept one again)")
    parser.add_argument("--latency-mails", type=int, default=20, help="new mails timed to the feed (0: no daemon)")
    parser.add_argument("--further", type=int, default=0, metavar="N",
                        help="then the CPU cost of N more mails on a copy of each built store")
    parser.add_argument("--idle-seconds", type=float, default=60, help="how long the idle daemon's CPU is measured")
    args = parser.parse_args()
    os.environ[clock.ENV_VAR] = "2031-01-01T00:00:00+00:00"
    sizes = [*args.mails, *([20000] if args.large else [])]
    for size in sizes:
        if args.profile and size == sizes[-1]:
            import cProfile
            cProfile.runctx("run(size, args.dev, args.repeat_names, args.keep, 0, 0, args.further)", globals(), locals(),
                            str(args.profile))
        else:
            run(size, args.dev, args.repeat_names, args.keep, args.latency_mails, args.idle_seconds, args.further)


if __name__ == "__main__":
    main()
