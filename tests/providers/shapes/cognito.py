"""Amazon Cognito user pool: ID and access tokens, the pool's discovery document and JWKS.

Shapes follow AWS's "Understanding user pool JSON web tokens" (ID token, access token) and
the pool's `/.well-known/jwks.json`: RS256, a `kid` in standard base64 (with `+`, `/`, `=`), no
`typ`; ID tokens carry `aud` and `token_use: id`, access tokens `client_id`, no `aud`,
`token_use: access`. ID and access tokens are signed by two different keys of the pool.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any

from tests.providers.host import DocumentHost
from tests.providers.keys import SigningKey
from tests.providers.shapes.base import Provider, Reader, lifetime, merged

POOL_ID = "eu-west-1_AbCdEf123"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
SUB = "f4c8a4d8-3071-70a1-62b6-2f0e3b9d5a11"


def pool_kid() -> str:
    """A kid as Cognito writes them: standard base64 of 32 bytes, so with `+`, `/` and `=`."""
    while True:
        kid = base64.b64encode(secrets.token_bytes(32)).decode()
        if "/" in kid or "+" in kid:
            return kid


class Cognito(Provider):
    name = "cognito"
    reader = Reader(SUB, "alice@example.com")

    def __init__(self, pool_id: str = POOL_ID, host: DocumentHost | None = None) -> None:
        super().__init__(host)
        self.pool_id = pool_id
        self.id_key = SigningKey.generate(pool_kid(), "RS256")
        self.access_key = SigningKey.generate(pool_kid(), "RS256")
        self.jwks_url = self.host.publish(
            f"/{pool_id}/.well-known/jwks.json",
            {"keys": [key.jwk(alg="RS256", kid=key.kid, use="sig") for key in self.keys]},
        )
        hosted_ui = "https://docs-example.auth.eu-west-1.amazoncognito.com"
        self.host.publish(
            f"/{pool_id}/.well-known/openid-configuration",
            {
                "authorization_endpoint": f"{hosted_ui}/oauth2/authorize",
                "end_session_endpoint": f"{hosted_ui}/logout",
                "id_token_signing_alg_values_supported": ["RS256"],
                "issuer": self.issuer,
                "jwks_uri": self.jwks_url,
                "response_types_supported": ["code", "token"],
                "revocation_endpoint": f"{hosted_ui}/oauth2/revoke",
                "scopes_supported": ["openid", "email", "phone", "profile"],
                "subject_types_supported": ["public"],
                "token_endpoint": f"{hosted_ui}/oauth2/token",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "userinfo_endpoint": f"{hosted_ui}/oauth2/userInfo",
            },
        )

    @property
    def keys(self) -> tuple[SigningKey, SigningKey]:
        return self.id_key, self.access_key

    @property
    def issuer(self) -> str:
        return f"{self.host.origin}/{self.pool_id}"

    def settings(self) -> dict[str, str]:
        return {"SIGNER_OIDC_ISSUER": self.issuer, "SIGNER_OIDC_AUDIENCE": CLIENT_ID}

    def token(self, **claims: Any) -> str:
        """An ID token from the Hosted UI's code flow."""
        iat, exp = lifetime(3600)
        return self.id_key.sign(
            {"kid": self.id_key.kid, "alg": "RS256"},
            merged(
                {
                    "sub": SUB,
                    "email_verified": True,
                    "iss": self.issuer,
                    "cognito:username": "alice",
                    "origin_jti": str(uuid.uuid4()),
                    "aud": CLIENT_ID,
                    "event_id": str(uuid.uuid4()),
                    "token_use": "id",
                    "auth_time": iat,
                    "exp": exp,
                    "iat": iat,
                    "jti": str(uuid.uuid4()),
                    "email": "alice@example.com",
                },
                claims,
            ),
        )

    def access_token(self, **claims: Any) -> str:
        """An access token from the same sign-in: `client_id` in place of `aud`."""
        iat, exp = lifetime(3600)
        return self.access_key.sign(
            {"kid": self.access_key.kid, "alg": "RS256"},
            merged(
                {
                    "sub": SUB,
                    "iss": self.issuer,
                    "client_id": CLIENT_ID,
                    "origin_jti": str(uuid.uuid4()),
                    "event_id": str(uuid.uuid4()),
                    "token_use": "access",
                    "scope": "openid email profile",
                    "auth_time": iat,
                    "exp": exp,
                    "iat": iat,
                    "jti": str(uuid.uuid4()),
                    "username": "alice",
                },
                claims,
            ),
        )
