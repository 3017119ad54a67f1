"""Security rule 3 through the running signer: an identity provider that fails, slows,
answers junk or rotates its keys."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from intercom_signer.identity import identity_source
from intercom_signer.keys import FRESH_ENOUGH
from intercom_signer.settings import Settings
from tests.support.clock import ManualClock
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SignerUnderTest, signer_env

COOLDOWN = 30.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def signer_on_clock(
    serve_signer: Callable[..., SignerUnderTest], clock: ManualClock
) -> Callable[..., SignerUnderTest]:
    """The running signer, its key cache on the test's clock (the cooldown's default)."""

    def start(issuer_url: str, **env: str) -> SignerUnderTest:
        settings = Settings.from_env(signer_env(issuer_url, **env))
        return serve_signer(issuer_url, env, source=identity_source(settings, clock))

    return start


@pytest.mark.parametrize("fault", ["down", "slow", "junk", "error"])
def test_cached_keys_keep_working_when_the_provider_fails(
    fault: str,
    fresh_issuer: IssuerUnderTest,
    signer_on_clock: Callable[..., SignerUnderTest],
    clock: ManualClock,
    signer_logs: object,
) -> None:
    signer = signer_on_clock(fresh_issuer.url, SIGNER_FETCH_TIMEOUT="0.5")
    assert signer.identity(fresh_issuer.token()).status_code == 200
    clock.advance(FRESH_ENOUGH)  # the JWKS no longer answers for every kid
    if fault == "down":
        fresh_issuer.go_down()
    else:
        fresh_issuer.mode = fault  # type: ignore[assignment]
    assert signer.identity(fresh_issuer.token(sub="still-known")).json()["user_id"] == "still-known"
    # An unknown kid forces a refetch that fails: refused, and the failure is logged by cause.
    stranger = fresh_issuer.idp.add_key("RS256")
    response = signer.identity(fresh_issuer.idp.mint({"sub": "x"}, kid=stranger))
    assert response.status_code == 401
    assert signer.identity(fresh_issuer.token(sub="after")).json()["user_id"] == "after"
    cause = {"down": "unreachable", "slow": "timeout", "junk": "not_json", "error": "http_status"}
    assert f'"cause":"{cause[fault]}"' in signer_logs.getvalue()  # type: ignore[attr-defined]


def test_provider_unreachable_without_cached_keys_gives_503(
    fresh_issuer: IssuerUnderTest,
    signer_on_clock: Callable[..., SignerUnderTest],
    clock: ManualClock,
    signer_logs: object,
) -> None:
    signer = signer_on_clock(fresh_issuer.url)
    token = fresh_issuer.token()
    fresh_issuer.go_down()
    response = signer.identity(token)
    assert response.status_code == 503
    assert response.json() == {"error": "identity_provider_unavailable"}
    assert response.headers["retry-after"].isdigit()
    assert '"cause":"unreachable"' in signer_logs.getvalue()  # type: ignore[attr-defined]
    fresh_issuer.come_back()
    clock.advance(COOLDOWN)
    assert signer.identity(token).status_code == 200, "recovers once the provider is back"


def test_rotated_key_is_accepted_after_one_refetch(
    fresh_issuer: IssuerUnderTest,
    signer_on_clock: Callable[..., SignerUnderTest],
    clock: ManualClock,
) -> None:
    signer = signer_on_clock(fresh_issuer.url)
    old_token = fresh_issuer.token()
    assert signer.identity(old_token).status_code == 200
    before = fresh_issuer.jwks_requests
    fresh_issuer.idp.rotate()
    clock.advance(FRESH_ENOUGH)
    assert signer.identity(fresh_issuer.token(sub="rotated")).json()["user_id"] == "rotated"
    assert fresh_issuer.jwks_requests == before + 1
    assert signer.identity(fresh_issuer.token(sub="again")).status_code == 200
    assert fresh_issuer.jwks_requests == before + 1, "the new key is cached"


@pytest.mark.parametrize(
    "jwks_uri",
    [
        "http://localhost.attacker.example/jwks.json",
        "http://127.0.0.1.nip.example/jwks.json",
        "http://attacker.example/jwks.json#http://localhost",
        "ftp://localhost/jwks.json",
    ],
)
def test_discovery_naming_a_plain_http_jwks_off_loopback_is_refused(
    jwks_uri: str,
    fresh_issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
    signer_logs: object,
) -> None:
    discovery = fresh_issuer.idp.discovery
    fresh_issuer.idp.discovery = lambda: {**discovery(), "jwks_uri": jwks_uri}  # type: ignore[method-assign]
    signer = start_signer(fresh_issuer.url)
    assert signer.identity(fresh_issuer.token()).status_code == 503
    assert '"cause":"insecure_jwks_uri"' in signer_logs.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "jwks_uri", ["https://[::1/jwks.json", "https://login.example.com:99999/jwks.json"]
)
def test_discovery_naming_an_unparsable_jwks_uri_gets_503_and_a_cooldown(
    jwks_uri: str,
    fresh_issuer: IssuerUnderTest,
    signer_on_clock: Callable[..., SignerUnderTest],
    clock: ManualClock,
    signer_logs: object,
) -> None:
    # Before: 500, no cooldown, and discovery fetched again on every request.
    discovery = fresh_issuer.idp.discovery
    fresh_issuer.idp.discovery = lambda: {**discovery(), "jwks_uri": jwks_uri}  # type: ignore[method-assign]
    signer = signer_on_clock(fresh_issuer.url)
    for _ in range(3):
        response = signer.identity(fresh_issuer.token())
        assert response.status_code == 503
        assert response.json() == {"error": "identity_provider_unavailable"}
    assert fresh_issuer.discovery_requests == 1, "nothing fetched again within the cooldown"
    assert '"cause":"insecure_jwks_uri"' in signer_logs.getvalue()  # type: ignore[attr-defined]
    clock.advance(COOLDOWN)
    assert signer.identity(fresh_issuer.token()).status_code == 503
    assert fresh_issuer.discovery_requests == 2


def test_a_malformed_redirect_is_logged_as_a_refused_redirect(
    fresh_issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
    signer_logs: object,
) -> None:
    fresh_issuer.jwks_redirect = "http://[::1/elsewhere"
    signer = start_signer(fresh_issuer.url)
    assert signer.identity(fresh_issuer.token()).status_code == 503
    logs = signer_logs.getvalue()  # type: ignore[attr-defined]
    assert '"cause":"redirect_refused"' in logs
    assert '"cause":"not_json"' not in logs
