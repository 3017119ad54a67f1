"""The identity provider's public keys: one cache policy for JWKS and ALB keys alike.

Two sources sit behind one cache (the shape of aws-jwt-verify's JwksCache): a JWKS, where
one fetch answers for every `kid`, and the ALB's key host, where each `kid` is its own
fetch. The cache is composed of small parts, as aws-jwt-verify composes its own:

- `Snapshot`: the keys, immutable, swapped whole under the lock and read whole without it,
  so a reader never sees half of one fetch and half of another;
- `Backoff` (the "penalty box"): after a failed fetch nothing is fetched again for what it
  failed on — the JWKS, or one ALB `kid` — for `cooldown` seconds; one junk kid whose fetch
  errors never holds back another kid;
- `MissCache`: a `kid` a fetch did not find is remembered for `cooldown` seconds, bounded,
  so a flood of junk kids costs no fetch once seen;
- `SingleFlight`: callers for the same fetch wait for it, within its deadline, and at most
  `MAX_PARALLEL_FETCHES` fetches run at once.

The policy over them: keys are used for at most `max_age` seconds, then refetched (a key
the provider withdrew stops verifying at that refetch); a JWKS younger than `FRESH_ENOUGH`
answers for every kid, so junk kids cause at most one document fetch per that many seconds
while a genuinely new kid is seen within it; while a fetch fails, the last good keys stay
in use for `GRACE` seconds past their max age — no longer.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from .errors import NeedsFetch, ProviderCause, ProviderUnavailable, Rejected
from .fetch import FetchError, get_bytes, get_json
from .observability import logger
from .settings import secure_url

FRESH_ENOUGH = 5.0  # seconds during which a JWKS is taken as complete (capped by the cooldown)
GRACE = 900.0  # seconds the last good keys outlive their max age while the provider fails
MAX_PARALLEL_FETCHES = 4
MAX_REMEMBERED = 1024  # kids remembered as missing, and scopes as failing, each

Clock = Callable[[], float]
V = TypeVar("V")

_CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
_ED25519_NAMES = frozenset({"EdDSA", "Ed25519"})  # RFC 9864: Ed25519 is EdDSA on that curve


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """A public key with what its publisher said of it (JWK `kty`, `crv`, `alg`)."""

    key: Any  # a cryptography public key
    kty: str
    curve: str = ""
    alg: str = ""

    def fits(self, alg: str) -> bool:
        """Whether a token whose header names `alg` may be verified with this key."""
        if self.alg and self.alg != alg:
            ed25519_alias = {self.alg, alg} <= _ED25519_NAMES and self.curve == "Ed25519"
            if not ed25519_alias:
                return False
        if alg.startswith(("RS", "PS")):
            return self.kty == "RSA"
        if alg in _CURVES:
            return self.kty == "EC" and self.curve == _CURVES[alg]
        if alg == "Ed25519":
            return self.kty == "OKP" and self.curve == "Ed25519"
        if alg == "EdDSA":
            return self.kty == "OKP" and self.curve in ("Ed25519", "Ed448")
        return False


class KeySource(Protocol):
    """Where keys come from. `covers_every_kid`: one fetch answers for all kids (a JWKS)."""

    covers_every_kid: bool
    fetch_calls: int  # HTTP requests one fetch may make, each within the fetch timeout

    def fetch(self, kid: str, timeout: float) -> dict[str, VerificationKey]:
        """The keys one fetch brings (for a per-kid source: `kid`'s, or none if it has no
        such key); raises FetchError when the source cannot be read."""


# --- the parts --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The keys as the fetches so far left them. Never changed: replaced."""

    keys: Mapping[str, tuple[VerificationKey, float]]  # kid → (key, when its fetch began)
    complete_at: float | None = None  # when a JWKS last answered for every kid

    def usable(self, now: float, limit: float) -> bool:
        """Whether some key is younger than `limit` (the max age, plus the grace)."""
        return any(now - at < limit for _, at in self.keys.values())


class _Expiring(Generic[V]):
    """Entries remembered until a time, at most `MAX_REMEMBERED` (the oldest go first).
    Written under the cache's lock; a read is one dict lookup, safe without it."""

    def __init__(self) -> None:
        self._until: OrderedDict[str, tuple[float, V]] = OrderedDict()

    def get(self, key: str, now: float) -> V | None:
        entry = self._until.get(key)
        return entry[1] if entry is not None and now < entry[0] else None

    def put(self, key: str, until: float, value: V) -> None:
        self._until[key] = (until, value)
        self._until.move_to_end(key)
        while len(self._until) > MAX_REMEMBERED:
            self._until.popitem(last=False)

    def drop(self, key: str) -> None:
        self._until.pop(key, None)


class MissCache:
    """Kids a fetch did not find, each remembered for the cooldown (a negative cache)."""

    def __init__(self, cooldown: float) -> None:
        self._cooldown = cooldown
        self._misses: _Expiring[bool] = _Expiring()

    def holds(self, kid: str, now: float) -> bool:
        return self._misses.get(kid, now) is not None

    def remember(self, kid: str, now: float) -> None:
        self._misses.put(kid, now + self._cooldown, True)

    def forget(self, kid: str) -> None:
        self._misses.drop(kid)


