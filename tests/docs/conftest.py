"""The docs' own scripts (hooks, generators) import each other as MkDocs loads them: from docs/."""

from __future__ import annotations

import pytest

from tests.support.markdown import ROOT


@pytest.fixture
def docs_scripts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "docs"))
