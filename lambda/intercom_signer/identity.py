"""Who the reader is, taken only from a credential verified here or by API Gateway.

Query strings, bodies and unverified headers never name the identity: each source
reads exactly one place and every failure is a Rejected with a fixed reason.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.datastructures import Headers
from starlette.requests import cookie_parser

from .errors import Rejected
from .keys import AlbKeySource, JwksSource, KeyCache, OidcDiscovery
from .observability import logger
from .settings import Settings
from .signed_fields import Value, signed_values
from .tokens import (
    ASYMMETRIC_ALGORITHMS,
    LEEWAY,
    check_signature_and_claims,
    header_kid,
    split_token,
)
from .vouching import email_is_verified

MAX_ID_LENGTH = 255
MAX_COOKIE_HEADER = 16384
MAX_SAME_NAME_COOKIES = 4  # a parent domain's, the site's, a path's: more is not a browser
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ALB_KID = re.compile(r"^[A-Za-z0-9-]{1,128}$")


@dataclass(frozen=True, slots=True)
class Identity:
    user_id: str
    login_expires_at: int
    email: str | None = None
    name: str | None = None
    signed_fields: tuple[tuple[str, Value], ...] = ()


class Request(Protocol):
    """What a source may read of a request: headers, and the ASGI scope (for Lambda)."""

    @property
    def headers(self) -> Headers: ...
    @property
    def scope(self) -> Mapping[str, Any]: ...


class IdentitySource(Protocol):
    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        """The verified identity; raises Rejected, ProviderUnavailable, or NeedsFetch when
        `may_fetch` is false and a key must first be fetched."""


def identity_from_claims(
    claims: Mapping[str, Any],
    settings: Settings,
    *,
    strings: bool = False,
    expires_at: object = None,
) -> Identity:
    """Map verified claims to an Identity under the configured claim names.

    `strings`: the source writes every claim as a string (API Gateway's authorizer, the
    ALB's user info). `expires_at`: the login's expiry when the claims carry none.
    """
    user_id = _text(claims.get(settings.user_id_claim), numbers=True)
    if user_id is None:
        raise Rejected("no_user_id")
    verified = email_is_verified(claims, settings, strings=strings)
    if settings.user_id_claim == settings.email_claim and not verified:
        raise Rejected("email_not_verified")
    email = _text(claims.get(settings.email_claim)) if verified else None
    name = _text(claims.get(settings.name_claim))
    login_expires_at = _seconds(claims.get("exp", expires_at), strings=strings)
    if login_expires_at is None:
        raise Rejected("missing_claim")
    values, left_out = signed_values(claims, settings.attributes)
    if left_out:
        logger.info("signed fields left out", extra={"left_out": left_out})
    return Identity(user_id, login_expires_at, email, name, values)


def _text(value: object, *, numbers: bool = False) -> str | None:
    """A clean claim string (an integer as its decimal string when allowed), else None."""
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and _clean(value) else None


def _clean(value: str) -> bool:
    return 0 < len(value) <= MAX_ID_LENGTH and not _CONTROL.search(value)


def _seconds(value: object, *, strings: bool) -> int | None:
    if strings and isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    return None


class LoginTokenSource:
    """`SIGNER_IDENTITY=jwt`: a login token verified against the issuer's JWKS."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        locate = (
            (lambda timeout: settings.oidc_jwks_url)
            if settings.oidc_jwks_url
            else OidcDiscovery(settings.oidc_issuer)
        )
        self.keys = KeyCache(
            JwksSource(locate),
            max_age=settings.jwks_max_age,
            cooldown=settings.jwks_cooldown,
            timeout=settings.fetch_timeout,
            clock=clock,
        )

    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        tokens = self._tokens(request.headers)
        found: list[Identity] = []
        refusal: Rejected | None = None
        for token in tokens:  # several only for cookies of the same name
            try:
                found.append(self._verify(token, may_fetch))
            except Rejected as rejected:
                refusal = refusal or rejected
        if len({identity.user_id for identity in found}) > 1:
            raise Rejected("ambiguous_credential")
        if found:
            return found[0]
        raise refusal or Rejected("no_credential")

    def _verify(self, token: str, may_fetch: bool) -> Identity:
        header, unverified = split_token(token)
        alg, kid = header_kid(header, ASYMMETRIC_ALGORITHMS)
        key = self.keys.key(kid, alg, may_fetch=may_fetch)
        claims = check_signature_and_claims(
            token,
            unverified,
            key,
            alg,
            issuer=self._settings.oidc_issuer,
            audience=self._settings.oidc_audience,
        )
        return identity_from_claims(claims, self._settings)

    def _tokens(self, headers: Headers) -> list[str]:
        where = self._settings.token_from
        if where.source == "cookie":
            tokens = cookie_values(headers, where.name)
        elif where.source == "header":
            tokens = [headers.get(where.name, "").strip()]
        else:
            scheme, _, token = headers.get("authorization", "").partition(" ")
            tokens = [token.strip() if scheme.lower() == "bearer" else ""]
        tokens = [token for token in tokens if token]
        if not tokens:
            raise Rejected("no_credential")
        if len(tokens) > MAX_SAME_NAME_COOKIES:
            raise Rejected("ambiguous_credential")
        return tokens


