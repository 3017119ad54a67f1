"""Okta: the org authorization server and a custom one (`default`), ID and access tokens.

Shapes follow Okta's OIDC & OAuth 2.0 API reference (the ID token and access token payload
examples) and "Authorization servers": RS256, header `kid` and `alg` only; ID tokens carry
`ver: 1`, `jti: ID.…`, `amr`, `idp`, `email_verified`, and `sub` is the user id (`00u…`).
Custom-server access tokens carry `aud: api://default`, `cid`, `scp`, `uid` (the user id) and
`sub` = the user's LOGIN, not the user id. Keys: `<issuer>/oauth2/v1/keys` for the org server,
`<issuer>/v1/keys` for a custom one; each has its own keys and discovery document.
"""

from __future__ import annotations

import secrets
from typing import Any

from tests.providers.keys import SigningKey
from tests.providers.shapes.base import Provider, Reader, lifetime, merged

CLIENT_ID = "0oa8f3k2lmNpQrStU5d7"
USER_ID = "00u4bq1xyzAbCdEfG5d7"
LOGIN = "alice@example.com"
IDP = "00o4bq1xyzAbCdEfG5d7"


class Okta(Provider):
    """The org authorization server: ID tokens for the docs' OIDC app."""

    name = "okta"
    reader = Reader(USER_ID, "alice@example.com")
    server_path = ""  # the custom server below lives under /oauth2/<id>
    keys_path = "/oauth2/v1/keys"

    def __init__(self) -> None:
        super().__init__()
        self.key = SigningKey.generate(secrets.token_urlsafe(32), "RS256")
        self.jwks_url = self.host.publish(
            f"{self.server_path}{self.keys_path}",
            {"keys": [self.key.jwk(alg="RS256", kid=self.key.kid, use="sig")]},
        )
        self.host.publish(
            f"{self.server_path}/.well-known/openid-configuration",
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.endpoints}/v1/authorize",
                "token_endpoint": f"{self.endpoints}/v1/token",
                "userinfo_endpoint": f"{self.endpoints}/v1/userinfo",
                "jwks_uri": self.jwks_url,
                "response_types_supported": ["code", "id_token", "code id_token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile", "offline_access", "groups"],
            },
        )

    @property
    def issuer(self) -> str:
        return f"{self.host.origin}{self.server_path}"

    @property
    def endpoints(self) -> str:
        return f"{self.issuer}{'' if self.server_path else '/oauth2'}"

    def settings(self) -> dict[str, str]:
        return {"SIGNER_OIDC_ISSUER": self.issuer, "SIGNER_OIDC_AUDIENCE": CLIENT_ID}

    def _header(self) -> dict[str, Any]:
        return {"kid": self.key.kid, "alg": "RS256"}

    def token(self, **claims: Any) -> str:
        iat, exp = lifetime(3600)
        return self.key.sign(
            self._header(),
            merged(
                {
                    "sub": USER_ID,
                    "name": "Alice Ångström",
                    "email": "alice@example.com",
                    "ver": 1,
                    "iss": self.issuer,
                    "aud": CLIENT_ID,
                    "iat": iat,
                    "exp": exp,
                    "jti": f"ID.{secrets.token_urlsafe(32)}",
                    "amr": ["pwd"],
                    "idp": IDP,
                    "nonce": secrets.token_urlsafe(16),
                    "preferred_username": LOGIN,
                    "auth_time": iat,
                    "at_hash": secrets.token_urlsafe(16),
                    "email_verified": True,
                },
                claims,
            ),
        )

    def access_token(self, **claims: Any) -> str:
        """The org server's access token: meant for Okta's own APIs (its `aud` is the org)."""
        iat, exp = lifetime(3600)
        return self.key.sign(
            self._header(),
            merged(
                {
                    "ver": 1,
                    "jti": f"AT.{secrets.token_urlsafe(32)}",
                    "iss": self.issuer,
                    "aud": self.host.origin,
                    "sub": LOGIN,
                    "iat": iat,
                    "exp": exp,
                    "cid": CLIENT_ID,
                    "uid": USER_ID,
                    "scp": ["openid", "email", "profile"],
                    "auth_time": iat,
                },
                claims,
            ),
        )


class OktaCustomServer(Okta):
    """The custom authorization server `default`: ID tokens and access tokens for an API."""

    name = "okta-default"
    server_path = "/oauth2/default"
    keys_path = "/v1/keys"
    audience = "api://default"

    def access_settings(self) -> dict[str, str]:
        """Access tokens: the API audience, and `uid`, because `sub` is the login there."""
        return {
            "SIGNER_OIDC_ISSUER": self.issuer,
            "SIGNER_OIDC_AUDIENCE": self.audience,
            "SIGNER_USER_ID_CLAIM": "uid",
        }

    def access_token(self, **claims: Any) -> str:
        return super().access_token(**{"aud": self.audience, **claims})
