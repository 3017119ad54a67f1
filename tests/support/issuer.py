"""The identity provider the tests start: a real OIDC issuer on loopback with fault switches."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Literal

from anyio import to_thread
from cryptography.hazmat.primitives.asymmetric import ed25519
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from mkdocs_intercom.devstack.idp import DevIssuer
from mkdocs_intercom.devstack.server import LoopbackServer
from tests.support.forge import b64, signed_with

Mode = Literal["ok", "slow", "junk", "error"]


class IssuerUnderTest:
    """`mode` switches how discovery and JWKS answer; `go_down()` closes the port itself;
    `hold()` keeps JWKS answers back until `release()` (counting the requests held)."""

    def __init__(self) -> None:
        self._server = LoopbackServer()
        self.port = self._server.port
        self.url = f"{self._server.url}/idp"
        self.idp = DevIssuer(self.url, audience="docs")
        self.mode: Mode = "ok"
        self.slow_seconds = 3.0
        self.jwks_requests = 0
        self.discovery_requests = 0
        self.jwks_redirect: str | None = None  # a Location the JWKS answers 302 with
        self.okp_keys: dict[str, tuple[ed25519.Ed25519PrivateKey, dict[str, Any]]] = {}
        self._gate: threading.Event | None = None
        self.held = 0
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
        self.discovery_requests += 1
        return await self._fault() or JSONResponse(self.idp.discovery())

    async def _jwks(self, request: Request) -> Response:
        self.jwks_requests += 1
        gate = self._gate
        if gate is not None:
            self.held += 1
            await to_thread.run_sync(gate.wait)
        if self.jwks_redirect is not None:
            return Response(status_code=302, headers={"location": self.jwks_redirect})
        return await self._fault() or JSONResponse(self.jwks())

    def jwks(self) -> dict[str, Any]:
        document = self.idp.jwks()
        document["keys"] += [jwk for _, jwk in self.okp_keys.values()]
        return document

    def token(self, **claims: object) -> str:
        return self.idp.mint(
            {"sub": "reader-1", "email": "reader@example.com", "email_verified": True, **claims}
        )

    def add_ed25519(self, jwk_alg: str | None) -> str:
        """An Ed25519 signing key in the JWKS, its JWK `alg` as given (None: no `alg`)."""
        key = ed25519.Ed25519PrivateKey.generate()
        kid = f"okp-{len(self.okp_keys)}"
        public = key.public_key().public_bytes_raw()
        jwk: dict[str, Any] = {"kty": "OKP", "crv": "Ed25519", "x": b64(public), "kid": kid}
        if jwk_alg:
            jwk["alg"] = jwk_alg
        self.okp_keys[kid] = (key, jwk)
        return kid

    def mint_ed25519(self, kid: str, alg: str, **claims: object) -> str:
        key, _ = self.okp_keys[kid]
        now = int(time.time())
        payload = {"iss": self.url, "aud": "docs", "iat": now, "exp": now + 600, **claims}
        return signed_with(key.sign, {"alg": alg, "typ": "JWT", "kid": kid}, payload)

    def hold(self) -> None:
        self._gate, self.held = threading.Event(), 0

    def release(self) -> None:
        if self._gate is not None:
            self._gate.set()
        self._gate = None

    def go_down(self) -> None:
        self._server.stop()

    def come_back(self) -> None:
        self._server = LoopbackServer(port=self.port)
        self._server.start(self._app())

    def stop(self) -> None:
        self.release()
        self._server.stop()
