"""`mkdocs-intercom check`: is identity verification working? One line per check, ✓ or ✗,
each ✗ with the fix. Standard library only, so it runs wherever the plugin is installed."""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from . import csp
from .pages import LOADER_PATH, META_NAME, files_containing

FOREIGN_ORIGIN = "https://mkdocs-intercom-check.invalid"


@dataclass(frozen=True)
class Result:
    ok: bool | None  # None: skipped, with the reason
    message: str
    fix: str = ""

    def line(self) -> str:
        mark = {True: "✓", False: "✗", None: "-"}[self.ok]
        return f"{mark} {self.message}" + (f"\n    fix: {self.fix}" if self.fix else "")


def passed(message: str) -> Result:
    return Result(True, message)


def failed(message: str, fix: str) -> Result:
    return Result(False, message, fix)


def skipped(message: str) -> Result:
    return Result(None, message)


# -- the built site ---------------------------------------------------------------------


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.settings: dict[str, Any] | None = None
        self.csp: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == META_NAME:
            self.settings = json.loads(attributes.get("content") or "{}")
        if (
            tag == "meta"
            and (attributes.get("http-equiv") or "").lower() == "content-security-policy"
        ):
            self.csp = attributes.get("content")


def read_meta(html: str) -> _Meta:
    parser = _Meta()
    parser.feed(html)
    return parser


def site_settings(site: Path) -> dict[str, Any] | None:
    """The loader settings of the site's home page."""
    index = site / "index.html"
    return read_meta(index.read_text(encoding="utf-8")).settings if index.is_file() else None


def check_site(site: Path, exclude: list[str]) -> Iterator[Result]:
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    if not pages:
        yield failed(
            f"no pages in {site}", "build the site first (mkdocs build) or point --site at it"
        )
        return
    enabled: list[str] = []
    off: list[str] = []
    for page in pages:
        settings = read_meta(page.read_text(encoding="utf-8")).settings
        (enabled if settings and settings.get("enabled") else off).append(
            str(page.relative_to(site))
        )
    if not (site / LOADER_PATH).is_file() or not enabled:
        yield failed(
            f"the loader is on none of {len(pages)} pages",
            "add `- intercom` under `plugins:` in mkdocs.yml and rebuild",
        )
    else:
        note = f" (not on: {', '.join(off[:5])}{'…' if len(off) > 5 else ''})" if off else ""
        yield passed(f"the loader is on {len(enabled)} of {len(pages)} pages{note}")
    leaking = [
        page
        for page in enabled
        if any(fnmatch.fnmatchcase(_source_guess(page), g) for g in exclude)
    ]
    if exclude:
        if leaking:
            yield failed(
                f"excluded pages still load the Messenger: {', '.join(leaking[:5])}",
                "rebuild the site with the current mkdocs.yml",
            )
        else:
            yield passed(f"excluded pages ({', '.join(exclude)}) carry no Messenger")
    settings = site_settings(site) or {}
    if settings and not settings.get("signerUrl") and not settings.get("visitors"):
        yield failed(
            "neither signer_url nor visitors is set: the Messenger never boots",
            "set signer_url to your signer's /identity URL",
        )


def _source_guess(page: str) -> str:
    """guide/setup/index.html → guide/setup.md (use_directory_urls), guide/setup.html → guide/setup.md."""
    stem = page.removesuffix("/index.html").removesuffix("index.html").removesuffix(".html")
    return f"{stem}.md" if stem else "index.md"


def check_secret(site: Path, variable: str, secret: str | None) -> Result:
    if not secret:
        return skipped(f"secret scan skipped: ${variable} is not set")
    leaked = files_containing(site, secret)
    if leaked:
        return failed(
            f"the secret in ${variable} is in the site: {', '.join(leaked[:5])}",
            "remove it from docs and templates; the secret belongs in the signer only, then rotate it in Intercom",
        )
    return passed(f"the secret in ${variable} appears nowhere in {site}")


# -- the live signer --------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: Any


def http_get(url: str, headers: Mapping[str, str] | None = None, timeout: float = 10) -> Answer:
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


@dataclass(frozen=True)
class Credential:
    token: str
    where: str = "authorization"  # authorization | cookie:NAME | header:NAME

    def headers(self) -> dict[str, str]:
        kind, _, name = self.where.partition(":")
        if kind == "cookie":
            return {"Cookie": f"{name}={self.token}"}
        if kind == "header":
            return {name: self.token}
        return {"Authorization": f"Bearer {self.token}"}


