"""One rule for plain http, said once (config.LOOPBACK_RULE): https, or http on a loopback host
for local development, accepted there as https is. The plugin under `mkdocs build --strict`,
`setup` for Zensical and the plugin reference follow it alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_intercom.config import LOOPBACK_RULE
from mkdocs_intercom.reference import options

LOCAL = "http://127.0.0.1:8787/api/intercom/identity"
REMOTE = "http://docs.example.com/api/intercom/identity"
URL_OPTIONS = ("signer_url", "widget_url", "fallback_url")


def project(folder: Path, where: str, signer_url: str) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Docs\n", encoding="utf-8")
    options = f"app_id: abc12345\n{'  ' * 3}signer_url: {signer_url}\n"
    if where == "plugin":
        body = f"plugins:\n  - intercom:\n      {options}"
    else:
        body = f"extra:\n  intercom:\n    {options.replace('      ', '    ')}"
    config = folder / "mkdocs.yml"
    config.write_text(f"site_name: Docs\ntheme:\n  name: material\n{body}", encoding="utf-8")
    return config


def build_strict(config: Path) -> subprocess.CompletedProcess[str]:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    return subprocess.run(
        [str(mkdocs), "build", "--strict", "-f", str(config)],
        cwd=config.parent, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def setup(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_intercom.cli", "setup"],
        cwd=config.parent, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_a_loopback_signer_builds_under_strict_without_a_warning(tmp_path: Path) -> None:
    result = build_strict(project(tmp_path, "plugin", LOCAL))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr


def test_a_plain_http_signer_elsewhere_fails_the_build_with_the_rule(tmp_path: Path) -> None:
    result = build_strict(project(tmp_path, "plugin", REMOTE))
    assert result.returncode != 0
    assert LOOPBACK_RULE in " ".join(result.stderr.split())


def test_setup_takes_a_loopback_signer_as_the_plugin_does(tmp_path: Path) -> None:
    result = setup(project(tmp_path, "extra", LOCAL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "http" not in result.stdout + result.stderr


def test_setup_refuses_a_plain_http_signer_elsewhere_with_the_rule(tmp_path: Path) -> None:
    result = setup(project(tmp_path, "extra", REMOTE))
    assert result.returncode == 2
    assert LOOPBACK_RULE in result.stdout + result.stderr


@pytest.mark.parametrize("name", URL_OPTIONS)
def test_the_plugin_reference_says_the_rule_in_the_same_words(name: str) -> None:
    (option,) = [o for o in options() if o.name == name]
    assert LOOPBACK_RULE in " ".join(option.doc.split())