class Backoff:
    """What a fetch failed on — a scope: "" for a whole JWKS, a kid for the ALB's per-kid
    fetches — and why, for the cooldown: nothing is fetched again for it until then."""

    def __init__(self, cooldown: float) -> None:
        self._cooldown = cooldown
        self._failures: _Expiring[ProviderCause] = _Expiring()

    def failing(self, scope: str, now: float) -> ProviderCause | None:
        return self._failures.get(scope, now)

    def failed(self, scope: str, now: float, cause: ProviderCause) -> None:
        self._failures.put(scope, now + self._cooldown, cause)

    def cleared(self, scope: str) -> None:
        self._failures.drop(scope)


class SingleFlight:
    """One fetch per scope at a time, shared by every caller that needs it, and at most
    `limit` fetches under way at once."""

    def __init__(self, limit: int = MAX_PARALLEL_FETCHES) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._slot_freed = threading.Condition(self._lock)
        self._flights: dict[str, threading.Event] = {}

    def under_way(self, scope: str) -> bool:
        return scope in self._flights

    def run(
        self, scope: str, fetch: Callable[[], None], *, slot_wait: float, join_wait: float
    ) -> None:
        """Run `fetch`, or wait for the run under way for `scope` — within bounds: a slot is
        waited for at most `slot_wait` seconds, a run under way at most `join_wait`."""
        deadline = time.monotonic() + slot_wait
        with self._lock:
            done = self._flights.get(scope)
            while done is None and len(self._flights) >= self._limit:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ProviderUnavailable("busy")  # every fetch slot stayed taken
                self._slot_freed.wait(remaining)
                done = self._flights.get(scope)
            leader = done is None
            if done is None:
                done = self._flights[scope] = threading.Event()
        if not leader:
            if not done.wait(join_wait):
                raise ProviderUnavailable("timeout")  # the fetch under way did not finish
            return
        try:
            fetch()
        finally:
            with self._lock:
                del self._flights[scope]
                self._slot_freed.notify_all()
            done.set()


# --- the cache ---------------------------------------------------------------------------


class KeyCache:
    """The policy above over one KeySource. Thread-safe; `clock` is injectable for tests."""

    def __init__(
        self,
        source: KeySource,
        *,
        max_age: float,
        cooldown: float,
        timeout: float,
        clock: Clock = time.monotonic,
    ) -> None:
        self._source = source
        self._max_age = max_age
        self._cooldown = cooldown
        self._timeout = timeout
        self._clock = clock
        self._snapshot = Snapshot({})
        self._misses = MissCache(cooldown)
        self._backoff = Backoff(cooldown)
        self._flights = SingleFlight()
        self._lock = threading.Lock()  # writers of the snapshot, the misses and the backoff

    def key(self, kid: str, alg: str, *, may_fetch: bool = True) -> VerificationKey:
        """The key for `kid` that fits `alg`; Rejected, ProviderUnavailable, or NeedsFetch
        (when `may_fetch` is false and answering needs the network)."""
        found = self._cached(kid, self._clock())
        if found is None:
            if not may_fetch:
                raise NeedsFetch
            self._flights.run(
                self._scope(kid),
                lambda: self._fetch(kid),
                slot_wait=self._timeout,
                join_wait=self._source.fetch_calls * self._timeout,
            )
            found = self._fetched(kid, self._clock())
        if not found.fits(alg):
            raise Rejected("key_mismatch")
        return found

    def _scope(self, kid: str) -> str:
        """What one fetch answers for: the whole JWKS, or one ALB kid."""
        return "" if self._source.covers_every_kid else kid

    def _cached(self, kid: str, now: float) -> VerificationKey | None:
        """A cached answer, a refusal, or None when a fetch must decide. Lock-free: the
        snapshot is read once, whole."""
        snapshot = self._snapshot
        failing = self._backoff.failing(self._scope(kid), now)
        entry = snapshot.keys.get(kid)
        if entry is not None:
            key, fetched_at = entry
            if now - fetched_at < self._max_age:
                return key
            if failing is None:
                return None
            if now - fetched_at < self._max_age + GRACE:
                return key  # the provider fails: the last good key, for the grace only
            raise ProviderUnavailable(failing)  # the keys are past their grace
        if self._misses.holds(kid, now):
            raise Rejected("unknown_kid")
        if failing is not None:
            if snapshot.usable(now, self._max_age + GRACE):
                raise Rejected("unknown_kid")
            raise ProviderUnavailable(failing)
        if snapshot.complete_at is not None:
            fresh_enough = min(self._cooldown, FRESH_ENOUGH, self._max_age)
            if now - snapshot.complete_at < fresh_enough and not self._flights.under_way(""):
                with self._lock:
                    self._misses.remember(kid, now)
                raise Rejected("unknown_kid")
        return None

    def _fetched(self, kid: str, now: float) -> VerificationKey:
        """The answer once the fetch for `kid` is over (ours, or the one we waited for)."""
        snapshot = self._snapshot
        entry = snapshot.keys.get(kid)
        if entry is not None and now - entry[1] < self._max_age + GRACE:
            return entry[0]
        failing = self._backoff.failing(self._scope(kid), now)
        if failing is not None and not snapshot.usable(now, self._max_age + GRACE):
            raise ProviderUnavailable(failing)
        raise Rejected("unknown_kid")

    def _fetch(self, kid: str) -> None:
        started = self._clock()
        try:
            fetched = self._source.fetch(kid, self._timeout)
        except FetchError as error:
            logger.warning("key fetch failed", extra={"cause": error.cause})
            with self._lock:
                self._backoff.failed(self._scope(kid), self._clock(), error.cause)
            return
        self._record(kid, fetched, started)

    def _record(self, kid: str, fetched: Mapping[str, VerificationKey], started: float) -> None:
        now = self._clock()
        with self._lock:
            old = self._snapshot
            new = {k: (key, started) for k, key in fetched.items()}
            if self._source.covers_every_kid:
                # The document is the whole truth: a key it no longer lists is withdrawn.
                self._snapshot = Snapshot(new, complete_at=started)
            else:
                limit = self._max_age + GRACE
                kept = {
                    k: entry for k, entry in old.keys.items() if k != kid and now - entry[1] < limit
                }
                self._snapshot = Snapshot({**kept, **new})
            self._backoff.cleared(self._scope(kid))
            for found in fetched:
                self._misses.forget(found)
            if kid not in fetched:
                self._misses.remember(kid, now)


