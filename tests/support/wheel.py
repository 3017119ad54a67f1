"""The two distributions as pip builds them, offline, from a copy of the sources (the checkout
stays clean): the plugin's wheel (mkdocs-intercom, from the root) and the signer's
(mkdocs-intercom-signer, from lambda/), and what each build printed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.markdown import ROOT


@dataclass(frozen=True)
class BuiltWheel:
    path: Path
    output: str


def _pip_wheel(tree: Path, out: Path, pattern: str) -> BuiltWheel:
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    build = subprocess.run(
        [*pip_wheel, "--wheel-dir", str(out), str(tree)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = out.glob(pattern)
    return BuiltWheel(wheel, build.stdout + build.stderr)


def build_wheel(folder: Path) -> BuiltWheel:
    """mkdocs-intercom, from the checkout's files as a fresh clone has them (lambda/ too, so
    that a build that picked it up would show)."""
    tree = folder / "source"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, tree / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    shutil.copytree(ROOT / "mkdocs_intercom", tree / "mkdocs_intercom", ignore=ignore)
    shutil.copytree(ROOT / "lambda", tree / "lambda", ignore=ignore)
    return _pip_wheel(tree, folder / "wheel", "mkdocs_intercom-*.whl")


def build_signer_wheel(folder: Path) -> BuiltWheel:
    """mkdocs-intercom-signer, from lambda/ alone."""
    tree = folder / "signer-source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    shutil.copytree(ROOT / "lambda", tree, ignore=ignore)
    return _pip_wheel(tree, folder / "signer-wheel", "mkdocs_intercom_signer-*.whl")
