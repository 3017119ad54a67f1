"""Small bounded HTTP GETs over the standard library (no client import on the cold path)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

MAX_BODY = 256 * 1024


class FetchError(Exception):
    """The remote did not answer with what we asked for; the message names no secret."""


def get_bytes(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310  # URLs are validated settings
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body: bytes = response.read(MAX_BODY + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FetchError(f"{type(error).__name__} from {_host(url)}") from None
    if len(body) > MAX_BODY:
        raise FetchError(f"oversized answer from {_host(url)}")
    return body


def get_json(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    try:
        document = json.loads(get_bytes(url, timeout, headers))
    except (ValueError, RecursionError):
        raise FetchError(f"no JSON from {_host(url)}") from None
    if not isinstance(document, dict):
        raise FetchError(f"JSON from {_host(url)} is not an object")
    return document


def _host(url: str) -> str:
    return urlsplit(url).netloc
