"""The demo's identity provider and sandbox run only with the signer's packages (the `demo`
extra brings them with mkdocs-material): without them,
`mkdocs-intercom demo` stops with one line naming what to install, before it builds anything."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from mkdocs_intercom.cli import main


@pytest.mark.parametrize("missing", ["intercom_signer", "uvicorn"])
def test_without_the_signer_extra_the_demo_names_it_in_one_line(
    missing: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in [missing, *(m for m in list(sys.modules) if m.startswith(f"{missing}."))]:
        monkeypatch.setitem(sys.modules, name, None)  # as if never installed
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "intercom-signer")
    build_dir = tmp_path / "demo"
    assert main(["demo", "--build-dir", str(build_dir)]) == 2
    captured = capsys.readouterr()
    assert re.fullmatch(
        rf"mkdocs-intercom demo: the demo needs the signer's packages \({missing}[\w.]*\): "
        r"pip install 'mkdocs-intercom\[demo\]'\n",
        captured.err,
    ), captured.err
    assert captured.out == ""
    assert not build_dir.exists()
