"""Scenarios every generator's site must pass in Chromium (MkDocs and Zensical alike)."""

from __future__ import annotations

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
