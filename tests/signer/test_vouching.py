"""Security rule 2's vouching policy: nothing outlives the login, and an email is passed
on only when the provider says it verified it."""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
import pytest

from intercom_signer.settings import ConfigError, Settings
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SignerUnderTest, signer_env


def _exp(token: str) -> int:
    return int(jwt.decode(token, options={"verify_signature": False})["exp"])


def test_a_short_login_caps_the_answer_and_the_intercom_jwt(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_JWT_TTL="86400")
    login = issuer.idp.mint({"sub": "brief"}, lifetime=90)
    body = signer.identity(login).json()
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert claims["exp"] == _exp(login), "the Intercom JWT never outlives the login"
    assert body["expires_at"] == _exp(login)


def test_the_jwt_ttl_caps_a_long_login(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_JWT_TTL="900")
    # The login outlives the TTL by a minute: a second ticking over between mint and sign
    # must not make the login the bound.
    body = signer.identity(issuer.idp.mint({"sub": "a"}, lifetime=86400 + 60)).json()
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert claims["exp"] == claims["iat"] + 900
    assert body["expires_at"] == claims["exp"]


def test_an_answer_is_vouched_for_an_hour_at_most(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_JWT_TTL="86400", SIGNER_OUTPUT="both")
    # The login outlives the TTL by a minute: a second ticking over between mint and sign
    # must not make the login the bound.
    body = signer.identity(issuer.idp.mint({"sub": "a"}, lifetime=86400 + 60)).json()
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert body["expires_at"] == claims["iat"] + 3600
    assert claims["exp"] == claims["iat"] + 86400, "the JWT may live its TTL, within the login"


def test_hmac_expiry_follows_the_login_token_capped_at_an_hour(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_OUTPUT="hmac")
    short = issuer.idp.mint({"sub": "a"}, lifetime=120)
    assert signer.identity(short).json()["expires_at"] == _exp(short)
    long_lived = issuer.idp.mint({"sub": "a"}, lifetime=86400)
    assert signer.identity(long_lived).json()["expires_at"] <= int(time.time()) + 3600


def test_a_login_past_its_exp_is_refused_even_within_the_leeway(
    issuer: IssuerUnderTest, signer: SignerUnderTest, signer_logs: object
) -> None:
    # 10 s past exp: within the verifier's 30 s of clock leeway, yet nothing is left to vouch for.
    response = signer.identity(issuer.idp.mint({"sub": "late"}, lifetime=-10))
    assert response.status_code == 401
    assert '"reason":"expired"' in signer_logs.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("email_verified", "passed_on"),
    [
        (True, True),
        ("absent", False),
        (False, False),
        ("true", False),  # a string in a JSON token is not the boolean the claim defines
        (1, False),
        ("false", False),
    ],
)
def test_an_email_is_passed_on_only_when_verified(
    email_verified: object,
    passed_on: bool,
    issuer: IssuerUnderTest,
    signer: SignerUnderTest,
) -> None:
    claims: dict[str, object] = {"sub": "reader-1", "email": "reader@example.com"}
    if email_verified != "absent":
        claims["email_verified"] = email_verified
    body = signer.identity(issuer.idp.mint(claims)).json()
    signed = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert ("email" in body) is passed_on
    assert ("email" in signed) is passed_on, "an unverified email is never signed"
    assert ("email" in body["signed_fields"]) is passed_on


def test_trusting_unverified_emails_is_an_explicit_choice(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_TRUST_UNVERIFIED_EMAIL="true")
    entra_like = issuer.idp.mint({"sub": "oid-1", "email": "someone@contoso.example"})
    body = signer.identity(entra_like).json()
    assert body["email"] == "someone@contoso.example"
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert claims["email"] == "someone@contoso.example"


CUSTOM_EMAIL = "https://docs.example.com/email"
CUSTOM_VERIFIED = "https://docs.example.com/email_verified"


def test_email_verified_vouches_for_email_alone_so_a_custom_email_claim_needs_its_own(
    issuer: IssuerUnderTest,
) -> None:
    # The reproduction: a verified `email` and a custom claim holding another address.
    with pytest.raises(ConfigError) as refused:
        Settings.from_env(signer_env(issuer.url, SIGNER_EMAIL_CLAIM=CUSTOM_EMAIL))
    message = str(refused.value)
    assert message.startswith("SIGNER_EMAIL_CLAIM=")
    assert "SIGNER_EMAIL_VERIFIED_CLAIM" in message
    assert "SIGNER_TRUST_UNVERIFIED_EMAIL" in message
    with pytest.raises(ConfigError, match=r"^SIGNER_EMAIL_CLAIM="):
        Settings.from_env(
            signer_env(
                issuer.url,
                SIGNER_EMAIL_CLAIM=CUSTOM_EMAIL,
                SIGNER_EMAIL_VERIFIED_CLAIM="email_verified",  # named, and still the wrong one
            )
        )


def test_a_custom_email_claim_is_passed_on_only_when_the_claim_named_for_it_is_true(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(
        issuer.url,
        SIGNER_EMAIL_CLAIM=CUSTOM_EMAIL,
        SIGNER_EMAIL_VERIFIED_CLAIM=CUSTOM_VERIFIED,
        SIGNER_OUTPUT="both",
    )
    attack = issuer.token(**{CUSTOM_EMAIL: "ceo@victim.example"})  # email_verified: true
    body = signer.identity(attack).json()
    assert "email" not in body
    assert "email" not in jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    vouched = issuer.token(**{CUSTOM_EMAIL: "reader@example.com", CUSTOM_VERIFIED: True})
    assert signer.identity(vouched).json()["email"] == "reader@example.com"


def test_a_custom_email_claim_under_the_documented_opt_in_is_passed_on(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(
        issuer.url, SIGNER_EMAIL_CLAIM=CUSTOM_EMAIL, SIGNER_TRUST_UNVERIFIED_EMAIL="true"
    )
    token = issuer.token(**{CUSTOM_EMAIL: "reader@example.com"}, email_verified=False)
    assert signer.identity(token).json()["email"] == "reader@example.com"