def check_signer(
    signer_url: str,
    *,
    site_origin: str | None,
    verification: str,
    credential: Credential | None,
    secret: str | None,
) -> Iterator[Result]:
    signer_origin = csp.origin_of(signer_url)
    cross_origin = (
        site_origin is not None and signer_origin is not None and signer_origin != site_origin
    )
    base = {"Origin": site_origin} if cross_origin and site_origin else {}
    try:
        health_url = (
            signer_url.rsplit("/identity", 1)[0] + "/healthz"
            if signer_url.endswith("/identity")
            else signer_url
        )
        health = http_get(health_url)
        anonymous = http_get(signer_url, base)
    except OSError as error:
        yield failed(
            f"the signer does not answer at {signer_url} ({type(error).__name__})",
            "check the URL and that the function is deployed (sam deploy)",
        )
        return
    ok_health = health.status == 200 or health_url == signer_url
    yield (
        passed(f"the signer answers at {signer_url}")
        if ok_health
        else failed(
            f"{health_url} answered {health.status}", "deploy the signer and check its logs"
        )
    )

    if anonymous.status == 401 and anonymous.body == {"error": "unauthenticated"}:
        yield passed("401 without a credential")
    else:
        yield failed(
            f"without a credential the signer answered {anonymous.status}",
            "the signer must answer 401 when no login token comes with the request",
        )

    answers = [anonymous]
    if cross_origin:
        yield _cors(anonymous, site_origin or "")
        foreign = http_get(signer_url, {"Origin": FOREIGN_ORIGIN})
        granted = foreign.headers.get("access-control-allow-origin")
        if foreign.status == 403 and granted is None:
            yield passed("a foreign origin is refused (403, no CORS grant)")
        else:
            yield failed(
                f"a foreign origin got {foreign.status} with Access-Control-Allow-Origin: {granted}",
                "list only your docs origin in SIGNER_ALLOWED_ORIGINS",
            )
    else:
        yield skipped("CORS not needed: the signer is on the site's origin")

    if credential is None:
        yield skipped(
            "identity not checked: pass --token or --token-env with a reader's login token"
        )
    else:
        signed = http_get(signer_url, {**base, **credential.headers()})
        answers.append(signed)
        yield from _identity(signed, verification, secret)
    stored = [a for a in answers if a.headers.get("cache-control", "").lower() != "no-store"]
    if stored:
        yield failed(
            "an answer may be cached (Cache-Control is not no-store)",
            "serve the signer uncached: CloudFront CachingDisabled, or no cache in front of it",
        )
    else:
        yield passed("Cache-Control: no-store on every answer")


def _cors(answer: Answer, origin: str) -> Result:
    granted = answer.headers.get("access-control-allow-origin")
    credentials = answer.headers.get("access-control-allow-credentials")
    if granted == "*":
        return failed(
            "the signer answers Access-Control-Allow-Origin: *",
            f"set SIGNER_ALLOWED_ORIGINS={origin} (exact origins only)",
        )
    if granted != origin or credentials != "true":
        return failed(
            f"no CORS grant for {origin} (Allow-Origin {granted}, Allow-Credentials {credentials})",
            f"add {origin} to SIGNER_ALLOWED_ORIGINS",
        )
    return passed(f"CORS grants exactly {origin}, with credentials")


def _identity(answer: Answer, verification: str, secret: str | None) -> Iterator[Result]:
    body = answer.body if isinstance(answer.body, dict) else {}
    if answer.status != 200 or not isinstance(body.get("user_id"), str):
        yield failed(
            f"with the login token the signer answered {answer.status} {body or answer.body!r:.80}",
            "a 401 means no valid login token: send it where the signer's SIGNER_TOKEN_FROM looks (--token-from authorization, cookie:NAME or header:NAME), with an aud listed in SIGNER_OIDC_AUDIENCE, not expired; the signer's log names the reason",
        )
        return
    user_id = body["user_id"]
    yield passed(f"the signer vouches for user_id {user_id!r}")
    field = "intercom_user_jwt" if verification == "jwt" else "user_hash"
    if field not in body:
        output = "jwt or both" if verification == "jwt" else "hmac or both"
        yield failed(
            f"the site boots with verification: {verification} but the signer returns no {field}",
            f"set SIGNER_OUTPUT={output.split()[0]} (or both), or change verification in mkdocs.yml",
        )
        return
    if not secret:
        yield skipped(f"{field} not verified: set the secret's environment variable (--secret-env)")
        return
    if verification == "jwt":
        yield _verify_jwt(body[field], user_id, secret)
    else:
        expected = hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, str(body[field])):
            yield passed(f"user_hash verifies for {user_id!r}")
        else:
            yield failed(
                f"user_hash does not verify for {user_id!r}",
                "the signer uses another secret: put Intercom's identity verification secret (web) in the signer's secret",
            )


def _verify_jwt(token: str, user_id: str, secret: str) -> Result:
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(
            secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256
        ).digest()
        given = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return failed("intercom_user_jwt is not a JWT", "check the signer version")
    if not hmac.compare_digest(expected, given):
        return failed(
            f"intercom_user_jwt does not verify for {user_id!r}",
            "the signer uses another secret: put Intercom's secret in the signer's secret",
        )
    if claims.get("user_id") != user_id or not claims.get("exp", 0) > time.time():
        return failed(
            "intercom_user_jwt names another user_id or has expired",
            "check the signer's clock and SIGNER_JWT_TTL",
        )
    return passed(f"intercom_user_jwt verifies for {user_id!r}")


# -- the site's CSP ---------------------------------------------------------------------


def check_csp(page_url: str, region: str, signer_url: str | None) -> Result:
    try:
        answer = http_get(page_url)
    except OSError as error:
        return failed(f"{page_url} does not answer ({type(error).__name__})", "check --url")
    header = answer.headers.get("content-security-policy") or read_meta(str(answer.body)).csp
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
