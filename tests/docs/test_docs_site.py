"""The project's own documentation: built strictly, with the plugin, and in step with the code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mkdocs_intercom.reference import json_schema, options
from tests.support.sites import head_tags

ROOT = Path(__file__).resolve().parents[2]


def test_docs_build_strictly_with_the_plugin(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run(
        [
            str(mkdocs),
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for page in (
        "index.html",
        "quickstart/index.html",
        "plugin/index.html",
        "signer/index.html",
        "deploy/index.html",
        "security/index.html",
        "performance/index.html",
        "csp-privacy/index.html",
        "troubleshooting/index.html",
        "compatibility/index.html",
        "changelog/index.html",
    ):
        assert head_tags(site / page).settings is not None, page
    assert not list(site.rglob("*.py")), "the docs' scripts stay out of the site"
    reference = (site / "plugin" / "index.html").read_text()
    for option in options():
        assert f"<code>{option.name}</code>" in reference, option.name


def test_schema_json_is_generated_from_the_config() -> None:
    committed = json.loads((ROOT / "docs" / "schema.json").read_text())
    assert committed == json_schema(), "run `make schema`"
    documented = set(committed["oneOf"][1]["properties"]["intercom"]["properties"])
    assert documented == {option.name for option in options()}


def test_every_option_has_a_docstring() -> None:
    assert [option.name for option in options() if len(option.doc) < 20] == []


def test_screenshots_are_there() -> None:
    for name in ("demo-verified.png", "demo-sign-in.png"):
        assert (ROOT / "docs" / "assets" / name).read_bytes().startswith(b"\x89PNG"), (
            "run `make screenshots`"
        )
