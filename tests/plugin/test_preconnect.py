"""`<link rel="preconnect">` hints: the browser opens connections while the page loads, with no
inline script, and never to Intercom before the reader allowed it (consent) or asked for it
(`load: interaction`)."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.sites import build_site

SIGNER = "https://signer.example.com"
WIDGET = "https://widget.intercom.io"
API_US, API_EU = "https://api-iam.intercom.io", "https://api-iam.eu.intercom.io"


class Hints(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.origins: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "preconnect":
            self.origins.append(attributes["href"] or "")


def hints(page: Path) -> list[str]:
    parser = Hints()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.origins


@pytest.mark.parametrize("load", ["eager", "idle"])
def test_eager_and_idle_pages_preconnect_to_the_signer_widget_and_api(
    load: str, tmp_path: Path
) -> None:
    site = build_site("plain", tmp_path, plugin={"load": load, "signer_url": f"{SIGNER}/identity"})
    assert hints(site / "index.html") == [SIGNER, WIDGET, API_US]
    assert hints(site / "404.html") == [SIGNER, WIDGET, API_US]


def test_the_region_and_a_widget_proxy_are_the_hosts_named(tmp_path: Path) -> None:
    site = build_site(
        "plain",
        tmp_path,
        plugin={"region": "eu", "widget_url": "https://chat.example.com/w/{app_id}"},
    )
    assert hints(site / "index.html") == ["https://chat.example.com", API_EU]


def test_a_same_origin_signer_needs_no_hint(tmp_path: Path) -> None:
    site = build_site("plain", tmp_path, plugin={"load": "eager"})
    assert hints(site / "index.html") == [WIDGET, API_US]


def test_interaction_contacts_nothing_of_intercom_before_the_click(tmp_path: Path) -> None:
    site = build_site(
        "plain", tmp_path, plugin={"load": "interaction", "signer_url": f"{SIGNER}/identity"}
    )
    assert hints(site / "index.html") == [SIGNER]


def test_cookie_consent_keeps_intercom_out_of_the_hints(tmp_path: Path) -> None:
    site = build_site("material-consent", tmp_path)
    assert hints(site / "index.html") == []


def test_a_page_without_the_messenger_gets_no_hints(tmp_path: Path) -> None:
    site = build_site("material-instant", tmp_path)
    assert hints(site / "opt-out" / "index.html") == []
    assert hints(site / "index.html") == [WIDGET, API_US]


def test_the_privacy_plugin_removes_the_hints_and_downloads_nothing_of_intercom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)  # the privacy plugin keeps its cache under the working directory
    with caplog.at_level(logging.WARNING):
        site = build_site("material-privacy", tmp_path, strict=True)
    assert caplog.records == []
    for page in site.rglob("*.html"):
        assert hints(page) == [], page
        assert "://widget.intercom.io" not in page.read_text(encoding="utf-8"), page
    downloaded = [p for p in site.rglob("*") if "intercom" in str(p.relative_to(site))]
    assert [str(p.relative_to(site)) for p in downloaded] == [
        "assets/mkdocs-intercom",
        "assets/mkdocs-intercom/loader.js",
    ], "only the plugin's own loader"
