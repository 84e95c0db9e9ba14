"""Render the demo's digest to a PNG, the way a person sees it in a mail client.

    .venv/bin/python docs/render_digest.py [--team Platform] [--now 2026-12-07T14:00Z] [--out docs/digest-platform.png]

Does what the README's quick start does, in a throwaway folder and as of
`--now`: `slipwatch run --once` on config/demo.toml (which seeds its Maildir
from config/demo-inbox, moved to the weeks before that day), then
`slipwatch digest send --team T --now`; it takes the HTML part of the .eml
written to the outbox and screenshots it with headless Chromium (Debian's
`chromium`). The default moment is Monday 7 Dec 2026, 09:00 in New York, when
the Platform team's weekly digest goes out.
"""

from __future__ import annotations

import argparse
import email
import email.message
import os
import shutil
import subprocess
import sys
import tempfile
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-07T14:00:00+00:00"


def slipwatch(*args: str, env: dict[str, str]) -> str:
    return subprocess.run([sys.executable, "-m", "slipwatch", "--log-level", "warning", *args], check=True, env=env,
                          stdout=subprocess.PIPE, text=True).stdout


def demo_config(work: Path, *, seed_recent: bool = True) -> Path:
    """config/demo.toml with its var/ folder in `work`, seeded from the repository's demo inbox."""
    config = work / "demo.toml"
    text = (ROOT / "config" / "demo.toml").read_text()
    if not seed_recent:
        text = text.replace("seed_recent = true", "seed_recent = false")
    config.write_text(text.replace('"../var/', f'"{work}/').replace('seed = "demo-inbox"',
                                                                    f'seed = "{ROOT / "config" / "demo-inbox"}"'))
    return config


def screenshot(mail: email.message.EmailMessage, out: Path, work: Path, *, height: int) -> None:
    """A picture of the mail's HTML part, 720 pixels wide, as headless Chromium renders it."""
    html = work / "mail.html"
    html.write_text(mail.get_body(("html",)).get_content(), encoding="utf-8")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("headless Chromium is needed: apt-get install chromium")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", f"--user-data-dir={html.parent / 'chromium'}", f"--window-size=720,{height}",
         f"--screenshot={out.resolve()}", html.as_uri()],
        check=True, capture_output=True, timeout=120,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--team", default="Platform")
    parser.add_argument("--now", default=NOW, help="the moment the demo runs at (ISO 8601)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "digest-platform.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = demo_config(work)
        env = {**os.environ, "SLIPWATCH_NOW": args.now}
        slipwatch("run", "--once", "--config", str(config), env=env)
        out = slipwatch("digest", "send", "--team", args.team, "--now", "--config", str(config), env=env)
        eml = Path(out.split("wrote ", 1)[1].strip())
        screenshot(email.message_from_bytes(eml.read_bytes(), policy=policy.default), args.out, work, height=1160)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
