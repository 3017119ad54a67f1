"""The two distributions as pip builds them, quietly: the plugin's wheel carries every file the
plugin and the demo need and no signer; the signer's carries the signer alone; `[signer]` joins
them at one version, and MkDocs is bounded below 2.0, which drops the plugin system."""

from __future__ import annotations

import tomllib
import zipfile
from email.parser import HeaderParser
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


def wheel_metadata(wheel: Path) -> list[str]:
    """The wheel's Requires-Dist lines."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return HeaderParser().parsestr(archive.read(name).decode()).get_all("Requires-Dist") or []


def test_the_plugin_wheel_carries_no_signer(built: tuple[set[str], str]) -> None:
    """`pip install mkdocs-intercom` with no extras puts no intercom_signer in site-packages."""
    names, _ = built
    assert "mkdocs_intercom/py.typed" in names
    assert not [name for name in names if name.startswith("intercom_signer")]
    assert not [
        name for name in names if "__pycache__" in name or name.startswith(("tests/", "lambda/"))
    ]


def test_the_signer_wheel_carries_the_signer_alone_typed(built_signer_wheel: BuiltWheel) -> None:
    with zipfile.ZipFile(built_signer_wheel.path) as archive:
        names = set(archive.namelist())
    assert {
        "intercom_signer/py.typed",
        "intercom_signer/app.py",
        "intercom_signer/handler.py",
    } <= names
    packages = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert packages == {"intercom_signer"}
    assert "Warning" not in built_signer_wheel.output, built_signer_wheel.output


def test_mkdocs_is_bounded_below_2_and_the_signer_comes_only_with_the_extra(
    built_wheel: BuiltWheel,
) -> None:
    requires = wheel_metadata(built_wheel.path)
    unconditional = [r for r in requires if "extra ==" not in r]
    assert unconditional == ["mkdocs<2,>=1.6"]
    signer = [r for r in requires if 'extra == "signer"' in r]
    assert signer == ['mkdocs-intercom-signer[local]==0.1.0; extra == "signer"']


def test_the_signer_extra_pins_the_signer_at_the_plugins_own_version() -> None:
    plugin = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    signer = tomllib.loads((ROOT / "lambda" / "pyproject.toml").read_text())["project"]
    assert signer["version"] == plugin["version"]
    assert plugin["optional-dependencies"]["signer"] == [
        f"{signer['name']}[local]=={signer['version']}"
    ]


def test_the_build_warns_about_nothing(built: tuple[set[str], str]) -> None:
    _, output = built
    assert "Warning" not in output, output
