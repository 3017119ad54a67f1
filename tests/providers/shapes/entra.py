"""Microsoft Entra ID, v2.0 endpoint: ID tokens for a single-tenant app registration.

Shapes follow Microsoft's "ID token claims reference" and "Signing key rollover": RS256, header
`typ`, `alg`, `kid` (the certificate's thumbprint; v1.0-era tokens also carry it as `x5t`); the
issuer is `https://login.microsoftonline.com/<tenant id>/v2.0`; `sub` is pairwise (different
for every app), `oid` is the user's object id, the same across apps in the tenant; `email` is
present when requested but Entra never sends `email_verified` (the optional `xms_edov` says
whether the email's domain is verified by its owner). The keys document at
`/<tenant>/discovery/v2.0/keys` lists keys WITHOUT `alg`, with `kid`, `x5t`, `x5c` and the
`issuer` they sign for — the same keys sign for every tenant on the host.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any, ClassVar

from tests.providers.keys import SigningKey
from tests.providers.shapes.base import Provider, Reader, lifetime, merged

TENANT_ID = "9b2d1c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
OTHER_TENANT_ID = "4e3d2c1b-0a9f-4e8d-b7c6-a5b4c3d2e1f0"
CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e"
OBJECT_ID = "00000000-0000-0000-66f3-3332eca7ea81"
CERT_SUBJECT = "accounts.accesscontrol.windows.net"


def pairwise_sub() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


class Entra(Provider):
    name = "entra"
    reader = Reader(OBJECT_ID, None)  # no email: Entra does not say it is verified
    another_audience: ClassVar[dict[str, Any]] = {"aud": "2c8a9b4d-7e1f-4a3b-9c5d-6e7f8a9b0c1d"}

    def __init__(self) -> None:
        super().__init__()
        self.keys = [SigningKey.generate("", "RS256") for _ in range(2)]
        for key in self.keys:
            key.kid = key.x5t(CERT_SUBJECT)
        self.sub = pairwise_sub()
        for tenant in (TENANT_ID, OTHER_TENANT_ID):
            issuer = self.issuer_of(tenant)
            keys_url = self.host.publish(
                f"/{tenant}/discovery/v2.0/keys",
                {
                    "keys": [
                        key.jwk(
                            use="sig",
                            kid=key.kid,
                            x5t=key.kid,
                            x5c=key.x5c(CERT_SUBJECT),
                            issuer=issuer,
                        )
                        for key in self.keys
                    ]
                },
            )
            self.host.publish(
                f"/{tenant}/v2.0/.well-known/openid-configuration",
                {
                    "token_endpoint": f"{self.host.origin}/{tenant}/oauth2/v2.0/token",
                    "token_endpoint_auth_methods_supported": [
                        "client_secret_post",
                        "private_key_jwt",
                        "client_secret_basic",
                    ],
                    "jwks_uri": keys_url,
                    "response_modes_supported": ["query", "fragment", "form_post"],
                    "subject_types_supported": ["pairwise"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "response_types_supported": [
                        "code",
                        "id_token",
                        "code id_token",
                        "id_token token",
                    ],
                    "scopes_supported": ["openid", "profile", "email", "offline_access"],
                    "issuer": issuer,
                    "authorization_endpoint": f"{self.host.origin}/{tenant}/oauth2/v2.0/authorize",
                    "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
                    "tenant_region_scope": "EU",
                },
            )

    def issuer_of(self, tenant: str) -> str:
        return f"{self.host.origin}/{tenant}/v2.0"

    @property
    def issuer(self) -> str:
        return self.issuer_of(TENANT_ID)

    def settings(self) -> dict[str, str]:
        return {
            "SIGNER_OIDC_ISSUER": self.issuer,
            "SIGNER_OIDC_AUDIENCE": CLIENT_ID,
            "SIGNER_USER_ID_CLAIM": "oid",
        }

    def token(self, *, tenant: str = TENANT_ID, x5t: bool = False, **claims: Any) -> str:
        """An ID token from the v2.0 endpoint; `x5t` adds the v1.0-era header member."""
        key = self.keys[0]
        header: dict[str, Any] = {"typ": "JWT", "alg": "RS256", "kid": key.kid}
        if x5t:
            header["x5t"] = key.kid
        iat, exp = lifetime(3900)
        return key.sign(
            header,
            merged(
                {
                    "aud": CLIENT_ID,
                    "iss": self.issuer_of(tenant),
                    "iat": iat,
                    "nbf": iat,
                    "exp": exp,
                    "aio": secrets.token_urlsafe(48),
                    "email": "alice@contoso.com",
                    "name": "Alice Ångström",
                    "nonce": str(uuid.uuid4()),
                    "oid": OBJECT_ID,
                    "preferred_username": "alice@contoso.com",
                    "rh": f"0.{secrets.token_urlsafe(40)}.",
                    "sid": str(uuid.uuid4()),
                    "sub": self.sub,
                    "tid": tenant,
                    "uti": secrets.token_urlsafe(16),
                    "ver": "2.0",
                },
                claims,
            ),
        )