class JwksSource:
    """A JSON Web Key Set, found directly or through OIDC discovery (`locate`)."""

    covers_every_kid = True
    fetch_calls = 2  # discovery, the first time, then the JWKS

    def __init__(self, locate: Callable[[float], str]) -> None:
        self._locate = locate

    def fetch(self, kid: str, timeout: float) -> dict[str, VerificationKey]:
        return signing_keys(get_json(self._locate(timeout), timeout))


class OidcDiscovery:
    """The JWKS URL from the issuer's discovery document, found once."""

    def __init__(self, issuer: str) -> None:
        self._issuer = issuer
        self._jwks_url = ""

    def __call__(self, timeout: float) -> str:
        if not self._jwks_url:
            url = self._issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = get_json(url, timeout)
            jwks_uri = document.get("jwks_uri")
            if document.get("issuer") != self._issuer or not isinstance(jwks_uri, str):
                raise FetchError("discovery_mismatch", "discovery does not match the issuer")
            if not secure_url(jwks_uri):
                raise FetchError("insecure_jwks_uri", "discovery names a JWKS that is not https")
            self._jwks_url = jwks_uri
        return self._jwks_url


class AlbKeySource:
    """The ALB's key host: one PEM-encoded ES256 public key per kid, at `{base}/{kid}`."""

    covers_every_kid = False
    fetch_calls = 1

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url.rstrip("/")

    def fetch(self, kid: str, timeout: float) -> dict[str, VerificationKey]:
        try:
            pem = get_bytes(f"{self._base_url}/{kid}", timeout)
        except FetchError as error:
            # No such key: 404 from the regional host, 403 from GovCloud's S3 bucket.
            if error.status in (403, 404):
                return {}
            raise
        try:
            key = load_pem_public_key(pem)
        except ValueError:
            raise FetchError("not_a_key", "the key host answered something else") from None
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
            return {}
        return {kid: VerificationKey(key, "EC", "P-256", "ES256")}


def signing_keys(document: Mapping[str, Any]) -> dict[str, VerificationKey]:
    """The usable public signing keys of a JWKS by kid; a key we cannot use is skipped."""
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise FetchError("no_keys", "JWKS has no key list")
    found = {}
    for jwk in keys:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
            continue
        if jwk.get("use", "sig") != "sig" or any(p in jwk for p in ("d", "p", "q")):
            continue  # an encryption key, or a private one: not a key we verify with
        key = _public_key(jwk)
        if key is not None:
            found[jwk["kid"]] = key
    if not found:
        raise FetchError("no_keys", "JWKS has no usable signing key")
    return found


def _public_key(jwk: dict[str, Any]) -> VerificationKey | None:
    kty, alg = jwk.get("kty"), jwk.get("alg", "")
    if not isinstance(alg, str):
        return None
    try:
        if kty == "RSA":
            key: Any = RSAAlgorithm.from_jwk(jwk)
        elif kty == "EC":
            key = ECAlgorithm.from_jwk(jwk)
        elif kty == "OKP":
            key = OKPAlgorithm.from_jwk(jwk)
        else:
            return None
    except (InvalidKeyError, ValueError, KeyError, TypeError):
        return None
    if isinstance(key, rsa.RSAPublicKey):
        return VerificationKey(key, "RSA", "", alg)
    if isinstance(key, ec.EllipticCurvePublicKey):
        curve = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return VerificationKey(key, "EC", curve.get(key.curve.name, key.curve.name), alg)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return VerificationKey(key, "OKP", "Ed25519", alg)
    if isinstance(key, ed448.Ed448PublicKey):
        return VerificationKey(key, "OKP", "Ed448", alg)
    return None
