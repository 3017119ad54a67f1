"""The real Lambda handler on the sample events AWS ships with the SAM CLI — HTTP API (payload
2.0), REST API (proxy) and ALB — carrying only the credential a front door would add."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from intercom_signer.function import LambdaHandler
from tests.support.aws_samples import sample_event
from tests.support.elb import ALB_ARN, ElbKeyHost
from tests.support.events import invoke
from tests.support.forge import alb_token
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import signer_env

Handler = Callable[..., LambdaHandler]
COOKIE = "id_token"


def aws_sample(service: str, event: str) -> dict[str, Any]:
    """The sample as `sam local generate-event` writes it, for `GET /identity`."""
    return sample_event(service, event, method="GET", path="identity", body="")


def test_an_http_api_event_names_the_reader_of_its_bearer_token(
    issuer: IssuerUnderTest, load_handler: Handler
) -> None:
    handler = load_handler(SIGNER_OIDC_ISSUER=issuer.url, SIGNER_OIDC_AUDIENCE="docs")
    event = aws_sample("apigateway", "http-api-proxy")
    assert invoke(handler, event)[0] == 401, "AWS's sample alone carries no credential"
    event["headers"]["authorization"] = f"Bearer {issuer.token(sub='sample-reader')}"
    status, _, body = invoke(handler, event)
    assert (status, body["user_id"]) == (200, "sample-reader")


def test_the_login_cookie_is_found_among_the_samples_own_cookies(
    issuer: IssuerUnderTest, load_handler: Handler
) -> None:
    """Payload 2.0 moves cookies out of the headers into a list: AWS's sample has two."""
    handler = load_handler(**signer_env(issuer.url, SIGNER_TOKEN_FROM=f"cookie:{COOKIE}"))
    event = aws_sample("apigateway", "http-api-proxy")
    assert event["cookies"] == ["cookie1", "cookie2"]
    event["cookies"].append(f"{COOKIE}={issuer.token(sub='cookie-reader')}")
    status, _, body = invoke(handler, event)
    assert (status, body["user_id"]) == (200, "cookie-reader")


def test_an_http_api_authorizers_claims_name_the_reader_only_with_a_user_id(
    load_handler: Handler,
) -> None:
    """`apigw-jwt`: AWS's sample authorizer claims (claim1, claim2) name nobody; Cognito's
    claims, written as strings as API Gateway writes them, do."""
    handler = load_handler(SIGNER_IDENTITY="apigw-jwt")
    event = aws_sample("apigateway", "http-api-proxy")
    assert invoke(handler, event)[0] == 401
    event["requestContext"]["authorizer"]["jwt"]["claims"] = {
        "sub": "cognito-reader",
        "email": "reader@example.com",
        "email_verified": "true",
        "exp": str(int(time.time()) + 600),
        "token_use": "id",
    }
    status, _, body = invoke(handler, event)
    assert (status, body["user_id"], body["email"]) == (200, "cognito-reader", "reader@example.com")


@pytest.mark.parametrize(("service", "event"), [("apigateway", "aws-proxy"), ("alb", "request")])
def test_events_without_authorizer_claims_never_name_a_reader_to_apigw_jwt(
    service: str, event: str, load_handler: Handler
) -> None:
    handler = load_handler(SIGNER_IDENTITY="apigw-jwt")
    sample = aws_sample(service, event)
    sample["headers"]["x-amzn-oidc-identity"] = "spoofed-reader"
    sample["headers"]["authorization"] = "Bearer spoofed"
    assert invoke(handler, sample)[0] == 401


def test_a_rest_api_proxy_event_names_the_reader_of_its_bearer_token(
    issuer: IssuerUnderTest, load_handler: Handler
) -> None:
    handler = load_handler(SIGNER_OIDC_ISSUER=issuer.url, SIGNER_OIDC_AUDIENCE="docs")
    event = aws_sample("apigateway", "aws-proxy")
    assert invoke(handler, event)[0] == 401
    bearer = f"Bearer {issuer.token(sub='rest-reader')}"
    event["headers"]["Authorization"] = bearer
    event["multiValueHeaders"]["Authorization"] = [bearer]
    status, _, body = invoke(handler, event)
    assert (status, body["user_id"]) == (200, "rest-reader")


def test_an_alb_event_names_the_reader_of_its_oidc_data(
    elb: ElbKeyHost, load_handler: Handler
) -> None:
    handler = load_handler(
        SIGNER_IDENTITY="alb", SIGNER_ALB_ARN=ALB_ARN, SIGNER_ALB_KEYS_URL=elb.url
    )
    event = aws_sample("alb", "request")
    assert invoke(handler, event)[0] == 401
    kid, key = elb.new_key()
    exp = int(time.time()) + 120
    event["headers"]["x-amzn-oidc-data"] = alb_token(
        key, {"kid": kid, "signer": ALB_ARN, "exp": exp}, {"sub": "alb-reader", "exp": exp}
    )
    status, _, body = invoke(handler, event)
    assert (status, body["user_id"]) == (200, "alb-reader")