def cookie_values(headers: Headers, name: str) -> list[str]:
    """Every value of cookie `name`, in the order the browser sent them.

    Parsed as browsers write the header (Starlette's parser, one cookie at a time), so a
    malformed neighbour — a JSON value, a nameless cookie, a space — hides nothing; and
    every duplicate is kept, for the caller to decide between, never "the last one wins".
    """
    header = "; ".join(headers.getlist("cookie"))  # HTTP/2 may split it into several
    if len(header) > MAX_COOKIE_HEADER:
        raise Rejected("token_too_large")
    values = []
    for chunk in header.split(";"):
        for key, value in cookie_parser(chunk).items():
            if key == name and value:
                values.append(value)
    return values


class ApiGatewayClaimsSource:
    """`SIGNER_IDENTITY=apigw-jwt`: claims that API Gateway's JWT authorizer verified.

    Only a real API Gateway HTTP API event carries them (Mangum puts the event in
    scope["aws.event"]); on any other request this source refuses, whatever the headers say.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        event = request.scope.get("aws.event")
        context = event.get("requestContext") if isinstance(event, dict) else None
        authorizer = context.get("authorizer") if isinstance(context, dict) else None
        jwt_part = authorizer.get("jwt") if isinstance(authorizer, dict) else None
        claims = jwt_part.get("claims") if isinstance(jwt_part, dict) else None
        if not isinstance(claims, dict) or not claims:
            raise Rejected("no_authorizer_claims")
        return identity_from_claims(claims, self._settings, strings=True)


class AlbOidcSource:
    """`SIGNER_IDENTITY=alb`: the ALB's `x-amzn-oidc-data` header (ES256, padded base64url).

    The key comes from the ALB's key host by `kid`, only after the header's `signer`
    matched our load balancer (and `client` the audience, when one is set), so foreign
    tokens cause no fetch. The signature covers the segments as sent, padding included.
    """

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self.keys = KeyCache(
            AlbKeySource(settings.alb_keys_url),
            max_age=settings.jwks_max_age,
            cooldown=settings.jwks_cooldown,
            timeout=settings.fetch_timeout,
            clock=clock,
        )

    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        token = request.headers.get("x-amzn-oidc-data", "").strip()
        if not token:
            raise Rejected("no_credential")
        header, unverified = split_token(token, padded=True)
        alg, kid = header_kid(header, frozenset({"ES256"}))
        if header.get("signer") != self._settings.alb_arn:
            raise Rejected("wrong_signer")
        audience = self._settings.oidc_audience
        if audience and header.get("client") not in audience:
            raise Rejected("wrong_audience")
        if not _ALB_KID.match(kid):
            raise Rejected("bad_kid")
        claims = check_signature_and_claims(
            token,
            unverified,
            self.keys.key(kid, alg, may_fetch=may_fetch),
            alg,
            issuer=self._settings.oidc_issuer or None,
            audience=None,
            require_exp=False,  # the ALB puts `exp` in the (signed) header
        )
        expires_at = claims.get("exp", header.get("exp"))
        if not isinstance(expires_at, int | float) or isinstance(expires_at, bool):
            raise Rejected("missing_claim")
        if expires_at + LEEWAY < time.time():
            raise Rejected("expired")
        return identity_from_claims(claims, self._settings, strings=True, expires_at=expires_at)


def identity_source(
    settings: Settings, clock: Callable[[], float] = time.monotonic
) -> IdentitySource:
    """The source SIGNER_IDENTITY names; `clock` drives its key cache (tests inject one)."""
    if settings.identity == "apigw-jwt":
        return ApiGatewayClaimsSource(settings)
    if settings.identity == "alb":
        return AlbOidcSource(settings, clock)
    return LoginTokenSource(settings, clock)
