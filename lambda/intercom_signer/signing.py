"""Intercom identity verification: the HS256 `intercom_user_jwt` and the HMAC `user_hash`."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import jwt

from .identity import Identity
from .settings import Settings
from .vouching import vouch


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
        body["intercom_user_jwt"] = jwt.encode(claims, secret, algorithm="HS256")
        body["signed_fields"] = [name for name in claims if name not in ("user_id", "iat", "exp")]
    body["expires_at"] = vouched.expires_at
    return body
