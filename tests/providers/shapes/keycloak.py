"""Keycloak: a realm's ID and access tokens.

Shapes follow Keycloak's server administration guide and the tokens a current Keycloak issues:
RS256, header `alg`, `typ: JWT`, `kid`; the issuer is `<host>/realms/<realm>`, discovery at
`<issuer>/.well-known/openid-configuration`, keys at `<issuer>/protocol/openid-connect/certs` —
a document that also lists the realm's ENCRYPTION key (`use: enc`, `alg: RSA-OAEP`) next to the
signing key, each with `x5c`, `x5t` and `x5t#S256`. ID tokens: `typ: ID`, `aud` and `azp` the
client. Access tokens: `typ: Bearer`, `azp` the client, and `aud` only what the audience
mappers add — by default `account` (the account console), not the client.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from tests.providers.host import DocumentHost
from tests.providers.keys import SigningKey, b64url
from tests.providers.shapes.base import Provider, Reader, lifetime, merged

CLIENT_ID = "docs-portal"
SUB = "0d7e2f3a-5b64-4c1d-9e8f-7a6b5c4d3e2f"


class Keycloak(Provider):
    name = "keycloak"
    reader = Reader(SUB, "alice@example.com")

    def __init__(self, realm: str = "docs", host: DocumentHost | None = None) -> None:
        super().__init__(host)
        self.realm = realm
        self.key = SigningKey.generate(b64url(secrets.token_bytes(32)), "RS256")
        encryption = SigningKey.generate(b64url(secrets.token_bytes(32)), "RSA-OAEP")
        certs = self.host.publish(
            f"/realms/{realm}/protocol/openid-connect/certs",
            {
                "keys": [
                    encryption.jwk(
                        kid=encryption.kid,
                        use="enc",
                        alg="RSA-OAEP",
                        x5c=encryption.x5c(realm),
                        x5t=encryption.x5t(realm),
                    ),
                    self.key.jwk(
                        kid=self.key.kid,
                        use="sig",
                        alg="RS256",
                        x5c=self.key.x5c(realm),
                        x5t=self.key.x5t(realm),
                    ),
                ]
            },
        )
        protocol = f"{self.issuer}/protocol/openid-connect"
        self.host.publish(
            f"/realms/{realm}/.well-known/openid-configuration",
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{protocol}/auth",
                "token_endpoint": f"{protocol}/token",
                "introspection_endpoint": f"{protocol}/token/introspect",
                "userinfo_endpoint": f"{protocol}/userinfo",
                "end_session_endpoint": f"{protocol}/logout",
                "jwks_uri": certs,
                "grant_types_supported": ["authorization_code", "refresh_token", "password"],
                "response_types_supported": ["code", "none", "id_token", "token", "code id_token"],
                "subject_types_supported": ["public", "pairwise"],
                "id_token_signing_alg_values_supported": [
                    "PS384",
                    "ES384",
                    "RS384",
                    "EdDSA",
                    "HS256",
                    "HS512",
                    "ES256",
                    "RS256",
                    "HS384",
                    "ES512",
                    "PS256",
                    "PS512",
                    "RS512",
                ],
                "code_challenge_methods_supported": ["plain", "S256"],
            },
        )

    @property
    def issuer(self) -> str:
        return f"{self.host.origin}/realms/{self.realm}"

    def settings(self) -> dict[str, str]:
        return {"SIGNER_OIDC_ISSUER": self.issuer, "SIGNER_OIDC_AUDIENCE": CLIENT_ID}

    def _header(self) -> dict[str, Any]:
        return {"alg": "RS256", "typ": "JWT", "kid": self.key.kid}

    def _profile(self, iat: int, exp: int) -> dict[str, Any]:
        return {
            "exp": exp,
            "iat": iat,
            "auth_time": iat,
            "jti": str(uuid.uuid4()),
            "iss": self.issuer,
        }

    def _person(self) -> dict[str, Any]:
        return {
            "sid": str(uuid.uuid4()),
            "acr": "1",
            "email_verified": True,
            "name": "Alice Ångström",
            "preferred_username": "alice",
            "given_name": "Alice",
            "family_name": "Ångström",
            "email": "alice@example.com",
        }

    def token(self, **claims: Any) -> str:
        """An ID token (access and ID tokens live 5 minutes by default)."""
        iat, exp = lifetime(300)
        return self.key.sign(
            self._header(),
            merged(
                {
                    **self._profile(iat, exp),
                    "aud": CLIENT_ID,
                    "sub": SUB,
                    "typ": "ID",
                    "azp": CLIENT_ID,
                    "nonce": str(uuid.uuid4()),
                    "at_hash": b64url(secrets.token_bytes(16)),
                    **self._person(),
                },
                claims,
            ),
        )

    def access_token(self, **claims: Any) -> str:
        """An access token as the default client scopes make it: `aud` is `account`."""
        iat, exp = lifetime(300)
        return self.key.sign(
            self._header(),
            merged(
                {
                    **self._profile(iat, exp),
                    "aud": "account",
                    "sub": SUB,
                    "typ": "Bearer",
                    "azp": CLIENT_ID,
                    "allowed-origins": ["https://docs.example.com"],
                    "realm_access": {
                        "roles": ["default-roles-docs", "offline_access", "uma_authorization"]
                    },
                    "resource_access": {
                        "account": {
                            "roles": ["manage-account", "manage-account-links", "view-profile"]
                        }
                    },
                    "scope": "openid email profile",
                    **self._person(),
                },
                claims,
            ),
        )
