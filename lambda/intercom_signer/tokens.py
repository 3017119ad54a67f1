"""Strict verification of login tokens (JWS compact, asymmetric keys only).

PyJWT does the cryptography and the registered-claim checks; around it we add what
it leaves open: a size cap before any decoding, duplicate JSON keys, an algorithm
allow-list applied to the header as written, `crit`, typed time claims, and keys
only from the configured JWKS (embedded `jwk`/`jku`/`x5u`/`x5c` are never read).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import jwt
from jwt import PyJWK

from .errors import NeedsFetch, ProviderUnavailable, Rejected
from .fetch import FetchError, get_json

ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
MAX_TOKEN_LENGTH = 8192
MAX_KID_LENGTH = 256
_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")

# PyJWT's exceptions, most specific first, mapped to the reason we log.
_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.ImmatureSignatureError, "not_yet_valid"),
    (jwt.InvalidIssuedAtError, "bad_iat"),
    (jwt.InvalidIssuerError, "wrong_issuer"),
    (jwt.InvalidAudienceError, "wrong_audience"),
    (jwt.MissingRequiredClaimError, "missing_claim"),
    (jwt.InvalidSignatureError, "bad_signature"),
    (jwt.InvalidAlgorithmError, "alg_not_allowed"),
    (jwt.DecodeError, "malformed"),
    (jwt.PyJWKError, "key_mismatch"),
    (jwt.InvalidKeyError, "key_mismatch"),
    (jwt.InvalidTokenError, "invalid_token"),
)


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate key")
        result[key] = value
    return result


def _reject_constant(name: str) -> None:
    raise ValueError(f"non-standard JSON constant {name}")


def decode_segment(segment: str, *, padded: bool = False) -> dict[str, Any]:
    """One base64url JSON segment → a dict, refusing anything ambiguous."""
    if padded:
        segment = segment.rstrip("=")
    if not _SEGMENT.match(segment):
        raise Rejected("malformed")
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        document = json.loads(
            raw.decode("utf-8"), object_pairs_hook=_strict_object, parse_constant=_reject_constant
        )
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise Rejected("malformed") from None
    if not isinstance(document, dict):
        raise Rejected("malformed")
    return document


def split_token(token: str, *, padded: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """Size, shape, header and payload checks that come before any key is looked up."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise Rejected("token_too_large")
    parts = token.split(".")
    if len(parts) != 3:  # JWE has five parts, JSON serialization none
        raise Rejected("malformed")
    header = decode_segment(parts[0], padded=padded)
    claims = decode_segment(parts[1], padded=padded)
    signature = parts[2].rstrip("=") if padded else parts[2]
    if not _SEGMENT.match(signature):
        raise Rejected("malformed")
    if "crit" in header:  # we implement no critical extension, so every one is unknown
        raise Rejected("unknown_crit")
    for claim in ("exp", "nbf", "iat"):
        value = claims.get(claim)
        if claim in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise Rejected("bad_time_claim")
    return header, claims


def header_kid(header: dict[str, Any], allowed: frozenset[str]) -> tuple[str, str]:
    """The header's (alg, kid), compared exactly against the allow-list."""
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in allowed:
        raise Rejected("alg_not_allowed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not 0 < len(kid) <= MAX_KID_LENGTH:
        raise Rejected("bad_kid")
    return alg, kid


def check_signature_and_claims(
    token: str,
    key: Any,
    alg: str,
    *,
    issuer: str | None,
    audience: tuple[str, ...] | None,
    leeway: int,
) -> dict[str, Any]:
    """PyJWT verifies signature, `exp` (required), `nbf`, `iat`, `iss` and `aud`."""
    required = ["exp"] + (["iss"] if issuer else []) + (["aud"] if audience else [])
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[alg],
            issuer=issuer,
            audience=list(audience) if audience else None,
            leeway=leeway,
            options={"require": required, "verify_aud": bool(audience)},
        )
    except Exception as error:
        raise Rejected(_reason(error)) from None
    return claims


def _reason(error: Exception) -> str:
    for kind, reason in _REASONS:
        if isinstance(error, kind):
            return reason
    return "invalid_token"


class JwksKeys:
    """The issuer's signing keys: cached, refetched for an unknown `kid` at most once per
    cooldown, and kept when a refetch fails."""

    def __init__(
        self,
        locate: Callable[[], str],
        *,
        timeout: float,
        cooldown: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._locate = locate
        self._timeout = timeout
        self._cooldown = cooldown
        self._clock = clock
        self._jwks: dict[str, dict[str, Any]] = {}
        self._keys: dict[tuple[str, str], PyJWK] = {}
        self._last_attempt: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str, alg: str, *, may_fetch: bool = True) -> PyJWK:
        cached = self._keys.get((kid, alg))
        if cached is not None:
            return cached
        if not may_fetch:
            raise NeedsFetch
        with self._lock:
            if kid not in self._jwks:
                self._refresh()
            jwk = self._jwks.get(kid)
            if jwk is None:
                raise Rejected("unknown_kid")
            if jwk.get("alg", alg) != alg:
                raise Rejected("key_mismatch")
            try:
                key = PyJWK(jwk, algorithm=alg)
            except (jwt.PyJWKError, jwt.InvalidKeyError, KeyError, ValueError):
                raise Rejected("key_mismatch") from None
            self._keys[(kid, alg)] = key
            return key

    def _refresh(self) -> None:
        now = self._clock()
        if self._last_attempt is not None and now - self._last_attempt < self._cooldown:
            if not self._jwks:
                raise ProviderUnavailable("no signing keys yet; retrying after the cooldown")
            return
        self._last_attempt = now
        try:
            document = get_json(self._locate(), self._timeout)
            jwks = _signing_keys(document)
        except FetchError as error:
            if not self._jwks:
                raise ProviderUnavailable(str(error)) from None
            return  # the last good keys stay in use
        self._jwks = jwks
        self._keys = {k: v for k, v in self._keys.items() if k[0] in jwks}


def _signing_keys(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise FetchError("JWKS has no key list")
    found = {}
    for jwk in keys:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("kty") not in ("RSA", "EC", "OKP"):
            continue
        if any(private in jwk for private in ("d", "p", "q")):
            continue  # a JWKS that publishes a private key is not one we trust a key of
        found[jwk["kid"]] = jwk
    if not found:
        raise FetchError("JWKS has no usable signing key")
    return found


class OidcDiscovery:
    """Finds the JWKS URL from the issuer's discovery document, once."""

    def __init__(self, issuer: str, timeout: float) -> None:
        self._issuer = issuer
        self._timeout = timeout
        self._jwks_url = ""

    def __call__(self) -> str:
        if not self._jwks_url:
            url = self._issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = get_json(url, self._timeout)
            jwks_uri = document.get("jwks_uri")
            if document.get("issuer") != self._issuer or not isinstance(jwks_uri, str):
                raise FetchError("discovery document does not match the issuer")
            if not jwks_uri.startswith(("https://", "http://127.0.0.1", "http://localhost")):
                raise FetchError("discovery names a JWKS that is not https")
            self._jwks_url = jwks_uri
        return self._jwks_url
