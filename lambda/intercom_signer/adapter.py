"""Mangum, answering a Lambda event without an event-loop turn when the app never waits.

On Lambda one event runs per process and the signer does its I/O inline (offload_io off),
so the app answers within its first step. Mangum runs every event as a task on the event
loop: the task, two loop turns and their epoll calls cost about a tenth of a warm request
(`make bench warm` prints both ways side by side). Here the app is stepped directly;
should it ever wait, a loop of its own (closed once the answer is in) takes over where it
stopped. No loop is ever looked up with `asyncio.get_event_loop()`, deprecated outside a
running loop since Python 3.12 and an error on 3.14 when none is set.

This leans on Mangum's internals (`HTTPCycle.run` and the status, headers and body it
records; `Mangum.infer`; `_setup_event_loop`): `MANGUM_VERSION` is the release they were
read from, and a test fails loudly when another one is installed.
"""

from __future__ import annotations

import asyncio
import contextvars
import types
from collections.abc import Coroutine, Generator
from typing import Any

from mangum import Mangum
from mangum.protocols import HTTPCycle
from mangum.types import ASGI, LambdaContext, LambdaEvent, Response

MANGUM_VERSION = "0.22.0"  # the Mangum whose internals this module was written against


@types.coroutine
def _resume(running: Coroutine[Any, Any, None], awaited: Any) -> Generator[Any, Any, None]:
    """Hand the loop a coroutine that has taken its first step already (what `yield from`
    does from the second step on): what it awaits goes to the task, what comes back to it."""
    while True:
        try:
            sent = yield awaited
        except BaseException as error:  # a cancellation, or the loop closing the task
            try:
                awaited = running.throw(error)
            except StopIteration:
                return
        else:
            try:
                awaited = running.send(sent)
            except StopIteration:
                return


async def _finish(running: Coroutine[Any, Any, None], awaited: Any) -> None:
    await _resume(running, awaited)


class _EagerCycle(HTTPCycle):
    def __call__(self, app: ASGI) -> Response:
        running = self.run(app)  # Mangum's own: a 500 for an app that raises
        context = contextvars.copy_context()  # the request's own, as a task's would be
        try:
            awaited = context.run(running.send, None)
        except StopIteration:
            pass  # answered without waiting: the usual case
        else:
            loop = asyncio.new_event_loop()  # never the thread's current one: nothing to restore
            try:
                loop.run_until_complete(
                    loop.create_task(_finish(running, awaited), context=context)
                )
            finally:
                loop.close()
        return {"status": self.status, "headers": self.headers, "body": self.body}


class LambdaAdapter(Mangum):
    """Mangum's event and response translation around the eager cycle (no lifespan: the
    signer has no startup or shutdown work)."""

    def __init__(self, app: ASGI) -> None:
        super().__init__(app, lifespan="off")

    def _setup_event_loop(self) -> None:
        """Mangum's looks the loop up with get_event_loop(); the eager cycle needs none."""

    def __call__(self, event: LambdaEvent, context: LambdaContext) -> dict[str, Any]:
        handler = self.infer(event, context)
        return handler(_EagerCycle(handler.scope, handler.body)(self.app))
