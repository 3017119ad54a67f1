"""Token shapes real providers issue that a strict verifier must still accept: Cognito access
tokens (no `aud`, a `client_id`) and RFC 9864's `Ed25519` algorithm name."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.support.forge import signed_raw, signed_with
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SignerUnderTest, running_signer, signer_env

JWK_ALGS = {"Ed25519": "Ed25519", "EdDSA": "EdDSA", "no alg": None}


@pytest.fixture(scope="module")
def okp_issuer() -> Iterator[tuple[IssuerUnderTest, dict[str, str]]]:
    """An issuer publishing three Ed25519 keys, whose JWKs say alg Ed25519, EdDSA, or nothing."""
    issuer = IssuerUnderTest()
    kids = {name: issuer.add_ed25519(alg) for name, alg in JWK_ALGS.items()}
    yield issuer, kids
    issuer.stop()


@pytest.fixture(scope="module")
def okp_signer(okp_issuer: tuple[IssuerUnderTest, dict[str, str]]) -> Iterator[SignerUnderTest]:
    with running_signer(signer_env(okp_issuer[0].url)) as started:
        yield started


@pytest.mark.parametrize("jwk_alg", JWK_ALGS)
@pytest.mark.parametrize("token_alg", ["Ed25519", "EdDSA"])
def test_ed25519_keys_verify_under_either_name(
    token_alg: str,
    jwk_alg: str,
    okp_issuer: tuple[IssuerUnderTest, dict[str, str]],
    okp_signer: SignerUnderTest,
) -> None:
    issuer, kids = okp_issuer
    response = okp_signer.identity(issuer.mint_ed25519(kids[jwk_alg], token_alg, sub="okp"))
    assert (response.status_code, response.json().get("user_id")) == (200, "okp")


def test_ed25519_is_refused_for_a_key_of_another_kind(
    okp_issuer: tuple[IssuerUnderTest, dict[str, str]],
    okp_signer: SignerUnderTest,
    signer_logs: object,
) -> None:
    issuer, kids = okp_issuer
    okp_key, _ = issuer.okp_keys[kids["Ed25519"]]
    now = int(time.time())
    claims = {"iss": issuer.url, "aud": "docs", "sub": "x", "iat": now, "exp": now + 60}
    at_the_rsa_key = signed_with(
        okp_key.sign, {"alg": "Ed25519", "kid": issuer.idp.rsa_kid}, claims
    )
    assert okp_signer.identity(at_the_rsa_key).status_code == 401
    assert '"reason":"key_mismatch"' in signer_logs.getvalue()  # type: ignore[attr-defined]


def _cognito_access_token(issuer: IssuerUnderTest, **changes: object) -> str:
    """An access token shaped as Cognito issues it; a change to None removes that claim."""
    now = int(time.time())
    payload = {
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "iss": issuer.url,
        "client_id": "docs",
        "origin_jti": "1f2e3d4c",
        "event_id": "5a6b7c8d",
        "token_use": "access",
        "scope": "openid email",
        "auth_time": now,
        "exp": now + 3600,
        "iat": now,
        "jti": "9e8d7c6b",
        "username": "reader",
        **changes,
    }
    payload = {k: v for k, v in payload.items() if v is not None}
    key, _ = issuer.idp.keys[issuer.idp.rsa_kid]
    return signed_raw(json.dumps(payload).encode(), key, "RS256", {"kid": issuer.idp.rsa_kid})


def test_a_cognito_access_token_is_accepted_for_its_client_id(
    issuer: IssuerUnderTest, signer: SignerUnderTest
) -> None:
    response = signer.identity(_cognito_access_token(issuer))
    assert response.status_code == 200
    assert response.json()["user_id"] == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"client_id": "someone-else"}, "wrong_audience"),
        ({"client_id": None}, "missing_claim"),
        ({"token_use": "id"}, "missing_claim"),  # an ID token must carry `aud`
        ({"aud": "someone-else"}, "wrong_audience"),  # an `aud` present is checked as such
    ],
)
def test_a_cognito_access_token_for_another_client_is_refused(
    changes: dict[str, object],
    reason: str,
    issuer: IssuerUnderTest,
    signer: SignerUnderTest,
    signer_logs: object,
) -> None:
    assert signer.identity(_cognito_access_token(issuer, **changes)).status_code == 401
    assert f'"reason":"{reason}"' in signer_logs.getvalue()  # type: ignore[attr-defined]
