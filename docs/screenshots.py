"""Screenshots of the demo for the docs, taken in Chromium from a running `mkdocs-intercom demo`,
so they never go stale: `make screenshots`. Each is cropped to what it shows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import FloatRect, Page, sync_playwright

from mkdocs_intercom.devstack.browser import CHROMIUM_FLAGS, chromium_path

ASSETS = Path(__file__).parent / "assets"
MARGIN = 24


def around(page: Page, *selectors: str) -> FloatRect:
    """The smallest box holding every element, with a margin, inside the viewport."""
    boxes = [page.locator(selector).bounding_box() for selector in selectors]
    assert all(boxes), selectors
    left = max(0, min(b["x"] for b in boxes if b) - MARGIN)
    top = max(0, min(b["y"] for b in boxes if b) - MARGIN)
    size = page.viewport_size or {"width": 0, "height": 0}
    right = min(size["width"], max(b["x"] + b["width"] for b in boxes if b) + MARGIN)
    bottom = min(size["height"], max(b["y"] + b["height"] for b in boxes if b) + MARGIN)
    return {"x": left, "y": top, "width": right - left, "height": bottom - top}


def main() -> None:
    build = Path(tempfile.mkdtemp(prefix="demo-screenshots-"))
    demo = subprocess.Popen(
        [sys.executable, "-m", "mkdocs_intercom.cli", "demo", "--build-dir", str(build)],
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
    written = [ASSETS / "demo-sign-in.png", ASSETS / "demo-verified.png"]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=list(CHROMIUM_FLAGS)
            )
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(f"{url}idp/login?next=/")
            page.screenshot(path=written[0], clip=around(page, "main"))
            page.click("button[value=alice]")
            page.wait_for_selector("[data-demo-session][data-state=signed-in]")
            page.wait_for_function(
                "() => window.__intercomSandbox && window.__intercomSandbox.booted"
            )
            page.click("#intercom-sandbox-launcher")
            page.locator("#intercom-sandbox-panel").wait_for()
            # The Messenger alone: the page behind it would show as fragments of text at the
            # crop's edges, so everything but the Messenger's panel and launcher is hidden.
            page.add_style_tag(
                content="body > :not(#intercom-sandbox-panel, #intercom-sandbox-launcher)"
                " { visibility: hidden !important; }"
            )
            page.screenshot(
                path=written[1],
                clip=around(page, "#intercom-sandbox-panel", "#intercom-sandbox-launcher"),
            )
            browser.close()
    finally:
        demo.terminate()
        demo.wait(timeout=10)
        shutil.rmtree(build, ignore_errors=True)
    print("wrote", ", ".join(str(path) for path in written))


if __name__ == "__main__":
    main()
