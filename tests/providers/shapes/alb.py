"""An Application Load Balancer with `authenticate-oidc` (here in front of a Cognito pool).

Built as the ALB builds it, after AWS's "Authenticate users using an Application Load
Balancer" (user claims encoding and signature verification) and aws-jwt-verify's ALB
verifier: `x-amzn-oidc-data` is ES256 over base64url segments WITH padding — the ALB pads the
header and payload, then signs the padded text, then appends the padded signature. Its header
carries `alg`, `kid` (a UUID), `signer` (the load balancer's ARN), `iss`, `client` and `exp`;
the payload holds the IdP's userinfo claims plus `exp` and `iss` (Cognito's userinfo writes
`email_verified` as the STRING "true"). The key is served as PEM by kid from
`https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`. The ALB also sends the IdP's
access token (`x-amzn-oidc-accesstoken`) and the subject (`x-amzn-oidc-identity`) unsigned.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, ClassVar

from tests.providers.keys import SigningKey
from tests.providers.shapes.base import Provider, Reader, merged

ALB_ARN = (
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/docs/50dc6c495c0c9188"
)
IDP_ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
SUB = "f4c8a4d8-3071-70a1-62b6-2f0e3b9d5a11"


class Alb(Provider):
    name = "alb"
    reader = Reader(SUB, "alice@example.com")
    another_audience: ClassVar[dict[str, Any]] = {
        "signer": ALB_ARN.replace("app/docs/50dc6c495c0c9188", "app/intranet/7f3e2a1b0c9d8e6f")
    }

    def __init__(self) -> None:
        super().__init__()
        self.key = SigningKey.generate(str(uuid.uuid4()), "ES256")
        self.host.publish(f"/{self.key.kid}", self.key.pem())
        self.idp_key = SigningKey.generate("kX9/q+Zr2mB7cT4yN0vH3sL8wE5jP6uA1dG2fR7iO0c=", "RS256")

    @property
    def issuer(self) -> str:
        return IDP_ISSUER

    def settings(self) -> dict[str, str]:
        return {
            "SIGNER_IDENTITY": "alb",
            "SIGNER_ALB_ARN": ALB_ARN,
            "SIGNER_ALB_KEYS_URL": self.host.origin,
            "SIGNER_OIDC_ISSUER": IDP_ISSUER,
            "SIGNER_OIDC_AUDIENCE": "",
        }

    def token(self, *, signer: str = ALB_ARN, kid: str = "", **claims: Any) -> str:
        """`x-amzn-oidc-data` for one request; `signer` and `kid` as the header states them."""
        exp = int(time.time()) + 120
        payload = merged(
            {
                "sub": SUB,
                "email_verified": "true",
                "email": "alice@example.com",
                "username": "alice",
                "exp": exp,
                "iss": IDP_ISSUER,
            },
            claims,
        )
        header = {
            "typ": "JWT",
            "kid": kid or self.key.kid,
            "alg": "ES256",
            "iss": payload.get("iss", IDP_ISSUER),
            "client": CLIENT_ID,
            "signer": signer,
            "exp": payload.get("exp", exp),
        }
        return self.key.sign(header, payload, padded=True)

    def idp_access_token(self) -> str:
        """The pool's access token, which the ALB forwards as it received it."""
        now = int(time.time())
        return self.idp_key.sign(
            {"kid": self.idp_key.kid, "alg": "RS256"},
            {
                "sub": SUB,
                "iss": IDP_ISSUER,
                "client_id": CLIENT_ID,
                "token_use": "access",
                "scope": "openid email",
                "auth_time": now,
                "exp": now + 3600,
                "iat": now,
                "jti": str(uuid.uuid4()),
                "username": "alice",
            },
        )

    def present(self, token: str) -> dict[str, str]:
        return {
            "x-amzn-oidc-data": token,
            "x-amzn-oidc-accesstoken": self.idp_access_token(),
            "x-amzn-oidc-identity": SUB,
        }
