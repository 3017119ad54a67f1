"""Chromium for the tests outside tests/browser (the local site, the docs at phone width).

Playwright's sync API allows one instance per thread, and the browser suite's session-wide
Chromium may hold this one's: each scenario here runs in a thread of its own, with a Chromium
of its own, and its assertion errors come back to the test."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from playwright.sync_api import Page, ViewportSize, sync_playwright

from mkdocs_intercom.devstack.browser import CHROMIUM_FLAGS, chromium_path
from tests.browser.conftest import Tab

T = TypeVar("T")


def in_chromium(scenario: Callable[[Tab], T], viewport: ViewportSize | None = None) -> T:
    """Run `scenario` on a fresh page of a fresh Chromium; its result, or its exception."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing in CI: `make test` installs it")
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=executable, args=list(CHROMIUM_FLAGS)
                )
                page: Page = browser.new_context(viewport=viewport).new_page()
                page.set_default_timeout(15000)
                outcome["value"] = scenario(Tab(page))
                browser.close()
        except BaseException as error:  # handed to the test's own thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="chromium")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
