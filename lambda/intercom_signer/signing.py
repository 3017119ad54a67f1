"""Intercom identity verification: HMAC-SHA256 `user_hash` and the HS256 `intercom_user_jwt`."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import jwt

from .identity import Identity
from .settings import Settings

MAX_HMAC_VALIDITY = 3600  # how long the loader may reuse a user_hash before asking again


def user_hash(secret: str, user_id: str) -> str:
    """Lowercase hex HMAC-SHA256 over the exact user_id string, as Intercom documents."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def intercom_user_jwt(secret: str, identity: Identity, now: int, ttl: int) -> str:
    claims: dict[str, Any] = {"user_id": identity.user_id, "iat": now, "exp": now + ttl}
    if identity.email:
        claims["email"] = identity.email
    if identity.name:
        claims["name"] = identity.name
    return jwt.encode(claims, secret, algorithm="HS256")


def signed_identity(
    secret: str, identity: Identity, settings: Settings, now: int
) -> dict[str, Any]:
    """The /identity body: who the reader is, the signature(s), and when to ask again."""
    body: dict[str, Any] = {"user_id": identity.user_id}
    if identity.email:
        body["email"] = identity.email
    if identity.name:
        body["name"] = identity.name
    expires_at = now + MAX_HMAC_VALIDITY
    if identity.login_expires_at is not None:
        expires_at = min(expires_at, identity.login_expires_at)
    if settings.signs_hmac:
        body["user_hash"] = user_hash(secret, identity.user_id)
    if settings.signs_jwt:
        body["intercom_user_jwt"] = intercom_user_jwt(secret, identity, now, settings.jwt_ttl)
        expires_at = now + settings.jwt_ttl
    body["expires_at"] = expires_at
    return body
