"""The distribution as pip builds it, offline, from a copy of the sources (the checkout stays
clean): the wheel, and what the build printed."""

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


def build_wheel(folder: Path) -> BuiltWheel:
    tree = folder / "source"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, tree / name)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "mkdocs_intercom", tree / "mkdocs_intercom", ignore=ignore)
    shutil.copytree(
        ROOT / "lambda" / "intercom_signer", tree / "lambda" / "intercom_signer", ignore=ignore
    )
    out = folder / "wheel"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    build = subprocess.run(
        [*pip_wheel, "--wheel-dir", str(out), str(tree)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = out.glob("mkdocs_intercom-*.whl")
    return BuiltWheel(wheel, build.stdout + build.stderr)
