"""The one HTTP client of the checks (standard library only, so `check` runs wherever the plugin
is installed): a GET that answers with the status, lower-cased headers and the body, parsed as
JSON when it is JSON; error statuses are answers too, only an unreachable host raises OSError."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TIMEOUT = 10.0


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: Any  # the parsed JSON, else the text


def get(url: str, headers: Mapping[str, str] | None = None, timeout: float = TIMEOUT) -> Answer:
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310  # URLs given by the user
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, raw_headers, raw = error.code, error.headers, error.read()
    try:
        body = json.loads(raw)
    except ValueError:
        body = raw.decode(errors="replace")
    return Answer(status, {k.lower(): v for k, v in raw_headers.items()}, body)
