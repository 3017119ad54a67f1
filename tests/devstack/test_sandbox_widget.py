"""The sandbox's widget script in Chromium: Intercom's rules for `update` as a page meets them.
The server refuses an identified update without the Messenger's JWT, or one that changes the
reader; the widget drops updates beyond 20 in 30 minutes of the page load. Both are visible:
a console warning, a count on the launcher, a record at GET /calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from mkdocs_intercom.devstack.sandbox import SandboxMessenger
from mkdocs_intercom.devstack.server import LoopbackServer
from tests.devstack.test_sandbox import APP_ID, SECRET, intercom_jwt
from tests.support.stack import eventually

pytestmark = pytest.mark.browser

PAGE = f"""<!doctype html><html lang="en"><head><title>A page with the sandbox widget</title></head>
<body><main><h1>Sandbox</h1></main><script src="/widget/{APP_ID}"></script></body></html>"""


class Site:
    def __init__(self) -> None:
        self.messenger = SandboxMessenger(SECRET, APP_ID)
        routes = [*self.messenger.routes(), Route("/", lambda request: HTMLResponse(PAGE))]
        self.server = LoopbackServer().start(Starlette(routes=routes))
        self.url = self.server.url + "/"

    def updates(self) -> list[dict[str, Any]]:
        return [call for call in self.messenger.calls if call["command"] == "update"]


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    started = Site()
    yield started
    started.server.stop()


class Tab:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.warnings: list[str] = []
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "warning":
            self.warnings.append(message.text)

    def intercom(self, command: str, settings: dict[str, Any] | None = None) -> None:
        self.page.evaluate("([c, s]) => window.Intercom(c, s)", [command, settings])

    def sandbox(self) -> dict[str, Any]:
        return self.page.evaluate("() => ({...window.__intercomSandbox})")  # type: ignore[no-any-return]

    def until(self, condition: str) -> None:
        """Wait for a condition on window.__intercomSandbox (`s`): the widget applied answers."""
        self.page.wait_for_function(f"() => (s => {condition})(window.__intercomSandbox)")

    def boot(self, user: str | None) -> None:
        token = None if user is None else intercom_jwt({"user_id": user})
        settings = {"app_id": APP_ID} | ({"intercom_user_jwt": token} if token else {})
        self.intercom("boot", settings)
        if user is None:
            self.until("s.booted && !s.user")
        else:
            self.until(f"s.booted && s.user && s.user.user_id === {user!r}")


@pytest.fixture
def tab(browser: Browser, site: Site) -> Iterator[Tab]:
    site.messenger.clear()
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()  # the throttle reads the page's clock
    page.goto(site.url)
    page.wait_for_function("() => window.__intercomSandbox")
    yield Tab(page)
    context.close()


def test_an_update_without_the_jwt_is_refused_visibly_and_not_applied(site: Site, tab: Tab) -> None:
    tab.boot("alice")
    tab.intercom("update", {"hide_default_launcher": True})
    tab.until("s.refused === 1")
    state = tab.sandbox()
    assert (state["booted"], state["user"]["user_id"]) == (True, "alice"), "the Messenger runs on"
    assert state["hideLauncher"] is False, "the refused update changed nothing"
    assert tab.warnings == [
        "[Intercom] 403 Forbidden: update refused: Missing intercom_user_jwt:"
        " every update of a Messenger booted with a JWT needs one"
    ]
    assert tab.page.get_attribute("#intercom-sandbox-launcher", "data-rejected") == "1"
    tab.intercom("show")
    tab.until("s.open")
    assert "1 refused by Intercom" in tab.page.inner_text("#intercom-sandbox-panel .ics-rejected")
    [update] = site.updates()
    assert (update["refused"], update["args"]) == (True, {"hide_default_launcher": True})

    tab.intercom(
        "update",
        {"intercom_user_jwt": intercom_jwt({"user_id": "alice"}), "hide_default_launcher": True},
    )
    tab.until("s.hideLauncher")
    assert [
        u["refused"] for u in eventually(lambda: len(site.updates()) == 2 and site.updates())
    ] == [
        True,
        False,
    ]


def test_another_reader_by_update_is_refused_and_shutdown_then_boot_is_not(
    site: Site, tab: Tab
) -> None:
    tab.boot(None)
    tab.intercom("update", {"intercom_user_jwt": intercom_jwt({"user_id": "alice"})})
    tab.until("s.refused === 1")
    assert tab.sandbox()["user"] is None, "still a visitor"
    tab.intercom("shutdown")
    tab.boot("alice")
    tab.intercom("update", {"intercom_user_jwt": intercom_jwt({"user_id": "bob"})})
    tab.until("s.refused === 2")
    assert tab.sandbox()["user"]["user_id"] == "alice"
    tab.intercom("shutdown")
    tab.boot("bob")
    tab.intercom("update", {"intercom_user_jwt": intercom_jwt({"user_id": "bob"})})
    updates = eventually(lambda: len(site.updates()) == 3 and site.updates())
    assert [u["refused"] for u in updates] == [True, True, False]
    assert [u.get("error") for u in updates[:2]] == [
        "A visitor becomes a user by shutdown then boot, never by update",
        "Another user by update: a change of user is shutdown then boot",
    ]
    assert updates[2]["user"] == "bob"


def test_updates_beyond_20_in_30_minutes_are_dropped_until_the_window_moves_or_a_reload(
    site: Site, tab: Tab
) -> None:
    tab.boot("alice")
    token = intercom_jwt({"user_id": "alice"})
    for _ in range(22):
        tab.intercom("update", {"intercom_user_jwt": token})
    tab.until("s.dropped === 2")
    updates = eventually(lambda: len(site.updates()) == 22 and site.updates())
    assert [u["dropped"] for u in updates] == [False] * 20 + [True] * 2
    assert not any(u["refused"] for u in updates)
    assert (
        tab.warnings
        == ["[Intercom] update dropped: over 20 updates in 30 minutes on this page"] * 2
    )
    assert tab.page.get_attribute("#intercom-sandbox-launcher", "data-rejected") == "2"

    tab.page.clock.run_for(29 * 60 * 1000)
    tab.intercom("update", {"intercom_user_jwt": token})
    tab.until("s.dropped === 3")
    tab.page.clock.run_for(60 * 1000)  # the first 20 are now 30 minutes old
    tab.intercom("update", {"intercom_user_jwt": token})
    assert eventually(lambda: len(site.updates()) == 24 and site.updates())[-1]["dropped"] is False

    site.messenger.clear()
    tab.page.reload()
    tab.page.wait_for_function("() => window.__intercomSandbox")
    tab.boot("alice")
    for _ in range(20):
        tab.intercom("update", {"intercom_user_jwt": token})
    after_reload = eventually(lambda: len(site.updates()) == 20 and site.updates())
    assert not any(u["dropped"] for u in after_reload), "a reload refreshes the budget"
