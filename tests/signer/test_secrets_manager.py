"""The secret from Secrets Manager (moto's server on loopback) or the Lambda extension:
read, rotated within the cache age, and a 503 naming its cause — never a fallback secret."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import boto3
import jwt
import pytest
from moto.core.authorization import enable_iam_authentication

from intercom_signer.secret_store import StoredSecret
from intercom_signer.settings import Settings
from intercom_signer.signing import user_hash
from tests.support.aws import (
    SECRET_ARN as ARN,
)
from tests.support.aws import (
    SESSION_TOKEN,
    ExtensionStandIn,
    MotoSecretsManager,
    stored_secret,
)
from tests.support.clock import ManualClock
from tests.support.issuer import IssuerUnderTest
from tests.support.lifecycle import stopping
from tests.support.signer import SignerUnderTest, signer_env
from tests.support.waiting import free_port

FIRST = "first-intercom-secret-0123456789abcdef"
SECOND = "second-intercom-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoSecretsManager]:
    with stopping(MotoSecretsManager()) as server:
        yield server


@pytest.fixture
def aws_env(moto: MotoSecretsManager, monkeypatch: pytest.MonkeyPatch) -> MotoSecretsManager:
    for name, value in moto.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    return moto


def _stored_env(arn: str, **env: str) -> dict[str, str]:
    return {
        **stored_secret(arn),
        "SIGNER_OUTPUT": "hmac",
        "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(free_port()),
        **env,
    }


def _stored_signer(
    start: Callable[..., SignerUnderTest], issuer: IssuerUnderTest, arn: str, **env: str
) -> SignerUnderTest:
    return start(issuer.url, **_stored_env(arn, **env))


def _hash(signer: SignerUnderTest, issuer: IssuerUnderTest) -> str:
    response = signer.identity(issuer.token(sub="alice"))
    assert response.status_code == 200, response.text
    return str(response.json()["user_hash"])


@pytest.mark.parametrize(
    ("name", "stored"),
    [("intercom/plain", FIRST), ("intercom/json", f'{{"secret": "{FIRST}"}}')],
    ids=["plain", "json-with-key-secret"],
)
def test_secret_is_read_from_secrets_manager_as_is_or_under_the_json_key_secret(
    name: str,
    stored: str,
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
) -> None:
    arn = aws_env.create(name, stored)
    assert _hash(_stored_signer(start_signer, issuer, arn), issuer) == user_hash(FIRST, "alice")


def test_rotation_is_picked_up_after_the_cache_age(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    serve_signer: Callable[..., SignerUnderTest],
) -> None:
    arn = aws_env.create("intercom/rotating", FIRST)
    env = _stored_env(arn, SIGNER_SECRET_MAX_AGE="60", SIGNER_OUTPUT="both")
    clock = ManualClock()
    secrets = StoredSecret(Settings.from_env(signer_env(issuer.url, **env)), clock)
    signer = serve_signer(issuer.url, env, secrets=secrets)
    assert _hash(signer, issuer) == user_hash(FIRST, "alice")
    aws_env.put(arn, SECOND)
    clock.advance(59)
    assert _hash(signer, issuer) == user_hash(FIRST, "alice"), "cached within the age"
    clock.advance(1)
    assert _hash(signer, issuer) == user_hash(SECOND, "alice")
    signed = signer.identity(issuer.token(sub="alice")).json()["intercom_user_jwt"]
    assert jwt.decode(signed, SECOND, algorithms=["HS256"])["user_id"] == "alice"


def test_store_down_gives_503_with_retry_after_then_recovers(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
    signer_logs: object,
) -> None:
    arn = aws_env.create("intercom/outage", FIRST)
    signer = _stored_signer(start_signer, issuer, arn, SIGNER_SECRET_MAX_AGE="0")
    aws_env.go_down()
    try:
        response = signer.identity(issuer.token())
        assert response.status_code == 503
        assert response.json() == {"error": "secret_unavailable"}
        assert int(response.headers["retry-after"]) > 0
    finally:
        aws_env.come_back()
    assert signer.identity(issuer.token()).status_code == 200
    logs = signer_logs.getvalue()  # type: ignore[attr-defined]
    assert '"cause":"unreachable"' in logs
    assert FIRST not in logs


@pytest.mark.parametrize(
    ("stored", "cause"),
    [
        (None, "empty"),  # a fresh stack's secret: created without a value
        ("   ", "empty"),
        ("tiny-secret-value", "too_short"),
        ('{"secret": ""}', "no_secret_key"),
        ('{"secret": "unterminated', "not_json"),
    ],
)
def test_an_unusable_stored_secret_gives_503_naming_why(
    stored: str | None,
    cause: str,
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
    signer_logs: object,
) -> None:
    name = f"intercom/unusable-{cause}-{len(stored or '')}"
    if stored is None:  # as the stack creates it: no value until you put one
        arn = aws_env.client().create_secret(Name=name)["ARN"]
    else:
        arn = aws_env.create(name, stored)
    response = _stored_signer(start_signer, issuer, arn).identity(issuer.token())
    assert (response.status_code, response.json()) == (503, {"error": "secret_unavailable"})
    logs = signer_logs.getvalue()  # type: ignore[attr-defined]
    assert f'"cause":"{cause}"' in logs
    if stored and stored.strip():
        assert stored not in logs


def test_a_secret_that_does_not_exist_is_named_as_such(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
    signer_logs: object,
) -> None:
    response = _stored_signer(start_signer, issuer, ARN).identity(issuer.token())
    assert response.status_code == 503
    assert '"cause":"not_found"' in signer_logs.getvalue()  # type: ignore[attr-defined]


def test_a_role_without_access_is_named_as_such(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
    monkeypatch: pytest.MonkeyPatch,
    signer_logs: object,
) -> None:
    arn = aws_env.create("intercom/denied", FIRST)
    iam = boto3.client(
        "iam",
        endpoint_url=aws_env.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    iam.create_user(UserName="signer-without-policy")
    key = iam.create_access_key(UserName="signer-without-policy")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    signer = _stored_signer(start_signer, issuer, arn)
    with enable_iam_authentication():
        response = signer.identity(issuer.token())
    assert response.status_code == 503
    assert '"cause":"access_denied"' in signer_logs.getvalue()  # type: ignore[attr-defined]


def test_extension_is_used_when_it_answers(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    with stopping(ExtensionStandIn({ARN: FIRST})) as extension:
        port = str(extension.port)
        signer = _stored_signer(
            start_signer,
            issuer,
            ARN,
            PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=port,
            AWS_SESSION_TOKEN=SESSION_TOKEN,
        )
        assert _hash(signer, issuer) == user_hash(FIRST, "alice")
        assert _hash(signer, issuer) == user_hash(FIRST, "alice")
        assert extension.requests == 1, "cached in process between requests"


def test_without_a_session_token_snapstart_style_the_sdk_is_used_straight_away(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
) -> None:
    # SnapStart functions have no AWS_SESSION_TOKEN, and the extension refuses requests
    # without it: the signer must not even ask it.
    arn = aws_env.create("intercom/snapstart", FIRST)
    with stopping(ExtensionStandIn({arn: SECOND})) as extension:
        port = str(extension.port)
        signer = _stored_signer(
            start_signer, issuer, arn, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=port
        )
        assert _hash(signer, issuer) == user_hash(FIRST, "alice")
        assert extension.requests == 0
