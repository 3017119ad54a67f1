"""The site's Content-Security-Policy, from its header or its <meta>: it lets in Intercom's
hosts for the region and the signer, or there is none to satisfy. Read from the site's own
page: a page behind a login is asked again with the reader's credential, and a sign-in page
the front door redirects to is never mistaken for the site."""

from __future__ import annotations

from urllib.parse import urljoin

from .. import csp
from . import http
from .result import Result, failed, passed, skipped
from .signer import Credential, front_door_refusal
from .site import read_page


def check_csp(
    page_url: str, region: str, signer_url: str | None, credential: Credential | None = None
) -> Result:
    try:
        answer = http.get(page_url, follow_same_origin=True)
        if front_door_refusal(answer) and credential:
            answer = http.get(page_url, credential.headers(), follow_same_origin=True)
    except OSError as error:
        return failed(f"{page_url} does not answer ({type(error).__name__})", "check --url")
    refusal = front_door_refusal(answer)
    if refusal:
        return skipped(
            f"CSP not checked: {page_url} answered {refusal}, not the site's page"
            + ("" if credential else ": pass --token-env with a login the front door accepts")
        )
    if answer.status != 200:
        return failed(f"{page_url} answered {answer.status}", "check --url: the site's address")
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
    if signer and not _lets_in_signer(directives, signer, csp.origin_of(answer.url)):
        missing.append(f"connect-src {signer}")
    if missing:
        return failed(
            f"the site's CSP blocks {', '.join(missing)}",
            "add them (see `mkdocs-intercom csp` for the whole policy)",
        )
    return passed(f"the site's CSP lets in Intercom ({region}) and the signer")


def _lets_in_signer(directives: dict[str, list[str]], signer: str, page: str | None) -> bool:
    """A signer on the page's own origin is 'self'; another needs its origin listed."""
    sources = directives.get("connect-src", directives.get("default-src"))
    if signer == page and (sources is None or "'self'" in sources):
        return True
    return csp.allows(directives, "connect-src", signer)
