"""Time to a verified Messenger, as behaviour (the timings live in `make bench`): the widget
downloads while the signer answers, nothing boots before the answer, and a tab that was
told "nobody" downloads no widget on its later pages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PATIENT, Deploy, Tab

WIDGET_LOADED = "() => !!window.__intercomSandbox"


@pytest.mark.parametrize("load", ["eager", "idle"])
def test_the_widget_downloads_while_the_signer_answers_and_boots_nobody_before(
    load: str, deploy: Deploy, tab: Tab
) -> None:
    site = deploy(plugin={"load": load, **PATIENT})
    tab.page.context.add_cookies([site.login_cookie("alice")])
    site.signer_gate.close()
    tab.page.goto(site.url + "/")
    site.signer_gate.wait_for(1)
    tab.page.wait_for_function(WIDGET_LOADED)  # here while the answer is still held
    assert tab.state()["mode"] == "none"
    assert tab.intercom_calls(site) == [], "no boot before the identity is known"
    site.signer_gate.open()
    assert tab.ready_state()["userId"] == "alice"
    calls = tab.intercom_calls(site)
    assert [(c["command"], c["user"], c["verified"]) for c in calls] == [("boot", "alice", True)]


def test_a_tab_told_nobody_downloads_no_widget_until_a_reader_signs_in(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy()
    tab.page.goto(site.url + "/")
    assert tab.ready_state()["mode"] == "none"
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["mode"] == "none"
    assert tab.page.evaluate(WIDGET_LOADED) is False
    assert not tab.page.evaluate("() => !!document.querySelector('script[src*=\"/widget/\"]')")
    tab.page.goto(site.url + "/idp/login?next=/")
    tab.page.click("button[value=alice]")
    tab.page.wait_for_url(site.url + "/")
    assert tab.ready_state()["userId"] == "alice"
    assert [c["user"] for c in tab.intercom_calls(site)] == ["alice"]


def test_visitors_sites_download_the_widget_for_everyone(deploy: Deploy, tab: Tab) -> None:
    site = deploy(plugin={"visitors": True, **PATIENT})
    site.signer_gate.close()
    tab.page.goto(site.url + "/guide/setup/")
    site.signer_gate.wait_for(1)
    tab.page.wait_for_function(WIDGET_LOADED)
    site.signer_gate.open()
    assert tab.ready_state()["mode"] == "visitor"
    tab.page.click("text=home")
    tab.page.wait_for_url(site.url + "/")
    assert tab.ready_state()["mode"] == "visitor"
    assert [c["command"] for c in tab.intercom_calls(site)] == ["boot"]
