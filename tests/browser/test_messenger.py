"""The loader in Chromium against the real signer, the dev identity provider and the sandbox
Messenger: security rules 5 and 6, the load strategies, the cache and instant navigation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PATIENT, Deploy, Tab
from tests.browser.scenarios import (
    hidden_on_an_excluded_page,
    logout_link_shuts_down_before_anything_else,
    nothing_loads_before_consent_and_the_reader_can_accept,
)
from tests.support.sites import inline_script_hashes
from tests.support.stack import Deployment, eventually


@pytest.mark.parametrize("cross_origin", [False, True], ids=["same-origin", "cross-origin"])
def test_logged_in_reader_gets_a_verified_boot_with_the_jwt_alone(
    cross_origin: bool, deploy: Deploy, tab: Tab
) -> None:
    """JWT is the default: user_id and the signed fields travel inside the token only, so no
    script on the page can boot or update the reader with a plaintext copy of them."""
    site = deploy(cross_origin=cross_origin)
    tab.page.context.add_cookies([site.login_cookie("alice", "Alice Ångström")])
    tab.page.goto(site.url + "/")
    assert tab.ready_state() == {"mode": "user", "userId": "alice", "enabled": True}
    boot = eventually(site.identified)[0]
    assert boot["verified"] is True
    assert boot["user"] == "alice", "Intercom sees alice, from the JWT"
    assert "intercom_user_jwt" in boot["args"]
    assert not {"user_id", "name", "email", "user_hash"} & set(boot["args"]), boot["args"]
    assert "Alice" not in str(boot["args"])
    assert "alice@example.com" not in str(boot["args"])
    tab.page.evaluate("() => window.mkdocsIntercom.show()")
    panel = tab.page.locator("#intercom-sandbox-panel")
    panel.wait_for()
    assert panel.get_attribute("data-verified") == "true"
    assert tab.errors == []


@pytest.mark.parametrize("cross_origin", [False, True], ids=["same-origin", "cross-origin"])
def test_logged_in_reader_gets_a_verified_boot_with_hmac(
    cross_origin: bool, deploy: Deploy, tab: Tab
) -> None:
    site = deploy(plugin={"verification": "hmac"}, cross_origin=cross_origin)
    tab.page.context.add_cookies([site.login_cookie("alice", "Alice Ångström")])
    tab.page.goto(site.url + "/")
    assert tab.ready_state() == {"mode": "user", "userId": "alice", "enabled": True}
    boot = eventually(site.identified)[0]
    assert boot["verified"] is True
    assert boot["args"]["user_id"] == "alice"
    assert "user_hash" in boot["args"]
    assert "intercom_user_jwt" not in boot["args"]
    assert boot["args"]["name"] == "Alice Ångström"
    tab.page.evaluate("() => window.mkdocsIntercom.show()")
    panel = tab.page.locator("#intercom-sandbox-panel")
    assert "Verified: Alice Ångström (user_id alice)" in panel.inner_text()
    assert tab.errors == []


def test_a_site_can_hand_the_loader_its_own_bearer_token(deploy: Deploy, tab: Tab) -> None:
    """For API Gateway's JWT authorizer: the site's script holds the login token, not a cookie."""
    site = deploy(cross_origin=True, token_from="authorization")
    token = site.issuer.mint({"sub": "spa-reader", "email_verified": True})
    tab.page.add_init_script(f"window.mkdocsIntercomAuth = async () => {token!r};")
    tab.page.goto(site.url + "/")
    assert tab.ready_state()["userId"] == "spa-reader"
    assert eventually(site.identified)[0]["verified"] is True


def test_short_lived_identity_is_renewed_before_expiry_never_in_a_loop(
    deploy: Deploy, tab: Tab
) -> None:
    """A 60 s identity: renewed at half time, then not again for a while, the reader kept and
    handed the new JWT in an update (no second boot)."""
    site = deploy(plugin=PATIENT, output="jwt", jwt_ttl=60)
    tab.page.clock.install()
    tab.open_signed_in(site, "alice")
    tab.pause_clock()

    def signer_calls_after(fake_ms: int) -> int:
        tab.page.clock.run_for(fake_ms)
        tab.ready_state()  # whatever the fake time started has been answered
        return site.signer_gate.arrived

    assert signer_calls_after(0) == 1
    assert signer_calls_after(25_000) == 1, "not before half time"
    assert signer_calls_after(5_500) == 2, "renewed before it expires"
    assert signer_calls_after(5_000) == 2, "no tight loop after a renewal"
    assert tab.state()["userId"] == "alice"
    calls = tab.intercom_calls(site)
    assert [c["command"] for c in calls] == ["boot", "update"], "updated, not rebooted"
    assert calls[1]["verified"] is True
    assert calls[1]["user"] == "alice"
    assert set(calls[1]["args"]) == {"intercom_user_jwt"}, "nothing else in plaintext"


WIDGET_SCRIPT = "() => !!document.querySelector('script[src*=\"/sandbox/widget/\"]')"


def test_logged_out_reader_gets_no_messenger_without_visitors(deploy: Deploy, tab: Tab) -> None:
    """The first page fetches the widget while it asks the signer (it boots nobody by itself);
    after a 401 the tab remembers, and its later pages download no widget at all."""
    site = deploy()
    tab.page.goto(site.url + "/")
    assert tab.ready_state()["mode"] == "none"
    tab.page.evaluate("() => window.mkdocsIntercom.show()")  # a no-op, not an error
    assert tab.ready_state()["mode"] == "none"
    assert tab.intercom_calls(site) == [], "not a single Intercom(...) call"
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["mode"] == "none"
    assert tab.page.evaluate(WIDGET_SCRIPT) is False, "no widget on the next page"
    assert "alice" not in tab.storage()
    assert tab.errors == []


def test_logged_out_reader_gets_an_anonymous_messenger_with_visitors(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy(plugin={"visitors": True})
    tab.page.goto(site.url + "/")
    assert tab.ready_state()["mode"] == "visitor"
    boot = eventually(site.boots)[0]
    assert not {"user_id", "user_hash", "intercom_user_jwt"} & set(boot["args"])
    assert boot["user"] is None
    assert boot["args"]["app_id"] == "testapp1"


def test_logout_between_pages_shuts_down_before_anything_else(deploy: Deploy, tab: Tab) -> None:
    logout_link_shuts_down_before_anything_else(deploy(plugin={"visitors": True}), tab)


def test_change_of_reader_shuts_down_then_boots_the_new_one(deploy: Deploy, tab: Tab) -> None:
    site = deploy()
    tab.open_signed_in(site, "alice")
    tab.page.context.add_cookies([site.login_cookie("1001", "Bob")])
    tab.page.evaluate("() => window.mkdocsIntercom.refresh()")
    eventually(lambda: len(site.identified()) == 2)
    assert site.sandbox.commands() == ["boot", "shutdown", "boot"]
    assert [b["user"] for b in site.identified()] == ["alice", "1001"]
    assert tab.page.evaluate("() => window.mkdocsIntercom.state.userId") == "1001"
    assert "alice" not in tab.page.evaluate("() => JSON.stringify(sessionStorage)")


def test_regaining_focus_asks_again_and_catches_a_change_of_reader(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy(plugin=PATIENT)
    tab.page.clock.install()
    tab.open_signed_in(site, "alice")
    tab.pause_clock()
    tab.page.context.add_cookies([site.login_cookie("1001", "Bob")])  # signed in elsewhere
    tab.focus()
    assert tab.ready_state()["userId"] == "alice"
    assert site.signer_gate.arrived == 1, "not within 30 s of the last check"
    tab.page.clock.run_for(31_000)
    tab.focus()
    assert tab.ready_state()["userId"] == "1001"
    assert site.signer_gate.arrived == 2
    calls = tab.intercom_calls(site)
    assert [(c["command"], c.get("user")) for c in calls] == [
        ("boot", "alice"),
        ("shutdown", None),
        ("boot", "1001"),
    ]


def test_signer_saying_401_while_booted_shuts_the_messenger_down(deploy: Deploy, tab: Tab) -> None:
    site = deploy()
    tab.open_signed_in(site, "alice")
    tab.page.context.clear_cookies()
    tab.page.evaluate("() => window.mkdocsIntercom.refresh()")
    eventually(lambda: site.sandbox.commands() == ["boot", "shutdown"])
    assert tab.page.evaluate("() => window.mkdocsIntercom.state.mode") == "none"


@pytest.mark.parametrize("fault", ["500", "junk", "slow", "half", "down"])
@pytest.mark.parametrize("visitors", [False, True])
def test_failing_signer_never_gives_an_identified_boot(
    fault: str, visitors: bool, deploy: Deploy, tab: Tab
) -> None:
    signer_url = "http://127.0.0.1:9/identity" if fault == "down" else f"/faulty/{fault}"
    site = deploy(plugin={"visitors": visitors}, signer_url=signer_url)
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    state = tab.ready_state()
    assert state["mode"] == ("visitor" if visitors else "none")
    assert site.identified() == []
    assert tab.page.locator("h1").inner_text() == "Home", "the page itself is fine"
    assert tab.errors == []


def test_each_full_page_load_asks_the_signer_once(deploy: Deploy, tab: Tab) -> None:
    """Nothing about the reader is remembered in the browser: the next page asks again (the
    widget then comes from the HTTP cache)."""
    site = deploy()
    tab.open_signed_in(site, "alice")
    eventually(lambda: len(site.identified()) == 1)
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["userId"] == "alice"
    eventually(lambda: len(site.identified()) == 2)
    tab.page.click("text=home")
    tab.page.wait_for_url(site.url + "/")
    assert tab.ready_state()["userId"] == "alice"
    eventually(lambda: len(site.identified()) == 3)
    assert len(tab.requests_to("/api/intercom/identity")) == 3
    storage = tab.page.evaluate(
        "() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"
    )
    assert "alice" not in storage


def test_switching_reader_on_a_same_origin_login_page_boots_the_new_reader(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy()
    tab.page.goto(site.url + "/idp/login?next=/")
    tab.page.click("button[value=alice]")
    tab.page.wait_for_url(site.url + "/")
    assert tab.ready_state()["userId"] == "alice"
    eventually(site.identified)  # the widget booted her before we leave the page
    tab.page.goto(site.url + "/idp/login?next=/guide/setup/")
    tab.page.click("button[value='1001']")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["userId"] == "1001", "not alice from the cache"
    eventually(lambda: len(site.identified()) == 2)
    assert [b["user"] for b in site.identified()] == ["alice", "1001"]
    assert all(b["verified"] for b in site.identified())


def test_excluded_page_gets_no_messenger(deploy: Deploy, tab: Tab) -> None:
    """The loader runs there (for logout links) with no Messenger, widget or signer request."""
    site = deploy(plugin={"exclude": ["private/*"]})
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/private/notes/")
    assert tab.ready_state() == {"mode": "none", "userId": None, "enabled": False}
    tab.page.wait_for_load_state("networkidle")
    assert tab.requests_to("/sandbox/") == []
    assert tab.requests_to("/api/intercom") == []


def test_interaction_loads_nothing_from_intercom_before_the_click(deploy: Deploy, tab: Tab) -> None:
    site = deploy(plugin={"load": "interaction"})
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    launcher = tab.page.locator(".mkdocs-intercom-launcher")
    launcher.hover()
    site.signer_gate.wait_for(1)  # hover prefetched the identity…
    assert tab.page.evaluate(WIDGET_SCRIPT) is False, "…and nothing of the widget"
    assert tab.requests_to("/sandbox/") == [], "no widget bytes before the first interaction"
    launcher.click()
    eventually(lambda: tab.sandbox() and tab.sandbox()["open"])
    assert site.identified()[0]["verified"] is True
    assert launcher.count() == 0, "the real launcher replaces the facade"


def test_interaction_with_the_sites_own_launcher(deploy: Deploy, tab: Tab) -> None:
    site = deploy(plugin={"load": "interaction", "settings": {"custom_launcher_selector": "#chat"}})
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    tab.wait_for_loader()
    tab.page.hover("#chat")
    site.signer_gate.wait_for(1)  # the site's own launcher prefetches too
    assert tab.page.locator(".mkdocs-intercom-launcher").count() == 0, "no facade of ours"
    assert tab.page.evaluate(WIDGET_SCRIPT) is False
    tab.page.click("#chat")
    eventually(lambda: tab.sandbox() and tab.sandbox()["open"])
    boot = site.identified()[0]
    assert boot["verified"] is True
    assert boot["args"]["custom_launcher_selector"] == "#chat"


def test_interaction_offers_the_fallback_when_the_widget_does_not_load(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy(
        plugin={
            "load": "interaction",
            "fallback_url": "mailto:help@example.com",
            "widget_url": "http://127.0.0.1:9/widget/{app_id}",
        }
    )
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    tab.page.click(".mkdocs-intercom-launcher")
    fallback = tab.page.locator(".mkdocs-intercom-fallback")
    fallback.wait_for(timeout=12000)
    assert fallback.get_attribute("href") == "mailto:help@example.com"
    assert tab.errors == []


def test_consent_absent_loads_nothing_consent_given_loads(deploy: Deploy, tab: Tab) -> None:
    nothing_loads_before_consent_and_the_reader_can_accept(deploy("material-consent"), tab)


def test_instant_navigation_page_views_leave_intercoms_budget_to_hiding(
    deploy: Deploy, tab: Tab
) -> None:
    """Intercom takes 20 updates per 30 minutes: page views stop at 14, so hiding the Messenger
    on an excluded page still gets through after many pages."""
    site = deploy("material-instant", site_url="set by the deployment")
    tab.open_signed_in(site, "alice")
    for n in range(24):
        if n % 2 == 0:
            tab.follow_instantly("Setup guide", "**/guide/setup/")
        else:
            tab.follow_instantly("home", f"{site.url}/")
    commands = [c["command"] for c in tab.intercom_calls(site)]
    assert commands.count("boot") == 1, "instant navigation does not reload the page"
    assert commands.count("update") == 14, "page views leave 6 of the 20"
    tab.follow_instantly("Opted out", "**/opt-out/")
    calls = tab.intercom_calls(site)
    updates = [c["args"] for c in calls if c["command"] == "update"]
    jwt = calls[0]["args"]["intercom_user_jwt"]
    assert updates[-1] == {"hide_default_launcher": True, "intercom_user_jwt": jwt}, (
        "hiding is never dropped, and carries the JWT as every update does"
    )
    assert calls[-2]["command"] == "hide"
    assert len(updates) <= 20
    assert tab.errors == []


def test_instant_navigation_to_an_excluded_page_hides_the_messenger(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy("material-instant", site_url="set by the deployment")
    tab.open_signed_in(site, "alice")
    tab.page.click(".md-content a:text-is('Opted out')")
    tab.page.wait_for_url("**/opt-out/")
    hidden_on_an_excluded_page(site)
    assert tab.page.evaluate("() => window.mkdocsIntercom.state.enabled") is False


def _strict_csp(site: Deployment) -> str:
    """script-src 'self' plus the widget host, and hashes for the theme's own inline scripts
    (as any MkDocs site under a strict CSP needs): nothing of ours is inline."""
    theme_hashes = " ".join(f"'{h}'" for h in inline_script_hashes(site.site))
    widget, signer = site.widget_origin, site.signer_origin
    return f"default-src 'self'; script-src 'self' {widget} {theme_hashes}; connect-src 'self' {signer} {widget}; style-src 'self' 'unsafe-inline'; img-src 'self' data:"


def test_site_served_with_a_strict_csp_works(deploy: Deploy, tab: Tab) -> None:
    site = deploy(cross_origin=True, csp=_strict_csp)
    tab.page.add_init_script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    tab.page.context.add_cookies([site.login_cookie("alice")])
    response = tab.page.goto(site.url + "/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert tab.ready_state()["userId"] == "alice"
    assert eventually(site.identified)[0]["verified"] is True
    assert tab.page.evaluate("() => window.__violations") == []
    assert not [e for e in tab.console_errors if "Content Security Policy" in e], tab.console_errors


def test_bad_signature_is_refused_by_the_sandbox_like_intercom(deploy: Deploy, tab: Tab) -> None:
    """The stand-in is honest: a hash made with another secret gets Intercom's 403."""
    site = deploy()
    tab.page.goto(site.url + "/")
    tab.wait_for_loader()
    with tab.page.expect_console_message(
        lambda message: "Invalid user_hash" in message.text
    ) as message:
        tab.page.evaluate(
            "() => { const s = document.createElement('script'); s.src = '/sandbox/widget/testapp1'; document.head.append(s);"
            " s.onload = () => Intercom('boot', {app_id: 'testapp1', user_id: 'alice', user_hash: '0'.repeat(64)}); }"
        )
    assert message.value.text == "[Intercom] 403 Forbidden: Invalid user_hash"
    boot = eventually(site.boots)[0]
    assert boot["verified"] is False
    assert boot["error"] == "Invalid user_hash"
    assert tab.page.locator("#intercom-sandbox-launcher").count() == 0
