"""The failures the signer answers, each mapped to one status and a generic body."""

from __future__ import annotations


class Rejected(Exception):
    """The request names no identity we can vouch for → 401.

    `reason` is a short fixed code for logs and metrics; it never carries token content.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderUnavailable(Exception):
    """The identity provider's keys cannot be fetched and none are cached → 503."""


class SecretUnavailable(Exception):
    """The Intercom secret cannot be read → 503; there is never a fallback secret."""


class NeedsFetch(Exception):
    """Identifying this request needs network I/O (a key fetch): retry it off the event loop."""
