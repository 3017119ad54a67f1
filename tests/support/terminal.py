"""Run a program on a pseudo-terminal of its own, as a person at a shell would, and type."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# The child makes the terminal its controlling one, so /dev/tty — where getpass prompts and
# turns echo off — is this terminal, not the one the tests run in.
_TAKE_TERMINAL = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def _read(master: int) -> bytes:
    try:
        return os.read(master, 4096)
    except OSError:  # EIO: the child closed the terminal
        return b""


def type_into_terminal(
    argv: list[str],
    *,
    prompt: bytes,
    typed: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
) -> str:
    """Everything the terminal showed, after `typed` and Enter answered `prompt`; `env` is
    added to this process's environment."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", _TAKE_TERMINAL, *argv],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    os.close(slave)
    shown = b""
    try:
        while prompt not in shown:
            chunk = _read(master)
            if not chunk:
                raise AssertionError(f"no prompt {prompt!r}; the terminal showed {shown!r}")
            shown += chunk
        os.write(master, typed.encode() + b"\n")
        while chunk := _read(master):
            shown += chunk
    finally:
        os.close(master)
        process.wait(timeout=60)
    return shown.decode(errors="replace").replace("\r\n", "\n")
