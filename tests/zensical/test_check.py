"""`mkdocs-intercom check` on sites Zensical built: it names the silent drop of the plugin, runs
the secret scan Zensical never runs, catches a loader older than the package and a consent form
nobody can accept the Messenger in, and checks the options Zensical does not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mkdocs_intercom import __version__
from mkdocs_intercom.pages import LOADER_PATH
from tests.support.checklist import run_check
from tests.support.signer import SECRET
from tests.support.zensical import run_setup, zensical_build, zensical_project

SECRET_ENV = "ZENSICAL_CHECK_INTERCOM_SECRET"  # a variable name
DROPPED = "built with Zensical, which ignores MkDocs plugins: run `mkdocs-intercom setup`, then `zensical build`"


@pytest.fixture(autouse=True)
def the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, SECRET)


def check(config: Path, *extra: str) -> tuple[int, list[str], list[str], list[str]]:
    done = run_check(
        "--site", str(config.parent / "site"), "-f", str(config), "--secret-env", SECRET_ENV, *extra
    )
    return done.code, done.passed, done.failed, done.fixes


@pytest.mark.parametrize("block", ["plugins", "extra"])
def test_a_site_zensical_built_without_the_override_is_named(block: str, tmp_path: Path) -> None:
    """The migration as it goes wrong: `zensical build` says "No issues found", ships no Messenger."""
    config = zensical_project("material", tmp_path)
    if block == "plugins":
        document = yaml.safe_load(config.read_text())
        document["plugins"] = ["search", {"intercom": document["extra"].pop("intercom")}]
        config.write_text(yaml.safe_dump(document))
    zensical_build(config)
    code, _, failed, fixes = check(config)
    assert code == 1
    assert failed == ["the loader is on none of 4 pages"]
    assert fixes == [DROPPED]


def test_a_zensical_site_without_any_intercom_options_gets_the_whole_recipe(
    tmp_path: Path,
) -> None:
    config = zensical_project("material", tmp_path)
    document = yaml.safe_load(config.read_text())
    del document["extra"]["intercom"]
    config.write_text(yaml.safe_dump(document))
    zensical_build(config)
    code, _, failed, fixes = check(config)
    assert (code, failed) == (1, ["the loader is on none of 4 pages"])
    assert fixes == [
        "built with Zensical: add an `extra: intercom:` block (the plugin's options) to mkdocs.yml, run `mkdocs-intercom setup`, then `zensical build`"
    ]


def test_a_set_up_zensical_site_passes(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path)
    assert run_setup(config)[0] == 0
    zensical_build(config)
    code, passed, failed, _ = check(config)
    assert (code, failed) == (0, [])
    assert passed == [
        "the options in mkdocs.yml (extra.intercom) pass the plugin's rules",
        "the Messenger is on 2 of 4 pages (the loader alone: opt-out/index.html, private/notes/index.html)",
        f"the site's loader is the one mkdocs-intercom {__version__} ships",
        "excluded pages (private/*) carry no Messenger",
        f"the secret in ${SECRET_ENV} appears nowhere in {tmp_path / 'site'}",
    ]


def test_the_secret_scan_runs_on_a_zensical_site(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path)
    assert run_setup(config)[0] == 0
    (tmp_path / "docs" / "guide" / "setup.md").write_text(f"# Setup\n\nOur key: `{SECRET}`\n")
    zensical_build(config)
    code, _, failed, _ = check(config)
    assert code == 1
    assert failed == [
        f"the secret in ${SECRET_ENV} is in the site: guide/setup/index.html, search.json"
    ]


def test_a_loader_older_than_the_package_is_reported_until_setup_runs_again(
    tmp_path: Path,
) -> None:
    config = zensical_project("material", tmp_path)
    assert run_setup(config)[0] == 0
    (tmp_path / "overrides" / LOADER_PATH).write_bytes(b"/* mkdocs-intercom 0.0.1's loader */")
    zensical_build(config)
    code, _, failed, fixes = check(config)
    assert code == 1
    assert failed == [
        f"the site's loader is not the one mkdocs-intercom {__version__} ships: it was built with another version"
    ]
    assert fixes == [
        "run `mkdocs-intercom setup` to refresh the loader in the theme override, then `zensical build`"
    ]
    assert run_setup(config)[0] == 0
    zensical_build(config)
    assert check(config)[0] == 0


def test_a_consent_form_without_the_messenger_choice_is_reported(tmp_path: Path) -> None:
    """setup adds the `intercom` choice; a form that lost it means nobody can accept the Messenger."""
    config = zensical_project("material-consent", tmp_path)
    assert run_setup(config)[0] == 0
    document = yaml.safe_load(config.read_text())
    document["extra"]["consent"]["cookies"] = {"analytics": "Google Analytics"}
    config.write_text(yaml.safe_dump(document))
    zensical_build(config)
    code, _, failed, fixes = check(config)
    assert code == 1
    assert failed == [
        "the cookie consent form has no `intercom` choice: no reader can accept the Messenger"
    ]
    assert fixes == [
        "add `intercom: Intercom Messenger` under extra.consent.cookies in mkdocs.yml (`mkdocs-intercom setup` does), then rebuild"
    ]


def test_options_edited_after_setup_are_checked_and_never_reach_a_page(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path)
    assert run_setup(config)[0] == 0
    config.write_text(
        config.read_text().replace("app_id: testapp1", "app_id: testapp1\n    region: mars")
    )
    zensical_build(config)
    code, _, failed, _ = check(config)
    assert code == 1
    assert failed == [
        "mkdocs.yml: extra.intercom.region: Expected one of: ('us', 'eu', 'au') but received: 'mars'",
        "the loader is on none of 4 pages",
    ]
