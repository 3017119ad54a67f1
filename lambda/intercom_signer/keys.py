"""The identity provider's public keys: one cache policy for JWKS and ALB keys alike.

Two sources sit behind one cache (the shape of aws-jwt-verify's JwksCache): a JWKS, where
one fetch answers for every `kid`, and the ALB's key host, where each `kid` is its own
fetch. The policy, in one place:

- keys are used for at most `max_age` seconds, then refetched; a key the provider withdrew
  stops verifying at that refetch;
- a `kid` a fetch did not find is remembered per kid for `cooldown` seconds (negative
  cache), checked before any lock, so a flood of junk kids costs no fetch once seen;
- a JWKS younger than `FRESH_ENOUGH` answers for every kid, so junk kids cause at most one
  document fetch per that many seconds while a genuinely new kid is seen within it;
- fetches are single-flight (callers for the same fetch wait for it, within its deadline)
  and at most `MAX_PARALLEL_FETCHES` run at once;
- after a failed fetch nothing is fetched for `cooldown` seconds, and the last good keys
  stay in use for `GRACE` seconds past their max age — no longer.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from .errors import NeedsFetch, ProviderUnavailable, Rejected
from .fetch import FetchError, get_bytes, get_json
from .observability import logger
from .settings import secure_url

FRESH_ENOUGH = 5.0  # seconds during which a JWKS is taken as complete (capped by the cooldown)
GRACE = 900.0  # seconds the last good keys outlive their max age while the provider fails
MAX_PARALLEL_FETCHES = 4
MAX_REMEMBERED_MISSES = 1024

Clock = Callable[[], float]

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


@dataclass(slots=True)
class _Flight:
    """One fetch under way; callers that need the same fetch wait for it."""

    done: threading.Event
    started: float


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
        self._keys: dict[str, tuple[VerificationKey, float]] = {}
        self._misses: OrderedDict[str, float] = OrderedDict()  # kid → remembered until
        self._failed_at: float | None = None
        self._failure = ""  # the cause of the last failed fetch
        self._fetched_at: float | None = None  # the last complete JWKS
        self._flights: dict[str, _Flight] = {}
        self._lock = threading.Lock()
        self._slot_freed = threading.Condition(self._lock)

    def key(self, kid: str, alg: str, *, may_fetch: bool = True) -> VerificationKey:
        """The key for `kid` that fits `alg`; Rejected, ProviderUnavailable, or NeedsFetch
        (when `may_fetch` is false and answering needs the network)."""
        found = self._usable(kid, self._clock())
        if found is None:
            if not may_fetch:
                raise NeedsFetch
            self._fetch(kid)
            found = self._after_fetch(kid)
        if not found.fits(alg):
            raise Rejected("key_mismatch")
        return found

    def _usable(self, kid: str, now: float) -> VerificationKey | None:
        """A cached answer, a refusal, or None when a fetch must decide. Lock-free, but to
        remember a miss."""
        entry = self._keys.get(kid)
        if entry is not None:
            key, fetched_at = entry
            if now - fetched_at < self._max_age:
                return key
            if self._backing_off(now):
                if now - fetched_at < self._max_age + GRACE:
                    return key  # the provider fails: the last good key, for the grace only
                raise ProviderUnavailable(self._failure)  # the keys are past their grace
            return None
        missed_until = self._misses.get(kid)
        if missed_until is not None and now < missed_until:
            raise Rejected("unknown_kid")
        if self._backing_off(now):
            if self._any_in_grace(now):
                raise Rejected("unknown_kid")
            raise ProviderUnavailable(self._failure)
        if self._source.covers_every_kid and self._fetched_at is not None:
            fresh_enough = min(self._cooldown, FRESH_ENOUGH, self._max_age)
            if now - self._fetched_at < fresh_enough and "" not in self._flights:
                with self._lock:
                    self._remember_miss(kid, now)
                raise Rejected("unknown_kid")
        return None

    def _after_fetch(self, kid: str) -> VerificationKey:
        now = self._clock()
        entry = self._keys.get(kid)
        if entry is not None and now - entry[1] < self._max_age + GRACE:
            return entry[0]
        if self._failed_at is not None and not self._any_in_grace(now):
            raise ProviderUnavailable(self._failure)
        raise Rejected("unknown_kid")

    def _any_in_grace(self, now: float) -> bool:
        """Whether some key is still usable while the provider fails (max age plus grace)."""
        return any(now - at < self._max_age + GRACE for _, at in self._keys.values())

    def _backing_off(self, now: float) -> bool:
        return self._failed_at is not None and now - self._failed_at < self._cooldown

    def _fetch(self, kid: str) -> None:
        """Fetch, or wait for the fetch under way that answers for `kid` — within bounds:
        a slot is waited for at most one fetch timeout, a fetch under way at most as long
        as a fetch can take (discovery and JWKS: two timeouts)."""
        scope = "" if self._source.covers_every_kid else kid
        deadline = time.monotonic() + self._timeout
        with self._lock:
            flight = self._flights.get(scope)
            while flight is None and len(self._flights) >= MAX_PARALLEL_FETCHES:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ProviderUnavailable("busy")  # every fetch slot stayed taken
                self._slot_freed.wait(remaining)
                flight = self._flights.get(scope)
            leader = flight is None
            if flight is None:
                flight = self._flights[scope] = _Flight(threading.Event(), self._clock())
        if not leader:
            if not flight.done.wait(self._source.fetch_calls * self._timeout):
                raise ProviderUnavailable("timeout")  # the fetch under way did not finish
            return
        try:
            fetched = self._source.fetch(kid, self._timeout)
        except FetchError as error:
            self._record_failure(error)
        else:
            self._record(kid, fetched, flight.started)
        finally:
            with self._lock:
                del self._flights[scope]
                self._slot_freed.notify_all()
            flight.done.set()

    def _record(self, kid: str, fetched: Mapping[str, VerificationKey], started: float) -> None:
        now = self._clock()
        with self._lock:
            self._failed_at = None
            if self._source.covers_every_kid:
                # The document is the whole truth: a key it no longer lists is withdrawn.
                self._keys = {k: (key, started) for k, key in fetched.items()}
                self._fetched_at = started
            else:
                kept = {
                    k: entry
                    for k, entry in self._keys.items()
                    if k != kid and now - entry[1] < self._max_age + GRACE
                }
                self._keys = {**kept, **{k: (key, started) for k, key in fetched.items()}}
            for found in fetched:
                self._misses.pop(found, None)
            if kid not in fetched:
                self._remember_miss(kid, now)

    def _record_failure(self, error: FetchError) -> None:
        logger.warning("key fetch failed", extra={"cause": error.cause})
        with self._lock:
            self._failed_at = self._clock()
            self._failure = error.cause

    def _remember_miss(self, kid: str, now: float) -> None:
        """(Under the lock.) A kid no fetch found, remembered for the cooldown."""
        self._misses[kid] = now + self._cooldown
        self._misses.move_to_end(kid)
        while len(self._misses) > MAX_REMEMBERED_MISSES:
            self._misses.popitem(last=False)


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
