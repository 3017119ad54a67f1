"""Debian's Chromium driven by Playwright; a fresh browser context per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.support.stack import Deployment, eventually

pytestmark = pytest.mark.browser
Deploy = Callable[..., Deployment]
# Plugin options for tests that hold answers or run a fake clock (which also runs the loader's
# request timeout): the loader waits for its answer instead of giving up and asking again.
PATIENT = {"timeout": 30}


class Tab:
    """A page plus what it did: uncaught errors, console errors, requests by URL."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.finished: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfinished", lambda request: self.finished.append(request.url))

    def another(self, url: str) -> Tab:
        """Another tab of the same browser (cookies, storage origin, BroadcastChannel), at url."""
        other = Tab(self.page.context.new_page())
        other.page.goto(url)
        return other

    def requests_to(self, fragment: str) -> list[str]:
        return [url for url in self.requests if fragment in url]

    def wait_for_loader(self) -> None:
        """Until the loader has run (page content may hold an element with its global's id)."""
        self.page.wait_for_function("() => typeof window.mkdocsIntercom?.ready === 'function'")

    def ready_state(self) -> dict[str, Any]:
        """The loader's state once it has settled (its first answer from the signer)."""
        self.wait_for_loader()
        return self.page.evaluate(  # type: ignore[no-any-return]
            "() => new Promise((resolve) => window.mkdocsIntercom.ready(resolve))"
        )

    def open_signed_in(self, site: Deployment, sub: str) -> None:
        """Open the site's home page with `sub` logged in, once the loader booted as them."""
        self.page.context.add_cookies([site.login_cookie(sub)])
        self.page.goto(site.url + "/")
        assert self.ready_state()["userId"] == sub

    def sandbox(self) -> dict[str, Any]:
        return self.page.evaluate("() => window.__intercomSandbox || null")  # type: ignore[no-any-return]

    def pause_clock(self) -> None:
        """Stop the fake clock (installed before the page loaded) where it is: from now on
        only `clock.run_for` moves it, so no timer fires on its own."""
        self.page.clock.pause_at(self.page.evaluate("() => Date.now() / 1000 + 1"))  # seconds

    def focus(self) -> None:
        self.page.evaluate("() => window.dispatchEvent(new Event('focus'))")

    def follow_instantly(self, link: str, url: str) -> None:
        """Click a link under mkdocs-material's instant navigation and wait until the page has
        been swapped in and announced (the loader hears document$ before this test does)."""
        # material takes over only the links its sitemap lists, once it has read it
        self.page.evaluate("() => 0")  # takes in the browser's events so far
        if not any(url.endswith("/sitemap.xml") for url in self.finished):
            self.page.wait_for_event(
                "requestfinished", lambda request: request.url.endswith("/sitemap.xml")
            )
        count = self.page.evaluate(
            "() => window.__navigations || (window.document$.subscribe(() =>"
            " window.__navigations = (window.__navigations || 0) + 1), window.__navigations || 0)"
        )
        self.page.click(f".md-content a:text-is('{link}')")
        self.page.wait_for_url(url)
        self.page.wait_for_function(f"() => window.__navigations > {count}")

    def state(self) -> dict[str, Any]:
        """The loader's state right now (synchronous: the loader's own truth)."""
        return self.page.evaluate("() => window.mkdocsIntercom.state")  # type: ignore[no-any-return]

    def storage(self) -> str:
        return self.page.evaluate(  # type: ignore[no-any-return]
            "() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"
        )

    def intercom_calls(self, site: Deployment) -> list[dict[str, Any]]:
        """Every Intercom(...) call this document made, once the sandbox has recorded them all:
        a marker call goes last, and its sequence number says how many were made before it."""
        self.page.wait_for_function("() => window.__intercomSandbox")
        started, flushes = self.page.evaluate(
            "() => { window.Intercom('getVisitorId');"
            " window.__flushes = (window.__flushes || 0) + 1;"
            " return [performance.timeOrigin, window.__flushes]; }"
        )

        def recorded() -> tuple[list[dict[str, Any]]] | None:
            mine = [c for c in site.sandbox.calls if c["pageStarted"] == started]
            markers = [c["seq"] for c in mine if c["command"] == "getVisitorId"]
            if len(markers) < flushes or len(mine) < max(markers) + 1:
                return None
            return ([c for c in mine if c["command"] != "getVisitorId"],)

        return eventually(recorded)[0]  # type: ignore[no-any-return]


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    yield Tab(page)
    context.close()
