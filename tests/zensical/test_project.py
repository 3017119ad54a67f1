"""The config file read as MkDocs and Zensical read it, for `setup` and `check`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mkdocs_intercom.project import EXTRA, PLUGIN, Project, ProjectError


def test_inherit_env_tags_and_python_names_read_as_mkdocs_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_PROJECT_APP_ID", "fromenv1")
    (tmp_path / "base.yml").write_text(
        "site_name: Base\nextra:\n  intercom:\n    app_id: base1\n    region: eu\n"
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "INHERIT: base.yml\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  intercom:\n    app_id: !ENV TEST_PROJECT_APP_ID\n"
    )
    options = Project.load(config).intercom_options()
    assert options is not None
    assert (options.where, options.values) == (EXTRA, {"app_id": "fromenv1", "region": "eu"})


@pytest.mark.parametrize(
    "plugins",
    [["search", "intercom"], ["search", {"intercom": None}], {"intercom": {}}],
    ids=["name", "empty-entry", "table"],
)
def test_the_plugin_named_without_options_still_counts(plugins: Any) -> None:
    project = Project(Path("mkdocs.yml"), {"plugins": plugins})
    options = project.intercom_options()
    assert options is not None
    assert (options.where, options.values) == (PLUGIN, {})


def test_zensical_toml_keeps_its_settings_under_project(tmp_path: Path) -> None:
    config = tmp_path / "zensical.toml"
    config.write_text('[project]\nsite_name = "T"\n\n[project.extra.intercom]\napp_id = "abc"\n')
    project = Project.load(config)
    assert project.toml_project_table
    assert project.extra_options() == {"app_id": "abc"}


def test_a_broken_config_file_is_one_line_naming_it(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: [unclosed\n")
    with pytest.raises(ProjectError, match=r"mkdocs\.yml: not valid YAML: ") as raised:
        Project.load(config)
    assert "\n" not in str(raised.value)
