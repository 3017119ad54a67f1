"""Intercom identity verification: the HS256 `intercom_user_jwt` and the HMAC `user_hash`."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import jwt
from jwt.algorithms import HMACAlgorithm

from .identity import Identity
from .settings import Settings
from .vouching import vouch


class _CheckedSecret(HMACAlgorithm):
    """HS256, its key checked once per secret. PyJWT checks on every token that the key is no
    PEM, SSH, DER or JWK in disguise: more work than the signature itself."""

    def __init__(self) -> None:
        super().__init__(HMACAlgorithm.SHA256)
        self._checked: tuple[str | bytes, bytes] | None = None

    def prepare_key(self, key: str | bytes) -> bytes:
        checked = self._checked
        if checked is None or checked[0] != key:  # a rotated secret is checked afresh
            checked = self._checked = (key, super().prepare_key(key))
        return checked[1]


_intercom_jws = jwt.PyJWS(algorithms=[])  # HS256 only
_intercom_jws.register_algorithm("HS256", _CheckedSecret())


def intercom_jwt(secret: str, claims: dict[str, Any]) -> str:
    """The HS256 compact JWS of `claims`, as jwt.encode writes it."""
    payload = json.dumps(claims, separators=(",", ":")).encode()
    return _intercom_jws.encode(payload, secret, algorithm="HS256")


def user_hash(secret: str, user_id: str) -> str:
    """Lowercase hex HMAC-SHA256 over the exact user_id string, as Intercom documents."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def jwt_claims(identity: Identity, now: int, exp: int) -> dict[str, Any]:
    """What the Intercom JWT says: `user_id`, `iat`, `exp`, and the signed fields."""
    claims: dict[str, Any] = {"user_id": identity.user_id, "iat": now, "exp": exp}
    if identity.email:
        claims["email"] = identity.email
    if identity.name:
        claims["name"] = identity.name
    claims.update(identity.signed_fields)
    return claims


def signed_identity(
    secret: str, identity: Identity, settings: Settings, now: int
) -> dict[str, Any]:
    """The /identity body: who the reader is, the signature(s), and when to ask again."""
    vouched = vouch(now, identity.login_expires_at, settings)
    body: dict[str, Any] = {"user_id": identity.user_id}
    if identity.email:
        body["email"] = identity.email
    if identity.name:
        body["name"] = identity.name
    if settings.signs_hmac:
        body["user_hash"] = user_hash(secret, identity.user_id)
    if settings.signs_jwt:
        claims = jwt_claims(identity, now, vouched.jwt_exp)
        body["intercom_user_jwt"] = intercom_jwt(secret, claims)
        body["signed_fields"] = [name for name in claims if name not in ("user_id", "iat", "exp")]
    body["expires_at"] = vouched.expires_at
    return body
