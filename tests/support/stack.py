"""A whole deployment on loopback for the browser: the built site, the development identity
provider, the signer and the sandbox Messenger — on one origin, or the signer and the
Messenger each on an origin of its own."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from intercom_signer.app import create_app
from intercom_signer.settings import Settings
from mkdocs_intercom.devstack.idp import COOKIE, DevIssuer, idp_routes
from mkdocs_intercom.devstack.sandbox import SandboxMessenger
from mkdocs_intercom.devstack.server import LoopbackServer
from mkdocs_intercom.devstack.stack import IDP_PATH, SANDBOX_PATH, SIGNER_PATH, one_origin
from tests.support.signer import SECRET
from tests.support.sites import build_site
from tests.support.waiting import eventually

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


class Gate:
    """An ASGI app in front of another: counts the requests whose path ends in `suffix` and,
    while closed, holds them until the test releases them (adversarial timing without sleeps).
    A held request was already sent by the browser: its answer is for what it asked then."""

    def __init__(self, app: Any, suffix: str) -> None:
        self.app = app
        self.suffix = suffix
        self.arrived = 0
        self._closed = False
        self._held: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._closed = True

    def open(self) -> None:
        """Let every held request through, and the ones after them."""
        with self._lock:
            self._closed = False
            held, self._held = list(self._held.values()), {}
        for loop, event in held:
            loop.call_soon_threadsafe(event.set)

    def release(self, number: int) -> None:
        """Let the `number`th request (counting from 1, since the start) through."""
        with self._lock:
            loop, event = self._held.pop(number)
        loop.call_soon_threadsafe(event.set)

    def wait_for(self, count: int) -> None:
        """Until `count` requests have arrived in all, held or not."""
        eventually(lambda: self.arrived >= count)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        event = None
        if scope["type"] == "http" and scope["path"].endswith(self.suffix):
            with self._lock:
                self.arrived += 1
                if self._closed:
                    event = asyncio.Event()
                    self._held[self.arrived] = (asyncio.get_running_loop(), event)
        if event is not None:
            await event.wait()
        await self.app(scope, receive, send)


class Delay:
    """An ASGI app in front of another that answers requests whose path contains `part` only
    after `seconds`: a signer or a widget host as far away as a real one."""

    def __init__(self, app: Any, part: str, seconds: float) -> None:
        self.app = app
        self.part = part
        self.seconds = seconds

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.part in scope["path"]:
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)


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
        self.signer_gate = signer = Gate(
            wrap_signer(
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
            ),
            "/identity",
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
        self.logout_gate = Gate(Starlette(routes=idp_routes(self.issuer)), "/logout")
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
                sandbox=None if cross_origin else self.sandbox.routes(),
                headers=headers,
                extra=[Route("/faulty/{mode}", _faulty), Mount(IDP_PATH, app=self.logout_gate)],
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

    def identified(self) -> list[dict[str, Any]]:
        """Boots Intercom would attribute to a verified reader (`user`: from the JWT or user_id)."""
        return [boot for boot in self.boots() if boot.get("user")]

    def stop(self) -> None:
        for server in [self.server, *self._others]:
            server.stop()


class RewriteJson:
    """A signer whose JSON answers are changed on the way out (e.g. an expires_at in the past)."""

    def __init__(self, app: Any, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.app = app
        self.change = change

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def rewritten(message: Any) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if started["status"] == 200:
                body = json.dumps(self.change(json.loads(body))).encode()
            headers = [(k, v) for k, v in started["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**started, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewritten)


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
