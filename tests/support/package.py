"""What `sam build` ships: lambda/requirements.txt installed into an empty folder plus the code,
and beside it what the Powertools layer provides (at /opt/python on Lambda).

`python -m tests.support.package FOLDER` (run by `make lambda-package`) installs the
dependencies and the layer once; `prepared_package` adds the current code for a test, so the
tests install nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


PREPARED = ROOT / ".lambda-package"


def install_dependencies(folder: Path, platform: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """(the function's dependencies, the Powertools layer's python folder); this machine's
    wheels unless `platform` names another (then for measuring, not running)."""
    function, layer = folder / "function", folder / "layer"
    _pip_install(function, *platform, "-r", str(ROOT / "lambda" / "requirements.txt"))
    _pip_install(layer, *platform, POWERTOOLS)
    return function, layer


def _add_code(function: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(
        ROOT / "lambda" / "intercom_signer", function / "intercom_signer", ignore=ignore
    )


def build_package(folder: Path, platform: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """(the function package, the Powertools layer's python folder), installed afresh."""
    function, layer = install_dependencies(folder, platform)
    _add_code(function)
    return function, layer


def prepared_package(folder: Path) -> tuple[Path, Path] | None:
    """The package from what `make lambda-package` installed, with the current code, in
    `folder`; None when it was not prepared."""
    if not (PREPARED / ".installed").is_file():
        return None
    function = folder / "function"
    shutil.copytree(PREPARED / "function", function)
    _add_code(function)
    return function, PREPARED / "layer"


# A fresh process, as a Lambda execution environment is: the handler imported under `env`,
# each event invoked in turn. Prints one JSON line per answer; Powertools prints its metrics
# (CloudWatch EMF) on the same stdout.
_INVOKE = """
import json, os, sys
sys.path[:0] = json.loads(os.environ["INVOKE_PATH"])
from intercom_signer.handler import handler
from tests.support.events import FakeContext
for event in json.loads(os.environ["INVOKE_EVENTS"]):
    result = handler(event, FakeContext())
    print(json.dumps({"result": result, "imported": sorted(m for m in ("boto3", "mkdocs") if m in sys.modules)}))
"""


@dataclass
class Invocations:
    answers: list[dict[str, Any]]
    imported: list[str]  # boto3 / mkdocs, if the handler's process imported them
    metrics: list[dict[str, Any]]  # each EMF document the handler printed


def invoke_handler(
    events: list[dict[str, Any]], env: dict[str, str], package: tuple[Path, Path] | None = None
) -> Invocations:
    """Run the real handler on `events` in a fresh process. With `package` (function folder,
    layer folder) that process has no site-packages: only the package, the layer and the
    standard library, as on Lambda."""
    path = [str(ROOT)] if package is None else [str(package[0]), str(package[1]), str(ROOT)]
    isolated = ["-S"] if package is not None else []
    process_env = {
        **env,
        "PATH": os.environ["PATH"],
        "INVOKE_PATH": json.dumps(path),
        "INVOKE_EVENTS": json.dumps(events),
    }
    out = subprocess.run(
        [sys.executable, *isolated, "-c", _INVOKE],
        env=process_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    documents = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    answers = [d for d in documents if "result" in d]
    return Invocations(
        answers=[a["result"] for a in answers],
        imported=sorted({m for a in answers for m in a["imported"]}),
        metrics=[d for d in documents if "_aws" in d],
    )


def size_of(folder: Path) -> int:
    return sum(
        p.stat().st_size for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


if __name__ == "__main__":
    install_dependencies(Path(sys.argv[1]))
