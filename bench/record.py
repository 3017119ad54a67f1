"""What each `make bench` section printed, kept in bench/results/<section>.txt with the date and
the machine, so the docs include the figures of the last run rather than copies that drift."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import platform
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

RESULTS = Path(__file__).resolve().parent / "results"


class _Tee(io.TextIOBase):
    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def machine() -> str:
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


@contextlib.contextmanager
def recorded(section: str, results: Path = RESULTS) -> Iterator[None]:
    """Prints as usual; when the section finishes, its output replaces the last one kept."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(_Tee(sys.stdout, printed)):  # type: ignore[type-var]  # a TextIO
        yield
    results.mkdir(exist_ok=True)
    when = datetime.date.today().isoformat()
    (results / f"{section}.txt").write_text(
        f"make bench {section}: {when}, {machine()}\n\n{printed.getvalue().rstrip()}\n"
    )
