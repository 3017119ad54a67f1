"""The ALB's public-key host on loopback: one PEM per kid at /{kid}, 404 for any other."""

from __future__ import annotations

import threading
import uuid

from anyio import to_thread
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from mkdocs_intercom.devstack.server import LoopbackServer

ALB_ARN = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/docs/50dc6c495c0c9188"
)


class ElbKeyHost:
    def __init__(self) -> None:
        self.keys: dict[str, ec.EllipticCurvePrivateKey] = {}
        self.requests: list[str] = []
        self.failing: set[str] = set()  # kids the host answers with a server error
        self.holding_unknown = 0  # requests for kids it has no key for, held right now
        self._gate: threading.Event | None = None
        self._server = LoopbackServer()
        self.url = self._server.url
        self._server.start(Starlette(routes=[Route("/{kid}", self._by_kid)]))

    def new_key(self) -> tuple[str, ec.EllipticCurvePrivateKey]:
        """A freshly rotated ALB key: a new UUID kid, published at once."""
        kid = str(uuid.uuid4())
        self.keys[kid] = ec.generate_private_key(ec.SECP256R1())
        return kid, self.keys[kid]

    async def _by_kid(self, request: Request) -> Response:
        kid = request.path_params["kid"]
        self.requests.append(kid)
        if kid in self.failing:
            return PlainTextResponse("upstream error", status_code=503)
        if kid not in self.keys:
            gate = self._gate
            if gate is not None:
                self.holding_unknown += 1
                await to_thread.run_sync(gate.wait)
                self.holding_unknown -= 1
            return PlainTextResponse("", status_code=404)
        pem = (
            self.keys[kid]
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        return Response(pem, media_type="application/x-pem-file")

    def hold_unknown(self) -> None:
        """Keep answers for unknown kids back until release(): a slow host, for junk only."""
        self._gate = threading.Event()

    def release(self) -> None:
        if self._gate is not None:
            self._gate.set()

    def stop(self) -> None:
        self.release()
        self._server.stop()
