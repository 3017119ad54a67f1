"""The signer's ASGI app: `GET /identity` and `GET /healthz`, built from settings.

`uvicorn --factory intercom_signer.app:create_app` runs it locally; the Lambda
handler wraps the same app in Mangum.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

from anyio import to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import NeedsFetch, Reason, Rejected, Unavailable
from .identity import Identity, IdentitySource, identity_source
from .observability import logger
from .secret_store import SecretSource, secret_source
from .settings import Settings
from .signing import signed_identity

T = TypeVar("T")
EventSink = Callable[[str, str], None]  # (metric, reason) → e.g. CloudWatch metrics
RETRY_AFTER = "30"
_STATUS_HEADERS = {503: {"Retry-After": RETRY_AFTER}, 405: {"Allow": "GET, OPTIONS"}}
_BASE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Origin, Cookie, Authorization",
}

# Every answer the app gives — (status, the body's `error`, when) — as the signer reference
# documents it: its table is generated from here, and a test provokes each one.
ANSWERS: tuple[tuple[int, str | None, str], ...] = (
    (200, None, "a credential that passed every check: the signed identity"),
    (204, None, "a CORS preflight (`OPTIONS`) from an allowed origin"),
    (307, None, "`/identity/` or `/healthz/`: `Location` names the route without the slash"),
    (
        401,
        "unauthenticated",
        "no credential, or any verification failure; the body never says which",
    ),
    (403, "origin_not_allowed", "an `Origin` not on the allow-list, preflights included"),
    (404, "not_found", "any other path"),
    (405, "method_not_allowed", "anything but `GET` and `OPTIONS`"),
    (500, "internal", "anything unexpected"),
    (503, "identity_provider_unavailable", "no usable signing key, and the issuer cannot be read"),
    (503, "secret_unavailable", "the secret cannot be read; never a fallback secret"),
)


def _ignore(metric: str, reason: str) -> None:
    pass


class Signer:
    """The two endpoints, and the single place every response is made."""

    def __init__(
        self,
        settings: Settings,
        source: IdentitySource,
        secrets: SecretSource,
        on_event: EventSink,
        offload_io: bool,
    ) -> None:
        self.settings = settings
        self.offload_io = offload_io
        self.source = source
        self.secrets = secrets
        self.on_event = on_event
        self.paths = {f"{settings.base_path}/identity", f"{settings.base_path}/healthz"}
        allowed_headers = ["Authorization"]
        if settings.token_from.source == "header":
            allowed_headers.append(settings.token_from.name)
        self._preflight_headers = {
            "Access-Control-Allow-Methods": "GET",
            "Access-Control-Allow-Headers": ", ".join(allowed_headers),
            "Access-Control-Max-Age": "600",
        }

    def reply(
        self,
        request: Request,
        status: int,
        body: dict[str, Any] | None,
        extra: dict[str, str] | None = None,
    ) -> Response:
        headers = dict(_BASE_HEADERS)
        origin = request.headers.get("origin")
        if origin is not None and origin in self.settings.allowed_origins:
            headers["Access-Control-Allow-Origin"] = origin
            headers["Access-Control-Allow-Credentials"] = "true"
        headers.update(extra or {})
        content = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        return Response(content, status, headers, media_type="application/json")

    def refuse(self, request: Request, status: int, error: str, reason: Reason) -> Response:
        """A 4xx: the request is refused; the log and metrics say why, the body does not."""
        logger.info("request refused", extra={"status": status, "reason": reason})
        self.on_event("Rejections", reason)
        return self.reply(request, status, {"error": error}, _STATUS_HEADERS.get(status))

    def fail(self, request: Request, error: str, cause: str) -> Response:
        """A 5xx: the signer could not answer; alarms watch ServerErrors."""
        logger.error("request failed", extra={"error": error, "cause": cause})
        self.on_event("ServerErrors", error)
        status = 500 if error == "internal" else 503
        return self.reply(request, status, {"error": error}, _STATUS_HEADERS.get(status))

    async def identity(self, request: Request) -> Response:
        origin = request.headers.get("origin")
        if origin is not None and origin not in self.settings.allowed_origins:
            return self.refuse(request, 403, "origin_not_allowed", "origin_not_allowed")
        if request.method == "OPTIONS":
            if origin is None:
                return self.refuse(request, 403, "origin_not_allowed", "preflight_without_origin")
            return self.reply(request, 204, None, self._preflight_headers)
        if request.method != "GET":  # Starlette adds HEAD to GET routes
            return self.refuse(request, 405, "method_not_allowed", "method_not_allowed")
        try:
            identity = await self._identify(request)
            secret = self.secrets.cached()
            if secret is None:
                secret = await self._io(self.secrets.get)
            body = signed_identity(secret, identity, self.settings, int(time.time()))
        except Rejected as rejection:
            return self.refuse(request, 401, "unauthenticated", rejection.reason)
        except Unavailable as unavailable:
            return self.fail(request, unavailable.error, unavailable.cause)
        self.on_event("IdentitiesSigned", "")
        return self.reply(request, 200, body)

    async def _identify(self, request: Request) -> Identity:
        try:
            return self.source.identify(request, may_fetch=False)
        except NeedsFetch:
            return await self._io(self.source.identify, request)

    async def _io(self, call: Callable[..., T], *args: Any) -> T:
        # Under uvicorn a slow identity provider or secret store must not stall other
        # requests; on Lambda one event runs per process, so a thread only adds cold start.
        if self.offload_io:
            return await to_thread.run_sync(call, *args)
        return call(*args)

    async def healthz(self, request: Request) -> Response:
        self.on_event("HealthChecks", "")
        return self.reply(request, 200, {"status": "ok"})

    async def http_error(self, request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        if status == 405:
            return self.refuse(request, 405, "method_not_allowed", "method_not_allowed")
        if status == 404:
            path = request.url.path
            if path.endswith("/") and path.rstrip("/") in self.paths:
                # The trailing-slash redirect, made here so it carries the contract headers.
                location = str(request.url.replace(path=path.rstrip("/")))
                return self.reply(request, 307, None, {"Location": location})
            return self.refuse(request, 404, "not_found", "not_found")
        return self.fail(request, "internal", f"http_{status}")

    async def crash(self, request: Request, error: Exception) -> Response:
        # The type only: an exception's message is not ours to trust with secrets.
        return self.fail(request, "internal", type(error).__name__)


class _AnsweredErrors:
    """Starlette re-raises an exception after its handler has answered, so that servers log
    it — message and traceback, where a token can hide. Ours is answered (500) and logged
    by its type already: it stops here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with contextlib.suppress(Exception):  # answered and logged by Signer.crash
            await self.app(scope, receive, send)


def create_app(
    settings: Settings | None = None,
    *,
    source: IdentitySource | None = None,
    secrets: SecretSource | None = None,
    on_event: EventSink = _ignore,
    offload_io: bool = True,
) -> ASGIApp:
    """Build the app; without settings, parse them from the environment (raises ConfigError).

    `on_event(metric, reason)` is told of every outcome; `offload_io` runs key and secret
    fetches in a worker thread (turn it off where one request runs at a time).
    """
    settings = settings or Settings.from_env(os.environ)
    source = source or identity_source(settings)
    secrets = secrets or secret_source(settings)
    signer = Signer(settings, source, secrets, on_event, offload_io)
    base = settings.base_path
    app = Starlette(
        routes=[
            Route(f"{base}/identity", signer.identity, methods=["GET", "OPTIONS"]),
            Route(f"{base}/healthz", signer.healthz, methods=["GET"]),
        ],
        exception_handlers={HTTPException: signer.http_error, Exception: signer.crash},
    )
    app.router.redirect_slashes = False  # Signer.http_error redirects, with the headers
    return _AnsweredErrors(app)
