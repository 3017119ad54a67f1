"""The HTTP contract of DESIGN.md and the correctness of what the signer signs."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator

import httpx
import jwt
import pytest

from intercom_signer.signing import intercom_jwt, user_hash
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SITE, SignerUnderTest, running_signer, signer_env

CONTRACT_HEADERS = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "vary": "Origin, Cookie, Authorization",
    "content-type": "application/json",
}


def test_intercom_published_vector() -> None:
    assert (
        user_hash("secret", "Message")
        == "aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597"
    )


def test_the_intercom_jwt_is_written_as_pyjwt_writes_it() -> None:
    claims = {"user_id": "Zoë 読者", "iat": 1, "exp": 2, "plan": "pro", "seats": 3, "beta": True}
    for secret in (SECRET, SECRET + "-rotated", SECRET):
        assert intercom_jwt(secret, claims) == jwt.encode(claims, secret, algorithm="HS256")


def test_a_secret_that_is_a_public_key_is_refused_as_pyjwt_refuses_it() -> None:
    pem = (
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"
    )
    with pytest.raises(jwt.InvalidKeyError):
        intercom_jwt(pem, {"user_id": "u"})


@pytest.fixture(scope="module")
def uid_signer(issuer: IssuerUnderTest) -> Iterator[SignerUnderTest]:
    env = signer_env(issuer.url, SIGNER_USER_ID_CLAIM="uid", SIGNER_OUTPUT="hmac")
    with running_signer(env) as started:
        yield started


@pytest.mark.parametrize("uid", ["reader-1", "Zoë Ünïcødé 読者", 1234567890])
def test_user_hash_matches_an_independent_hmac(
    uid: object, issuer: IssuerUnderTest, uid_signer: SignerUnderTest
) -> None:
    body = uid_signer.identity(issuer.token(uid=uid)).json()
    assert body["user_id"] == str(uid), "numbers become their decimal string"
    expected = hmac.new(SECRET.encode(), str(uid).encode("utf-8"), hashlib.sha256).hexdigest()
    assert body["user_hash"] == expected
    assert "intercom_user_jwt" not in body
    assert "signed_fields" not in body, "signed fields exist only inside a JWT"


def test_the_intercom_jwt_is_the_default_output(
    issuer: IssuerUnderTest, signer: SignerUnderTest
) -> None:
    body = signer.identity(issuer.token(sub="alice", name="Alice")).json()
    assert "user_hash" not in body
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert claims["user_id"] == "alice"
    assert claims["email"] == "reader@example.com"
    assert claims["name"] == "Alice"
    assert claims["exp"] > claims["iat"]
    assert body["signed_fields"] == ["email", "name"]


def test_both_outputs_together(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    body = start_signer(issuer.url, SIGNER_OUTPUT="both").identity(issuer.token()).json()
    assert body["user_hash"] == user_hash(SECRET, "reader-1")
    assert (
        jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])["user_id"] == "reader-1"
    )


def test_es256_login_tokens_are_accepted(issuer: IssuerUnderTest, signer: SignerUnderTest) -> None:
    token = issuer.idp.mint({"sub": "ec-reader"}, kid=issuer.idp.ec_kid)
    assert signer.identity(token).json()["user_id"] == "ec-reader"


def test_token_from_a_cookie(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_TOKEN_FROM="cookie:id_token")
    token = issuer.token(sub="cookie-reader")
    response = signer.identity(None, headers={"Cookie": f"theme=dark; id_token={token}"})
    assert response.json()["user_id"] == "cookie-reader"
    assert signer.identity(token).status_code == 401, (
        "a bearer token is not where this signer looks"
    )


def test_token_from_a_named_header(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_TOKEN_FROM="header:Cf-Access-Jwt-Assertion")
    response = signer.identity(
        None, headers={"Cf-Access-Jwt-Assertion": issuer.token(sub="cf-reader")}
    )
    assert response.json()["user_id"] == "cf-reader"


def test_routes_sit_under_the_base_path(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_BASE_PATH="/api/intercom/")
    assert signer.identity_url.endswith("/api/intercom/identity")
    assert signer.identity(issuer.token()).status_code == 200
    assert signer.client.get("/api/intercom/healthz").json() == {"status": "ok"}
    assert signer.client.get("/identity").status_code == 404


def test_explicit_jwks_url_skips_discovery(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = start_signer(issuer.url, SIGNER_OIDC_JWKS_URL=f"{issuer.url}/jwks.json")
    assert signer.identity(issuer.token()).status_code == 200


def test_a_trailing_slash_redirects_to_the_route(
    issuer: IssuerUnderTest, signer: SignerUnderTest
) -> None:
    response = signer.client.get("/identity/", headers={"Origin": SITE})
    assert response.status_code == 307
    assert httpx.URL(response.headers["location"]).path == "/identity"
    followed = signer.client.get(
        "/identity/",
        headers={"Origin": SITE, "Authorization": f"Bearer {issuer.token()}"},
        follow_redirects=True,
    )
    assert followed.json()["user_id"] == "reader-1"


@pytest.mark.parametrize("origin", [None, SITE])
def test_every_response_carries_the_contract_headers(
    origin: str | None, issuer: IssuerUnderTest, signer: SignerUnderTest
) -> None:
    headers = {"Origin": origin} if origin else {}
    responses = [
        signer.identity(issuer.token(), headers=headers),
        signer.identity(None, headers=headers),
        signer.identity(None, method="POST", headers=headers),
        signer.client.get("/healthz", headers=headers),
        signer.client.get("/nowhere", headers=headers),
        signer.client.get("/identity/", headers=headers),  # the trailing-slash redirect
        signer.client.get("/healthz/", headers=headers),
    ]
    for response in responses:
        for name, value in CONTRACT_HEADERS.items():
            assert response.headers[name] == value, (response.status_code, name)
        if origin:
            assert response.headers["access-control-allow-origin"] == SITE
            assert response.headers["access-control-allow-credentials"] == "true"
        else:
            assert "access-control-allow-origin" not in response.headers


def test_healthz_touches_no_secret(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    # A secret ARN that cannot be read: /healthz must still answer.
    signer = start_signer(
        issuer.url,
        SIGNER_SECRET="",
        SIGNER_SECRET_ARN="arn:aws:secretsmanager:us-east-1:123456789012:secret:none",
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT="1",
    )
    assert signer.client.get("/healthz").json() == {"status": "ok"}
