"""A real `zensical build` after `mkdocs-intercom setup` gives every page what the plugin gives it
under MkDocs: the same head tags (settings <meta>, loader script, and whatever else the plugin
adds), the same loader byte for byte, the same pages turned off."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_intercom.config import IntercomConfig
from mkdocs_intercom.devstack.sitebuild import build as mkdocs_build
from mkdocs_intercom.pages import LOADER_PATH, LOADER_SOURCE, page_enabled
from tests.support.sites import head_tags
from tests.support.waiting import eventually, free_port
from tests.support.zensical import (
    ZENSICAL,
    injected,
    mkdocs_twin,
    run_setup,
    settings_of,
    zensical_build,
    zensical_builds,
    zensical_project,
    zensical_site,
)

PAGES = ["index.html", "guide/setup/index.html", "opt-out/index.html", "private/notes/index.html"]
EVERY_OPTION = {
    "signer_url": "https://signer.example.com/identity",
    "verification": "jwt",
    "region": "eu",
    "visitors": True,
    "load": "interaction",
    "settings": {"alignment": "left", "horizontal_padding": 30},
    "widget_url": "https://chat-proxy.example.com/widget/{app_id}",
    "timeout": 2.5,
    "fallback_url": "mailto:help@example.com",
    "exclude": ["private/*", "guide/*"],
}


# Each case: a fixture and the options changed in its `extra: intercom:` block.
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "instant": ("material-instant", {}),
    "app-id-only": ("material-instant", {"signer_url": None, "exclude": None}),
    "every-option": ("material-instant", EVERY_OPTION),
    "au-consent-off": ("material-instant", {"region": "au", "consent": "off", "visitors": False}),
    "consent": ("material-consent", {}),
    "consent-off": ("material-consent", {"consent": "off"}),
    "subpath": ("subpath", {}),
    "no-instant": ("material", {"exclude": ["guide/*"]}),
}
Builds = dict[str, tuple[Path, Path]]  # case (or "off:" + fixture) → (Zensical site, MkDocs site)


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """Every case built once by each generator, and each fixture once with the options
    disabled (then neither adds anything, whatever the options): what a page gains is the
    difference. Zensical builds run side by side; setup and MkDocs run here in turn."""
    projects = {case: (fixture, options) for case, (fixture, options) in CASES.items()}
    projects |= {f"off:{fixture}": (fixture, {}) for fixture, _ in CASES.values()}
    configs = {}
    for name, (fixture, options) in projects.items():
        folder = tmp_path_factory.mktemp(name.replace(":", "-"))
        enabled = not name.startswith("off:")
        config = zensical_project(fixture, folder / "zensical", {**options, "enabled": enabled})
        code, printed = run_setup(config)
        assert code == 0, printed
        configs[name] = config
    zensical = dict(zip(configs, zensical_builds(list(configs.values())), strict=True))
    return {
        name: (zensical[name], mkdocs_twin(config, config.parent.parent / "mkdocs"))
        for name, config in configs.items()
    }


def both_generators(builds: Builds, case: str) -> Iterator[tuple[str, Any, Any]]:
    """(page, what the plugin adds under MkDocs, what setup's override adds under Zensical)."""
    fixture, _ = CASES[case]
    on, off = builds[case], builds[f"off:{fixture}"]
    config = on[0].parent / "mkdocs.yml"
    base = yaml.safe_load(config.read_text()).get("site_url") or "https://docs.test/"
    for page in [*PAGES, "404.html"]:
        zensical = injected(on[0], off[0], page, base)
        mkdocs = injected(on[1], off[1], page, base)
        yield page, mkdocs, zensical


@pytest.mark.parametrize("case", list(CASES))
def test_every_page_gets_the_head_tags_the_plugin_adds(case: str, both_builds: Builds) -> None:
    for page, mkdocs, zensical in both_generators(both_builds, case):
        assert zensical == mkdocs, page


def test_the_settings_follow_the_options_and_turn_pages_off(both_builds: Builds) -> None:
    """Spelled out once (the comparison above relies on the plugin being right)."""
    pages = dict(
        (page, settings_of(zensical))
        for page, _, zensical in both_generators(both_builds, "every-option")
    )
    assert pages["index.html"] == {
        "appId": "testapp1",
        "signerUrl": "https://signer.example.com/identity",
        "verification": "jwt",
        "apiBase": "https://api-iam.eu.intercom.io",
        "visitors": True,
        "load": "interaction",
        "consent": False,
        "settings": {"alignment": "left", "horizontal_padding": 30},
        "timeout": 2.5,
        "widgetUrl": "https://chat-proxy.example.com/widget/testapp1",
        "fallbackUrl": "mailto:help@example.com",
        "enabled": True,
    }
    off = [page for page, settings in pages.items() if settings and not settings["enabled"]]
    assert off == ["guide/setup/index.html", "opt-out/index.html", "private/notes/index.html"]
    assert pages["404.html"]["enabled"] is True  # type: ignore[index]


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The material fixture as it is, set up and built by Zensical once: (config, site), read
    and never changed by the tests that share it."""
    config = zensical_project("material", tmp_path_factory.mktemp("material") / "zensical")
    code, printed = run_setup(config)
    assert code == 0, printed
    return config, zensical_build(config)


def test_a_page_turned_off_gets_the_loader_without_a_messenger(
    material: tuple[Path, Path],
) -> None:
    """As with the plugin: its logout links must still reach the other tabs."""
    _, site = material
    assert head_tags(site / "index.html").loader_src == "./assets/mkdocs-intercom/loader.js"
    for page in ("opt-out/index.html", "private/notes/index.html"):
        tags = head_tags(site / page)
        assert tags.settings is not None, page
        assert tags.settings["enabled"] is False, page
        assert tags.loader_src is not None, page
        assert tags.preconnect == [], page


def test_the_loader_is_the_plugins_byte_for_byte(
    material: tuple[Path, Path], tmp_path: Path
) -> None:
    config, site = material
    zensical = site / LOADER_PATH
    mkdocs = mkdocs_twin(config, tmp_path / "mkdocs") / LOADER_PATH
    assert zensical.read_bytes() == mkdocs.read_bytes() == LOADER_SOURCE.read_bytes()


def test_a_sub_path_site_links_the_loader_under_its_path(tmp_path: Path) -> None:
    site = zensical_site("subpath", tmp_path)
    assert head_tags(site / "guide/setup/index.html").loader_src == (
        "../../assets/mkdocs-intercom/loader.js"
    )
    # the 404 page is served at any path: it links the loader absolutely, as the plugin does
    assert head_tags(site / "404.html").loader_src == "/docs/assets/mkdocs-intercom/loader.js"


def test_zensical_toml_with_its_project_extra_intercom_table(tmp_path: Path) -> None:
    config = zensical_project("toml", tmp_path)
    assert config.name == "zensical.toml"
    code, printed = run_setup(config)
    assert code == 0, printed
    assert 'custom_dir = "overrides"' in config.read_text()
    site = zensical_build(config)
    assert head_tags(site / "index.html").settings == {
        "appId": "testapp1",
        "signerUrl": "/api/intercom/identity",
        "verification": IntercomConfig.verification.default,
        "apiBase": "https://api-iam.intercom.io",
        "visitors": False,
        "load": "idle",
        "consent": False,
        "settings": {},
        "timeout": 5,
        "widgetUrl": "https://widget.intercom.io/widget/testapp1",
        "enabled": True,
    }
    excluded = head_tags(site / "private/notes/index.html").settings
    assert excluded is not None
    assert excluded["enabled"] is False


def test_a_site_with_its_own_main_html_keeps_it_and_gains_the_tags(tmp_path: Path) -> None:
    config = zensical_project("own-main", tmp_path)
    main_html = tmp_path / "zensical-overrides" / "main.html"
    own = main_html.read_text()
    code, printed = run_setup(config)
    assert code == 0, printed
    assert "wrote zensical-overrides/main.html (the partial included)" in printed
    merged = main_html.read_text()
    assert merged.replace('\n  {% include "partials/intercom.html" %}', "", 1) == own
    site = zensical_build(config)
    page = (site / "index.html").read_text()
    assert '<meta name="own-override" content="kept">' in page
    assert 'id="own-announcement"' in page
    assert head_tags(site / "index.html").settings is not None


def test_mkdocs_with_the_plugin_ignores_the_override(tmp_path: Path) -> None:
    """A project that builds with both during a migration gets the tags once under MkDocs."""
    config = zensical_project("material", tmp_path)
    assert run_setup(config)[0] == 0
    document = yaml.safe_load(config.read_text())
    document["plugins"] = [{"intercom": document["extra"]["intercom"]}]
    config.write_text(yaml.safe_dump(document))
    site = mkdocs_build(config)
    html = (site / "index.html").read_text()
    assert html.count('name="mkdocs-intercom"') == 1
    assert html.count("mkdocs-intercom/loader.js") == 1


def built_page(source: str, directory_urls: bool) -> str:
    """Where MkDocs and Zensical write a source page: guide/setup.md → guide/setup/index.html
    (or guide/setup.html), guide/README.md → guide/index.html."""
    folder, _, name = source.removesuffix(".md").rpartition("/")
    prefix = f"{folder}/" if folder else ""
    if name in ("index", "README"):
        return f"{prefix}index.html"
    return f"{prefix}{name}/index.html" if directory_urls else f"{prefix}{name}.html"


GLOB_PAGES = [
    "index.md",
    "guide/setup.md",
    "guide/advanced/README.md",
    "notes-2024.md",
    "notes-a.md",
    "notes-b.md",
    "private/notes.md",
]


GLOBS = (
    "private/*",
    "guide/*",
    "*/README.md",
    "*.md",
    "*notes*",
    "index.md",
    "guide/set?p.md",
    "notes-?.md",
    "notes-[0-9]*.md",
    "notes-[!0-9].md",
    "notes-[a-a].md",
    "[!gn]*",
    "notes-[",
    "guide",
)


@pytest.fixture(scope="module")
def glob_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Path]:
    """One site per glob and URL style, set up in turn and built side by side."""
    configs = {}
    for directory_urls in (True, False):
        for pattern in GLOBS:
            folder = tmp_path_factory.mktemp("glob")
            config = zensical_project(
                "material-instant",
                folder,
                {"exclude": [pattern]},
                use_directory_urls=directory_urls,
            )
            shutil.rmtree(folder / "docs")
            for source in GLOB_PAGES:
                (folder / "docs" / source).parent.mkdir(parents=True, exist_ok=True)
                (folder / "docs" / source).write_text(f"# {source}\n")
            assert run_setup(config)[0] == 0
            configs[(pattern, directory_urls)] = config
    return dict(zip(configs, zensical_builds(list(configs.values())), strict=True))


@pytest.mark.parametrize("pattern", GLOBS)
@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "file-urls"])
def test_exclude_globs_match_as_the_plugin_matches_them(
    pattern: str, directory_urls: bool, glob_sites: dict[tuple[str, bool], Path]
) -> None:
    site = glob_sites[(pattern, directory_urls)]
    for source in GLOB_PAGES:
        settings = head_tags(site / built_page(source, directory_urls)).settings
        assert settings is not None, source
        assert settings["enabled"] is page_enabled(source, {}, [pattern]), source


def test_zensical_serve_serves_the_same_tags(material: tuple[Path, Path], tmp_path: Path) -> None:
    built = head_tags(material[1] / "guide/setup/index.html").settings
    config = zensical_project("material", tmp_path)
    assert run_setup(config)[0] == 0
    port = free_port()
    served = subprocess.Popen(
        [ZENSICAL, "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def page() -> str | None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/guide/setup/") as answer:
                    return answer.read().decode()  # type: ignore[no-any-return]
            except OSError:
                return None

        html = eventually(page, timeout=60)
    finally:
        served.terminate()
        served.wait(timeout=30)
    page_file = tmp_path / "served.html"
    page_file.write_text(html)
    assert head_tags(page_file).settings == built


def test_a_page_left_out_of_the_navigation_is_turned_off_by_any_source_it_may_have(
    tmp_path: Path,
) -> None:
    """Documented: templates see guide/setup/, which guide/setup.md or guide/setup/README.md may
    have produced; without the navigation to tell, a glob naming either turns the page off."""
    config = zensical_project(
        "material-instant", tmp_path, {"exclude": ["*/README.md"]}, nav=["index.md"]
    )
    assert run_setup(config)[0] == 0
    site = zensical_build(config)
    assert head_tags(site / "guide/setup/index.html").settings["enabled"] is False  # type: ignore[index]
    assert head_tags(site / "index.html").settings["enabled"] is True  # type: ignore[index]


def test_values_edited_after_setup_are_written_escaped(tmp_path: Path) -> None:
    """`setup` checks the options once; a later edit is built as written, so the partial
    escapes every value: a quote in signer_url stays inside its attribute."""
    config = zensical_project("material", tmp_path)
    assert run_setup(config)[0] == 0
    hostile = 'https://signer.example"><img id=injected src=x onerror=alert(1)>'
    config.write_text(config.read_text().replace("/api/intercom/identity", hostile))
    page = zensical_build(config) / "index.html"
    tags = head_tags(page)
    assert tags.settings is not None
    assert tags.settings["signerUrl"] == hostile
    assert tags.preconnect[0] == hostile, "the whole value, inside its attribute"
    assert "<img id=injected" not in page.read_text()
