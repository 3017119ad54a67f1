"""Amazon Cognito: a user pool's ID and access tokens, verified by the signer itself (`jwt`)
or by API Gateway's JWT authorizer in front of the real Lambda handler (`apigw-jwt`); an
unverified email is dropped as for the other providers (test_shared_rules.py)."""

from __future__ import annotations

import pytest

from tests.providers.apigateway import authorizer_claims
from tests.providers.expect import assert_refused, assert_vouched, login_claims
from tests.providers.running import LambdaFactory, Signers
from tests.providers.shapes.base import Reader
from tests.providers.shapes.cognito import SUB, Cognito
from tests.support import events
from tests.support.lifecycle import stopping
from tests.support.signer import SITE

SIGNS_IN_WITHOUT_EMAIL = Reader(SUB, None)


def test_an_access_token_names_the_reader_by_its_client_id(
    cognito: Cognito, signers: Signers
) -> None:
    token = cognito.access_token()
    assert "aud" not in login_claims(token), "Cognito access tokens carry client_id, no aud"
    assert_vouched(signers.answer(cognito, token), SIGNS_IN_WITHOUT_EMAIL)


def test_an_access_token_of_another_app_client_is_refused(
    cognito: Cognito, signers: Signers
) -> None:
    token = cognito.access_token(client_id="7a1b2c3d4e5f6g7h8i9j0k1l2m")
    assert_refused(signers.answer(cognito, token))


def test_an_id_token_without_aud_is_not_taken_for_an_access_token(
    cognito: Cognito, signers: Signers
) -> None:
    token = cognito.token(aud=None, client_id=cognito.settings()["SIGNER_OIDC_AUDIENCE"])
    assert_refused(signers.answer(cognito, token))


def test_a_token_of_another_user_pool_is_refused(cognito: Cognito, signers: Signers) -> None:
    with stopping(Cognito(pool_id="eu-west-1_ZyXwVu987", host=cognito.host)) as another_pool:
        for token in (another_pool.token(), another_pool.access_token()):
            assert_refused(signers.answer(cognito, token))


def test_the_lambda_handler_verifies_the_token_of_an_http_api_event(
    cognito: Cognito, lambda_signer: LambdaFactory
) -> None:
    signer = lambda_signer(cognito.settings())
    headers = {**cognito.present(cognito.token()), "origin": SITE}
    assert_vouched(signer.invoke(events.http_api_v2(headers=headers)), cognito.reader)


@pytest.mark.parametrize(
    ("token_use", "reader"),
    [("id", Cognito.reader), ("access", SIGNS_IN_WITHOUT_EMAIL)],
)
def test_api_gateway_authorizer_claims_name_the_reader(
    token_use: str, reader: Reader, cognito: Cognito, lambda_signer: LambdaFactory
) -> None:
    token = cognito.token() if token_use == "id" else cognito.access_token()
    claims = authorizer_claims(login_claims(token))
    assert claims["token_use"] == token_use
    signer = lambda_signer({"SIGNER_IDENTITY": "apigw-jwt"})
    event = events.http_api_v2(headers={"origin": SITE}, claims=claims)
    assert_vouched(signer.invoke(event), reader)


def test_api_gateway_claims_of_an_unverified_email_carry_no_email(
    cognito: Cognito, lambda_signer: LambdaFactory
) -> None:
    claims = authorizer_claims(login_claims(cognito.token(email_verified=False)))
    assert claims["email_verified"] == "false"
    signer = lambda_signer({"SIGNER_IDENTITY": "apigw-jwt"})
    event = events.http_api_v2(headers={"origin": SITE}, claims=claims)
    assert_vouched(signer.invoke(event), SIGNS_IN_WITHOUT_EMAIL)
