"""Security rule 6 in Chromium: the signer is the browser's only memory of who the reader is.
Each test is a way a tab's identity cache used to bring a reader back — a tab that missed
the news — and each passes only because the next page asks the signer."""

from __future__ import annotations

import json

from playwright.sync_api import Route

from tests.browser.conftest import PATIENT, Deploy, Tab
from tests.browser.scenarios import (
    assert_nothing_of_the_reader_kept,
    logout_on_an_excluded_page_reaches_every_tab,
)


def test_a_logout_link_on_an_excluded_page_reaches_every_tab(deploy: Deploy, tab: Tab) -> None:
    logout_on_an_excluded_page_reaches_every_tab(deploy(), tab)


def test_a_new_reader_in_a_new_tab_is_who_the_old_tab_boots_next(deploy: Deploy, tab: Tab) -> None:
    """Bob signs in in a fresh tab, which remembers nobody and so tells nobody; alice's old
    tab boots bob on its next page, because it asks the signer."""
    site = deploy()
    tab.open_signed_in(site, "alice")
    tab.page.context.add_cookies([site.login_cookie("1001", "Bob")])
    fresh = tab.another(site.url + "/guide/setup/")
    assert fresh.ready_state()["userId"] == "1001"
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["userId"] == "1001"
    assert [c.get("user") for c in tab.intercom_calls(site) if c["command"] == "boot"] == ["1001"]


def test_a_tab_between_two_pages_that_missed_a_logout_boots_nobody(
    deploy: Deploy, tab: Tab
) -> None:
    """The next page's loader is held back while another tab logs out: nothing in this tab
    hears the message. When the loader runs, it asks the signer, which names nobody."""
    site = deploy()
    tab.open_signed_in(site, "alice")
    held: list[Route] = []
    tab.page.route("**/loader.js", lambda route: held.append(route))
    with tab.page.expect_request(lambda request: request.url.endswith("/loader.js")):
        tab.page.click("text=Setup guide", no_wait_after=True)
    tab.page.wait_for_url("**/guide/setup/", wait_until="commit")  # the new page, no loader yet
    other = tab.another(site.url + "/private/notes/")
    other.page.click("#logout")
    other.page.wait_for_url("**/guide/setup/")
    held[0].continue_()
    assert tab.ready_state()["mode"] == "none"
    assert [b["user"] for b in site.boots() if b["user"]] == ["alice"]
    assert_nothing_of_the_reader_kept(tab)


def test_an_answer_asked_on_hover_is_not_used_after_30_seconds(deploy: Deploy, tab: Tab) -> None:
    """`load: interaction`: the hover's answer named alice; she signed out elsewhere; a click
    two hours later asks the signer again instead of booting her."""
    site = deploy(plugin={"load": "interaction", **PATIENT})
    tab.page.clock.install()
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    launcher = tab.page.locator(".mkdocs-intercom-launcher")
    with tab.page.expect_request_finished(lambda request: "/identity" in request.url):
        launcher.hover()
    tab.page.clock.run_for(2 * 3600 * 1000)
    tab.page.context.clear_cookies()
    launcher.click()
    site.signer_gate.wait_for(2)
    assert tab.ready_state()["mode"] == "none"
    assert site.boots() == []


def test_an_answer_asked_on_hover_is_dropped_by_a_back_forward_restore(
    deploy: Deploy, tab: Tab
) -> None:
    """The loader had not started (no click yet): the restore starts a new epoch anyway."""
    site = deploy(plugin={"load": "interaction", **PATIENT})
    tab.page.add_init_script(
        "addEventListener('pageshow', (e) => { window.__restored = e.persisted; })"
    )
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    with tab.page.expect_request_finished(lambda request: "/identity" in request.url):
        tab.page.locator(".mkdocs-intercom-launcher").hover()
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    tab.page.context.clear_cookies()
    tab.page.go_back(wait_until="commit")
    tab.page.wait_for_function("() => window.__restored === true")
    asked = site.signer_gate.arrived
    tab.page.locator(".mkdocs-intercom-launcher").click()
    site.signer_gate.wait_for(asked + 1)
    assert tab.ready_state()["mode"] == "none"
    assert site.boots() == []


