"""The one HTTP client of the checks (standard library only, so `check` runs wherever the plugin
is installed): a GET that answers with the status, lower-cased headers and the body, parsed as
JSON when it is JSON; error statuses are answers too, only an unreachable host raises OSError.

Redirects are answers as well, never followed to another origin: a front door that sends a
request without a login to its sign-in page has refused it, and what that page says (its
Content-Security-Policy, say) is not the site's."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from ..csp import origin_of

TIMEOUT = 10.0
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: Any  # the parsed JSON, else the text
    url: str  # where it came from, after the redirects that were followed

    @property
    def location(self) -> str | None:
        """Where a redirect points, made absolute."""
        target = self.headers.get("location")
        return urljoin(self.url, target) if 300 <= self.status < 400 and target else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx reaches the caller as an answer


_opener = urllib.request.build_opener(_NoRedirect)


def _get_once(url: str, headers: Mapping[str, str], timeout: float) -> Answer:
    request = urllib.request.Request(url, headers=dict(headers))  # noqa: S310  # URLs given by the user
    try:
        with _opener.open(request, timeout=timeout) as response:
            status, raw_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, raw_headers, raw = error.code, error.headers, error.read()
    try:
        body = json.loads(raw)
    except ValueError:
        body = raw.decode(errors="replace")
    return Answer(status, {k.lower(): v for k, v in raw_headers.items()}, body, url)


def get(
    url: str,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
    *,
    follow_same_origin: bool = False,
) -> Answer:
    """One GET. With `follow_same_origin`, redirects within the URL's origin are followed (a
    site's `/docs` → `/docs/`); a redirect elsewhere is returned as the answer."""
    answer = _get_once(url, headers or {}, timeout)
    for _ in range(MAX_REDIRECTS if follow_same_origin else 0):
        target = answer.location
        if target is None or origin_of(target) != origin_of(url):
            break
        answer = _get_once(target, headers or {}, timeout)
    return answer


def describe(answer: Answer) -> str:
    """A short account of an answer for a checklist line: its status and what it carried."""
    if answer.location:
        return f"{answer.status} to {answer.location.split('?')[0]}"
    if isinstance(answer.body, dict | list):
        text = json.dumps(answer.body, separators=(",", ":"))
        return f"{answer.status} {text[:80]}"
    kind = answer.headers.get("content-type", "").split(";")[0] or "no content type"
    return f"{answer.status} ({kind})"
