"""The failures the signer answers, each mapped to one status and a generic body."""

from __future__ import annotations


class Rejected(Exception):
    """The request names no identity we can vouch for → 401.

    `reason` is a short fixed code for logs and metrics; it never carries token content.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unavailable(Exception):
    """Something the signer depends on failed → 503 with Retry-After.

    `cause` is a short fixed code for the log (unreachable, timeout, access_denied, empty…);
    it never carries a token or the secret.
    """

    error = "unavailable"

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class ProviderUnavailable(Unavailable):
    """The identity provider's keys cannot be fetched and none are usable."""

    error = "identity_provider_unavailable"


class SecretUnavailable(Unavailable):
    """The Intercom secret cannot be read; there is never a fallback secret."""

    error = "secret_unavailable"


class NeedsFetch(Exception):
    """Identifying this request needs network I/O (a key fetch): retry it off the event loop."""
