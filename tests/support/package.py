"""What `sam build` ships: lambda/requirements.txt installed into an empty folder plus the code,
and beside it what the Powertools layer provides (at /opt/python on Lambda)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.cfn import ROOT, powertools_version

# The release whose public layer template.yaml deploys beside the package.
POWERTOOLS = f"aws-lambda-powertools=={powertools_version()}"
# The wheels `sam build` picks for the function (arm64, Python 3.13).
LAMBDA_PLATFORM = (
    "--platform",
    "manylinux2014_aarch64",
    "--implementation",
    "cp",
    "--python-version",
    "3.13",
    "--only-binary=:all:",
)


def _pip_install(target: Path, *arguments: str) -> None:
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*command, "--target", str(target), *arguments], check=True)


def build_package(folder: Path, platform: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """(the function package, the Powertools layer's python folder); this machine's wheels
    unless `platform` names another (then for measuring, not running)."""
    function, layer = folder / "function", folder / "layer"
    _pip_install(function, *platform, "-r", str(ROOT / "lambda" / "requirements.txt"))
    shutil.copytree(ROOT / "lambda" / "intercom_signer", function / "intercom_signer")
    _pip_install(layer, *platform, POWERTOOLS)
    return function, layer


# Runs in `python -S` (no site-packages): only the standard library, the package, the layer
# and the tests' event shapes. Prints the handler's answer.
INVOKE = """
import json, os, sys
sys.path[:0] = [os.environ["PACKAGE"], os.environ["LAYER"], os.environ["REPO"]]
from intercom_signer.handler import handler
from tests.support.events import FakeContext, http_api_v2
result = handler(http_api_v2(headers={"authorization": "Bearer " + os.environ["TOKEN"]}), FakeContext())
print(json.dumps({"result": result, "boto3": "boto3" in sys.modules, "mkdocs": "mkdocs" in sys.modules}))
"""


def size_of(folder: Path) -> int:
    return sum(
        p.stat().st_size for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
