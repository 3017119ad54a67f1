"""Auth0 tenant: ID tokens for the docs' application and access tokens for its API.

Shapes follow Auth0's "ID token structure" and "Access token profiles" (the default `Auth0`
profile): RS256, header `typ: JWT`; the issuer is the tenant URL WITH its trailing slash; the
access token's `aud` is an array of the API identifier and the tenant's `/userinfo`, with
`azp` and `scope` and no profile claims. JWKS at `/.well-known/jwks.json`: `kty`, `use`, `n`,
`e`, `kid`, `x5t`, `x5c`, `alg` — the current key and the next one.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.providers.keys import SigningKey
from tests.providers.shapes.base import Provider, Reader, lifetime, merged

CLIENT_ID = "kT4nQ9xW2vB7cR1mZ8pL5sH3jF6dG0aY"
API = "https://docs.example.com/api"
SUB = "auth0|6560b8c2d7e4f1a2b3c4d5e6"
TENANT = "docs-example.eu.auth0.com"


class Auth0(Provider):
    name = "auth0"
    reader = Reader(SUB, "alice@example.com")

    def __init__(self) -> None:
        super().__init__()
        self.key = SigningKey.generate("pQ2rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL", "RS256")
        self.next_key = SigningKey.generate("Xm4nB6vC8xZ0lK2jH4gF6dS8aQ0wE2rT", "RS256")
        self.jwks_url = self.host.publish(
            "/.well-known/jwks.json",
            {
                "keys": [
                    key.jwk(
                        use="sig",
                        kid=key.kid,
                        x5t=key.x5t(TENANT),
                        x5c=key.x5c(TENANT),
                        alg="RS256",
                    )
                    for key in (self.key, self.next_key)
                ]
            },
        )
        self.host.publish(
            "/.well-known/openid-configuration",
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}authorize",
                "token_endpoint": f"{self.issuer}oauth/token",
                "userinfo_endpoint": f"{self.issuer}userinfo",
                "jwks_uri": self.jwks_url,
                "scopes_supported": ["openid", "profile", "offline_access", "name", "email"],
                "response_types_supported": ["code", "token", "id_token", "code id_token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["HS256", "RS256", "PS256"],
            },
        )

    @property
    def issuer(self) -> str:
        return f"{self.host.origin}/"

    def settings(self) -> dict[str, str]:
        return {"SIGNER_OIDC_ISSUER": self.issuer, "SIGNER_OIDC_AUDIENCE": CLIENT_ID}

    def api_settings(self) -> dict[str, str]:
        """For access tokens of the docs' API."""
        return {"SIGNER_OIDC_ISSUER": self.issuer, "SIGNER_OIDC_AUDIENCE": API}

    def _header(self) -> dict[str, Any]:
        return {"alg": "RS256", "typ": "JWT", "kid": self.key.kid}

    def token(self, **claims: Any) -> str:
        """An ID token (a database connection's user, email verified)."""
        iat, exp = lifetime(36000)
        return self.key.sign(
            self._header(),
            merged(
                {
                    "nickname": "alice",
                    "name": "Alice Ångström",
                    "picture": "https://s.gravatar.com/avatar/0f1e2d3c4b5a.png",
                    "updated_at": "2026-11-20T09:12:33.123Z",
                    "email": "alice@example.com",
                    "email_verified": True,
                    "iss": self.issuer,
                    "aud": CLIENT_ID,
                    "sub": SUB,
                    "iat": iat,
                    "exp": exp,
                    "sid": "Hn3LqW8v0yTgK2pZ6rJ4mB1xC9sD7fE5",
                    "nonce": str(uuid.uuid4()),
                },
                claims,
            ),
        )

    def access_token(self, **claims: Any) -> str:
        iat, exp = lifetime(86400)
        return self.key.sign(
            self._header(),
            merged(
                {
                    "iss": self.issuer,
                    "sub": SUB,
                    "aud": [API, f"{self.issuer}userinfo"],
                    "iat": iat,
                    "exp": exp,
                    "scope": "openid profile email",
                    "azp": CLIENT_ID,
                },
                claims,
            ),
        )
