"""Screenshots of the demo for the docs, taken in Chromium from a running `mkdocs-intercom demo`,
so they never go stale: `make screenshots`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from mkdocs_intercom.devstack.browser import CHROMIUM_FLAGS, chromium_path

ASSETS = Path(__file__).parent / "assets"


def main() -> None:
    build = Path(tempfile.mkdtemp(prefix="demo-screenshots-"))
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs_intercom.cli",
            "demo",
            "--build-dir",
            str(build),
            "--load",
            "eager",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert demo.stdout is not None
    first = demo.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/)", first)
    assert match, first
    url = match.group(1)
    while "Ctrl-C" not in demo.stdout.readline():
        pass
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=list(CHROMIUM_FLAGS)
            )
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            page.goto(f"{url}idp/login?next=/")
            page.screenshot(path=ASSETS / "demo-sign-in.png")
            page.click("button[value=alice]")
            page.wait_for_function(
                "() => window.mkdocsIntercom && window.mkdocsIntercom.state.mode === 'user'"
            )
            page.click("#intercom-sandbox-launcher")
            page.locator("#intercom-sandbox-panel").wait_for()
            page.screenshot(path=ASSETS / "demo-verified.png")
            browser.close()
    finally:
        demo.terminate()
        demo.wait(timeout=10)
        shutil.rmtree(build, ignore_errors=True)
    print(f"wrote {ASSETS / 'demo-sign-in.png'} and {ASSETS / 'demo-verified.png'}")


if __name__ == "__main__":
    main()
