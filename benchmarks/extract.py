"""Extraction speed: the dev corpus replicated to N mails, through reading and extraction.

    .venv/bin/python benchmarks/extract.py [--mails 2000] [--corpus ../shared/corpus/dev] [--decisions combined]

Prints mails per second for `slipwatch.pipeline.read` (MIME, forwards,
quotes, then milestones) beside the bare stdlib parse of the same bytes
(`email.message_from_bytes` with compat32, every text part decoded): the
ceiling any reader built on the stdlib works under. One process, one core.
`--decisions` reads the prose with other decisions than the default
(extract/learned.py), to tell what the learned model costs.
"""

from __future__ import annotations

import argparse
import functools
import email
import email.policy
import time
from pathlib import Path

from slipwatch.extract.learned import MODES
from slipwatch.pipeline import read

ROOT = Path(__file__).resolve().parent.parent


def bare_parse(raw: bytes) -> None:
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_maintype() == "text":
            part.get_payload(decode=True)


def rate(mails: list[bytes], work) -> float:
    start = time.perf_counter()
    for raw in mails:
        work(raw)
    return len(mails) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--decisions", choices=MODES)
    args = parser.parse_args()
    samples = [p.read_bytes() for p in sorted(args.corpus.glob("*.eml"))]
    if not samples:
        raise SystemExit(f"no .eml files in {args.corpus}")
    mails = [samples[i % len(samples)] for i in range(args.mails)]
    work = read if args.decisions is None else functools.partial(read, decisions=args.decisions)
    rate(mails[:100], work)  # warm up: compiled patterns, imports, the model's weights
    ceiling = rate(mails, bare_parse)
    ours = rate(mails, work)
    print(f"{len(mails)} mails ({len(samples)} distinct): read + extract {ours:.0f} mails/s "
          f"({1000 / ours:.2f} ms/mail); bare stdlib parse {ceiling:.0f} mails/s")


if __name__ == "__main__":
    main()
