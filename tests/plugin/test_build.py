"""The plugin in real builds: what each page gets, per theme and site layout."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, ConfigurationError

from mkdocs_intercom.devstack.sitebuild import build
from mkdocs_intercom.pages import LOADER_SOURCE
from tests.support.sites import build_site, head_tags, site_config


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


@pytest.mark.parametrize("fixture", ["plain", "material-instant"])
@pytest.mark.parametrize("page", ["opt-out/index.html", "private/notes/index.html"])
def test_an_excluded_page_gets_the_loader_without_a_messenger(
    fixture: str, page: str, tmp_path: Path
) -> None:
    """Front matter `intercom: false` and `exclude` turn the Messenger off, not the loader: its
    logout links must still shut the Messenger down in every other tab."""
    tags = head_tags(build_site(fixture, tmp_path) / page)
    assert tags.settings is not None
    assert tags.settings["enabled"] is False
    assert tags.loader_src is not None
    assert tags.preconnect == [], "no connection is warmed up for a Messenger that never comes"


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
        html = page.read_text()
        assert "https://widget.intercom.io" not in html, "no literal URL for it to find"
        settings = head_tags(page).settings
        assert settings is not None
        assert settings["widgetUrl"] == "https://widget.intercom.io/widget/testapp1"
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


def build_as_written(fixture: str, folder: Path, old: str, new: str) -> Path:
    """Build a fixture with one line of its mkdocs.yml rewritten as text (for YAML tags and
    values that a YAML dump would quote)."""
    config = site_config(fixture, folder)
    text = config.read_text()
    assert old in text
    config.write_text(text.replace(old, new))
    return build(config)


def test_planted_secret_fails_the_build_and_the_files_holding_it_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "planted-intercom-secret-0123456789abcdef"
    monkeypatch.setenv("INTERCOM_SECRET", secret)
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "index.md").write_text(f"# Oops\n\nThe secret is {secret}.\n")
    (docs / "guide" / "clean.md").write_text("# Clean\n\nNothing to see.\n")
    with pytest.raises(Abort):
        build_site("plain", tmp_path, docs_dir=str(docs))
    site = tmp_path / "site"
    assert not (site / "index.html").exists()
    assert not (site / "search" / "search_index.json").exists(), "the search index holds it too"
    assert not [p for p in site.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert (site / "guide" / "clean" / "index.html").is_file(), "only the leaking files go"
    assert "the secret in $INTERCOM_SECRET appears in the built site: index.html" in caplog.text
    assert f"removed from {site}, so that no deploy publishes them" in caplog.text
    assert secret not in caplog.text


def test_secret_in_environment_but_not_in_site_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "a-secret-that-is-nowhere-in-the-site-0123"
    monkeypatch.setenv("SIGNER_SECRET", secret)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        site = build_site("plain", tmp_path)
    for page in ("index.html", "guide/setup/index.html", "opt-out/index.html", "404.html"):
        assert (site / page).is_file(), f"{page}: the scan removed it"
    assert (site / "search" / "search_index.json").is_file()
    ours = [r for r in caplog.records if "mkdocs_intercom" in r.name and r.levelno >= logging.INFO]
    assert ours == [], [r.getMessage() for r in ours]
    assert "appears in the built site" not in caplog.text
    assert secret not in caplog.text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"app_id": None}, "app_id.*!ENV INTERCOM_APP_ID"),
        ({"app_id": "not an id!"}, "app_id.*not an Intercom app id"),
        (
            {"timeout": 0},
            r"timeout': 0 is out of range: give .* from 0.5 to 60 \(e.g. timeout: 5\)",
        ),
        ({"timeout": -3}, "timeout': -3 is out of range"),
        ({"timeout": 86400}, "timeout': 86400 is out of range"),
        ({"timeout": True}, "timeout': True is out of range"),
        ({"timeout": "5"}, "timeout': '5' is out of range"),
        ({"exclude": {"internal": True}}, r"exclude.*write e.g. exclude: \[\"internal/\*\""),
        ({"consent": "maybe"}, "consent.*use consent: auto or consent: off"),
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


def test_app_id_from_an_unset_variable_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("DOCS_INTERCOM_APP_ID", raising=False)
    with pytest.raises((Abort, ConfigurationError)):
        build_as_written("plain", tmp_path, "app_id: testapp1", "app_id: !ENV DOCS_INTERCOM_APP_ID")
    assert (
        "option 'app_id': `app_id: !ENV DOCS_INTERCOM_APP_ID` but the environment variable "
        "DOCS_INTERCOM_APP_ID is not set: export DOCS_INTERCOM_APP_ID=abc12345 before building"
    ) in caplog.text


def test_app_id_from_several_unset_variables_names_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("DOCS_APP_ID", "INTERCOM_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises((Abort, ConfigurationError)):
        build_as_written(
            "plain",
            tmp_path,
            "app_id: testapp1",
            "app_id: !ENV [DOCS_APP_ID, INTERCOM_APP_ID, null]",
        )
    assert (
        "`app_id: !ENV [DOCS_APP_ID, INTERCOM_APP_ID]` but none of these environment variables is set"
        in caplog.text
    )


def test_a_variable_name_given_as_the_default_app_id_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("DOCS_APP_ID", raising=False)
    with pytest.raises((Abort, ConfigurationError)):
        build_as_written(
            "plain", tmp_path, "app_id: testapp1", "app_id: !ENV [DOCS_APP_ID, INTERCOM_APP_ID]"
        )
    assert (
        "option 'app_id': 'INTERCOM_APP_ID' is the name of a variable, not an app id: "
        "`!ENV [A, B]` takes its last item as the default value"
    ) in caplog.text


def test_app_id_from_a_set_variable_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCS_INTERCOM_APP_ID", "fromenv1")
    site = build_as_written(
        "plain", tmp_path, "app_id: testapp1", "app_id: !ENV DOCS_INTERCOM_APP_ID"
    )
    settings = head_tags(site / "index.html").settings
    assert settings is not None
    assert settings["appId"] == "fromenv1"


@pytest.mark.parametrize(
    "pasted",
    [
        "3f786850e387550fdab836ed7e6dc881de23001b",  # the identity verification secret's shape
        "dG9rOjEyMzQ1Njc4OTBhYmNkZWY6OjE=",  # an access token's shape
    ],
)
def test_a_secret_pasted_as_app_id_is_refused_and_never_echoed(
    pasted: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises((Abort, ConfigurationError)):
        build_site("plain", tmp_path, plugin={"app_id": pasted})
    assert re.search(
        r"option 'app_id': a \d+-character value is not an Intercom app id and looks like a secret: "
        r"app ids are short workspace codes such as abc12345 .*the Intercom secret belongs in "
        r"the signer only \(SIGNER_SECRET_ARN on AWS, SIGNER_SECRET locally\)",
        caplog.text,
    ), caplog.text
    assert pasted not in caplog.text
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://help.example.com/",
        "//evil.example/",
        "/\\evil.example/",
        "support/",
        "mailto:",
    ],
)
def test_fallback_url_other_than_https_mailto_or_a_site_path_fails_the_build(
    url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises((Abort, ConfigurationError)):
        build_site("plain", tmp_path, plugin={"load": "interaction", "fallback_url": url})
    assert re.search(
        "option 'fallback_url': .* is not allowed: use an https:// URL, a mailto: address or a "
        "path on the site starting with /",
        caplog.text,
    ), caplog.text


@pytest.mark.parametrize(
    "url", ["https://help.example.com/contact", "mailto:help@example.com", "/support/"]
)
def test_fallback_url_that_is_https_mailto_or_a_site_path_reaches_the_loader(
    url: str, tmp_path: Path
) -> None:
    site = build_site("plain", tmp_path, plugin={"load": "interaction", "fallback_url": url})
    settings = head_tags(site / "index.html").settings
    assert settings is not None
    assert settings["fallbackUrl"] == url


def test_fallback_url_without_the_light_launcher_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build_site("plain", tmp_path, plugin={"fallback_url": "/support/"})
    assert (
        "option 'fallback_url': is used only with `load: interaction` (the light launcher links "
        "there when the widget cannot load), but load is 'idle': set `load: interaction` or "
        "remove fallback_url"
    ) in caplog.text


def test_fallback_url_with_the_light_launcher_does_not_warn(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build_site("plain", tmp_path, plugin={"fallback_url": "/support/", "load": "interaction"})
    assert "fallback_url" not in caplog.text


@pytest.mark.parametrize("timeout", [0.5, 1, 5, 60])
def test_timeout_in_range_reaches_the_loader_as_written(timeout: float, tmp_path: Path) -> None:
    settings = head_tags(
        build_site("plain", tmp_path, plugin={"timeout": timeout}) / "index.html"
    ).settings
    assert settings is not None
    assert settings["timeout"] == timeout
    assert type(settings["timeout"]) is type(timeout)


def test_exclude_as_one_glob_string_excludes_those_pages(tmp_path: Path) -> None:
    site = build_site("plain", tmp_path, plugin={"exclude": "private/*"})
    excluded = head_tags(site / "private" / "notes" / "index.html").settings
    assert excluded is not None
    assert excluded["enabled"] is False
    included = head_tags(site / "index.html").settings
    assert included is not None
    assert included["enabled"] is True


@pytest.mark.parametrize(
    ("written", "consent"), [("off", False), ("false", False), ("auto", True), ("on", True)]
)
def test_consent_off_as_documented_builds_although_yaml_reads_it_as_false(
    written: str, consent: bool, tmp_path: Path
) -> None:
    site = build_as_written(
        "material-consent",
        tmp_path,
        "    app_id: testapp1",
        f"    app_id: testapp1\n    consent: {written}",
    )
    settings = head_tags(site / "index.html").settings
    assert settings is not None
    assert settings["consent"] is consent


def test_warning_when_the_messenger_can_never_boot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build_site("plain", tmp_path, plugin={"signer_url": None})
    assert "Messenger will never boot" in caplog.text


def test_strict_builds_turn_the_plugins_warnings_into_failures(tmp_path: Path) -> None:
    with pytest.raises(Abort, match="strict"):
        build_site("plain", tmp_path, plugin={"signer_url": None}, strict=True)
