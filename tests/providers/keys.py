"""Signing keys as identity providers hold them, the forms their documents publish, and
compact JWS built byte by byte the way each provider writes its tokens."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


def b64url(data: bytes, *, padded: bool = False) -> str:
    encoded = base64.urlsafe_b64encode(data).decode()
    return encoded if padded else encoded.rstrip("=")


def json_segment(document: dict[str, Any], *, padded: bool = False) -> str:
    """Compact JSON as providers serialize it, keys in the order given."""
    return b64url(json.dumps(document, separators=(",", ":")).encode(), padded=padded)


@dataclass
class SigningKey:
    """One key pair of a provider: `alg` is what its token headers name."""

    kid: str
    alg: str
    private: PrivateKey = field(repr=False)
    _certificates: dict[str, x509.Certificate] = field(default_factory=dict, repr=False)

    @classmethod
    def generate(cls, kid: str, alg: str) -> SigningKey:
        private: PrivateKey
        if alg.startswith("ES"):
            private = ec.generate_private_key(ec.SECP256R1())
        elif alg in ("EdDSA", "Ed25519"):
            private = ed25519.Ed25519PrivateKey.generate()
        else:
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid, alg, private)

    def jwk(self, **members: Any) -> dict[str, Any]:
        """The public JWK (kty and key material) with the provider's own `members`."""
        public = self.private.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            material = json.loads(RSAAlgorithm.to_jwk(public))
        elif isinstance(public, ec.EllipticCurvePublicKey):
            material = json.loads(ECAlgorithm.to_jwk(public))
        else:
            material = json.loads(OKPAlgorithm.to_jwk(public))
        return {**material, **members}

    def pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def certificate(self, subject: str) -> x509.Certificate:
        """A self-signed certificate for the key, as providers publish in `x5c` (one per subject)."""
        if subject in self._certificates:
            return self._certificates[subject]
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        now = datetime.datetime.now(datetime.UTC)
        algorithm = None if isinstance(self.private, ed25519.Ed25519PrivateKey) else hashes.SHA256()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.private.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .sign(self.private, algorithm)
        )
        self._certificates[subject] = certificate
        return certificate

    def x5c(self, subject: str) -> list[str]:
        der = self.certificate(subject).public_bytes(serialization.Encoding.DER)
        return [base64.b64encode(der).decode()]

    def cert_pem(self, subject: str) -> str:
        return self.certificate(subject).public_bytes(serialization.Encoding.PEM).decode()

    def x5t(self, subject: str) -> str:
        """The SHA-1 thumbprint of the certificate (Entra ID uses it as the kid)."""
        der = self.certificate(subject).public_bytes(serialization.Encoding.DER)
        return b64url(hashlib.sha1(der).digest())

    def sign(self, header: dict[str, Any], claims: dict[str, Any], *, padded: bool = False) -> str:
        """A compact JWS over exactly these segments; `padded` keeps base64 padding in all three
        segments and signs the padded header and payload, as the ALB does."""
        signing_input = (
            f"{json_segment(header, padded=padded)}.{json_segment(claims, padded=padded)}"
        )
        return f"{signing_input}.{b64url(self.signature(signing_input), padded=padded)}"

    def signature(self, signing_input: str) -> bytes:
        # PyJWT names the Ed25519 signature EdDSA; RFC 9864's Ed25519 is the same bytes.
        algorithm = jwt.get_algorithm_by_name("EdDSA" if self.alg == "Ed25519" else self.alg)
        return algorithm.sign(signing_input.encode(), self.private)


def signed_by_a_stranger(token: str) -> str:
    """The same header and payload, signed by a key of the same type nobody published."""
    signing_input, signature = token.rsplit(".", 1)
    header = decode_segment(signing_input.split(".")[0])
    stranger = SigningKey.generate(header["kid"], header["alg"])
    forged = stranger.signature(signing_input)
    return f"{signing_input}.{b64url(forged, padded=signature.endswith('='))}"


def decode_segment(segment: str) -> dict[str, Any]:
    """A JSON segment as sent, padded or not."""
    bare = segment.rstrip("=")
    document: dict[str, Any] = json.loads(base64.urlsafe_b64decode(bare + "=" * (-len(bare) % 4)))
    return document
