"""Signed fields (SIGNER_ATTRIBUTES): login claims signed into the Intercom JWT only, through
the signer under uvicorn and through the real Lambda handler."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest

from intercom_signer.function import LambdaHandler
from tests.support import events
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SignerUnderTest, running_signer, signer_env

MAPPING = ",".join(
    [
        "plan=plan",
        "seats=seats",
        "ratio=ratio",
        "beta=beta",
        "trial=trial",
        "team_id=https://example.com/team",  # a namespaced claim, as Auth0 writes them
        "groups=groups",
        "profile=profile",
        "bio=bio",
        "nickname=nickname",
        "void=void",
        "huge=huge",
    ]
)
CLAIMS: dict[str, Any] = {
    "plan": "enterprise",
    "seats": 250,
    "ratio": 0.75,
    "beta": True,
    "trial": False,
    "https://example.com/team": "team-42",
    "groups": ["admins", "staff"],  # nested: left out
    "profile": {"tier": "gold"},  # nested: left out
    "bio": "x" * 256,  # oversize: left out
    "void": None,  # null: left out
    "huge": 2**60,  # a number JavaScript cannot hold: left out
    # "nickname" is missing: left out
}
SIGNED = {
    "plan": "enterprise",
    "seats": 250,
    "ratio": 0.75,
    "beta": True,
    "trial": False,
    "team_id": "team-42",
}
LEFT_OUT = {
    "groups": "nested",
    "profile": "nested",
    "bio": "oversize",
    "nickname": "missing",
    "void": "unsupported",
    "huge": "oversize",
}


@pytest.fixture(scope="module")
def fields_signer(issuer: IssuerUnderTest) -> Iterator[SignerUnderTest]:
    with running_signer(signer_env(issuer.url, SIGNER_ATTRIBUTES=MAPPING)) as started:
        yield started


def test_claims_of_every_allowed_type_are_signed_as_they_are(
    issuer: IssuerUnderTest, fields_signer: SignerUnderTest
) -> None:
    body = fields_signer.identity(issuer.token(name="Ada", **CLAIMS)).json()
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    for attribute, value in SIGNED.items():
        assert claims[attribute] == value
        assert type(claims[attribute]) is type(value)
    assert body["signed_fields"] == ["email", "name", *SIGNED]
    for attribute in LEFT_OUT:
        assert attribute not in claims


def test_signed_fields_travel_only_inside_the_jwt(
    issuer: IssuerUnderTest, fields_signer: SignerUnderTest
) -> None:
    body = fields_signer.identity(issuer.token(**CLAIMS)).json()
    assert set(body) == {
        "user_id",
        "email",
        "intercom_user_jwt",
        "signed_fields",
        "expires_at",
    }


def test_claims_left_out_are_logged_by_name_never_by_value(
    issuer: IssuerUnderTest, fields_signer: SignerUnderTest, signer_logs: object
) -> None:
    fields_signer.identity(issuer.token(**CLAIMS))
    logs = signer_logs.getvalue()  # type: ignore[attr-defined]
    for attribute, why in LEFT_OUT.items():
        assert f'"{attribute}":"{why}"' in logs
    for secret_value in ("admins", "gold", "x" * 256, str(2**60)):
        assert secret_value not in logs


def test_a_reserved_claim_in_the_token_cannot_pose_as_a_signed_field(
    issuer: IssuerUnderTest, fields_signer: SignerUnderTest
) -> None:
    # The login token may carry anything; only the mapped attributes are signed.
    body = fields_signer.identity(
        issuer.token(user_hash="f" * 64, app_id="other", company={"id": "evil"}, **CLAIMS)
    ).json()
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert {"user_hash", "app_id", "company"}.isdisjoint(claims)
    assert claims["user_id"] == "reader-1"


def test_signed_fields_through_the_lambda_handler(
    issuer: IssuerUnderTest, load_handler: Callable[..., LambdaHandler]
) -> None:
    handler = load_handler(
        SIGNER_OIDC_ISSUER=issuer.url, SIGNER_OIDC_AUDIENCE="docs", SIGNER_ATTRIBUTES=MAPPING
    )
    token = issuer.token(**CLAIMS)
    event = events.http_api_v2(headers={"authorization": f"Bearer {token}"})
    status, _, body = events.invoke(handler, event)
    assert status == 200
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert {k: claims[k] for k in SIGNED} == SIGNED


def test_signed_fields_from_api_gateway_authorizer_claims(
    load_handler: Callable[..., LambdaHandler],
) -> None:
    # The authorizer hands every claim over as a string, arrays flattened into one.
    handler = load_handler(SIGNER_IDENTITY="apigw-jwt", SIGNER_ATTRIBUTES="plan=plan,seats=seats")
    claims = {"sub": "u", "exp": "4102444800", "plan": "team", "seats": "12"}
    body = events.invoke(handler, events.http_api_v2(claims=claims))[2]
    signed = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert (signed["plan"], signed["seats"]) == ("team", "12")
    assert body["signed_fields"] == ["plan", "seats"]
