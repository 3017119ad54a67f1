"""The ALB's public-key host on loopback: one PEM per kid at /{kid}, 404 for any other."""

from __future__ import annotations

import uuid

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
        if kid not in self.keys:
            return PlainTextResponse("", status_code=404)
        pem = (
            self.keys[kid]
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        return Response(pem, media_type="application/x-pem-file")

    def stop(self) -> None:
        self._server.stop()
