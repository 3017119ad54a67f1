"""Debian's Chromium driven by Playwright; a fresh browser context per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from mkdocs_intercom.devstack.browser import CHROMIUM_FLAGS, chromium_path
from tests.support.stack import Deployment

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium = chromium_path()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Debian's chromium is missing in CI: `make test` installs it (apt-get install chromium)"
            )
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=list(CHROMIUM_FLAGS))
        yield launched
        launched.close()


class Tab:
    """A page plus what it did: uncaught errors, console errors, requests by URL."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )
        page.on("request", lambda request: self.requests.append(request.url))

    def requests_to(self, fragment: str) -> list[str]:
        return [url for url in self.requests if fragment in url]

    def ready_state(self) -> dict[str, Any]:
        """The loader's state once it has settled (its first answer from the signer)."""
        self.page.wait_for_function("() => window.mkdocsIntercom")
        return self.page.evaluate(
            "() => new Promise((resolve) => window.mkdocsIntercom.ready(resolve))"
        )  # type: ignore[no-any-return]

    def open_signed_in(self, site: Deployment, sub: str) -> None:
        """Open the site's home page with `sub` logged in, once the loader booted as them."""
        self.page.context.add_cookies([site.login_cookie(sub)])
        self.page.goto(site.url + "/")
        assert self.ready_state()["userId"] == sub

    def sandbox(self) -> dict[str, Any]:
        return self.page.evaluate("() => window.__intercomSandbox || null")  # type: ignore[no-any-return]


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    yield Tab(page)
    context.close()
