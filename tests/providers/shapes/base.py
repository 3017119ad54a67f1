"""What every provider shape has: its documents on a loopback host, its keys, the token the
recommended configuration reads, how that token reaches the signer, and that configuration."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.providers.host import DocumentHost

ISSUED_AGO = 120  # tokens reach the signer a little after they were issued, as in real life


@dataclass(frozen=True)
class Reader:
    """Who the signer must name for a provider's default token, and the email it may pass on."""

    user_id: str
    email: str | None


def lifetime(seconds: int) -> tuple[int, int]:
    """(iat, exp) of a token issued ISSUED_AGO seconds ago that lives `seconds`."""
    issued = int(time.time()) - ISSUED_AGO
    return issued, issued + seconds


def merged(claims: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """`claims` with `overrides` applied; an override of None removes the claim."""
    result = {**claims, **overrides}
    return {name: value for name, value in result.items() if value is not None}


class Provider(ABC):
    """One identity provider as the signer meets it. Subclasses publish their documents in
    `__init__` and build tokens claim by claim in the provider's own shape."""

    name: ClassVar[str]
    reader: ClassVar[Reader]
    # Claims (or, for the ALB, header members) that address the token to someone else.
    another_audience: ClassVar[dict[str, Any]] = {"aud": "another-application"}

    def __init__(self, host: DocumentHost | None = None) -> None:
        """On a host of its own, or next to another tenant/pool/realm on `host`."""
        self._owns_host = host is None
        self.host = host or DocumentHost()

    @property
    @abstractmethod
    def issuer(self) -> str:
        """The exact `iss` of its tokens."""

    @abstractmethod
    def settings(self) -> dict[str, str]:
        """The SIGNER_* settings docs/providers.md recommends for this provider."""

    @abstractmethod
    def token(self, **claims: Any) -> str:
        """The token those settings verify, for the default reader (`claims` override)."""

    def present(self, token: str) -> dict[str, str]:
        """The request headers that carry the token to the signer."""
        return {"Authorization": f"Bearer {token}"}

    def stop(self) -> None:
        if self._owns_host:
            self.host.stop()


class SignedHeaderProxy(Provider):
    """A proxy in front of the docs that signs a header of its own (Cloudflare Access, IAP): a
    fixed issuer and no discovery document, so the settings name the header and the JWKS URL."""

    header: ClassVar[str]
    fixed_issuer: ClassVar[str]
    audience: ClassVar[str]
    jwks_url: str  # published by the subclass

    @property
    def issuer(self) -> str:
        return self.fixed_issuer

    def settings(self) -> dict[str, str]:
        return {
            "SIGNER_TOKEN_FROM": f"header:{self.header}",
            "SIGNER_OIDC_ISSUER": self.fixed_issuer,
            "SIGNER_OIDC_JWKS_URL": self.jwks_url,
            "SIGNER_OIDC_AUDIENCE": self.audience,
        }
