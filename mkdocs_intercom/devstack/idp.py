"""A development OpenID Connect issuer: RS256 and ES256 keys, discovery, JWKS, token minting.

Used by the demo (with a login page) and by the tests (with fault switches), so both
talk to a real issuer over HTTP exactly as the signer does in production.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class DevIssuer:
    def __init__(self, issuer: str, audience: str = "docs") -> None:
        self.issuer = issuer
        self.audience = audience
        self.keys: dict[str, tuple[PrivateKey, str]] = {}
        self.rsa_kid = self.add_key("RS256")
        self.ec_kid = self.add_key("ES256")

    def add_key(self, alg: str) -> str:
        key: PrivateKey = (
            ec.generate_private_key(ec.SECP256R1())
            if alg == "ES256"
            else rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
        kid = f"{alg.lower()}-{uuid.uuid4().hex[:8]}"
        self.keys[kid] = (key, alg)
        return kid

    def rotate(self) -> str:
        """Replace the RSA signing key: a new kid, the old one gone from the JWKS."""
        del self.keys[self.rsa_kid]
        self.rsa_kid = self.add_key("RS256")
        return self.rsa_kid

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, (key, alg) in self.keys.items():
            public = key.public_key()
            exported = (
                ECAlgorithm.to_jwk(public)
                if isinstance(public, ec.EllipticCurvePublicKey)
                else RSAAlgorithm.to_jwk(public)
            )
            jwk = json.loads(exported)
            keys.append({**jwk, "kid": kid, "alg": alg, "use": "sig"})
        return {"keys": keys}

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "jwks_uri": f"{self.issuer}/jwks.json",
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
        }

    def mint(
        self,
        claims: dict[str, Any] | None = None,
        *,
        kid: str | None = None,
        lifetime: int = 600,
        headers: dict[str, Any] | None = None,
    ) -> str:
        """An ID token for `claims` (sub, email, …), signed with the key `kid` (RSA by default)."""
        kid = kid or self.rsa_kid
        key, alg = self.keys[kid]
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": self.audience, "iat": now, "exp": now + lifetime}
        payload.update(claims or {})
        return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, **(headers or {})})
