"""Render the receipt of a demo mail to a PNG (and its text beside it), as its forwarder sees it.

    .venv/bin/python docs/render_receipt.py [--mail 08-nimbus-beta-slip-apple.eml] [--out docs/receipt-beta-slip.png]

Does what the README's quick start does, in a throwaway folder and as of
`--now`: `slipwatch run --once` on config/demo.toml (which seeds its Maildir
from config/demo-inbox and writes every receipt to the outbox folder), then
takes the receipt of the chosen demo mail, writes its text part to the .txt
beside the picture and screenshots its HTML part with headless Chromium
(Debian's `chromium`). The demo mails are not moved in time (`seed_recent` off),
so the receipt reads as it did the day the mail came.
"""

from __future__ import annotations

import argparse
import email
import os
import sys
import tempfile
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_digest import ROOT, demo_config, screenshot, slipwatch  # noqa: E402 - the folder is no package

NOW = "2026-11-24T12:00:00+00:00"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mail", default="08-nimbus-beta-slip-apple.eml", help="a file of config/demo-inbox")
    parser.add_argument("--now", default=NOW, help="the moment the demo runs at (ISO 8601)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "receipt-beta-slip.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = demo_config(work, seed_recent=False)
        slipwatch("run", "--once", "--config", str(config), env={**os.environ, "SLIPWATCH_NOW": args.now})
        wanted = email.message_from_bytes((ROOT / "config" / "demo-inbox" / args.mail).read_bytes(),
                                          policy=policy.default)["Message-ID"].strip()
        receipt = next(
            mail for path in sorted((work / "outbox").glob("slipwatch-receipt-*.eml"))
            if (mail := email.message_from_bytes(path.read_bytes(), policy=policy.default))["In-Reply-To"] == wanted
        )
        args.out.with_suffix(".txt").write_text(
            f"Subject: {receipt['Subject']}\n\n{receipt.get_body(('plain',)).get_content()}".replace("\r\n", "\n"),
            encoding="utf-8")
        screenshot(receipt, args.out, work, height=660)
    print(f"wrote {args.out} and {args.out.with_suffix('.txt')}")


if __name__ == "__main__":
    main()
