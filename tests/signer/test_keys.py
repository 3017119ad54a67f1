"""Security rule 3: one key cache policy for JWKS and ALB keys, on a test clock.

The keys come from real servers on loopback; only time is the test's to move.
"""

from __future__ import annotations

import threading

import pytest

from intercom_signer.errors import NeedsFetch, ProviderUnavailable, Rejected
from intercom_signer.keys import (
    FRESH_ENOUGH,
    GRACE,
    MAX_REMEMBERED,
    Backoff,
    JwksSource,
    KeyCache,
    MissCache,
    VerificationKey,
)
from tests.support.clock import ManualClock
from tests.support.issuer import IssuerUnderTest

MAX_AGE, COOLDOWN = 300.0, 30.0


def published(issuer: IssuerUnderTest, kid: str) -> VerificationKey:
    """The RSA key `issuer` publishes under `kid`, as its JWKS describes it (`alg` RS256)."""
    private, alg = issuer.idp.keys[kid]
    return VerificationKey(private.public_key(), "RSA", "", alg)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def cache(fresh_issuer: IssuerUnderTest, clock: ManualClock) -> KeyCache:
    url = f"{fresh_issuer.url}/jwks.json"
    return KeyCache(
        JwksSource(lambda timeout: url),
        max_age=MAX_AGE,
        cooldown=COOLDOWN,
        timeout=1.0,
        clock=clock,
    )


def test_keys_are_refetched_after_their_max_age_and_a_withdrawn_key_stops_verifying(
    cache: KeyCache, fresh_issuer: IssuerUnderTest, clock: ManualClock
) -> None:
    old = fresh_issuer.idp.rsa_kid
    withdrawn = published(fresh_issuer, old)
    assert cache.key(old, "RS256") == withdrawn
    fresh_issuer.idp.rotate()  # the provider withdraws the old key
    clock.advance(MAX_AGE - 1)
    assert cache.key(old, "RS256") == withdrawn
    assert fresh_issuer.jwks_requests == 1, "within the max age, the cached keys answer"
    clock.advance(2)
    with pytest.raises(Rejected, match="unknown_kid"):
        cache.key(old, "RS256")
    assert fresh_issuer.jwks_requests == 2


def test_the_last_good_keys_outlive_a_failing_provider_for_the_grace_only(
    cache: KeyCache, fresh_issuer: IssuerUnderTest, clock: ManualClock
) -> None:
    kid = fresh_issuer.idp.rsa_kid
    last_good = published(fresh_issuer, kid)
    cache.key(kid, "RS256")  # fetched while the provider answers
    fresh_issuer.go_down()
    clock.advance(MAX_AGE + 1)
    assert cache.key(kid, "RS256") == last_good  # the refetch fails: within the grace
    clock.advance(GRACE - 2)
    assert cache.key(kid, "RS256") == last_good
    clock.advance(2)
    with pytest.raises(ProviderUnavailable) as unavailable:
        cache.key(kid, "RS256")
    assert unavailable.value.cause == "unreachable"


def test_after_a_failed_fetch_nothing_is_fetched_for_the_cooldown(
    cache: KeyCache, fresh_issuer: IssuerUnderTest, clock: ManualClock
) -> None:
    fresh_issuer.mode = "error"
    with pytest.raises(ProviderUnavailable):
        cache.key(fresh_issuer.idp.rsa_kid, "RS256")
    fresh_issuer.mode = "ok"
    with pytest.raises(ProviderUnavailable):
        cache.key(fresh_issuer.idp.rsa_kid, "RS256", may_fetch=False)  # no fetch, no thread
    assert fresh_issuer.jwks_requests == 1
    clock.advance(COOLDOWN)
    kid = fresh_issuer.idp.rsa_kid
    assert cache.key(kid, "RS256") == published(fresh_issuer, kid)
    assert fresh_issuer.jwks_requests == 2


def test_an_unknown_kid_is_remembered_per_kid_for_the_cooldown(
    cache: KeyCache, fresh_issuer: IssuerUnderTest, clock: ManualClock
) -> None:
    cache.key(fresh_issuer.idp.rsa_kid, "RS256")
    clock.advance(FRESH_ENOUGH)
    with pytest.raises(Rejected, match="unknown_kid"):
        cache.key("junk-1", "RS256")
    assert fresh_issuer.jwks_requests == 2, "a kid the keys do not know is looked for once"
    clock.advance(FRESH_ENOUGH)
    with pytest.raises(Rejected, match="unknown_kid"):
        cache.key("junk-1", "RS256", may_fetch=False)  # refused before any lock or fetch
    clock.advance(COOLDOWN)
    with pytest.raises(Rejected, match="unknown_kid"):
        cache.key("junk-1", "RS256")
    assert fresh_issuer.jwks_requests == 3, "after the cooldown, it may be looked for again"


