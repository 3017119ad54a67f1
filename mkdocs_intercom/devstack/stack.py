"""One origin for the built site, the identity provider, the signer and the sandbox Messenger:
the layout `make demo` serves, and the browser tests' same-origin variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SIGNER_PATH = "/api/intercom"
IDP_PATH = "/idp"
SANDBOX_PATH = "/sandbox"


class ResponseHeaders:
    """Adds fixed headers (e.g. a Content-Security-Policy) to every HTTP response."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.headers:
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, with_headers)


def one_origin(
    site_dir: Path,
    *,
    signer: Any = None,
    idp: list[BaseRoute] | None = None,
    sandbox: list[BaseRoute] | None = None,
    headers: dict[str, str] | None = None,
    extra: list[BaseRoute] | None = None,
) -> ASGIApp:
    routes: list[BaseRoute] = list(extra or [])
    if sandbox is not None:
        routes.append(Mount(SANDBOX_PATH, routes=sandbox))
    if idp is not None:
        routes.append(Mount(IDP_PATH, routes=idp))
    if signer is not None:
        routes.append(Mount(SIGNER_PATH, app=signer))
    routes.append(Mount("/", app=StaticFiles(directory=site_dir, html=True)))
    return ResponseHeaders(Starlette(routes=routes), headers or {})
