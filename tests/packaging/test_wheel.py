"""The distribution as pip builds it: quiet, and carrying every file the plugin and the demo need."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Files read at run time rather than imported: they reach users only as package data.
DATA_FOLDERS = (
    "mkdocs_intercom/assets",
    "mkdocs_intercom/devstack/static",
    "mkdocs_intercom/devstack/demo_site",
)


def source_files(folder: str) -> set[str]:
    return {
        str(path.relative_to(ROOT))
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], str]:
    """The wheel's file names and the build's output, built from a copy of the sources."""
    tree = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, tree / name)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "mkdocs_intercom", tree / "mkdocs_intercom", ignore=ignore)
    shutil.copytree(
        ROOT / "lambda" / "intercom_signer", tree / "lambda" / "intercom_signer", ignore=ignore
    )
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(tree),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = out.glob("mkdocs_intercom-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist()), build.stdout + build.stderr


def test_the_wheel_carries_the_loader_the_demo_site_and_the_sandbox_script(
    built: tuple[set[str], str],
) -> None:
    names, _ = built
    for folder in DATA_FOLDERS:
        missing = source_files(folder) - names
        assert not missing, f"not in the wheel: {sorted(missing)}"
    assert "mkdocs_intercom/assets/loader.js" in names
    assert "mkdocs_intercom/devstack/demo_site/mkdocs.yml" in names


def test_the_wheel_carries_both_packages_typed(built: tuple[set[str], str]) -> None:
    names, _ = built
    assert {"mkdocs_intercom/py.typed", "intercom_signer/py.typed"} <= names
    assert "intercom_signer/app.py" in names
    assert not [
        name for name in names if "__pycache__" in name or name.startswith(("tests/", "lambda/"))
    ]


def test_the_build_warns_about_nothing(built: tuple[set[str], str]) -> None:
    _, output = built
    assert "Warning" not in output, output
