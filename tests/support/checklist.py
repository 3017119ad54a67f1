"""`mkdocs-intercom check` run as a user runs it, its output read back line by line."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from mkdocs_intercom.cli import main


@dataclass(frozen=True)
class Checklist:
    """What `check` printed: its exit code, the ✓ lines, the ✗ lines and their fixes."""

    code: int
    passed: list[str]
    failed: list[str]
    fixes: list[str]


def run_check(*argv: str) -> Checklist:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["check", *argv])
    lines = printed.getvalue().splitlines()
    return Checklist(
        code,
        [line[2:] for line in lines if line.startswith("✓ ")],
        [line[2:] for line in lines if line.startswith("✗ ")],
        [line.removeprefix("    fix: ") for line in lines if line.startswith("    fix: ")],
    )
