"""The identity provider the tests start: a real OIDC issuer on loopback with fault switches."""

from __future__ import annotations

import asyncio
from typing import Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from mkdocs_intercom.devstack.idp import DevIssuer
from mkdocs_intercom.devstack.server import LoopbackServer

Mode = Literal["ok", "slow", "junk", "error"]


class IssuerUnderTest:
    """`mode` switches how discovery and JWKS answer; `go_down()` closes the port itself."""

    def __init__(self) -> None:
        self._server = LoopbackServer()
        self.port = self._server.port
        self.url = f"{self._server.url}/idp"
        self.idp = DevIssuer(self.url, audience="docs")
        self.mode: Mode = "ok"
        self.slow_seconds = 3.0
        self.jwks_requests = 0
        self._server.start(self._app())

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/idp/.well-known/openid-configuration", self._discovery),
                Route("/idp/jwks.json", self._jwks),
            ]
        )

    async def _fault(self) -> Response | None:
        if self.mode == "slow":
            await asyncio.sleep(self.slow_seconds)
        if self.mode == "junk":
            return PlainTextResponse("<html>gateway says hi</html>")
        if self.mode == "error":
            return PlainTextResponse("upstream error", status_code=502)
        return None

    async def _discovery(self, request: Request) -> Response:
        return await self._fault() or JSONResponse(self.idp.discovery())

    async def _jwks(self, request: Request) -> Response:
        self.jwks_requests += 1
        return await self._fault() or JSONResponse(self.idp.jwks())

    def token(self, **claims: object) -> str:
        return self.idp.mint(
            {"sub": "reader-1", "email": "reader@example.com", "email_verified": True, **claims}
        )

    def go_down(self) -> None:
        self._server.stop()

    def come_back(self) -> None:
        self._server = LoopbackServer(port=self.port)
        self._server.start(self._app())

    def stop(self) -> None:
        self._server.stop()
