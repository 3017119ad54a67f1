"""The signer's ASGI app: `GET /identity` and `GET /healthz`, built from settings.

`uvicorn --factory intercom_signer.app:create_app` runs it locally; the Lambda
handler wraps the same app in Mangum.
"""

from __future__ import annotations

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

from .errors import NeedsFetch, ProviderUnavailable, Rejected, SecretUnavailable
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

    def refuse(self, request: Request, status: int, error: str, reason: str) -> Response:
        logger.info("request refused", extra={"status": status, "reason": reason})
        self.on_event("Rejections", reason)
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
        except Rejected as rejection:
            return self.refuse(request, 401, "unauthenticated", rejection.reason)
        except ProviderUnavailable:
            return self.refuse(
                request, 503, "identity_provider_unavailable", "identity_provider_unavailable"
            )
        except SecretUnavailable as error:
            logger.error("secret unavailable", extra={"cause": str(error)})
            return self.refuse(request, 503, "secret_unavailable", "secret_unavailable")
        body = signed_identity(secret, identity, self.settings, int(time.time()))
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
            return self.refuse(request, 404, "not_found", "not_found")
        return self.reply(request, status, {"error": "internal"})

    async def crash(self, request: Request, error: Exception) -> Response:
        # The type only: an exception's message is not ours to trust with secrets.
        logger.error("unexpected error", extra={"error_type": type(error).__name__})
        return self.reply(request, 500, {"error": "internal"})


def create_app(
    settings: Settings | None = None,
    *,
    source: IdentitySource | None = None,
    secrets: SecretSource | None = None,
    on_event: EventSink = _ignore,
    offload_io: bool = True,
) -> Starlette:
    """Build the app; without settings, parse them from the environment (raises ConfigError).

    `on_event(metric, reason)` is told of every outcome; `offload_io` runs key and secret
    fetches in a worker thread (turn it off where one request runs at a time).
    """
    settings = settings or Settings.from_env(os.environ)
    source = source or identity_source(settings)
    secrets = secrets or secret_source(settings)
    signer = Signer(settings, source, secrets, on_event, offload_io)
    base = settings.base_path
    return Starlette(
        routes=[
            Route(f"{base}/identity", signer.identity, methods=["GET", "OPTIONS"]),
            Route(f"{base}/healthz", signer.healthz, methods=["GET"]),
        ],
        exception_handlers={HTTPException: signer.http_error, Exception: signer.crash},
    )
