"""`mkdocs-intercom` run as a user runs it: a separate process, `python -m mkdocs_intercom.cli`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.waiting import start_reading

COMMAND = (sys.executable, "-m", "mkdocs_intercom.cli")


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, check: bool = False
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, cwd=cwd, env=env, check=check
    )


def start_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """The command started, its output on a pipe to read with `waiting.read_until`."""
    return start_reading([*COMMAND, *args], cwd=cwd, env=env)
