"""`mkdocs-intercom setup`: the options checked by the plugin's own rules, one line per error and
nothing written; then the override, the loader, main.html and the config file — idempotent,
never clobbering what the project wrote itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_intercom import __version__
from mkdocs_intercom.cli import main
from mkdocs_intercom.config import LOOPBACK_RULE, IntercomConfig
from mkdocs_intercom.pages import LOADER_PATH, LOADER_SOURCE
from tests.support.zensical import run_setup, zensical_project


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_material_project_gets_the_override_and_its_settings(tmp_path: Path) -> None:
    config = zensical_project("material-consent", tmp_path)
    code, printed = run_setup(config)
    assert code == 0, printed
    assert printed.splitlines()[1:] == [
        "  wrote overrides/partials/intercom.html",
        f"  wrote overrides/{LOADER_PATH} (the loader of mkdocs-intercom {__version__})",
        "  wrote overrides/main.html",
        "  wrote mkdocs.yml (theme.custom_dir: overrides, extra.consent.cookies.intercom: Intercom Messenger)",
        "ready: zensical build (or zensical serve)",
    ]
    document = yaml.safe_load(config.read_text())
    assert document["theme"]["custom_dir"] == "overrides"
    assert document["extra"]["consent"]["cookies"] == {"intercom": "Intercom Messenger"}
    assert (tmp_path / "overrides" / LOADER_PATH).read_bytes() == LOADER_SOURCE.read_bytes()


def test_setup_twice_writes_nothing_the_second_time(tmp_path: Path) -> None:
    config = zensical_project("material-consent", tmp_path)
    assert run_setup(config)[0] == 0
    before = files_under(tmp_path)
    code, printed = run_setup(config)
    assert code == 0
    assert "wrote" not in printed
    assert printed.count("up to date:") == 3
    assert files_under(tmp_path) == before


def test_rerunning_setup_after_an_upgrade_refreshes_the_loader(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path)
    assert run_setup(config)[0] == 0
    copy = tmp_path / "overrides" / LOADER_PATH
    copy.write_bytes(b"/* the loader of an older mkdocs-intercom */")
    code, printed = run_setup(config)
    assert code == 0
    assert f"wrote overrides/{LOADER_PATH}" in printed
    assert copy.read_bytes() == LOADER_SOURCE.read_bytes()


@pytest.mark.parametrize(
    ("options", "error"),
    [
        (
            {"app_id": None},
            "extra.intercom.app_id: required: your Intercom workspace id, e.g. `app_id: !ENV INTERCOM_APP_ID`",
        ),
        (
            {"region": "mars"},
            "extra.intercom.region: Expected one of: ('us', 'eu', 'au') but received: 'mars'",
        ),
        (
            {"signer_url": "http://signer.example.com/identity"},
            "extra.intercom.signer_url: 'http://signer.example.com/identity' must be an https:// URL or a site path starting with / (e.g. /api/intercom/identity); "
            + LOOPBACK_RULE,
        ),
        (
            {"identity_secret": "0123456789abcdef0123456789abcdef"},
            "extra.intercom.identity_secret: looks like a secret; the Intercom secret belongs in the signer only (SIGNER_SECRET_ARN on AWS, SIGNER_SECRET locally), never in mkdocs.yml or the built site",
        ),
        (
            {"settings": {"user_id": "alice"}},
            "extra.intercom.settings.user_id: is set by mkdocs-intercom itself: the reader's identity comes from the signer only, app_id and api_base from app_id and region",
        ),
        (
            {"signer_ur": "/api/intercom/identity"},
            "extra.intercom.signer_ur: not an option of mkdocs-intercom (they are: "
            + ", ".join(name for name, _ in IntercomConfig._schema)
            + ")",
        ),
    ],
    ids=["no-app-id", "region", "plain-http-signer", "secret", "identity-key", "unknown-name"],
)
def test_options_the_plugin_refuses_stop_setup_with_nothing_written(
    options: dict[str, Any], error: str, tmp_path: Path
) -> None:
    config = zensical_project("material", tmp_path, options)
    before = files_under(tmp_path)
    code, printed = run_setup(config)
    assert code == 2
    assert printed.splitlines() == [
        f"mkdocs-intercom setup: mkdocs.yml: {error}",
        "nothing written",
    ]
    assert files_under(tmp_path) == before


def test_options_left_under_plugins_are_named(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path)
    document = yaml.safe_load(config.read_text())
    document["plugins"] = ["search", {"intercom": document["extra"].pop("intercom")}]
    config.write_text(yaml.safe_dump(document))
    code, printed = run_setup(config)
    assert code == 2
    assert printed.splitlines()[0] == (
        "mkdocs-intercom setup: mkdocs.yml: Zensical ignores MkDocs plugins: move the options of "
        "`intercom` under `plugins` to `extra: intercom:` (same names), then rerun"
    )
    assert not (tmp_path / "overrides").exists()


def test_a_partial_of_the_projects_own_is_never_overwritten(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path)
    own = tmp_path / "overrides" / "partials" / "intercom.html"
    own.parent.mkdir(parents=True)
    own.write_text("<!-- our own chat partial -->")
    config.write_text(
        config.read_text().replace("font: false", "custom_dir: overrides\n  font: false")
    )
    before = files_under(tmp_path)
    code, printed = run_setup(config)
    assert code == 2
    assert (
        "overrides/partials/intercom.html exists and was not written by mkdocs-intercom" in printed
    )
    assert files_under(tmp_path) == before


def test_an_unconfigured_overrides_folder_is_not_taken_over(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path)
    (tmp_path / "overrides").mkdir()
    code, printed = run_setup(config)
    assert code == 2
    assert "theme.custom_dir is not set, but overrides/ exists" in printed
    assert "custom_dir" not in config.read_text()


def test_a_main_html_that_cannot_be_merged_gets_the_line_to_add(tmp_path: Path) -> None:
    config = zensical_project("own-main", tmp_path)
    main_html = tmp_path / "zensical-overrides" / "main.html"
    own = "<!doctype html>\n<html><head><title>{{ page.title }}</title></head><body>{{ page.content }}</body></html>\n"
    main_html.write_text(own)
    code, printed = run_setup(config)
    assert code == 1
    assert printed.splitlines()[-1] == (
        "to do: add this line inside `{% block extrahead %}` of zensical-overrides/main.html: "
        '{% include "partials/intercom.html" %}'
    )
    assert main_html.read_text() == own
    assert (tmp_path / "zensical-overrides" / "partials" / "intercom.html").is_file()


def test_a_flow_style_theme_gets_the_line_to_add(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path, theme={"name": "material"})
    config.write_text(
        config.read_text().replace("theme:\n  name: material\n", "theme: {name: material}\n")
    )
    text = config.read_text()
    code, printed = run_setup(config)
    assert code == 1
    assert printed.splitlines()[-1] == (
        "to do: add `custom_dir: overrides` under `theme:` in mkdocs.yml"
    )
    assert config.read_text() == text


def test_a_theme_given_by_name_alone_becomes_a_mapping(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path, theme="material")
    assert "theme: material" in config.read_text()
    assert run_setup(config)[0] == 0
    assert yaml.safe_load(config.read_text())["theme"] == {
        "name": "material",
        "custom_dir": "overrides",
    }


def test_comments_and_env_tags_survive_the_config_edit(tmp_path: Path) -> None:
    config = zensical_project("material", tmp_path)
    text = config.read_text().replace(
        "app_id: testapp1", "app_id: !ENV [TEST_ZENSICAL_APP_ID, testapp1]  # the workspace"
    )
    config.write_text("# our docs\n" + text)
    assert run_setup(config)[0] == 0
    edited = config.read_text()
    assert edited.startswith("# our docs\n")
    assert "app_id: !ENV [TEST_ZENSICAL_APP_ID, testapp1]  # the workspace" in edited
    assert edited.replace("  custom_dir: overrides\n", "", 1) == "# our docs\n" + text


def test_without_a_config_file_setup_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["setup"]) == 2
    assert "no mkdocs.yml or zensical.toml here: pass -f" in capsys.readouterr().err
