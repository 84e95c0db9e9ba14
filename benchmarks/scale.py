"""Cost as history grows: the dev corpus replicated into a year of mail, ingested one mail at a time.

    .venv/bin/python benchmarks/scale.py [--mails 1000 5000] [--large] [--repeat-names] [--profile FILE] [--keep DIR]

Copy k of the dev corpus (../shared/corpus/dev) is every mail with its Message-IDs made unique
(the inner ones of forwards too, so no copy is a duplicate of another), its Date headers moved k days
later, and, unless --repeat-names, the labelled milestone names (and aliases) in its text followed by
a word of that copy, so every copy brings new milestones that share their other words with the
earlier copies' (the worst case for identity matching). Trust is off: every mail is recorded.

For each size (1,000 and 5,000 mails; --large adds 20,000) it prints the cost of a mail (mean ms) per
window of 1,000 mails stored, the peak RSS of the process and the size of the database. "Cost of one
more mail" is the last window's mean. The clock is pinned past the last copy's dates so no send time
is believed later than its arrival. Peak RSS is the process's, so it is that of the largest size run
so far. Not measured yet (issue 19): arrival -> HTTP feed latency, idle daemon CPU, the bare parse ceiling.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import email.utils
import json
import os
import re
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from slipwatch import clock, pipeline, service
from slipwatch import config as config_mod
from slipwatch.sources import Incoming
from slipwatch.store.db import Location

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
WINDOW = 1000

CONFIG = """
[store]
path = "{root}/scale.db"
[source]
kind = "maildir"
path = "{root}/inbox"
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


def replicated(raw: bytes, k: int) -> bytes:
    """Copy k: unique Message-IDs (every one the mail names), Dates k days later."""
    raw = _ID_HEADER.sub(lambda m: m.group(0).replace(b"<", f"<c{k}.".encode()), raw)

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


def corpus(dev: Path, count: int, repeat_names: bool) -> Iterator[bytes]:
    mails = sorted(dev.glob("*.eml"))
    if not mails:
        raise SystemExit(f"no .eml files in {dev}: the dev corpus is needed (--dev)")
    for n in range(count):
        k, i = divmod(n, len(mails))
        yield replica(mails[i], k, new_names=not repeat_names)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(size: int, dev: Path, repeat_names: bool, keep: Path | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="slipwatch-scale-") as root:
        path = Path(root) / "slipwatch.toml"
        path.write_text(CONFIG.format(root=root), encoding="utf-8")
        config = config_mod.load(path, need_authserv_id=False)
        store = service.open_store(config)
        flow = pipeline.Pipeline(store, config)
        costs: list[float] = []
        cpu: list[float] = []  # the process's own time: what other work on the machine does not inflate
        statuses: dict[str, int] = {}
        start = time.perf_counter()
        for n, raw in enumerate(corpus(dev, size, repeat_names)):
            began, began_cpu = time.perf_counter(), time.process_time()
            outcome = flow.accept(Incoming(raw, Location("scale", key=str(n))))
            costs.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        total = time.perf_counter() - start
        milestones = store.conn.execute("SELECT count(*) FROM milestones").fetchone()[0]
        store.close()
        size_mb = (Path(root) / "scale.db").stat().st_size / 2**20
        if keep is not None:  # the store and its config, for timing commands on it
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(Path(root) / "scale.db", keep / f"scale-{size}.db")
            (keep / f"scale-{size}.toml").write_text(CONFIG.format(root=keep).replace("scale.db", f"scale-{size}.db"))
    print(f"\n{size} mails ({'repeated' if repeat_names else 'new'} names): {total:.1f} s, "
          f"{size / total:.1f} mails/s; {milestones} milestones; "
          + ", ".join(f"{v} {k}" for k, v in sorted(statuses.items())))
    print("  stored      ms/mail (mean)  (median)  CPU ms/mail (mean)")
    for at in range(0, len(costs), WINDOW):
        window = costs[at:at + WINDOW]
        print(f"  {at:>6}+  {statistics.fmean(window) * 1000:>14.1f}  {statistics.median(window) * 1000:>8.1f}"
              f"  {statistics.fmean(cpu[at:at + WINDOW]) * 1000:>18.1f}")
    print(f"  cost of one more mail: {statistics.fmean(costs[-WINDOW:]) * 1000:.1f} ms "
          f"({statistics.fmean(cpu[-WINDOW:]) * 1000:.1f} ms CPU); "
          f"peak RSS {rss_mb():.0f} MB; database {size_mb:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, nargs="+", default=[1000, 5000], help="sizes to replicate")
    parser.add_argument("--large", action="store_true", help="20,000 mails besides")
    parser.add_argument("--repeat-names", action="store_true", help="every copy keeps the corpus's milestone names")
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev corpus (default: ../shared/corpus/dev)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the last size to this file")
    parser.add_argument("--keep", type=Path, help="keep each size's store and a config for it in this folder")
    args = parser.parse_args()
    os.environ[clock.ENV_VAR] = "2031-01-01T00:00:00+00:00"
    sizes = [*args.mails, *([20000] if args.large else [])]
    for size in sizes:
        if args.profile and size == sizes[-1]:
            import cProfile
            cProfile.runctx("run(size, args.dev, args.repeat_names, args.keep)", globals(), locals(), str(args.profile))
        else:
            run(size, args.dev, args.repeat_names, args.keep)


if __name__ == "__main__":
    main()
