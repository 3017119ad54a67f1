"""How long one request can wait on the network at worst: the figure the function's and
the integration's timeouts must exceed.

Every fetch has one total deadline, SIGNER_FETCH_TIMEOUT (T). A request makes at most:

- identity: OIDC discovery then the JWKS (2 T) — or, for the ALB, a wait for a free fetch
  slot then one key (2 T); a request that joins a fetch under way waits at most as long;
- secret: the Parameters and Secrets extension (T), then Secrets Manager through the SDK,
  two attempts within one deadline of 2 T.
"""

from __future__ import annotations

from .settings import MAX_FETCH_TIMEOUT

IDENTITY_FETCHES = 2
EXTENSION_FETCHES = 1
SDK_FETCHES = 2  # the SDK's two attempts share one deadline of this many fetch timeouts


def fetch_chain_bound(fetch_timeout: float) -> float:
    """Seconds one request can spend on fetches, at most, with this SIGNER_FETCH_TIMEOUT."""
    return (IDENTITY_FETCHES + EXTENSION_FETCHES + SDK_FETCHES) * fetch_timeout


MAX_FETCH_CHAIN_SECONDS = fetch_chain_bound(MAX_FETCH_TIMEOUT)  # 25 s
