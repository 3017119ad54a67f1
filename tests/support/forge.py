"""Hand-made tokens for the hostile-input suite: any header, payload and signature bytes."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt


def b64(data: bytes | str | dict[str, Any]) -> str:
    if isinstance(data, dict):
        data = json.dumps(data)
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


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
