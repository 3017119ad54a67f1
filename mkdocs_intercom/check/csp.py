"""The site's Content-Security-Policy, from its header or its <meta>: it lets in Intercom's
hosts for the region and the signer, or there is none to satisfy."""

from __future__ import annotations

from urllib.parse import urljoin

from .. import csp
from . import http
from .result import Result, failed, passed
from .site import read_page


def check_csp(page_url: str, region: str, signer_url: str | None) -> Result:
    try:
        answer = http.get(page_url)
    except OSError as error:
        return failed(f"{page_url} does not answer ({type(error).__name__})", "check --url")
    header = answer.headers.get("content-security-policy") or read_page(str(answer.body)).csp
    if not header:
        return passed(f"{page_url} sets no Content-Security-Policy: nothing to allow")
    directives = csp.parse(header)
    needed = {**csp.ESSENTIAL, **csp.ESSENTIAL_REGIONAL[region]}
    signer = csp.origin_of(urljoin(page_url, signer_url)) if signer_url else None
    missing = [
        f"{d} {s}"
        for d, sources in needed.items()
        for s in sources
        if not csp.allows(directives, d, s)
    ]
    if signer and not csp.allows(directives, "connect-src", signer):
        missing.append(f"connect-src {signer}")
    if missing:
        return failed(
            f"the site's CSP blocks {', '.join(missing)}",
            "add them (see `mkdocs-intercom csp` for the whole policy)",
        )
    return passed(f"the site's CSP lets in Intercom ({region}) and the signer")
