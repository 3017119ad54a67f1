"""ProperDocs, the maintained MkDocs 1.6 fork, runs the plugin. The dev environment holds it
(pyproject's dev extra); its command redirects every `mkdocs` import to `properdocs`, so the
plugin runs on ProperDocs' code even beside an installed MkDocs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.sites import head_tags

PROPERDOCS = Path(sys.executable).parent / "properdocs"


def test_a_properdocs_site_gets_the_loader(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# ProperDocs\n")
    (tmp_path / "properdocs.yml").write_text(
        "site_name: ProperDocs\ntheme:\n  name: mkdocs\n  highlightjs: false\nplugins:\n  - intercom:\n      app_id: abc123\n      visitors: true\n"
    )
    build = subprocess.run(
        [str(PROPERDOCS), "build", "--strict"],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    index = tmp_path / "site" / "index.html"
    tags = head_tags(index)
    assert tags.settings is not None
    assert tags.settings["appId"] == "abc123"
    assert (tmp_path / "site" / "assets" / "mkdocs-intercom" / "loader.js").is_file()
    assert "ProperDocs version : ProperDocs " in index.read_text(), "built by ProperDocs itself"
