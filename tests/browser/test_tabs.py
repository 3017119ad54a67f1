"""Security rule 7 across tabs: a logout in one tab reaches every open tab at once, through a
message that names nobody; a tab that heard nothing asks the signer on its next page."""

from __future__ import annotations

from tests.browser.conftest import Deploy, Tab

MODE = "() => window.mkdocsIntercom.state.mode"


def open_second_tab(tab: Tab, url: str, sub: str) -> Tab:
    other = Tab(tab.page.context.new_page())
    other.page.goto(url)
    assert other.ready_state()["userId"] == sub
    return other


def test_a_logout_in_one_tab_shuts_down_every_tab(deploy: Deploy, tab: Tab) -> None:
    """…at once, not at their next focus recheck, and their next page asks the signer instead
    of booting the reader from the cache."""
    site = deploy()
    tab.open_signed_in(site, "alice")
    other = open_second_tab(tab, site.url + "/guide/setup/", "alice")
    tab.page.click("#logout")
    other.page.wait_for_function(f"() => ({MODE})() === 'none'")
    assert "alice" not in other.storage()
    assert [c["command"] for c in other.intercom_calls(site)] == ["boot", "shutdown"]
    asked = site.signer_gate.arrived
    other.page.click("text=home")
    other.page.wait_for_url(site.url + "/")
    assert other.ready_state()["mode"] == "none"
    assert site.signer_gate.arrived > asked, "asked the signer, not the cache"
    assert [b["user"] for b in site.boots()] == ["alice", "alice"]


def test_a_new_reader_in_one_tab_is_who_every_other_tab_boots_next(
    deploy: Deploy, tab: Tab
) -> None:
    """Bob signs in over alice in one tab (no logout: nothing to announce live). The other tab
    asks the signer on its next page, so it boots bob and nothing of alice."""
    site = deploy()
    tab.open_signed_in(site, "alice")
    other = open_second_tab(tab, site.url + "/guide/setup/", "alice")
    tab.page.goto(site.url + "/idp/login?next=/")
    tab.page.click("button[value='1001']")
    tab.page.wait_for_url(site.url + "/")
    assert tab.ready_state()["userId"] == "1001"
    other.page.click("text=home")
    other.page.wait_for_url(site.url + "/")
    assert other.ready_state()["userId"] == "1001"
    assert "alice" not in other.storage()
    calls = other.intercom_calls(site)
    assert [(c["command"], c.get("user")) for c in calls] == [("boot", "1001")]


def test_after_a_logout_a_sign_in_in_one_tab_brings_every_tab_back(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy()
    tab.open_signed_in(site, "alice")
    other = open_second_tab(tab, site.url + "/guide/setup/", "alice")
    tab.page.click("#logout")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["mode"] == "none"
    other.page.wait_for_function(f"() => ({MODE})() === 'none'")
    tab.page.goto(site.url + "/idp/login?next=/")
    tab.page.click("button[value='1001']")
    tab.page.wait_for_url(site.url + "/")
    assert tab.ready_state()["userId"] == "1001"
    other.page.wait_for_function("() => window.mkdocsIntercom.state.userId === '1001'")


def test_tabs_tell_each_other_nothing_about_the_reader(deploy: Deploy, tab: Tab) -> None:
    """What crosses between tabs is a word ("logout", "changed"), never an identity; nothing
    of the reader is kept in localStorage."""
    site = deploy()
    tab.page.add_init_script(
        "window.__heard = []; new BroadcastChannel('mkdocs-intercom:testapp1')"
        ".onmessage = (e) => window.__heard.push(e.data);"
    )
    tab.open_signed_in(site, "alice")
    other = open_second_tab(tab, site.url + "/guide/setup/", "alice")
    other.page.click("#logout")
    tab.page.wait_for_function("() => window.__heard.includes('logout')")
    other.page.goto(site.url + "/idp/login?next=/")
    other.page.click("button[value='1001']")
    other.page.wait_for_url(site.url + "/")
    tab.page.wait_for_function("() => window.__heard.includes('changed')")
    assert set(tab.page.evaluate("() => window.__heard")) == {"changed", "logout"}
    for each in (tab, other):
        assert each.page.evaluate("() => localStorage.length") == 0
