"""ProperDocs, the maintained MkDocs 1.6 fork, runs the plugin: built with no `mkdocs` installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.sites import head_tags

ROOT = Path(__file__).resolve().parents[2]


def test_a_properdocs_site_gets_the_loader(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, "properdocs>=1.6.5", "properdocs-theme-mkdocs"], check=True)
    subprocess.run([*pip, "--no-deps", str(ROOT)], check=True)
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# ProperDocs\n")
    (site / "properdocs.yml").write_text(
        "site_name: ProperDocs\ntheme:\n  name: mkdocs\n  highlightjs: false\nplugins:\n  - intercom:\n      app_id: abc123\n      visitors: true\n"
    )
    subprocess.run(
        [str(venv / "bin" / "properdocs"), "build", "--strict"],
        cwd=site,
        check=True,
        capture_output=True,
    )
    tags = head_tags(site / "site" / "index.html")
    assert tags.settings is not None
    assert tags.settings["appId"] == "abc123"
    assert (site / "site" / "assets" / "mkdocs-intercom" / "loader.js").is_file()
