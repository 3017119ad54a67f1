"""When the loader asks the signer again, and what Intercom's update budget leaves for: a fake
clock moves time, and each step waits for the loader to settle before counting requests."""

from __future__ import annotations

import time

from tests.browser.conftest import PATIENT, Deploy, Tab
from tests.support.stack import RewriteJson


def test_an_expires_at_already_past_backs_off_never_every_5_s(deploy: Deploy, tab: Tab) -> None:
    """A signer whose answers are expired on arrival (a skewed clock, a broken deployment): the
    reader is kept, and the loader asks after 5, 10, 20… seconds, up to 10 minutes."""
    site = deploy(
        plugin=PATIENT,
        wrap_signer=lambda app: RewriteJson(
            app, lambda body: {**body, "expires_at": int(time.time()) - 30}
        ),
    )
    tab.page.clock.install()
    tab.open_signed_in(site, "alice")
    tab.pause_clock()
    asked_at = []
    for second in range(5, 1801, 5):  # half an hour, in steps of 5 s
        tab.page.clock.run_for(5_000)
        tab.ready_state()
        while len(asked_at) < site.signer_gate.arrived - 1:
            asked_at.append(second)
    gaps = [b - a for a, b in zip([0, *asked_at], asked_at, strict=False)]
    assert gaps[:6] == [5, 10, 20, 40, 80, 160], "doubling"
    assert all(gap <= 600 for gap in gaps), "bounded"
    assert len(asked_at) <= 10, f"not every 5 s: {asked_at}"
    assert tab.state()["userId"] == "alice"


def test_a_focus_recheck_is_due_30_s_after_the_last_answer_on_any_page(
    deploy: Deploy, tab: Tab
) -> None:
    """Each full page load asks the signer; a focus asks again 30 s after that answer."""
    site = deploy(plugin=PATIENT)
    tab.page.clock.install()
    tab.open_signed_in(site, "alice")
    tab.pause_clock()
    tab.page.clock.run_for(20_000)
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["userId"] == "alice"
    assert site.signer_gate.arrived == 2, "the second page asked the signer"
    tab.page.clock.run_for(25_000)
    tab.focus()
    tab.ready_state()
    assert site.signer_gate.arrived == 2, "25 s after the page's answer: no recheck yet"
    tab.page.clock.run_for(10_000)
    tab.focus()
    tab.ready_state()
    assert site.signer_gate.arrived == 3, "35 s after it: asked again"


def test_a_renewed_jwt_gets_through_after_many_page_views(deploy: Deploy, tab: Tab) -> None:
    """20 instant page views spend what Intercom allows for page views; the JWT renewed at
    half time still reaches the Messenger in an update."""
    site = deploy("material-instant", PATIENT, site_url="set by the deployment", jwt_ttl=120)
    tab.page.clock.install()
    tab.open_signed_in(site, "alice")
    for n in range(20):
        if n % 2 == 0:
            tab.follow_instantly("Setup guide", "**/guide/setup/")
        else:
            tab.follow_instantly("home", f"{site.url}/")
    tab.page.clock.run_for(61_000)  # past half of the 120 s identity
    tab.ready_state()
    assert site.signer_gate.arrived == 2
    updates = [c["args"] for c in tab.intercom_calls(site) if c["command"] == "update"]
    assert len(updates) == 15
    first_jwt = tab.intercom_calls(site)[0]["args"]["intercom_user_jwt"]
    page_view = {"hide_default_launcher": False, "intercom_user_jwt": first_jwt}
    assert updates[:14] == [page_view] * 14, "page views (with the JWT), then none"
    assert set(updates[14]) == {"intercom_user_jwt"}, "the renewal, from the reserve"


def test_a_vital_update_past_the_whole_budget_reboots_instead(deploy: Deploy, tab: Tab) -> None:
    """Hiding and showing again on excluded pages use the reserve; once all 20 are spent,
    hiding reboots the Messenger hidden rather than being dropped."""
    site = deploy("material-instant", site_url="set by the deployment")
    tab.open_signed_in(site, "alice")
    for _ in range(10):
        tab.follow_instantly("Opted out", "**/opt-out/")
        tab.page.go_back()
        tab.page.wait_for_url(f"{site.url}/")
        tab.page.wait_for_function("() => window.mkdocsIntercom.state.enabled")
    tab.follow_instantly("Opted out", "**/opt-out/")
    calls = tab.intercom_calls(site)
    assert [c["command"] for c in calls].count("update") == 20
    assert [c["command"] for c in calls[-3:]] == ["hide", "shutdown", "boot"]
    assert calls[-1]["args"]["hide_default_launcher"] is True
    assert calls[-1]["user"] == "alice"


def test_a_renewal_that_names_another_reader_shuts_down_first(deploy: Deploy, tab: Tab) -> None:
    """The renewal is a question like any other: another reader's JWT is never handed over in
    an update; alice's Messenger is shut down and bob's booted."""
    site = deploy(plugin=PATIENT, jwt_ttl=60)
    tab.page.clock.install()
    tab.open_signed_in(site, "alice")
    tab.pause_clock()
    tab.page.context.add_cookies([site.login_cookie("1001", "Bob")])
    tab.page.clock.run_for(31_000)
    assert tab.ready_state()["userId"] == "1001"
    calls = tab.intercom_calls(site)
    assert [(c["command"], c.get("user")) for c in calls] == [
        ("boot", "alice"),
        ("shutdown", None),
        ("boot", "1001"),
    ]
