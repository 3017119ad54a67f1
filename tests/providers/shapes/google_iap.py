"""Google Cloud Identity-Aware Proxy: the signed `x-goog-iap-jwt-assertion` header.

Shapes follow Google's "Securing your app with signed headers": ES256, header `alg`, `typ`,
`kid`; `iss` is `https://cloud.google.com/iap`; `aud` is
`/projects/PROJECT_NUMBER/global/backendServices/SERVICE_ID` for a load balancer backend; `sub`
is `accounts.google.com:<id>`, `email` has no prefix and no `email_verified`; `hd`, `google`
(access levels); tokens live 10 minutes. The keys are published as JWK at
`https://www.gstatic.com/iap/verify/public_key-jwk` (and as a kid→PEM map at `…/public_key`);
there is no discovery document, so the JWKS URL is configured.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from tests.providers.keys import SigningKey
from tests.providers.shapes.base import Reader, SignedHeaderProxy, lifetime, merged

ISSUER = "https://cloud.google.com/iap"
AUDIENCE = "/projects/123456789012/global/backendServices/4567890123456789012"
HEADER = "x-goog-iap-jwt-assertion"
SUB = "accounts.google.com:112233445566778899001"


class GoogleIap(SignedHeaderProxy):
    name = "google-iap"
    header = HEADER
    fixed_issuer = ISSUER
    audience = AUDIENCE
    reader = Reader(SUB, None)  # IAP's email carries no email_verified
    another_audience: ClassVar[dict[str, Any]] = {
        "aud": "/projects/123456789012/apps/another-project"
    }

    def __init__(self) -> None:
        super().__init__()
        self.keys = [SigningKey.generate(kid, "ES256") for kid in ("0oeLcQ", "TdmwT0", "-XzVnw")]
        self.jwks_url = self.host.publish(
            "/iap/verify/public_key-jwk",
            {"keys": [key.jwk(alg="ES256", kid=key.kid, use="sig") for key in self.keys]},
        )
        self.host.publish(
            "/iap/verify/public_key",
            json.dumps({key.kid: key.pem().decode() for key in self.keys}).encode(),
            "application/json",
        )

    def token(self, **claims: Any) -> str:
        key = self.keys[1]
        iat, exp = lifetime(600)
        return key.sign(
            {"alg": "ES256", "typ": "JWT", "kid": key.kid},
            merged(
                {
                    "aud": AUDIENCE,
                    "email": "alice@example.com",
                    "exp": exp,
                    "google": {"access_levels": ["accessPolicies/918273645/accessLevels/corp"]},
                    "hd": "example.com",
                    "iat": iat,
                    "identity_source": "GOOGLE",
                    "iss": ISSUER,
                    "sub": SUB,
                },
                claims,
            ),
        )

    def present(self, token: str) -> dict[str, str]:
        # IAP also sends its unsigned identity headers; the signer must never read them.
        return {
            HEADER: token,
            "x-goog-authenticated-user-email": "accounts.google.com:alice@example.com",
            "x-goog-authenticated-user-id": SUB,
        }
