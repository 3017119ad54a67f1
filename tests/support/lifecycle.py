"""Whatever a test starts is stopped when it is done with it, however the test ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar


class Stoppable(Protocol):
    def stop(self) -> None: ...


S = TypeVar("S", bound=Stoppable)


@contextmanager
def stopping(started: S) -> Iterator[S]:
    """`started`, stopped on leaving the block (`contextlib.closing`, for `stop()`)."""
    try:
        yield started
    finally:
        started.stop()
