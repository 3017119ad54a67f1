"""lambda/requirements.txt pins everything `sam build` installs, at the versions the tests run."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.cfn import ROOT
from tests.support.package import LAMBDA_PLATFORM

REQUIREMENTS = ROOT / "lambda" / "requirements.txt"


def pins() -> dict[str, str]:
    found = {}
    for line in REQUIREMENTS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", f"{line}: pin an exact version"
            assert not requirement.extras, f"{line}: extras cannot be constraints (make uses -c)"
            found[canonicalize_name(requirement.name)] = specifier.version
    return found


def test_the_tests_run_the_pinned_versions() -> None:
    """The Makefile installs the dev environment under these pins (`pip install -c`)."""
    running = {name: version(name) for name in pins()}
    assert running == pins()


def test_the_pins_are_the_whole_package_for_lambdas_platform(tmp_path: Path) -> None:
    """What pip resolves for arm64 / Python 3.13 (as `sam build` does) is exactly the pins."""
    report = tmp_path / "report.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--dry-run",
            "--ignore-installed",
            "--target",
            str(tmp_path / "never-written"),
            *LAMBDA_PLATFORM,
            "--report",
            str(report),
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
        capture_output=True,
    )
    resolved = {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    assert resolved == pins()


def test_the_signers_declared_dependencies_are_all_pinned() -> None:
    """Every runtime dependency of the signer's distribution that the package ships has a pin
    (Powertools comes from its layer)."""
    declared = tomllib.loads((ROOT / "lambda" / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    shipped = {
        canonicalize_name(Requirement(r).name)
        for r in declared
        if canonicalize_name(Requirement(r).name) != "aws-lambda-powertools"
    }
    assert shipped
    assert shipped <= set(pins())
