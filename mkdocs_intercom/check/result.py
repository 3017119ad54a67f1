"""One line of the checklist: ✓, ✗ with the fix, or - with the reason it was skipped."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    ok: bool | None  # None: skipped, with the reason
    message: str
    fix: str = ""

    def line(self) -> str:
        mark = {True: "✓", False: "✗", None: "-"}[self.ok]
        return f"{mark} {self.message}" + (f"\n    fix: {self.fix}" if self.fix else "")


def passed(message: str) -> Result:
    return Result(True, message)


def failed(message: str, fix: str) -> Result:
    return Result(False, message, fix)


def skipped(message: str) -> Result:
    return Result(None, message)
