"""The distribution as pip builds it: quiet, and carrying every file the plugin and the demo need."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.support.wheel import BuiltWheel

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
def built(built_wheel: BuiltWheel) -> tuple[set[str], str]:
    """The wheel's file names and the build's output."""
    with zipfile.ZipFile(built_wheel.path) as archive:
        return set(archive.namelist()), built_wheel.output


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
