"""Screenshots of the schedule pages on the demo data: docs/page-schedule.png, page-story.png, page-vendors.png.

    .venv/bin/python docs/screenshots.py

Runs the demo (config/demo.toml, in a temporary folder) as `slipwatch run` at a
fixed moment, the day after the demo's last mail, and photographs its pages in
Debian's headless chromium (apt-get install chromium chromium-driver; Selenium
is in the test extras).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from slipwatch import config as config_mod  # noqa: E402
from slipwatch.publish import links, publisher, tokens  # noqa: E402
from slipwatch.store import Store  # noqa: E402
from tests.helpers import demo_config  # noqa: E402

NOW = "2026-11-27T14:00:00+00:00"  # the day after the demo's last mail: its story as it ends
TEAM = "platform"
STORY = 3  # a milestone that slipped twice
SHOTS = {"page-schedule.png": "", "page-story.png": f"milestones/{STORY}", "page-vendors.png": "vendors"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="slipwatch-shots-"))
    port = free_port()
    path = folder / "demo.toml"
    path.write_text(demo_config().replace("127.0.0.1:8025", f"127.0.0.1:{port}"))
    env = {**os.environ, "SLIPWATCH_NOW": NOW}
    slipwatch = [sys.executable, "-m", "slipwatch"]
    subprocess.run([*slipwatch, "run", "--once", "--config", str(path)], env=env, check=True, capture_output=True)
    config = config_mod.load(path)
    store = Store.open(config.store.path)
    try:
        token = tokens.ensure(store, [s.slug for s in publisher.specs(config)])[TEAM]
    finally:
        store.close()
    daemon = subprocess.Popen([*slipwatch, "run", "--config", str(path)], env=env, stderr=subprocess.DEVNULL)
    root = links.pages_url(publisher.base_url(config), token, TEAM)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--window-size=1500,900", "--force-device-scale-factor=1",
                     "--hide-scrollbars"):
        options.add_argument(argument)
    browser = webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))
    try:
        _wait(root)
        for name, page in SHOTS.items():
            browser.get(root + page)
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(1500, max(600, min(height + 20, 1400)))
            browser.save_screenshot(str(REPO / "docs" / name))
            print(REPO / "docs" / name)
    finally:
        browser.quit()
        daemon.terminate()
        daemon.wait(timeout=20)


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the demo daemon did not serve {url}")


if __name__ == "__main__":
    main()
