"""The live signer, asked as the loader and a stranger would: it answers, refuses a request
without a credential and a foreign origin, grants CORS to exactly the docs origin, never lets an
answer be cached, and with a reader's login token vouches with a signature the secret verifies.

A front door may answer before the signer does — an ALB rule that denies, API Gateway's JWT
authorizer, Cloudflare Access or an edge function sending the reader to its sign-in page. Its
own refusal (a 401 or 403 that is not the signer's, or a redirect to another origin) is a
refusal all the same; each line says who refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .. import csp
from . import http
from .result import Result, failed, passed, skipped

FOREIGN_ORIGIN = "https://mkdocs-intercom-check.invalid"
SIGNER_REFUSAL = {"error": "unauthenticated"}


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


def front_door_refusal(answer: http.Answer) -> str | None:
    """How a front door refused the request — a 401 or 403 that is not the signer's own, or a
    redirect to another origin (its sign-in page) — or None when it did not."""
    if answer.status in (401, 403) and answer.body != SIGNER_REFUSAL:
        if answer.body == {"error": "origin_not_allowed"}:
            return None  # the signer's own
        return http.describe(answer)
    location = answer.location
    if location and csp.origin_of(location) != csp.origin_of(answer.url):
        return http.describe(answer)
    return None


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
    login = credential.headers() if credential else {}
    health_url = (
        signer_url.rsplit("/identity", 1)[0] + "/healthz"
        if signer_url.endswith("/identity")
        else signer_url
    )
    try:
        health = http.get(health_url)
        if front_door_refusal(health) and credential:
            health = http.get(health_url, login)  # a front door that guards /healthz too
        anonymous = http.get(signer_url, base)
        signed = http.get(signer_url, {**base, **login}) if credential else None
        foreign = http.get(signer_url, {"Origin": FOREIGN_ORIGIN}) if cross_origin else None
    except OSError as error:
        yield failed(
            f"the signer does not answer at {signer_url} ({type(error).__name__})",
            "check the URL and that the function is deployed (sam deploy)",
        )
        return
    yield _health(health, health_url, signer_url)
    yield _anonymous(anonymous)

    if cross_origin and foreign is not None:
        granting = (
            signed
            if signed and "access-control-allow-origin" not in anonymous.headers
            else anonymous
        )
        yield _cors(granting, site_origin or "")
        yield _foreign(foreign)
    elif site_origin is None:
        yield skipped(
            "CORS not checked: the site's origin is unknown (give --url, e.g. "
            "--url https://docs.example.com/, to check the signer grants it and no other)"
        )
    else:
        yield skipped("CORS not needed: the signer is on the site's origin")

    if signed is None:
        yield skipped(
            "identity not checked: pass --token-env with a reader's login token (see `mkdocs-intercom check --help`)"
        )
    else:
        yield from _identity(signed, verification, secret)
    yield _uncached([a for a in (anonymous, signed) if a is not None])


def _health(health: http.Answer, health_url: str, signer_url: str) -> Result:
    if health.status == 200 or health_url == signer_url:
        return passed(f"the signer answers at {signer_url}")
    refusal = front_door_refusal(health)
    if refusal:
        return skipped(
            f"{health_url} is behind the front door ({refusal}): pass --token-env with a login it accepts"
        )
    return failed(f"{health_url} answered {health.status}", "deploy the signer and check its logs")


def _anonymous(answer: http.Answer) -> Result:
    if answer.status == 401 and answer.body == SIGNER_REFUSAL:
        return passed("401 without a credential")
    refusal = front_door_refusal(answer)
    if refusal:
        return passed(f"refused without a credential, by the front door: {refusal}")
    return failed(
        f"without a credential the signer answered {answer.status}",
        "the signer must answer 401 when no login token comes with the request",
    )


def _cors(answer: http.Answer, origin: str) -> Result:
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


def _foreign(answer: http.Answer) -> Result:
    granted = answer.headers.get("access-control-allow-origin")
    if granted is None and answer.status == 403:
        return passed("a foreign origin is refused (403, no CORS grant)")
    refusal = front_door_refusal(answer)
    if granted is None and refusal:
        return passed(f"a foreign origin is refused by the front door ({refusal}, no CORS grant)")
    return failed(
        f"a foreign origin got {answer.status} with Access-Control-Allow-Origin: {granted}",
        "list only your docs origin in SIGNER_ALLOWED_ORIGINS",
    )


def _uncached(answers: list[http.Answer]) -> Result:
    """Only what the signer answered matters: a front door's refusal carries no identity."""
    from_signer = [a for a in answers if front_door_refusal(a) is None]
    if any(a.headers.get("cache-control", "").lower() != "no-store" for a in from_signer):
        return failed(
            "an answer may be cached (Cache-Control is not no-store)",
            "serve the signer uncached: CloudFront CachingDisabled, or no cache in front of it",
        )
    if len(from_signer) < len(answers):
        return passed("Cache-Control: no-store on every answer of the signer")
    return passed("Cache-Control: no-store on every answer")


def _identity(answer: http.Answer, verification: str, secret: str | None) -> Iterator[Result]:
    body = answer.body if isinstance(answer.body, dict) else {}
    refusal = front_door_refusal(answer)
    if refusal:
        yield failed(
            f"with the login token the front door refused the request ({refusal}): the signer never saw it",
            "the front door does not take this token: sign in again for a fresh one, and send it "
            "where the front door reads it (--token-from cookie:NAME or header:NAME)",
        )
        return
    if answer.status != 200 or not isinstance(body.get("user_id"), str):
        yield failed(
            f"with the login token the signer answered {answer.status} {body or answer.body!r:.80}",
            "a 401 means no valid login token: send it where the signer's SIGNER_TOKEN_FROM looks "
            "(--token-from authorization, cookie:NAME or header:NAME), with an aud listed in "
            "SIGNER_OIDC_AUDIENCE, not expired; the signer's log names the reason",
        )
        return
    user_id = body["user_id"]
    yield passed(f"the signer vouches for user_id {user_id!r}")
    field = "intercom_user_jwt" if verification == "jwt" else "user_hash"
    if field not in body:
        other = "hmac" if verification == "jwt" else "jwt"
        yield failed(
            f"the site boots with verification: {verification} but the signer returns no {field}",
            f"make them agree: the signer's SIGNER_OUTPUT={verification} (or both), "
            f"or the plugin's `verification: {other}` (in the intercom options)",
        )
        return
    if not secret:
        yield skipped(f"{field} not verified: give the secret (--secret-env or --secret-stdin)")
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
