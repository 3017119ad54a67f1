"""One vouching policy: which email the signer passes on, and until when it vouches.

- An email is returned, signed or used as the user id only when the claim that vouches for
  that very email claim is the boolean true — or the string "true" where claims arrive as
  strings (API Gateway's authorizer, the ALB's user-info claims). `email_verified` vouches
  for `email` alone (OIDC Core 5.1); another email claim is vouched for by the claim
  SIGNER_EMAIL_VERIFIED_CLAIM names (settings refuse to start with `email_verified` for it).
  A provider that sends `email` without `email_verified` (Entra ID, for one) gets no email
  through: an unverified email is how nOAuth-style takeovers work.
  SIGNER_TRUST_UNVERIFIED_EMAIL=true opts out, knowingly.
- The answer expires at min(login exp, now + 1 h, the Intercom JWT's exp), and the
  Intercom JWT's exp is min(now + SIGNER_JWT_TTL, login exp): nothing outlives the login.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Rejected
from .settings import Settings

MAX_VOUCH_SECONDS = 3600  # how long the loader may reuse an answer before asking again


def email_is_verified(claims: Mapping[str, Any], settings: Settings, *, strings: bool) -> bool:
    """`strings`: the claims come from a source that writes every value as a string."""
    if settings.trust_unverified_email:
        return True
    verified = claims.get(settings.email_verified_claim)
    return verified is True or (strings and verified == "true")


@dataclass(frozen=True, slots=True)
class Vouch:
    expires_at: int  # when the loader must ask again
    jwt_exp: int  # the Intercom JWT's `exp`


def vouch(now: int, login_expires_at: int, settings: Settings) -> Vouch:
    """Until when the signer vouches for a login that expires at `login_expires_at`."""
    if login_expires_at <= now:
        raise Rejected("expired")  # within the verifier's leeway, but nothing left to vouch for
    jwt_exp = min(now + settings.jwt_ttl, login_expires_at)
    expires_at = min(login_expires_at, now + MAX_VOUCH_SECONDS)
    if settings.signs_jwt:
        expires_at = min(expires_at, jwt_exp)
    return Vouch(expires_at, jwt_exp)
