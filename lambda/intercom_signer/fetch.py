"""Small bounded HTTP GETs over the standard library (no client import on the cold path).

Every fetch has ONE total deadline: a watchdog shuts the socket when it passes, so a host
that drips a byte a second cannot hold a fetch longer than the deadline (a socket timeout
alone applies per read). Bodies are capped, and a redirect is followed only to the same
scheme and host.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from .errors import ProviderCause

MAX_BODY = 256 * 1024
MAX_REDIRECTS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """The remote did not answer with what we asked for.

    `cause` is a short fixed code for logs (unreachable, timeout, http_status, oversized,
    redirect_refused, not_json, …); the message names the host, never a secret.
    """

    def __init__(self, cause: ProviderCause, detail: str, status: int | None = None) -> None:
        super().__init__(f"{cause}: {detail}")
        self.cause: ProviderCause = cause
        self.status = status


def get_bytes(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> bytes:
    """GET `url`, all of it (redirects included) within `timeout` seconds; 200 only."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = _get_once(url, deadline, headers or {})
        if status in _REDIRECTS and location:
            try:
                target = urljoin(url, location)
                same_origin = _same_origin(url, target)
            except ValueError:  # e.g. an unclosed `[` or a port that is no number
                raise FetchError(
                    "redirect_refused", f"malformed redirect from {_host(url)}"
                ) from None
            if not same_origin:
                raise FetchError("redirect_refused", f"{_host(url)} redirected to another host")
            url = target
            continue
        if status != 200:
            raise FetchError("http_status", f"HTTP {status} from {_host(url)}", status)
        return body
    raise FetchError("redirect_refused", f"too many redirects from {_host(url)}")


def get_json(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    body = get_bytes(url, timeout, headers)  # its failures keep their own cause
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise FetchError("not_json", f"no JSON from {_host(url)}") from None
    if not isinstance(document, dict):
        raise FetchError("not_json", f"JSON from {_host(url)} is not an object")
    return document


def _get_once(
    url: str, deadline: float, headers: Mapping[str, str]
) -> tuple[int, str | None, bytes]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("timeout", f"no answer from {_host(url)} in time")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("bad_url", "a URL that cannot be parsed") from None
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname or "", port, timeout=remaining)
    watch = _Watch(connection)
    watchdog = threading.Timer(remaining, watch.abort)
    watchdog.daemon = True
    watchdog.start()
    response: http.client.HTTPResponse | None = None
    try:
        path = parts.path or "/"
        connection.request(
            "GET",
            f"{path}?{parts.query}" if parts.query else path,
            headers={"Accept": "application/json", "Connection": "close", **headers},
        )
        watch.sock = connection.sock  # the response reads it after the connection lets go
        response = connection.getresponse()
        status = response.status
        body = response.read(MAX_BODY + 1)
        location = response.getheader("location")
        incomplete = bool(response.length) and len(body) <= MAX_BODY
    except (OSError, http.client.HTTPException, ValueError) as error:
        if watch.expired or isinstance(error, TimeoutError):
            raise FetchError("timeout", f"no answer from {_host(url)} in time") from None
        raise FetchError("unreachable", f"{type(error).__name__} from {_host(url)}") from None
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()
        connection.close()
    if watch.expired:  # a socket shut mid-answer reads as a short body, not an error
        raise FetchError("timeout", f"no answer from {_host(url)} in time")
    if incomplete:
        raise FetchError("unreachable", f"incomplete answer from {_host(url)}")
    if len(body) > MAX_BODY:
        raise FetchError("oversized", f"answer from {_host(url)} over {MAX_BODY} bytes")
    return status, location, body


class _Watch:
    """What the watchdog shuts when the deadline passes: the socket of the handshake, the
    request or the answer, whichever is blocked on it."""

    def __init__(self, connection: http.client.HTTPConnection) -> None:
        self.connection = connection
        self.sock: socket.socket | None = None
        self.expired = False

    def abort(self) -> None:
        self.expired = True
        for sock in (self.connection.sock, self.sock):
            if sock is not None:  # (already closed: the fetch finished as the deadline passed)
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _same_origin(url: str, target: str) -> bool:
    a, b = urlsplit(url), urlsplit(target)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc
    except ValueError:
        return "an unparsable URL"
