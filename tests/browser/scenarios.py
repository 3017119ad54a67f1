"""Scenarios every generator's site must pass in Chromium (MkDocs and Zensical alike)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Tab
from tests.support.stack import Deployment, eventually


def logout_link_shuts_down_before_anything_else(site: Deployment, tab: Tab) -> None:
    """A visitors site with alice signed in: her logout link shuts the Messenger down on the page
    being left, and the next page boots a visitor with nothing of her."""
    tab.open_signed_in(site, "alice")
    eventually(site.identified)
    tab.page.click("#logout")  # data-intercom-logout, then the identity provider's logout
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["mode"] == "visitor"
    calls = eventually(
        lambda: (
            [c for c in site.sandbox.calls if c["page"].endswith("/guide/setup/")]
            and site.sandbox.calls
        )
    )
    assert [c["command"] for c in calls] == ["boot", "shutdown", "boot"]
    assert calls[0]["user"] == "alice"
    assert calls[1]["page"] == site.url + "/", "shut down on the page being left, before the logout"
    assert calls[2]["user"] is None, "nothing of alice after the shutdown"
    assert not {"user_id", "user_hash", "intercom_user_jwt"} & set(calls[2]["args"])
    storage = tab.page.evaluate(
        "() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"
    )
    assert "alice" not in storage


IDENTITY_WORDS = ("alice", "1001", "user_hash", "intercom_user_jwt", "user_id", "example.com")


def assert_nothing_of_the_reader_kept(tab: Tab) -> None:
    """Web Storage holds no identity: at most the hint that the last answer was a 401."""
    kept: dict[str, Any] = tab.page.evaluate(
        "() => ({session: {...sessionStorage}, local: {...localStorage}})"
    )
    for store, items in kept.items():
        for key, value in items.items():
            assert not any(word in key + value for word in IDENTITY_WORDS), (store, key, value)
            assert value == "anonymous", (store, key, value)


def open_tab(tab: Tab, url: str) -> Tab:
    other = Tab(tab.page.context.new_page())
    other.page.goto(url)
    return other


def logout_on_an_excluded_page_reaches_every_tab(site: Deployment, tab: Tab) -> None:
    """No instant navigation: the excluded page runs the loader without a Messenger, and its
    logout link shuts alice's Messenger down in her other tab at once. Intercom's own session
    cookie, which no widget on that page could clear, is cleared too."""
    tab.open_signed_in(site, "alice")
    excluded = open_tab(tab, site.url + "/private/notes/")
    assert excluded.ready_state() == {"mode": "none", "userId": None, "enabled": False}
    excluded.page.context.add_cookies(
        [{"name": "intercom-session-testapp1", "value": "alice-session", "url": site.url}]
    )
    excluded.page.click("#logout")
    tab.page.wait_for_function("() => window.mkdocsIntercom.state.mode === 'none'")
    excluded.page.wait_for_url("**/guide/setup/")
    cookies = {c["name"] for c in tab.page.context.cookies()}
    assert "intercom-session-testapp1" not in cookies
    assert not excluded.requests_to("/sandbox/widget"), "no widget on the excluded page"
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["mode"] == "none"
    assert [b["user"] for b in site.boots() if b["user"]] == ["alice"]