def test_every_full_page_load_asks_the_signer_once_and_instant_navigation_never(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy("material-instant", site_url="set by the deployment")
    tab.open_signed_in(site, "alice")
    assert site.signer_gate.arrived == 1
    tab.follow_instantly("Setup guide", "**/guide/setup/")
    assert tab.state()["userId"] == "alice"
    assert site.signer_gate.arrived == 1, "in-page navigation asks nothing"
    tab.page.reload()
    assert tab.ready_state()["userId"] == "alice"
    assert site.signer_gate.arrived == 2, "a full page load asks once"
    assert_nothing_of_the_reader_kept(tab)


def test_every_update_of_a_jwt_messenger_carries_the_current_jwt(deploy: Deploy, tab: Tab) -> None:
    """Intercom refuses an identified update without it (Messenger Security)."""
    site = deploy("material-instant", {"verification": "jwt"}, site_url="set by the deployment")
    tab.open_signed_in(site, "alice")
    tab.follow_instantly("Setup guide", "**/guide/setup/")
    tab.page.click("text=home")
    tab.page.wait_for_url(site.url + "/")
    calls = tab.intercom_calls(site)
    boot_jwt = calls[0]["args"]["intercom_user_jwt"]
    updates = [c for c in calls if c["command"] == "update"]
    assert updates, "page views were sent"
    assert all(u["args"]["intercom_user_jwt"] == boot_jwt for u in updates)


def test_page_content_cannot_switch_the_loader_off(deploy: Deploy, tab: Tab) -> None:
    """DOM clobbering: the setup page has elements with id="mkdocsIntercom" and
    id="mkdocsIntercomAuth"; the loader still runs there, and ignores the fake hook."""
    site = deploy()
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/guide/setup/")
    assert tab.page.evaluate("() => !!document.getElementById('mkdocsIntercom')")
    assert tab.ready_state()["userId"] == "alice"
    tab.page.click("#logout")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["mode"] == "none"


def test_a_token_hook_that_never_settles_means_no_token(deploy: Deploy, tab: Tab) -> None:
    """`window.mkdocsIntercomAuth` is bounded by `timeout`: the request goes out without a
    bearer token (the cookie still names alice), and later checks are not blocked."""
    site = deploy()
    tab.page.add_init_script("window.mkdocsIntercomAuth = () => new Promise(() => {})")
    tab.open_signed_in(site, "alice")
    tab.page.evaluate("() => window.mkdocsIntercom.refresh()")
    assert site.signer_gate.arrived == 2


def test_an_identity_kept_by_an_earlier_version_is_removed(deploy: Deploy, tab: Tab) -> None:
    """Readers upgrading from 0.1 have alice's identity in sessionStorage: the loader removes it."""
    site = deploy()
    old = json.dumps({"identity": {"user_id": "alice"}, "seen": "user"})
    tab.page.add_init_script(
        f"sessionStorage.setItem('mkdocs-intercom:testapp1:/api/intercom/identity', {old!r})"
    )
    tab.page.goto(site.url + "/")
    assert tab.ready_state()["mode"] == "none"
    assert_nothing_of_the_reader_kept(tab)


def test_a_signed_out_readers_401_is_explained_once_in_the_console(
    deploy: Deploy, tab: Tab
) -> None:
    """Browsers print the signer's 401 in red; the loader adds one line saying it is expected,
    once per tab (the tab's hint remembers the 401), not on every page."""
    site = deploy()
    notes: list[str] = []
    tab.page.on(
        "console",
        lambda message: (
            message.type == "info"
            and message.text.startswith("mkdocs-intercom:")
            and notes.append(message.text)
        ),
    )
    tab.page.goto(site.url + "/")
    assert tab.ready_state()["mode"] == "none"
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["mode"] == "none"
    assert notes == ["mkdocs-intercom: 401 = signed out, as expected"]
