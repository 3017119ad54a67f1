"""Security rule 6 under adversarial timing: every identity request belongs to an epoch, and
an answer that arrives after a logout, a shutdown or a change of reader is dropped — never
booted, never cached. The signer's answers are held at a gate and released by the test, so
each test decides exactly what arrives when."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.browser.conftest import PATIENT, Deploy, Tab


def commands(calls: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(c["command"], c.get("user")) for c in calls]


def test_logout_link_during_a_late_answer_never_brings_the_reader_back(
    deploy: Deploy, tab: Tab
) -> None:
    """A refresh is in flight; the reader clicks a data-intercom-logout link whose logout is
    slow and redirects to another page of the site. Alice's late answer reaches the page being
    left and boots nobody there; the next page asks the signer, which no longer names her.
    Nothing can be evaluated in a page being left, so it reports through its console, once
    the loader has read the answer (a task after the body is read: the loader's own
    continuation, all microtasks, has run by then)."""
    site = deploy(plugin=PATIENT)
    tab.open_signed_in(site, "alice")
    site.signer_gate.close()
    site.logout_gate.close()
    tab.page.evaluate(
        """() => {
          const fetch = window.fetch;
          window.fetch = (...args) => fetch(...args).then((response) => {
            const json = response.json.bind(response);
            response.json = () => json().then((body) => {
              setTimeout(() => console.log("settled " + JSON.stringify(
                [window.mkdocsIntercom.state, JSON.stringify(sessionStorage)])));
              return body;
            });
            return response;
          });
          window.mkdocsIntercom.refresh();
        }"""
    )
    site.signer_gate.wait_for(2)  # alice's cookie went with it
    tab.page.click("#logout", no_wait_after=True)
    site.logout_gate.wait_for(1)  # the logout is under way, the page still here
    with tab.page.expect_console_message(lambda m: m.text.startswith("settled ")) as message:
        site.signer_gate.open()  # now alice's answer arrives
    state, storage = json.loads(message.value.text.removeprefix("settled "))
    assert state == {"mode": "none", "userId": None, "enabled": True}, "it boots nobody"
    assert "alice" not in storage, "and is not kept"
    site.logout_gate.open()
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["mode"] == "none"
    assert site.signer_gate.arrived == 3, "the next page asked the signer"
    assert [b["user"] for b in site.boots()] == ["alice"]


def _renewal_due(tab: Tab) -> None:
    tab.page.clock.run_for(31_000)


def _focus_after_a_while(tab: Tab) -> None:
    tab.page.clock.run_for(31_000)
    tab.focus()


def _api_refresh(tab: Tab) -> None:
    tab.page.evaluate("() => { window.mkdocsIntercom.refresh(); }")


@pytest.mark.parametrize("visitors", [False, True], ids=["no-visitors", "visitors"])
@pytest.mark.parametrize(
    ("ask", "jwt_ttl"),
    [(_api_refresh, 3600), (_focus_after_a_while, 3600), (_renewal_due, 60)],
    ids=["refresh", "focus", "renewal"],
)
def test_answer_asked_before_a_logout_is_dropped(
    ask: Callable[[Tab], None], jwt_ttl: int, visitors: bool, deploy: Deploy, tab: Tab
) -> None:
    """Whatever asked (the API, a focus recheck, the renewal timer of a 60 s identity), a
    logout while the answer is on its way wins; the next page finds nothing of alice."""
    site = deploy(plugin={"visitors": visitors, **PATIENT}, jwt_ttl=jwt_ttl)
    tab.page.clock.install()
    tab.open_signed_in(site, "alice")
    tab.pause_clock()
    site.signer_gate.close()
    ask(tab)
    site.signer_gate.wait_for(2)
    tab.page.evaluate("() => window.mkdocsIntercom.logout()")
    tab.page.context.clear_cookies()  # as the site's logout does
    site.signer_gate.open()
    state = tab.ready_state()
    assert state["mode"] == ("visitor" if visitors else "none")
    assert state["userId"] is None
    assert "alice" not in tab.storage()
    after_logout = [("boot", None)] if visitors else []
    assert commands(tab.intercom_calls(site)) == [
        ("boot", "alice"),
        ("shutdown", None),
        *after_logout,
    ], "no boot of alice, no update with her renewed JWT"
    tab.page.clock.resume()
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["userId"] is None
    assert site.signer_gate.arrived == 3, "the next page asked the signer"
    assert [b["user"] for b in site.boots() if b["user"]] == ["alice"]


def test_answer_asked_before_another_tab_logged_out_is_dropped(deploy: Deploy, tab: Tab) -> None:
    site = deploy(plugin=PATIENT)
    tab.open_signed_in(site, "alice")
    other = Tab(tab.page.context.new_page())
    other.page.goto(site.url + "/guide/setup/")
    assert other.ready_state()["userId"] == "alice"
    site.signer_gate.close()
    other.page.evaluate("() => { window.mkdocsIntercom.refresh(); }")
    site.signer_gate.wait_for(3)
    site.logout_gate.close()  # the first tab's logout stays under way
    tab.page.click("#logout", no_wait_after=True)
    other.page.wait_for_function("() => window.mkdocsIntercom.state.mode === 'none'")
    site.signer_gate.open()
    assert other.ready_state()["mode"] == "none"
    assert "alice" not in other.storage()
    assert commands(other.intercom_calls(site)) == [("boot", "alice"), ("shutdown", None)]
    site.logout_gate.open()


def test_answer_asked_before_another_tab_saw_a_new_reader_is_dropped(
    deploy: Deploy, tab: Tab
) -> None:
    """Another tab sees bob: this one shuts alice's Messenger down at once. Her answer, asked
    before, arrives late: it is neither booted nor cached; the tab asks again and gets bob."""
    site = deploy(plugin=PATIENT)
    tab.open_signed_in(site, "alice")
    other = Tab(tab.page.context.new_page())
    other.page.goto(site.url + "/guide/setup/")
    assert other.ready_state()["userId"] == "alice"
    site.signer_gate.close()
    other.page.evaluate("() => { window.mkdocsIntercom.refresh(); }")
    site.signer_gate.wait_for(3)  # with alice's cookie
    tab.page.context.add_cookies([site.login_cookie("1001", "Bob")])
    tab.page.evaluate("() => { window.mkdocsIntercom.refresh(); }")
    site.signer_gate.wait_for(4)
    site.signer_gate.release(4)
    assert tab.ready_state()["userId"] == "1001"
    other.page.wait_for_function("() => window.mkdocsIntercom.state.mode === 'none'")
    assert "alice" not in other.storage(), "its cache forgotten"
    site.signer_gate.release(3)  # alice's late answer
    site.signer_gate.wait_for(5)  # it was dropped and the tab asked again…
    assert "alice" not in other.storage(), "…without caching it"
    assert other.state()["mode"] == "none", "…or booting her"
    site.signer_gate.open()
    assert other.ready_state()["userId"] == "1001"
    assert commands(other.intercom_calls(site)) == [
        ("boot", "alice"),
        ("shutdown", None),
        ("boot", "1001"),
    ]


def test_prefetched_answer_from_before_a_logout_is_not_used_by_the_click(
    deploy: Deploy, tab: Tab
) -> None:
    """`load: interaction` asks on hover; a logout between the hover and the click makes that
    answer stale."""
    site = deploy(plugin={"load": "interaction", **PATIENT})
    tab.page.context.add_cookies([site.login_cookie("alice")])
    tab.page.goto(site.url + "/")
    site.signer_gate.close()
    launcher = tab.page.locator(".mkdocs-intercom-launcher")
    launcher.hover()
    site.signer_gate.wait_for(1)  # asked with alice's cookie
    tab.page.evaluate("() => window.mkdocsIntercom.logout()")
    tab.page.context.clear_cookies()
    launcher.click()
    site.signer_gate.wait_for(2)  # the click asks again
    site.signer_gate.open()
    assert tab.ready_state()["mode"] == "none"
    assert site.boots() == []
    assert "alice" not in tab.storage()


@pytest.mark.parametrize("now", ["alice", "1001", None], ids=["same", "other", "logged-out"])
def test_back_forward_cache_restore_shows_nothing_until_the_signer_names_the_reader(
    now: str | None, deploy: Deploy, tab: Tab
) -> None:
    site = deploy(plugin=PATIENT)
    tab.page.add_init_script(
        "addEventListener('pageshow', (e) => { window.__restored = e.persisted; })"
    )
    tab.open_signed_in(site, "alice")
    tab.intercom_calls(site)  # the boot is recorded before the page is left
    tab.page.click("text=Setup guide")
    tab.page.wait_for_url("**/guide/setup/")
    assert tab.ready_state()["userId"] == "alice"
    if now is None:
        tab.page.context.clear_cookies()
    elif now != "alice":
        tab.page.context.add_cookies([site.login_cookie(now)])
    site.signer_gate.close()
    tab.page.go_back(wait_until="commit")
    tab.page.wait_for_function("() => window.__restored === true")
    site.signer_gate.wait_for(2)  # the restored page asks who the reader is…
    assert tab.state()["mode"] == "none", "…with its Messenger already shut down"
    tab.page.wait_for_function("() => !window.__intercomSandbox.booted")
    site.signer_gate.open()
    assert tab.ready_state()["userId"] == now
    expected = [("boot", "alice"), ("shutdown", None)] + ([("boot", now)] if now else [])
    assert commands(tab.intercom_calls(site)) == expected
