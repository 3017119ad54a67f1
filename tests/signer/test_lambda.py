"""Real Lambda event shapes through the real handler (Mangum + Powertools)."""

from __future__ import annotations

import base64
import importlib
import json
import os
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from intercom_signer.signing import user_hash
from mkdocs_intercom.devstack.server import LoopbackServer
from tests.support import events
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SITE, captured_logs

ALB_ARN = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/docs/50dc6c495c0c9188"
)
Handler = Callable[..., ModuleType]


@pytest.fixture
def load_handler(monkeypatch: pytest.MonkeyPatch) -> Handler:
    """Import the handler module afresh under the given SIGNER_* environment, as Lambda's init does."""

    def load(**env: str) -> ModuleType:
        for name in list(os.environ):
            if name.startswith("SIGNER_"):
                monkeypatch.delenv(name)
        monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "intercom-signer")
        monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "intercom-signer")
        for name, value in {"SIGNER_SECRET": SECRET, "SIGNER_ALLOWED_ORIGINS": SITE, **env}.items():
            monkeypatch.setenv(name, value)
        import intercom_signer.handler as module

        return importlib.reload(module)

    return load


def invoke(module: ModuleType, event: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    result = events.RUNTIME.invoke(module.handler, event)
    headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.setdefault(name.lower(), values[0])
    body = result["body"]
    if result.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return result["statusCode"], headers, json.loads(body) if body else {}


def assert_contract_headers(headers: dict[str, str]) -> None:
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"] == "application/json"
    assert headers["access-control-allow-origin"] == SITE
    assert headers["access-control-allow-credentials"] == "true"


@pytest.mark.parametrize(
    "shape",
    [
        lambda headers: events.http_api_v2(headers=headers),
        lambda headers: events.rest_api_v1(headers=headers),
        lambda headers: events.function_url(headers=headers),
        lambda headers: events.alb(headers=headers),
    ],
    ids=["http-api-v2", "rest-api-v1", "function-url", "alb"],
)
def test_jwt_identity_through_every_event_shape(
    shape: Callable[[dict[str, str]], dict[str, Any]],
    issuer: IssuerUnderTest,
    load_handler: Handler,
    capsys: pytest.CaptureFixture[str],
) -> None:
    module = load_handler(SIGNER_OIDC_ISSUER=issuer.url, SIGNER_OIDC_AUDIENCE="docs")
    token = issuer.token(sub="lambda-reader")
    with captured_logs() as logs:
        status, headers, body = invoke(
            module, shape({"authorization": f"Bearer {token}", "origin": SITE})
        )
        refused, refused_headers, refused_body = invoke(module, shape({"origin": SITE}))
    assert status == 200
    assert body["user_hash"] == user_hash(SECRET, "lambda-reader")
    assert_contract_headers(headers)
    assert (refused, refused_body) == (401, {"error": "unauthenticated"})
    assert_contract_headers(refused_headers)
    assert token not in logs.getvalue()
    assert body["user_hash"] not in logs.getvalue(), "logs carry no hashes"
    assert SECRET not in logs.getvalue()
    assert '"correlation_id":"' in logs.getvalue()
    emitted = capsys.readouterr().out
    assert '"IdentitiesSigned"' in emitted
    assert '"Rejections"' in emitted


def test_apigw_jwt_takes_the_authorizer_claims(load_handler: Handler) -> None:
    module = load_handler(SIGNER_IDENTITY="apigw-jwt", SIGNER_OUTPUT="both")
    claims = {
        "sub": "cognito-user",
        "email": "c@example.com",
        "email_verified": "true",
        "exp": "4102444800",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/pool",
    }
    status, headers, body = invoke(
        module, events.http_api_v2(headers={"origin": SITE}, claims=claims)
    )
    assert status == 200
    assert body["user_id"] == "cognito-user"
    assert body["email"] == "c@example.com"
    assert (
        jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])["user_id"]
        == "cognito-user"
    )
    assert_contract_headers(headers)


