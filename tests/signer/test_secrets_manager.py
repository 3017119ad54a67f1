"""The secret from Secrets Manager (moto's server on loopback) or the Lambda extension:
read, rotated within the cache age, and a 503 — never a fallback — when the store is down."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from tests.support.aws import SESSION_TOKEN, ExtensionStandIn, MotoSecretsManager, free_port
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SignerUnderTest

FIRST = "first-intercom-secret-0123456789abcdef"
SECOND = "second-intercom-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoSecretsManager]:
    server = MotoSecretsManager()
    yield server
    server.stop()


@pytest.fixture
def aws_env(moto: MotoSecretsManager, monkeypatch: pytest.MonkeyPatch) -> MotoSecretsManager:
    for name, value in moto.env.items():
        monkeypatch.setenv(name, value)
    return moto


def _stored_signer(
    start: Callable[..., SignerUnderTest], issuer: IssuerUnderTest, arn: str, **env: str
) -> SignerUnderTest:
    return start(
        issuer.url,
        SIGNER_SECRET="",
        SIGNER_SECRET_ARN=arn,
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(free_port()),
        **env,
    )


def _hash(signer: SignerUnderTest, issuer: IssuerUnderTest) -> str:
    response = signer.identity(issuer.token(sub="alice"))
    assert response.status_code == 200, response.text
    return str(response.json()["user_hash"])


def test_secret_is_read_from_secrets_manager(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
) -> None:
    from intercom_signer.signing import user_hash

    arn = aws_env.create("intercom/plain", FIRST)
    assert _hash(_stored_signer(start_signer, issuer, arn), issuer) == user_hash(FIRST, "alice")


def test_json_secret_with_key_secret(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
) -> None:
    from intercom_signer.signing import user_hash

    arn = aws_env.create("intercom/json", f'{{"secret": "{FIRST}"}}')
    assert _hash(_stored_signer(start_signer, issuer, arn), issuer) == user_hash(FIRST, "alice")


def test_rotation_is_picked_up_after_the_cache_age(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
) -> None:
    from intercom_signer.signing import user_hash

    arn = aws_env.create("intercom/rotating", FIRST)
    signer = _stored_signer(start_signer, issuer, arn, SIGNER_SECRET_MAX_AGE="1")
    assert _hash(signer, issuer) == user_hash(FIRST, "alice")
    aws_env.put(arn, SECOND)
    assert _hash(signer, issuer) == user_hash(FIRST, "alice"), "cached within the age"
    time.sleep(1.1)
    assert _hash(signer, issuer) == user_hash(SECOND, "alice")


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
    assert FIRST not in signer_logs.getvalue()  # type: ignore[attr-defined]


def test_short_stored_secret_is_refused_not_used(
    aws_env: MotoSecretsManager,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
) -> None:
    arn = aws_env.create("intercom/short", "short")
    response = _stored_signer(start_signer, issuer, arn).identity(issuer.token())
    assert response.status_code == 503
    assert "user_hash" not in response.text


def test_extension_is_used_when_it_answers(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    from intercom_signer.signing import user_hash

    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:intercom-AbCdEf"
    extension = ExtensionStandIn({arn: FIRST})
    try:
        signer = start_signer(
            issuer.url,
            SIGNER_SECRET="",
            SIGNER_SECRET_ARN=arn,
            PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(extension.port),
            AWS_SESSION_TOKEN=SESSION_TOKEN,
        )
        assert _hash(signer, issuer) == user_hash(FIRST, "alice")
        assert _hash(signer, issuer) == user_hash(FIRST, "alice")
        assert extension.requests == 1, "cached in process between requests"
    finally:
        extension.stop()
