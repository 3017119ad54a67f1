"""Strict verification of login tokens (JWS compact, asymmetric keys only).

PyJWT does the cryptography and the registered-claim checks; around it we add what
it leaves open: a size cap before any decoding, duplicate JSON keys, an algorithm
allow-list applied to the header as written, `crit`, typed time claims, and keys
only from the configured source (embedded `jwk`/`jku`/`x5u`/`x5c` are never read).
The signature is always checked over the segments exactly as received: the ALB pads
its base64url, and signs the padded text.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm
from jwt.utils import base64url_decode, base64url_encode

from .errors import Reason, Rejected
from .keys import VerificationKey

ASYMMETRIC_ALGORITHMS = frozenset(
    {
        *("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"),
        *("ES256", "ES384", "ES512", "EdDSA", "Ed25519"),
    }
)
LEEWAY = 30  # seconds of clock skew allowed for `exp`, `nbf` and `iat` (security rule 2: ≤ 60)
MAX_TOKEN_LENGTH = 8192
MAX_KID_LENGTH = 256
_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")
_PADDED_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")

# PyJWT's exceptions, most specific first, mapped to the reason we log.
_REASONS: tuple[tuple[type[Exception], Reason], ...] = (
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


class _Ed25519(OKPAlgorithm):
    """RFC 9864's fully-specified `Ed25519`: EdDSA, and an Ed25519 key only."""

    def prepare_key(self, key: Any) -> Any:
        if not isinstance(key, Ed25519PublicKey):
            raise jwt.InvalidKeyError("Ed25519 needs an Ed25519 public key")
        return key


_BASE64URL_SEGMENT = re.compile(rb"([A-Za-z0-9_-]*)(={0,2})")


def jws_segment(segment: bytes, name: str) -> bytes:
    """One JWS segment decoded by PyJWT's rule, at C speed: at most two `=`, only on a length
    that is a multiple of four; the base64url alphabet only; no length of 1 mod 4; and the
    canonical encoding (no stray bits). PyJWT tests each character in a Python loop, a third
    of the time of an RS256 verification; a test holds this one to PyJWT's own."""
    match = _BASE64URL_SEGMENT.fullmatch(segment)
    if match is None or (match[2] and len(segment) % 4) or len(match[1]) % 4 == 1:
        raise jwt.DecodeError(f"Invalid {name} padding")
    try:
        decoded = base64url_decode(match[1])
    except binascii.Error:
        raise jwt.DecodeError(f"Invalid {name} padding") from None
    if base64url_encode(decoded) != match[1]:
        raise jwt.DecodeError(f"Invalid {name} padding")
    return decoded


class _Segments(jwt.PyJWS):
    """PyJWS, its segments decoded by jws_segment."""

    _decode_base64url_segment = staticmethod(jws_segment)


_jws = _Segments()
if "Ed25519" not in _jws.get_algorithms():  # PyJWT may learn the name one day; until then
    _jws.register_algorithm("Ed25519", _Ed25519())  # we teach it
_verifier = jwt.PyJWT()
_verifier._jws = _jws  # wired as PyJWT wires its own module-level jwt.decode


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate key")
        result[key] = value
    return result


def _reject_constant(name: str) -> None:
    raise ValueError(f"non-standard JSON constant {name}")


_STRICT_JSON = json.JSONDecoder(object_pairs_hook=_strict_object, parse_constant=_reject_constant)


def decode_segment(segment: str) -> dict[str, Any]:
    """One base64url JSON segment (padded or not) → a dict, refusing anything ambiguous."""
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        document = _STRICT_JSON.decode(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise Rejected("malformed") from None
    if not isinstance(document, dict):
        raise Rejected("malformed")
    return document


def split_token(token: str, *, padded: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """Size, shape, header and payload checks that come before any key is looked up.

    `padded`: base64url with `=` padding, as the ALB writes it; the padding must then be
    exactly right, since the signature covers it.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        raise Rejected("token_too_large")
    parts = token.split(".")
    if len(parts) != 3:  # JWE has five parts, JSON serialization none
        raise Rejected("malformed")
    for part in parts:
        if padded:
            if not _PADDED_SEGMENT.match(part) or ("=" in part and len(part) % 4):
                raise Rejected("malformed")
        elif not _SEGMENT.match(part):
            raise Rejected("malformed")
    header = decode_segment(parts[0])
    claims = decode_segment(parts[1])
    if "crit" in header:  # we implement no critical extension, so every one is unknown
        raise Rejected("unknown_crit")
    for claim in ("exp", "nbf", "iat"):
        value = claims.get(claim)
        if claim in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise Rejected("bad_time_claim")
    return header, claims


def header_kid(header: Mapping[str, Any], allowed: frozenset[str]) -> tuple[str, str]:
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
    unverified: Mapping[str, Any],
    key: VerificationKey,
    alg: str,
    *,
    issuer: str | None,
    audience: tuple[str, ...] | None,
    require_exp: bool = True,
) -> dict[str, Any]:
    """PyJWT verifies signature, `exp` (required unless told otherwise), `nbf`, `iat`,
    `iss` and `aud`.

    A Cognito access token has no `aud`: it names its app client in `client_id`, with
    `token_use: access`. Such a token is accepted when that `client_id` is on the audience
    list, as API Gateway's JWT authorizer and aws-jwt-verify accept it. (`unverified` is
    the payload as split_token read it: the very bytes the signature then covers.)

    An ID token with several `aud` values and an `azp` was issued to the party `azp` names:
    that party must be one of ours too (OIDC Core 3.1.3.7), or another client could replay
    its own token here. An access token (RFC 9068) names in `azp` the client that asked for
    it, which is another app by design: the rule is for ID tokens.
    """
    access_token = bool(audience) and "aud" not in unverified
    access_token = access_token and unverified.get("token_use") == "access"
    required = (["exp"] if require_exp else []) + (["iss"] if issuer else [])
    if audience and not access_token:
        required.append("aud")
    try:
        claims: dict[str, Any] = _verifier.decode(
            token,
            key.key,
            algorithms=[alg],
            issuer=issuer,
            audience=list(audience) if audience and not access_token else None,
            leeway=LEEWAY,
            options={
                "require": required,
                "verify_aud": bool(audience) and not access_token,
                "enforce_minimum_key_length": True,
            },
        )
    except Exception as error:
        raise Rejected(_reason(error)) from None
    if access_token:
        client_id = claims.get("client_id")
        if not isinstance(client_id, str):
            raise Rejected("missing_claim")
        if client_id not in (audience or ()):
            raise Rejected("wrong_audience")
    elif audience and not authorized_party_is_ours(claims, audience):
        raise Rejected("wrong_authorized_party")
    return claims


def authorized_party_is_ours(claims: Mapping[str, Any], audience: tuple[str, ...]) -> bool:
    """OIDC Core 3.1.3.7, steps 4 and 5, for an ID token with several audiences."""
    aud, azp = claims.get("aud"), claims.get("azp")
    if not isinstance(aud, list) or len(aud) < 2 or "azp" not in claims:
        return True
    if _is_access_token(claims):
        return True
    return isinstance(azp, str) and azp in audience


def _is_access_token(claims: Mapping[str, Any]) -> bool:
    """An OAuth access token rather than an ID token: it carries the scopes it grants
    (RFC 9068's `scope`, Okta's and Entra's `scp`) or says so (Cognito's `token_use`)."""
    return "scope" in claims or "scp" in claims or claims.get("token_use") == "access"


def _reason(error: Exception) -> Reason:
    for kind, reason in _REASONS:
        if isinstance(error, kind):
            return reason
    return "invalid_token"
