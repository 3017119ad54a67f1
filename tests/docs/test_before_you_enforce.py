"""*Before you enforce*: the product app's user id, mapped from a custom claim as the quick start
shows, is the `user_id` the signer vouches for — and signs into the Intercom JWT."""

from __future__ import annotations

from collections.abc import Callable

import jwt
import pytest

from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SignerUnderTest


@pytest.mark.parametrize(
    "claim",
    [
        "https://example.com/user_id",  # a namespaced claim, as an Auth0 Action adds it
        "custom:app_user_id",  # a Cognito custom attribute
        "uid",  # Okta's user id in a custom server's access token
    ],
)
def test_the_apps_user_id_comes_from_the_claim_named(
    claim: str, issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_USER_ID_CLAIM=claim)
    answer = signer.identity(issuer.token(sub="auth0|5f7c1e", **{claim: "u_1842"}))
    assert answer.status_code == 200
    assert answer.json()["user_id"] == "u_1842"
    signed = jwt.decode(answer.json()["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert signed["user_id"] == "u_1842"


def test_a_reader_without_the_claim_is_not_signed_as_anyone(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_USER_ID_CLAIM="https://example.com/user_id")
    assert signer.identity(issuer.token(sub="auth0|5f7c1e")).status_code == 401
