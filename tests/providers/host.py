"""A provider's public documents (discovery, JWKS, PEM keys) served on loopback at the paths
the real provider uses, so the signer finds them exactly as it would in production."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from mkdocs_intercom.devstack.server import LoopbackServer


class DocumentHost:
    """GET answers what was published at a path; anything else is a 404, as at the provider."""

    def __init__(self) -> None:
        self._server = LoopbackServer()
        self.origin = self._server.url
        self._documents: dict[str, tuple[bytes, str]] = {}
        self.requests: list[str] = []
        self._server.start(Starlette(routes=[Route("/{path:path}", self._answer)]))

    def publish(self, path: str, document: dict[str, Any] | bytes, media_type: str = "") -> str:
        """Serve `document` at `path`; returns its URL."""
        if isinstance(document, dict):
            self._documents[path] = (
                json.dumps(document).encode(),
                media_type or "application/json",
            )
        else:
            self._documents[path] = (document, media_type or "text/plain")
        return self.origin + path

    async def _answer(self, request: Request) -> Response:
        self.requests.append(request.url.path)
        found = self._documents.get(request.url.path)
        if found is None:
            return PlainTextResponse("Not Found", status_code=404)
        return Response(found[0], media_type=found[1])

    def stop(self) -> None:
        self._server.stop()
