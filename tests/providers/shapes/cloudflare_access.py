"""Cloudflare Access: the application token in `Cf-Access-Jwt-Assertion` and the
`CF_Authorization` cookie.

Shapes follow Cloudflare's "Application token" and "Validate JWTs": RS256, header `alg`,
`kid` (64 hex digits), `typ`; `aud` is an ARRAY holding the application's AUD tag; `iss` is the
team domain `https://<team>.cloudflareaccess.com`; `email` (no `email_verified`), `sub` (the
user's id), `type: app`, `identity_nonce`, `country`. The certs document at
`/cdn-cgi/access/certs` holds `keys` (current and previous, JWK), `public_cert` (the current
key, PEM) and `public_certs` (both, PEM). No discovery document: the JWKS URL is configured.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from tests.providers.keys import SigningKey
from tests.providers.shapes.base import Reader, SignedHeaderProxy, lifetime, merged

TEAM = "docs-team"
ISSUER = f"https://{TEAM}.cloudflareaccess.com"
AUD_TAG = "32eafc7626e974616deaf0dc3ce63d7bcbed58a2731e84d06bc3cdf1b53c4228"
HEADER = "Cf-Access-Jwt-Assertion"
COOKIE = "CF_Authorization"
SUB = "7335d417-61da-459d-899c-0a01c76a2f94"


class CloudflareAccess(SignedHeaderProxy):
    name = "cloudflare-access"
    header = HEADER
    fixed_issuer = ISSUER
    audience = AUD_TAG
    reader = Reader(SUB, None)  # Access's email carries no email_verified
    another_audience: ClassVar[dict[str, Any]] = {
        "aud": ["9607121bab7ceeed691bc06782b5030c7e054a27e3f98467b79f97a5f3708112"]
    }

    def __init__(self) -> None:
        super().__init__()
        self.keys = [SigningKey.generate(secrets.token_hex(32), "RS256") for _ in range(2)]
        subject = f"{TEAM}.cloudflareaccess.com"
        self.jwks_url = self.host.publish(
            "/cdn-cgi/access/certs",
            {
                "keys": [key.jwk(kid=key.kid, alg="RS256", use="sig") for key in self.keys],
                "public_cert": {"kid": self.keys[0].kid, "cert": self.keys[0].cert_pem(subject)},
                "public_certs": [
                    {"kid": key.kid, "cert": key.cert_pem(subject)} for key in self.keys
                ],
            },
        )

    def cookie_settings(self) -> dict[str, str]:
        return {**self.settings(), "SIGNER_TOKEN_FROM": f"cookie:{COOKIE}"}

    def token(self, **claims: Any) -> str:
        key = self.keys[0]
        iat, exp = lifetime(86400)  # the application's session duration, 24 h by default
        return key.sign(
            {"alg": "RS256", "kid": key.kid, "typ": "JWT"},
            merged(
                {
                    "aud": [AUD_TAG],
                    "email": "alice@example.com",
                    "exp": exp,
                    "iat": iat,
                    "nbf": iat,
                    "iss": ISSUER,
                    "type": "app",
                    "identity_nonce": secrets.token_urlsafe(12),
                    "sub": SUB,
                    "country": "GB",
                },
                claims,
            ),
        )

    def present(self, token: str) -> dict[str, str]:
        """As Access forwards a browser's request: the header and the cookie."""
        return {HEADER: token, "Cookie": f"{COOKIE}={token}"}