def test_a_new_genuine_kid_is_fetched_promptly_under_a_flood_of_junk_kids(
    cache: KeyCache, fresh_issuer: IssuerUnderTest, clock: ManualClock
) -> None:
    cache.key(fresh_issuer.idp.rsa_kid, "RS256")
    rotated_at, accepted_at = 60.0, None
    for tick in range(400):  # 200 s of junk kids, one every 0.5 s
        clock.advance(0.5)
        elapsed = (tick + 1) * 0.5
        with pytest.raises(Rejected):
            cache.key(f"junk-{tick}", "RS256")
        if elapsed == rotated_at:
            new = fresh_issuer.idp.rotate()
        if elapsed > rotated_at and accepted_at is None:
            try:
                cache.key(new, "RS256")
                accepted_at = elapsed
            except Rejected:
                pass
    assert accepted_at is not None
    assert accepted_at - rotated_at <= FRESH_ENOUGH + 0.5
    assert fresh_issuer.jwks_requests <= 200 / FRESH_ENOUGH + 2, "junk costs one fetch per window"


def test_callers_for_one_new_kid_share_one_fetch(
    cache: KeyCache, fresh_issuer: IssuerUnderTest
) -> None:
    fresh_issuer.hold()
    kid, results = fresh_issuer.idp.rsa_kid, []
    callers = [
        threading.Thread(target=lambda: results.append(cache.key(kid, "RS256"))) for _ in range(6)
    ]
    for caller in callers:
        caller.start()
    fresh_issuer.release()
    for caller in callers:
        caller.join(10)
    assert results == [published(fresh_issuer, kid)] * 6
    assert fresh_issuer.jwks_requests == 1


@pytest.mark.parametrize(
    ("jwk_alg", "token_alg", "fits"),
    [
        ("RS256", "RS256", True),
        ("RS256", "PS256", False),  # the publisher pinned RS256
        (None, "PS256", True),
        ("ES256", "RS256", False),
    ],
)
def test_a_key_verifies_only_the_algorithms_its_publisher_allows(
    jwk_alg: str | None,
    token_alg: str,
    fits: bool,
    fresh_issuer: IssuerUnderTest,
    cache: KeyCache,
) -> None:
    kid = fresh_issuer.idp.rsa_kid
    key = cache.key(kid, "RS256")
    pinned = VerificationKey(key.key, "RSA", "", jwk_alg or "")
    assert pinned.fits(token_alg) is fits


def test_the_cache_needs_the_network_only_when_it_must_fetch(
    cache: KeyCache, fresh_issuer: IssuerUnderTest
) -> None:
    kid = fresh_issuer.idp.rsa_kid
    with pytest.raises(NeedsFetch):
        cache.key(kid, "RS256", may_fetch=False)
    assert cache.key(kid, "RS256") == published(fresh_issuer, kid)
    assert cache.key(kid, "RS256", may_fetch=False) == published(fresh_issuer, kid)
    assert fresh_issuer.jwks_requests == 1


def test_the_kids_and_scopes_remembered_are_bounded() -> None:
    # A flood of distinct junk kids (or of failing ALB kids) cannot grow memory without end:
    # the oldest entry goes first, the newest is still remembered.
    misses, backoff = MissCache(COOLDOWN), Backoff(COOLDOWN)
    for n in range(MAX_REMEMBERED + 10):
        misses.remember(f"junk-{n}", 0.0)
        backoff.failed(f"junk-{n}", 0.0, "timeout")
    newest = f"junk-{MAX_REMEMBERED + 9}"
    assert not misses.holds("junk-0", 1.0)
    assert misses.holds(newest, 1.0)
    assert backoff.failing("junk-0", 1.0) is None
    assert backoff.failing(newest, 1.0) == "timeout"
    assert backoff.failing(newest, COOLDOWN) is None, "and each for the cooldown only"


def test_a_reader_sees_one_fetch_or_the_next_never_a_mix(
    cache: KeyCache, fresh_issuer: IssuerUnderTest, clock: ManualClock
) -> None:
    # The keys are one immutable snapshot: what a reader holds is not changed by a refetch.
    old = fresh_issuer.idp.rsa_kid
    cache.key(old, "RS256")
    before = cache._snapshot
    fresh_issuer.idp.rotate()  # the provider withdraws the old key
    clock.advance(MAX_AGE)
    with pytest.raises(Rejected, match="unknown_kid"):
        cache.key(old, "RS256")
    assert old in before.keys, "the snapshot a reader took is whole, as it was"
    assert old not in cache._snapshot.keys
