"""A whole deployment on loopback for the browser: the built site, the development identity
provider, the signer and the sandbox Messenger — on one origin, or the signer and the
Messenger each on an origin of its own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from intercom_signer.app import create_app
from intercom_signer.settings import Settings
from mkdocs_intercom.devstack.idp import COOKIE, DevIssuer, idp_routes
from mkdocs_intercom.devstack.sandbox import SandboxMessenger
from mkdocs_intercom.devstack.server import LoopbackServer
from mkdocs_intercom.devstack.stack import IDP_PATH, SANDBOX_PATH, SIGNER_PATH, one_origin
from tests.support.signer import SECRET
from tests.support.sites import build_site

APP_ID = "testapp1"


async def _faulty(request: Request) -> Response:
    """Signers that misbehave: /faulty/500, /faulty/junk, /faulty/slow, /faulty/not-json."""
    mode = request.path_params["mode"]
    if mode == "slow":
        await asyncio.sleep(3)
        return JSONResponse({"user_id": "late", "user_hash": "0" * 64, "expires_at": 9999999999})
    if mode == "junk":
        return PlainTextResponse(
            "<html>proxy error</html>", headers={"Content-Type": "application/json"}
        )
    if mode == "half":  # a 200 without the signature: must never boot as this reader
        return JSONResponse({"user_id": "mallory", "expires_at": 9999999999})
    return JSONResponse({"error": "internal"}, status_code=500)


class Deployment:
    def __init__(
        self,
        folder: Path,
        fixture: str = "plain",
        plugin: dict[str, Any] | None = None,
        *,
        cross_origin: bool = False,
        csp: Callable[[Deployment], str] | None = None,
        signer_url: str | None = None,
        output: str = "both",
        token_from: str = f"cookie:{COOKIE}",
        jwt_ttl: int = 3600,
        wrap_signer: Callable[[Any], Any] = lambda app: app,
        build: Callable[..., Path] = build_site,
        **top: Any,
    ) -> None:
        self.server = LoopbackServer()
        self.url = self.server.url
        self._others: list[LoopbackServer] = []
        self.issuer = DevIssuer(f"{self.url}{IDP_PATH}", audience="docs")
        self.sandbox = SandboxMessenger(SECRET, APP_ID)
        signer = wrap_signer(
            create_app(
                Settings.from_env(
                    {
                        "SIGNER_OIDC_ISSUER": self.issuer.issuer,
                        "SIGNER_OIDC_AUDIENCE": "docs",
                        "SIGNER_TOKEN_FROM": token_from,
                        "SIGNER_SECRET": SECRET,
                        "SIGNER_OUTPUT": output,
                        "SIGNER_JWT_TTL": str(jwt_ttl),
                        "SIGNER_ALLOWED_ORIGINS": self.url,
                    }
                )
            )
        )
        if cross_origin:
            self.signer_origin = self._serve_elsewhere(signer)
            self.widget_origin = self._serve_elsewhere(
                Starlette(routes=self.sandbox.routes(SANDBOX_PATH))
            )
            default_signer = f"{self.signer_origin}/identity"
        else:
            self.signer_origin = self.widget_origin = self.url
            default_signer = f"{SIGNER_PATH}/identity"
        self.signer_url = signer_url or default_signer
        options = {
            "app_id": APP_ID,
            "signer_url": self.signer_url,
            "widget_url": f"{self.widget_origin}{SANDBOX_PATH}/widget/{{app_id}}",
            "timeout": 1,
            "load": "eager",
            **(plugin or {}),
        }
        if "site_url" in top:
            top["site_url"] = self.url + "/"
        self.site = build(fixture, folder, options, **top)  # build_site, or another generator
        headers = {"Content-Security-Policy": csp(self)} if csp else None
        self.server.start(
            one_origin(
                self.site,
                signer=None if cross_origin else signer,
                idp=idp_routes(self.issuer),
                sandbox=None if cross_origin else self.sandbox.routes(),
                headers=headers,
                extra=[Route("/faulty/{mode}", _faulty)],
            )
        )

    def _serve_elsewhere(self, app: Any) -> str:
        server = LoopbackServer().start(app)
        self._others.append(server)
        return server.url

    def login_cookie(self, sub: str, name: str = "Reader") -> dict[str, Any]:
        token = self.issuer.mint(
            {"sub": sub, "name": name, "email": f"{sub}@example.com", "email_verified": True}
        )
        return {
            "name": COOKIE,
            "value": token,
            "url": self.url,
            "httpOnly": True,
            "sameSite": "Lax",
        }

    def boots(self) -> list[dict[str, Any]]:
        return [call for call in self.sandbox.calls if call["command"] == "boot"]

    def stop(self) -> None:
        for server in [self.server, *self._others]:
            server.stop()


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll until `check()` is truthy (servers answer on other threads); fail with its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, f"not true within {timeout}s: {value!r}"
            return value
        time.sleep(0.05)


class RewriteHeaders:
    """A signer deployed wrongly: its response headers changed on the way out."""

    def __init__(self, app: Any, headers: dict[str, str | None]) -> None:
        self.app = app
        self.headers = {k.lower().encode(): v for k, v in headers.items()}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def rewritten(message: Any) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message["headers"] if k.lower() not in self.headers]
                added = [(k, v.encode()) for k, v in self.headers.items() if v is not None]
                message["headers"] = kept + added
            await send(message)

        await self.app(scope, receive, rewritten)
