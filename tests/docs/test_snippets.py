"""Every snippet in the docs and the README that configures the plugin works as written: a
`plugins: - intercom` block builds a real mini site with MkDocs (strictly), and an
`extra: intercom:` block or a `[project.extra.intercom]` table passes `mkdocs-intercom setup`'s
checks. So does every `sam deploy` line: it names only the template's parameters."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_intercom.project import Project, parse_yaml
from mkdocs_intercom.zensical import setup
from tests.support.cfn import template
from tests.support.markdown import all_blocks

APP_ID = "abc12345"


def configures_plugin(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and Project(Path("mkdocs.yml"), document).plugin_options() is not None
    )


def configures_extra(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and Project(Path("mkdocs.yml"), document).extra_options() is not None
    )


YAML = [(where, block, parse_yaml(block)) for where, block in all_blocks("yaml")]
PLUGIN_SNIPPETS = [
    pytest.param(block, id=where) for where, block, doc in YAML if configures_plugin(doc)
]
EXTRA_SNIPPETS = [
    pytest.param(block, id=where) for where, block, doc in YAML if configures_extra(doc)
]
TOML_SNIPPETS = [
    pytest.param(block, id=where)
    for where, block in all_blocks("toml")
    if "intercom" in tomllib.loads(block).get("project", {}).get("extra", {})
]


@pytest.fixture(autouse=True)
def workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the snippets read from the environment, as a reader following them has it."""
    monkeypatch.setenv("INTERCOM_APP_ID", APP_ID)


def mini_site(folder: Path, config: str) -> Path:
    """A project with the snippet as its config, and pages for its globs to match."""
    for page in ("index.md", "guide.md", "internal/notes.md", "drafts/idea.md"):
        path = folder / "docs" / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {page}\n")
    (folder / "docs" / "javascripts").mkdir()
    (folder / "docs" / "javascripts" / "intercom-auth.js").write_text("// the site's own\n")
    if not re.search(r"^site_name:", config, re.M):
        config = f"site_name: A snippet\n{config}"
    path = folder / "mkdocs.yml"
    path.write_text(config)
    return path


def test_the_docs_have_snippets_of_each_kind() -> None:
    assert len(PLUGIN_SNIPPETS) >= 8
    assert len(EXTRA_SNIPPETS) >= 2
    assert len(TOML_SNIPPETS) >= 1


@pytest.mark.parametrize("snippet", PLUGIN_SNIPPETS)
def test_a_plugin_snippet_builds_a_site_strictly(snippet: str, tmp_path: Path) -> None:
    config = load_config(str(mini_site(tmp_path, snippet)), strict=True)
    build(config)
    assert (tmp_path / "site" / "index.html").is_file()
    if config.plugins["intercom"].config.enabled:
        assert APP_ID in (tmp_path / "site" / "index.html").read_text()


def assert_ready(plan: setup.Plan) -> None:
    """setup's checks passed (plan() raises otherwise) and it would write the whole override,
    with nothing left to the reader."""
    override = {
        change.path.relative_to(plan.custom_dir).as_posix()
        for change in plan.changes
        if change.path.is_relative_to(plan.custom_dir)
    }
    assert override == {"partials/intercom.html", "assets/mkdocs-intercom/loader.js", "main.html"}
    assert plan.todo == []


@pytest.mark.parametrize("snippet", EXTRA_SNIPPETS)
def test_an_extra_snippet_passes_setups_checks(snippet: str, tmp_path: Path) -> None:
    assert_ready(setup.plan(mini_site(tmp_path, snippet)))


@pytest.mark.parametrize("snippet", TOML_SNIPPETS)
def test_a_zensical_toml_snippet_passes_setups_checks(snippet: str, tmp_path: Path) -> None:
    mini_site(tmp_path, "")
    config = tmp_path / "zensical.toml"
    config.write_text(snippet)
    (tmp_path / "mkdocs.yml").unlink()
    assert_ready(setup.plan(config))


def test_every_sam_deploy_line_names_only_the_templates_parameters() -> None:
    parameters = template()["Parameters"]
    lines = [
        (where, block.replace("\\\n", " "))
        for where, block in all_blocks("sh")
        if "--parameter-overrides" in block
    ]
    assert len(lines) >= 6
    for where, text in lines:
        for line in text.splitlines():
            if "--parameter-overrides" not in line:
                continue
            words = shlex.split(re.sub(r"<[^>]*>", "PLACEHOLDER", line.split("#")[0]))
            for pair in words[words.index("--parameter-overrides") + 1 :]:
                name, value = pair.split("=", 1)
                assert name in parameters, f"{where}: {name}"
                allowed = parameters[name].get("AllowedValues")
                assert allowed is None or value in [str(v) for v in allowed], f"{where}: {pair}"
