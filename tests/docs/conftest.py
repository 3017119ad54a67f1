"""The docs' own scripts (hooks, generators) import each other as MkDocs loads them: from docs/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.markdown import ROOT


@pytest.fixture
def docs_scripts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "docs"))


def build_docs(site: Path, **env: str) -> subprocess.CompletedProcess[str]:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    return subprocess.run(
        [str(mkdocs), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs as published with a real workspace named: the plugin on."""
    folder = tmp_path_factory.mktemp("docs") / "site"
    result = build_docs(folder, INTERCOM_DOCS_MESSENGER="true", INTERCOM_APP_ID="docs1234")
    assert result.returncode == 0, result.stderr
    return folder
