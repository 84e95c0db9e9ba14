"""Render the demo's digest to a PNG, the way a person sees it in a mail client.

    .venv/bin/python docs/render_digest.py [--team Platform] [--out docs/digest-platform.png]

Ingests config/demo-inbox into a throwaway store as of Thursday 26 Nov 2026,
writes the team's HTML digest with `slipwatch digest preview --html`, and takes
a screenshot with headless Chromium (Debian's `chromium`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-26T12:00:00+00:00"


def slipwatch(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "slipwatch", "--log-level", "warning", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--team", default="Platform")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "digest-platform.png")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("headless Chromium is needed: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = work / "demo.toml"
        text = (ROOT / "config" / "demo.toml").read_text()
        config.write_text(text.replace('"../var/', f'"{work}/').replace('seed = "demo-inbox"',
                                                                        f'seed = "{ROOT / "config" / "demo-inbox"}"'))
        env = {**os.environ, "SLIPWATCH_NOW": NOW}
        slipwatch("ingest", str(ROOT / "config" / "demo-inbox"), "--config", str(config), env=env)
        html = work / "digest.html"
        slipwatch("digest", "preview", "--team", args.team, "--html", str(html), "--config", str(config), env=env)
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={work / 'chromium'}", "--window-size=720,1400",
             f"--screenshot={args.out.resolve()}", html.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
