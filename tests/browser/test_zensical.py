"""A Zensical-built site in Chromium, against the real signer, the dev identity provider and the
sandbox Messenger: the scenarios the MkDocs site passes, where they apply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import Tab
from tests.browser.scenarios import (
    assert_nothing_of_the_reader_kept,
    logout_link_shuts_down_before_anything_else,
    logout_on_an_excluded_page_reaches_every_tab,
)
from tests.support.stack import Deployment, eventually
from tests.support.zensical import zensical_site

pytestmark = pytest.mark.browser
Deploy = Callable[..., Deployment]


def on_zensical(
    deploy: Deploy, fixture: str, plugin: dict[str, Any] | None = None, **kwargs: Any
) -> Deployment:
    """The deployment of tests.support.stack, its site built by `setup` and `zensical build`."""
    return deploy(fixture, plugin, build=zensical_site, **kwargs)


@pytest.mark.parametrize("verification", ["hmac", "jwt"])
def test_logged_in_reader_gets_a_verified_boot(verification: str, deploy: Deploy, tab: Tab) -> None:
    site = on_zensical(deploy, "material", {"verification": verification})
    tab.page.context.add_cookies([site.login_cookie("alice", "Alice Ångström")])
    tab.page.goto(site.url + "/")
    assert tab.ready_state() == {"mode": "user", "userId": "alice", "enabled": True}
    boot = eventually(site.identified)[0]
    assert boot["verified"] is True
    assert boot["user"] == "alice"
    tab.page.evaluate("() => window.mkdocsIntercom.show()")
    panel = tab.page.locator("#intercom-sandbox-panel")
    assert "Verified: Alice Ångström (user_id alice)" in panel.inner_text()
    assert tab.errors == []


def test_an_excluded_page_runs_the_loader_without_a_messenger(deploy: Deploy, tab: Tab) -> None:
    site = on_zensical(deploy, "material")
    tab.page.context.add_cookies([site.login_cookie("alice")])
    for path in ("/private/notes/", "/opt-out/"):
        tab.page.goto(site.url + path)
        assert tab.ready_state() == {"mode": "none", "userId": None, "enabled": False}, path
        tab.page.wait_for_load_state("networkidle")
    assert tab.requests_to("/sandbox/") == []
    assert tab.requests_to("/api/intercom") == []


def test_a_logout_link_on_an_excluded_page_reaches_every_tab(deploy: Deploy, tab: Tab) -> None:
    logout_on_an_excluded_page_reaches_every_tab(on_zensical(deploy, "material"), tab)


def test_nothing_of_the_reader_is_kept_in_the_browser(deploy: Deploy, tab: Tab) -> None:
    site = on_zensical(deploy, "material-instant", site_url="set by the deployment")
    tab.open_signed_in(site, "alice")
    tab.page.click(".md-content a:text-is('Setup guide')")
    tab.page.wait_for_url("**/guide/setup/")
    tab.page.reload()
    assert tab.ready_state()["userId"] == "alice"
    assert_nothing_of_the_reader_kept(tab)


def test_instant_navigation_keeps_one_boot_and_turns_off_on_excluded_pages(
    deploy: Deploy, tab: Tab
) -> None:
    site = on_zensical(deploy, "material-instant", site_url="set by the deployment")
    tab.open_signed_in(site, "alice")
    tab.page.click(".md-content a:text-is('Setup guide')")
    tab.page.wait_for_url("**/guide/setup/")
    tab.page.click(".md-content a:text-is('home')")
    tab.page.wait_for_url(f"{site.url}/")
    eventually(lambda: site.sandbox.commands().count("update") >= 2)
    tab.page.click(".md-content a:text-is('Opted out')")
    tab.page.wait_for_url("**/opt-out/")
    eventually(
        lambda: [
            c
            for c in site.sandbox.calls
            if c["command"] == "update" and c["args"].get("hide_default_launcher")
        ]
    )
    assert "hide" in site.sandbox.commands()
    assert tab.page.evaluate("() => window.mkdocsIntercom.state") == {
        "mode": "user",
        "userId": "alice",
        "enabled": False,
    }
    assert site.sandbox.commands().count("boot") == 1, "instant navigation does not reload the page"
    assert tab.errors == []


def test_logout_shuts_down_before_anything_else(deploy: Deploy, tab: Tab) -> None:
    logout_link_shuts_down_before_anything_else(
        on_zensical(deploy, "material", {"visitors": True}), tab
    )


def test_nothing_loads_before_consent_and_the_reader_can_accept(deploy: Deploy, tab: Tab) -> None:
    site = on_zensical(deploy, "material-consent")
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    accept = tab.page.locator(".md-consent__controls .md-button--primary")
    accept.wait_for()
    assert tab.requests_to("/sandbox/") == []
    assert tab.requests_to("/api/intercom") == []
    assert tab.page.locator("input[name=intercom]").is_checked(), "setup added the choice"
    accept.click()  # the theme stores the consent and reloads the page
    eventually(site.identified)
    assert site.identified()[0]["verified"] is True