@pytest.mark.parametrize(
    "event",
    [
        events.http_api_v2(headers={"x-amzn-oidc-identity": "victim"}),
        events.function_url(headers={"authorization": "Bearer e30.e30.e30"}),
        events.rest_api_v1(headers={"x-apigateway-claims": '{"sub": "victim"}'}),
        events.alb(headers={"x-amzn-oidc-identity": "victim"}),
    ],
    ids=["v2-without-authorizer", "function-url", "rest-v1", "alb"],
)
def test_apigw_jwt_refuses_events_without_authorizer_claims(
    event: dict[str, Any], load_handler: Handler
) -> None:
    status, _, body = invoke(load_handler(SIGNER_IDENTITY="apigw-jwt"), event)
    assert (status, body) == (401, {"error": "unauthenticated"})


def test_apigw_jwt_refuses_expired_claims(load_handler: Handler) -> None:
    event = events.http_api_v2(claims={"sub": "old", "exp": "1000000000"})
    assert invoke(load_handler(SIGNER_IDENTITY="apigw-jwt"), event)[0] == 401


@pytest.fixture
def elb_key_host(issuer: IssuerUnderTest) -> Iterator[tuple[str, Any, str]]:
    """The regional ELB public-key host: PEM by kid."""
    key, _ = issuer.idp.keys[issuer.idp.ec_kid]
    kid = "f1d2c3b4-a5e6-4f70-8192-a3b4c5d6e7f8"
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    async def by_kid(request: Request) -> Response:
        if request.path_params["kid"] != kid:
            return PlainTextResponse("", status_code=404)
        return Response(pem, media_type="text/plain")

    with LoopbackServer() as server:
        server.start(Starlette(routes=[Route("/{kid}", by_kid)]))
        yield server.url, key, kid


def alb_token(key: Any, kid: str, signer: str, claims: dict[str, Any]) -> str:
    """x-amzn-oidc-data as ALB sends it: ES256 with base64url *with padding*."""
    token = jwt.encode(
        claims,
        key,
        algorithm="ES256",
        headers={
            "kid": kid,
            "signer": signer,
            "iss": "https://login.example.com",
            "client": "docs",
        },
    )
    return ".".join(part + "=" * (-len(part) % 4) for part in token.split("."))


def test_alb_oidc_data_is_verified(
    elb_key_host: tuple[str, Any, str], load_handler: Handler
) -> None:
    import time

    url, key, kid = elb_key_host
    module = load_handler(SIGNER_IDENTITY="alb", SIGNER_ALB_ARN=ALB_ARN, SIGNER_ALB_KEYS_URL=url)
    good = alb_token(
        key,
        kid,
        ALB_ARN,
        {
            "sub": "alb-reader",
            "email": "a@example.com",
            "exp": int(time.time()) + 60,
            "iss": "https://login.example.com",
        },
    )
    status, headers, body = invoke(
        module, events.alb(headers={"x-amzn-oidc-data": good, "origin": SITE})
    )
    assert (status, body["user_id"]) == (200, "alb-reader")
    assert_contract_headers(headers)
    other_lb = alb_token(
        key, kid, ALB_ARN.replace("docs", "other"), {"sub": "x", "exp": int(time.time()) + 60}
    )
    expired = alb_token(key, kid, ALB_ARN, {"sub": "x", "exp": int(time.time()) - 600})
    traversal = alb_token(
        key, "../../etc/passwd", ALB_ARN, {"sub": "x", "exp": int(time.time()) + 60}
    )
    for bad in (other_lb, expired, traversal, good[:-8] + "AAAAAAA="):
        assert invoke(module, events.alb(headers={"x-amzn-oidc-data": bad}))[:3:2] == (
            401,
            {"error": "unauthenticated"},
        )


def test_misconfigured_function_fails_at_init(load_handler: Handler) -> None:
    from intercom_signer.settings import ConfigError

    with pytest.raises(ConfigError, match=r"^SIGNER_OUTPUT"):
        load_handler(SIGNER_IDENTITY="apigw-jwt", SIGNER_OUTPUT="sha1")
