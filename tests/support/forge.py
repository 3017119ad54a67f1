"""Hand-made tokens: any header, payload and signature bytes, and tokens as the ALB makes them."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256


def b64(data: bytes | str | dict[str, Any], *, padded: bool = False) -> str:
    if isinstance(data, dict):
        data = json.dumps(data)
    if isinstance(data, str):
        data = data.encode()
    encoded = base64.urlsafe_b64encode(data).decode()
    return encoded if padded else encoded.rstrip("=")


def compact(
    header: dict[str, Any] | str | bytes,
    payload: dict[str, Any] | str | bytes,
    signature: bytes = b"signature",
) -> str:
    return f"{b64(header)}.{b64(payload)}.{b64(signature)}"


def signed_raw(payload: bytes, key: Any, alg: str, headers: dict[str, Any]) -> str:
    """Sign payload bytes and header as they are (duplicate keys, a kid that is no string…)."""
    signing_input = f"{b64({'alg': alg, **headers})}.{b64(payload)}"
    signature = jwt.get_algorithm_by_name(alg).sign(signing_input.encode(), key)
    return f"{signing_input}.{b64(signature)}"


def signed_with(
    sign: Callable[[bytes], bytes], header: dict[str, Any], payload: dict[str, Any]
) -> str:
    """A compact JWS signed by `sign` over the signing input (e.g. a raw Ed25519 key's)."""
    signing_input = f"{b64(header)}.{b64(payload)}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def alb_token(
    key: ec.EllipticCurvePrivateKey, header: dict[str, Any], payload: dict[str, Any]
) -> str:
    """`x-amzn-oidc-data` as the ALB makes it: base64url WITH padding, signed (ES256) over
    the padded segments, the signature padded too — as AWS's verification example expects."""
    signing_input = (
        f"{b64({'typ': 'JWT', 'alg': 'ES256', **header}, padded=True)}.{b64(payload, padded=True)}"
    )
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(SHA256())))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{signing_input}.{b64(signature, padded=True)}"
