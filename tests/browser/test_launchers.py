"""What the reader's clicks do: the `load: interaction` launcher, the fallback link, the API's
show(), and logout links clicked to open elsewhere."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Deploy, Tab

LAUNCHER = ".mkdocs-intercom-launcher"
# Synchronous facts about what the loader started: the fetch calls it made, and its script.
WATCH_FETCH = (
    "window.__fetched = []; const fetchFirst = window.fetch;"
    " window.fetch = (url, ...rest) => (window.__fetched.push(String(url)), fetchFirst(url, ...rest));"
)
STARTED_NOTHING = (
    "() => window.__fetched.length === 0"
    " && !document.querySelector('script[src*=\"/sandbox/widget/\"]')"
    " && typeof window.Intercom === 'undefined'"
)


def test_one_launcher_through_instant_navigation_hidden_on_excluded_pages(
    deploy: Deploy, tab: Tab
) -> None:
    site = deploy("material-instant", {"load": "interaction"}, site_url="set by the deployment")
    tab.page.goto(site.url + "/")
    tab.page.locator(LAUNCHER).wait_for()
    for n in range(4):
        if n % 2 == 0:
            tab.follow_instantly("Setup guide", "**/guide/setup/")
        else:
            tab.follow_instantly("home", f"{site.url}/")
    assert tab.page.locator(LAUNCHER).count() == 1
    assert tab.page.locator(LAUNCHER).is_visible()
    tab.follow_instantly("Opted out", "**/opt-out/")
    assert tab.page.locator(LAUNCHER).count() == 1
    assert tab.page.locator(LAUNCHER).is_hidden(), "no launcher on an excluded page"
    assert tab.requests_to("/sandbox/") == [], "and still nothing from the widget host"


def test_the_launcher_icon_is_drawn_inline(deploy: Deploy, tab: Tab) -> None:
    """A bubble drawn in CSS, not an emoji or an image: nothing to show as an empty box where
    no emoji font is installed, nothing to download."""
    site = deploy(plugin={"load": "interaction"})
    tab.page.goto(site.url + "/")
    launcher = tab.page.locator(LAUNCHER)
    bubble = launcher.locator("i")
    assert bubble.count() == 1
    box = bubble.bounding_box()
    assert box is not None
    assert (box["width"], box["height"]) == (22, 17)
    assert bubble.evaluate("(i) => getComputedStyle(i).backgroundColor") == "rgb(255, 255, 255)"
    assert launcher.inner_text().strip() == ""
    assert launcher.get_attribute("aria-label") == "Open the Messenger"


def test_focusing_the_launcher_prefetches_the_identity_only(deploy: Deploy, tab: Tab) -> None:
    site = deploy(plugin={"load": "interaction"})
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    tab.page.locator(LAUNCHER).focus()
    site.signer_gate.wait_for(1)
    assert tab.page.evaluate(
        "() => !document.querySelector('script[src*=\"/sandbox/widget/\"]')"
    ), "no widget before the click"
    tab.page.keyboard.press("Enter")
    assert tab.ready_state()["userId"] == "alice"
    tab.page.wait_for_function("() => window.__intercomSandbox && window.__intercomSandbox.open")
    assert site.signer_gate.arrived == 1, "the click used the prefetched answer"


@pytest.mark.parametrize("cause", ["widget-unreachable", "logged-out"])
def test_repeated_clicks_offer_one_fallback_link(cause: str, deploy: Deploy, tab: Tab) -> None:
    options = {"load": "interaction", "fallback_url": "mailto:help@example.com"}
    if cause == "widget-unreachable":
        options["widget_url"] = "http://127.0.0.1:9/widget/{app_id}"
    else:  # the site's own launcher stays clickable after the signer said 401
        options["settings"] = {"custom_launcher_selector": "#chat"}
    site = deploy(plugin=options)
    if cause == "widget-unreachable":
        tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.clock.install()
    tab.page.goto(site.url + "/")
    tab.pause_clock()
    target = LAUNCHER if cause == "widget-unreachable" else "#chat"
    for _ in range(3):
        tab.page.click(target)
        tab.ready_state()
    tab.page.clock.run_for(7_000)  # past every fallback timer the clicks may have started
    tab.page.locator(".mkdocs-intercom-fallback").first.wait_for()
    assert tab.page.locator(".mkdocs-intercom-fallback").count() == 1
    assert tab.errors == []


def test_show_waits_for_cookie_consent(deploy: Deploy, tab: Tab) -> None:
    site = deploy("material-consent")
    tab.page.add_init_script(WATCH_FETCH)
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    tab.page.locator(".md-consent__controls .md-button--primary").wait_for()
    tab.wait_for_loader()
    tab.page.evaluate("() => window.mkdocsIntercom.show()")
    assert tab.page.evaluate(STARTED_NOTHING), "no signer request, no widget, no Intercom"


def test_show_does_nothing_on_an_excluded_page(deploy: Deploy, tab: Tab) -> None:
    """With instant navigation an excluded page carries the loader, switched off."""
    site = deploy("material-instant", site_url="set by the deployment")
    tab.page.add_init_script(WATCH_FETCH)
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/opt-out/")
    tab.wait_for_loader()
    assert tab.state()["enabled"] is False
    tab.page.evaluate("() => window.mkdocsIntercom.show()")
    assert tab.page.evaluate(STARTED_NOTHING)


@pytest.mark.parametrize(
    "click",
    [{"modifiers": ["Control"]}, {"modifiers": ["Shift"]}, {"button": "middle"}],
    ids=["ctrl", "shift", "middle"],
)
def test_logout_link_opened_elsewhere_is_not_a_logout_of_this_tab(
    click: dict[str, object], deploy: Deploy, tab: Tab
) -> None:
    site = deploy()
    tab.open_signed_in(site, "alice")
    tab.page.context.route("**/idp/logout**", lambda route: route.abort())  # stays signed in
    with tab.page.context.expect_page() as opened:
        tab.page.click("#logout", **click)  # type: ignore[arg-type]
    assert opened.value != tab.page, "the browser opened the link in a new tab or window"
    assert tab.page.url == site.url + "/", "this tab stays"
    assert tab.state() == {"mode": "user", "userId": "alice", "enabled": True}
    assert [c["command"] for c in tab.intercom_calls(site)] == ["boot"], "no shutdown"
