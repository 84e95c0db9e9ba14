"""Extraction speed: the dev corpus replicated to N mails, through reading and extraction.

    .venv/bin/python benchmarks/extract.py [--mails 2000] [--corpus ../shared/corpus/dev] [--decisions combined]

Prints mails per second for `slipwatch.pipeline.read` (MIME, forwards,
quotes, then milestones) beside the bare stdlib parse of the same bytes
(`email.message_from_bytes` with compat32, every text part decoded): the
ceiling any reader built on the stdlib works under. One process, one core.
Then the same rate for the corpus mails with attachments the extractor reads
(calendars, CSV, office documents) apart from those without, and for a mail
made here carrying an Excel plan (3 sheets of 200 rows), since the corpus
holds few real workbooks.
`--decisions` reads the prose with other decisions than the default
(extract/learned.py), to tell what the learned model costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import email
import email.policy
import io
import time
from email.message import EmailMessage
from pathlib import Path

from openpyxl import Workbook

from slipwatch.extract.learned import MODES
from slipwatch.mail import read_message
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


def excel_plan_mail(sheets: int = 3, rows: int = 200) -> bytes:
    """A vendor mail whose plan is an attached workbook: `sheets` sheets of `rows` dated tasks."""
    wb = Workbook()
    for n in range(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = f"Lot {n + 1}"
        ws.append(["Task", "Owner", "Baseline", "Forecast", "Status", "Comment"])
        for r in range(rows):
            base = dt.datetime(2026, 11, 2) + dt.timedelta(days=r % 90)
            ws.append([f"Lot {n + 1} task {r + 1}", "Corkline", base, base + dt.timedelta(days=r % 3 * 7),
                       ("Done", "On track", "Delayed")[r % 3], "see weekly call" if r % 5 == 0 else None])
    data = io.BytesIO()
    wb.save(data)
    msg = EmailMessage()
    msg["From"] = "Ines Duarte <ines.duarte@corkline.example>"
    msg["To"] = "schedule@fernhill.example"
    msg["Subject"] = "Production plan, week 48"
    msg["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = "<bench-plan@corkline.example>"
    msg.set_content("Please find our updated plan attached.")
    msg.add_attachment(data.getvalue(), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="plan.xlsx")
    return msg.as_bytes()


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
    attached = {raw for raw in samples if read_message(raw).attachments}
    for label, group in (("with attachments", [raw for raw in mails if raw in attached]),
                         ("without attachments", [raw for raw in mails if raw not in attached])):
        if group:
            speed = rate(group, work)
            print(f"  {label}: {len(group)} mails, {speed:.0f} mails/s ({1000 / speed:.2f} ms/mail)")
    plan = excel_plan_mail()
    speed = rate([plan] * max(1, args.mails // 20), work)
    print(f"  with an Excel plan attached (3 sheets x 200 rows, made here): {speed:.1f} mails/s "
          f"({1000 / speed:.1f} ms/mail)")


if __name__ == "__main__":
    main()
