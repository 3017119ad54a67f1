"""Waiting on a positive signal, never on a clock alone: a condition polled until it holds (a
server answering on another thread), a free port, a process's output read until the line that
says it is ready."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs_intercom.devstack.server import LoopbackServer


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll until `check()` is truthy (servers answer on other threads); fail with its last value.
    `timeout` only bounds a failure: a passing test waits for the signal, not the clock."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, f"not true within {timeout}s: {value!r}"
            return value
        time.sleep(0.05)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (as the kernel hands out)."""
    server = LoopbackServer()
    port = server.port
    server.stop()
    return port


def start_reading(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """`command` started, its output (stderr too) on a pipe to read with `read_until`."""
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def read_until(process: subprocess.Popen[str], ready: Callable[[str], bool]) -> list[str]:
    """The lines `process` prints, up to and including the first one `ready` accepts; fails
    with what it printed if it stops first."""
    assert process.stdout is not None
    lines: list[str] = []
    while not lines or not ready(lines[-1]):
        line = process.stdout.readline()
        assert line, f"the process stopped before it was ready: {''.join(lines)}"
        lines.append(line)
    return lines
