"""`mkdocs-intercom demo --check` finds the running demo from any folder: a new terminal opens
in $HOME, not where the demo was started."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mkdocs_intercom.devstack.local import POINTER_DIR_ENV, POINTER_FILE
from tests.support.aws import free_port

CLI = (sys.executable, "-m", "mkdocs_intercom.cli")


@dataclass
class Running:
    process: subprocess.Popen[str]
    env: dict[str, str]
    runtime: Path


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """A demo started in a folder of its own, with its own runtime folder."""
    started_in, runtime = tmp_path / "project", tmp_path / "runtime"
    started_in.mkdir()
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k not in ("INTERCOM_APP_ID", "INTERCOM_SECRET")}
    env[POINTER_DIR_ENV] = str(runtime)
    process = subprocess.Popen(
        [*CLI, "demo", "--port", str(free_port())],
        cwd=started_in, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    banner = process.stdout.readline()
    assert re.search(r"on http://127\.0\.0\.1:\d+/", banner), banner + process.stdout.read()
    try:
        yield Running(process, env, runtime)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def check_from(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "demo", "--check"], cwd=folder, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_check_finds_the_demo_from_another_folder(running: Running, tmp_path: Path) -> None:
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    result = check_from(elsewhere, running.env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("all checks passed")
    assert not (elsewhere / ".demo").exists()
    # The secret is the sandbox's, named as such: no variable the user never set.
    assert "the secret of the sandbox Messenger appears nowhere" in result.stdout
    assert "MKDOCS_INTERCOM" not in result.stdout + result.stderr


def test_the_pointer_is_private_and_goes_with_the_demo(running: Running) -> None:
    pointer = running.runtime / POINTER_FILE
    assert stat.S_IMODE(pointer.stat().st_mode) == 0o600
    state = Path(json.loads(pointer.read_text())["state"])
    assert state.is_file()
    running.process.send_signal(signal.SIGTERM)
    running.process.communicate(timeout=30)
    assert not pointer.exists()
    assert not state.exists()


def test_a_killed_demo_is_not_taken_for_a_running_one(running: Running, tmp_path: Path) -> None:
    running.process.kill()  # no chance to clean up: the pointer stays, naming a dead process
    running.process.communicate(timeout=30)
    assert (running.runtime / POINTER_FILE).exists()
    result = check_from(tmp_path, running.env)
    assert result.returncode == 2
    assert "no demo is running" in result.stderr
