"""The plugin in real builds: what each page gets, per theme and site layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, ConfigurationError

from mkdocs_intercom.pages import LOADER_SOURCE
from tests.support.sites import build_site, head_tags


def loader_file(site: Path, page: Path, src: str) -> Path:
    return (page.parent / src).resolve() if not src.startswith("/") else site / src.lstrip("/")


@pytest.mark.parametrize("fixture", ["plain", "readthedocs", "material"])
def test_every_page_gets_settings_and_an_async_loader(fixture: str, tmp_path: Path) -> None:
    site = build_site(fixture, tmp_path)
    for page in (site / "index.html", site / "guide" / "setup" / "index.html"):
        tags = head_tags(page)
        assert tags.settings is not None
        assert tags.settings["appId"] == "testapp1"
        assert tags.settings["enabled"] is True
        loader = next(s for s in tags.scripts if s.get("src") == tags.loader_src)
        assert "async" in loader
        assert (
            loader_file(site, page, tags.loader_src or "").read_bytes()
            == LOADER_SOURCE.read_bytes()
        )


@pytest.mark.parametrize(
    "fixture", ["plain", "readthedocs", "material", "material-instant", "material-consent"]
)
def test_no_inline_script_of_ours(fixture: str, tmp_path: Path) -> None:
    site = build_site(fixture, tmp_path)
    ours = [
        s
        for s in head_tags(site / "index.html").scripts
        if "mkdocs-intercom" in (s.get("src") or "")
    ]
    assert ours
    assert all(s.get("src") for s in ours)
    assert "Intercom(" not in (site / "index.html").read_text()


def test_region_sets_the_api_base(tmp_path: Path) -> None:
    settings = head_tags(build_site("readthedocs", tmp_path) / "index.html").settings
    assert settings is not None
    assert settings["apiBase"] == "https://api-iam.eu.intercom.io"
    assert settings["signerUrl"] == "https://signer.example.com/identity"


def test_pages_without_directory_urls_link_the_loader_relatively(tmp_path: Path) -> None:
    site = build_site("no-directory-urls", tmp_path)
    page = site / "guide" / "setup.html"
    src = head_tags(page).loader_src
    assert src == "../assets/mkdocs-intercom/loader.js"
    assert loader_file(site, page, src).is_file()


def test_site_under_a_sub_path(tmp_path: Path) -> None:
    site = build_site("subpath", tmp_path)
    assert (
        head_tags(site / "guide" / "setup" / "index.html").loader_src
        == "../../assets/mkdocs-intercom/loader.js"
    )
    assert head_tags(site / "404.html").loader_src == "/docs/assets/mkdocs-intercom/loader.js"


@pytest.mark.parametrize("fixture", ["plain", "readthedocs", "material"])
def test_the_404_page_gets_the_loader(fixture: str, tmp_path: Path) -> None:
    site = build_site(fixture, tmp_path)
    tags = head_tags(site / "404.html")
    assert tags.settings is not None
    assert tags.loader_src == "/assets/mkdocs-intercom/loader.js"


@pytest.mark.parametrize("page", ["opt-out/index.html", "private/notes/index.html"])
def test_front_matter_and_exclude_turn_a_page_off(page: str, tmp_path: Path) -> None:
    site = build_site("plain", tmp_path)
    tags = head_tags(site / page)
    assert tags.settings is None
    assert tags.loader_src is None


@pytest.mark.parametrize("page", ["opt-out/index.html", "private/notes/index.html"])
def test_with_instant_navigation_an_off_page_tells_the_loader_to_hide(
    page: str, tmp_path: Path
) -> None:
    tags = head_tags(build_site("material-instant", tmp_path) / page)
    assert tags.settings is not None
    assert tags.settings["enabled"] is False
    assert tags.loader_src is not None


def test_consent_adds_an_intercom_cookie_and_gates_the_loader(tmp_path: Path) -> None:
    site = build_site("material-consent", tmp_path)
    html = (site / "index.html").read_text()
    assert 'name="intercom"' in html, "the consent form offers the Intercom cookie"
    assert "Intercom Messenger" in html
    settings = head_tags(site / "index.html").settings
    assert settings is not None
    assert settings["consent"] is True


def test_a_site_defined_intercom_cookie_is_kept(tmp_path: Path) -> None:
    extra = {
        "consent": {"title": "Cookies", "description": "…", "cookies": {"intercom": "Support chat"}}
    }
    html = (build_site("material-consent", tmp_path, extra=extra) / "index.html").read_text()
    assert "Support chat" in html
    assert "Intercom Messenger" not in html


def test_consent_off_ignores_the_form(tmp_path: Path) -> None:
    settings = head_tags(
        build_site("material-consent", tmp_path, plugin={"consent": "off"}) / "index.html"
    ).settings
    assert settings is not None
    assert settings["consent"] is False


def test_privacy_plugin_finds_no_widget_url_to_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the privacy plugin keeps its cache under the working directory
    site = build_site("material-privacy", tmp_path)
    for page in site.rglob("*.html"):
        assert "widget.intercom.io" not in page.read_text()
    assert not any("intercom" in str(p) for p in (site / "assets").rglob("external*"))


def test_widget_url_override_reaches_the_loader(tmp_path: Path) -> None:
    site = build_site(
        "plain", tmp_path, plugin={"widget_url": "https://chat-proxy.example.com/w/{app_id}"}
    )
    settings = head_tags(site / "index.html").settings
    assert settings is not None
    assert settings["widgetUrl"] == "https://chat-proxy.example.com/w/testapp1"
    assert "https://chat-proxy.example.com/w/" not in (site / "index.html").read_text(), (
        "slashes are escaped: only the host is named, in a preconnect hint"
    )


def test_disabled_plugin_adds_nothing(tmp_path: Path) -> None:
    site = build_site("plain", tmp_path, plugin={"enabled": False})
    assert head_tags(site / "index.html").settings is None
    assert not (site / "assets" / "mkdocs-intercom").exists()


def test_planted_secret_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "planted-intercom-secret-0123456789abcdef"
    monkeypatch.setenv("INTERCOM_SECRET", secret)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(f"# Oops\n\nThe secret is {secret}.\n")
    with pytest.raises(Abort):
        build_site("plain", tmp_path, docs_dir=str(docs))
    assert "the secret in $INTERCOM_SECRET appears in the built site (index.html" in caplog.text
    assert secret not in caplog.text


def test_secret_in_environment_but_not_in_site_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNER_SECRET", "a-secret-that-is-nowhere-in-the-site-0123")
    assert (build_site("plain", tmp_path) / "index.html").is_file()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"app_id": None}, "app_id.*!ENV INTERCOM_APP_ID"),
        ({"app_id": "not an id!"}, "app_id.*not an Intercom app id"),
        ({"signer_url": "ftp://signer"}, "signer_url.*https:// URL or a site path"),
        ({"signer_url": "http://signer.example.com/identity"}, "signer_url.*https:// URL"),
        ({"region": "mars"}, r"region.*'us', 'eu', 'au'"),
        ({"verification": "md5"}, "verification"),
        ({"load": "never"}, "load"),
        ({"secret": "abc"}, "'secret'.*belongs in the signer"),
        ({"identity_secret": "abc"}, "identity_secret.*belongs in the signer"),
        ({"settings": {"api_secret": "abc"}}, r"settings\.api_secret.*belongs in the signer"),
        ({"settings": {"user_hash": "abc"}}, r"settings\.user_hash.*belongs in the signer"),
        (
            {"settings": {"user_id": "bob"}},
            r"settings\.user_id.*identity comes from the signer only",
        ),
        (
            {"settings": {"email": "bob@example.com"}},
            r"settings\.email.*identity comes from the signer only",
        ),
        ({"settings": {"app_id": "other"}}, r"settings\.app_id.*set by mkdocs-intercom itself"),
    ],
)
def test_bad_config_fails_with_an_actionable_error(
    options: dict[str, object], message: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises((Abort, ConfigurationError)):
        build_site("plain", tmp_path, plugin=options)
    assert re.search(message, caplog.text), caplog.text


def test_warning_when_the_messenger_can_never_boot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build_site("plain", tmp_path, plugin={"signer_url": None})
    assert "Messenger will never boot" in caplog.text


def test_strict_builds_turn_the_plugins_warnings_into_failures(tmp_path: Path) -> None:
    with pytest.raises(Abort, match="strict"):
        build_site("plain", tmp_path, plugin={"signer_url": None}, strict=True)
