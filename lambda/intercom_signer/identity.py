"""Who the reader is, taken only from a credential verified here or by API Gateway.

Query strings, bodies and unverified headers never name the identity: each source
reads exactly one place and every failure is a Rejected with a fixed reason.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Any, Protocol

from cryptography.hazmat.primitives.serialization import load_pem_public_key

from .errors import NeedsFetch, ProviderUnavailable, Rejected
from .fetch import FetchError, get_bytes
from .settings import Settings
from .tokens import (
    ASYMMETRIC_ALGORITHMS,
    JwksKeys,
    OidcDiscovery,
    check_signature_and_claims,
    header_kid,
    split_token,
)

MAX_ID_LENGTH = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ALB_KID = re.compile(r"^[A-Za-z0-9-]{1,128}$")


@dataclass(frozen=True, slots=True)
class Identity:
    user_id: str
    email: str | None = None
    name: str | None = None
    login_expires_at: int | None = None


class Request(Protocol):
    """What a source may read of a request: headers, and the ASGI scope (for Lambda)."""

    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def scope(self) -> Mapping[str, Any]: ...


class IdentitySource(Protocol):
    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        """The verified identity; raises Rejected, ProviderUnavailable, or NeedsFetch when
        `may_fetch` is false and a key must first be fetched."""


def identity_from_claims(claims: Mapping[str, Any], settings: Settings) -> Identity:
    """Map verified claims to an Identity under the configured claim names."""
    user_id = _text(claims.get(settings.user_id_claim), numbers=True)
    if user_id is None:
        raise Rejected("no_user_id")
    verified = claims.get("email_verified")  # API Gateway hands claims over as strings
    if settings.user_id_claim == settings.email_claim and verified not in (True, "true"):
        raise Rejected("email_not_verified")
    email = None if verified in (False, "false") else _text(claims.get(settings.email_claim))
    name = _text(claims.get(settings.name_claim))
    expires = claims.get("exp")
    if isinstance(expires, str) and expires.isdigit():
        expires = int(expires)
    login_expires_at = None
    if isinstance(expires, int | float) and not isinstance(expires, bool):
        login_expires_at = int(expires)
    return Identity(user_id, email, name, login_expires_at)


def _text(value: object, *, numbers: bool = False) -> str | None:
    """A clean claim string (an integer as its decimal string when allowed), else None."""
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and _clean(value) else None


def _clean(value: str) -> bool:
    return 0 < len(value) <= MAX_ID_LENGTH and not _CONTROL.search(value)


class LoginTokenSource:
    """`SIGNER_IDENTITY=jwt`: a login token verified against the issuer's JWKS."""

    def __init__(self, settings: Settings, keys: JwksKeys | None = None) -> None:
        self._settings = settings
        locate = (
            (lambda: settings.oidc_jwks_url)
            if settings.oidc_jwks_url
            else OidcDiscovery(settings.oidc_issuer, settings.fetch_timeout)
        )
        self.keys = keys or JwksKeys(
            locate, timeout=settings.fetch_timeout, cooldown=settings.jwks_cooldown
        )

    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        token = self._token(request.headers)
        header, _ = split_token(token)
        alg, kid = header_kid(header, ASYMMETRIC_ALGORITHMS)
        key = self.keys.key(kid, alg, may_fetch=may_fetch)
        claims = check_signature_and_claims(
            token,
            key,
            alg,
            issuer=self._settings.oidc_issuer,
            audience=self._settings.oidc_audience,
            leeway=self._settings.leeway,
        )
        return identity_from_claims(claims, self._settings)

    def _token(self, headers: Mapping[str, str]) -> str:
        where = self._settings.token_from
        if where.source == "authorization":
            scheme, _, token = headers.get("authorization", "").partition(" ")
            token = token.strip() if scheme.lower() == "bearer" else ""
        elif where.source == "header":
            token = headers.get(where.name, "").strip()
        else:
            token = _cookie(headers.get("cookie", ""), where.name)
        if not token:
            raise Rejected("no_credential")
        return token


def _cookie(header: str, name: str) -> str:
    if len(header) > 16384:
        raise Rejected("token_too_large")
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        raise Rejected("malformed") from None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else ""


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
        identity = identity_from_claims(claims, self._settings)
        if identity.login_expires_at is not None and identity.login_expires_at < time.time():
            raise Rejected("expired")
        return identity


class AlbOidcSource:
    """`SIGNER_IDENTITY=alb`: the ALB's `x-amzn-oidc-data` header (ES256, padded base64url).

    The key comes from the regional ELB key host by `kid`, only after the header's
    `signer` matched our load balancer, so foreign tokens cause no fetch.
    """

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._clock = clock
        self._keys: dict[str, Any] = {}
        self._last_miss: float | None = None
        self._lock = threading.Lock()

    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        token = request.headers.get("x-amzn-oidc-data", "").strip()
        if not token:
            raise Rejected("no_credential")
        header, _ = split_token(token, padded=True)
        alg, kid = header_kid(header, frozenset({"ES256"}))
        if header.get("signer") != self._settings.alb_arn:
            raise Rejected("wrong_signer")
        if not _ALB_KID.match(kid):
            raise Rejected("bad_kid")
        unpadded = ".".join(part.rstrip("=") for part in token.split("."))
        claims = check_signature_and_claims(
            unpadded,
            self._key(kid, may_fetch),
            alg,
            issuer=self._settings.oidc_issuer or None,
            audience=None,
            leeway=self._settings.leeway,
        )
        return identity_from_claims(claims, self._settings)

    def _key(self, kid: str, may_fetch: bool) -> Any:
        if kid in self._keys:
            return self._keys[kid]
        if not may_fetch:
            raise NeedsFetch
        with self._lock:
            if kid in self._keys:
                return self._keys[kid]
            now = self._clock()
            if self._last_miss is not None and now - self._last_miss < self._settings.jwks_cooldown:
                raise Rejected("unknown_kid")
            try:
                pem = get_bytes(
                    f"{self._settings.alb_keys_url.rstrip('/')}/{kid}", self._settings.fetch_timeout
                )
                key = load_pem_public_key(pem)
            except FetchError:
                self._last_miss = now
                if not self._keys:
                    raise ProviderUnavailable("ELB key host unreachable") from None
                raise Rejected("unknown_kid") from None
            except ValueError:
                self._last_miss = now
                raise Rejected("unknown_kid") from None
            if len(self._keys) >= 64:  # ALB keys rotate rarely; bound the cache anyway
                self._keys.clear()
            self._keys[kid] = key
            return key


def identity_source(settings: Settings) -> IdentitySource:
    if settings.identity == "apigw-jwt":
        return ApiGatewayClaimsSource(settings)
    if settings.identity == "alb":
        return AlbOidcSource(settings)
    return LoginTokenSource(settings)
