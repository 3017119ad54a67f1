"""Real Lambda event shapes through the real handler (Mangum + Powertools)."""

from __future__ import annotations

import asyncio
import contextvars
import importlib.metadata
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from mangum import Mangum
from mangum.protocols.http import HTTPCycle, HTTPCycleState

from intercom_signer.adapter import MANGUM_VERSION, LambdaAdapter
from intercom_signer.function import LambdaHandler
from tests.support import events
from tests.support.aws import sdk_environment, stored_secret
from tests.support.events import invoke
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SITE, captured_logs, signer_env

Handler = Callable[..., LambdaHandler]
SHAPES = {
    "http-api-v2": lambda headers, path="/identity": events.http_api_v2(path, headers=headers),
    "rest-api-v1": lambda headers, path="/identity": events.rest_api_v1(path, headers=headers),
    "function-url": lambda headers, path="/identity": events.function_url(path, headers=headers),
    "alb": lambda headers, path="/identity": events.alb(path, headers=headers),
}


def assert_contract_headers(headers: dict[str, str]) -> None:
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["vary"] == "Origin, Cookie, Authorization"
    assert headers["access-control-allow-origin"] == SITE
    assert headers["access-control-allow-credentials"] == "true"


def emitted_metrics(out: str) -> list[tuple[str, list[list[str]], dict[str, Any]]]:
    """(metric name, dimension sets, the EMF document) of every metric printed."""
    found = []
    for line in out.splitlines():
        if '"_aws"' not in line:
            continue
        document = json.loads(line)
        for directive in document["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                found.append((metric["Name"], directive["Dimensions"], document))
    return found


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_jwt_identity_through_every_event_shape(
    shape: str,
    issuer: IssuerUnderTest,
    load_handler: Handler,
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler = load_handler(SIGNER_OIDC_ISSUER=issuer.url, SIGNER_OIDC_AUDIENCE="docs")
    token = issuer.token(sub="lambda-reader")
    with captured_logs() as logs:
        status, headers, body = invoke(
            handler, SHAPES[shape]({"authorization": f"Bearer {token}", "origin": SITE})
        )
        refused, refused_headers, refused_body = invoke(handler, SHAPES[shape]({"origin": SITE}))
    assert status == 200
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert claims["user_id"] == "lambda-reader"
    assert_contract_headers(headers)
    assert (refused, refused_body) == (401, {"error": "unauthenticated"})
    assert_contract_headers(refused_headers)
    assert token not in logs.getvalue()
    assert body["intercom_user_jwt"] not in logs.getvalue(), "logs carry no signatures"
    assert SECRET not in logs.getvalue()
    assert '"correlation_id":"' in logs.getvalue()
    names = {name for name, _, _ in emitted_metrics(capsys.readouterr().out)}
    assert {"IdentitiesSigned", "Rejections", "RejectionsByReason"} <= names


def test_a_log_line_carries_its_own_request_and_no_earlier_one(load_handler: Handler) -> None:
    handler = load_handler(SIGNER_IDENTITY="apigw-jwt")
    first = events.http_api_v2()
    untraced = events.alb()  # an ALB event without a trace header has no request id
    del untraced["headers"]["x-amzn-trace-id"]
    with captured_logs() as logs:
        invoke(handler, first)  # refused: no authorizer claims
        invoke(handler, untraced)
    lines = [json.loads(line) for line in logs.getvalue().splitlines()]
    assert [line["message"] for line in lines] == ["request refused"] * 2
    assert lines[0]["correlation_id"] == first["requestContext"]["requestId"]
    assert "correlation_id" not in lines[1]
    assert lines[0]["function_request_id"] != lines[1]["function_request_id"]


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_the_trailing_slash_redirect_carries_the_contract_headers(
    shape: str, issuer: IssuerUnderTest, load_handler: Handler
) -> None:
    handler = load_handler(SIGNER_OIDC_ISSUER=issuer.url, SIGNER_OIDC_AUDIENCE="docs")
    status, headers, _ = invoke(handler, SHAPES[shape]({"origin": SITE}, "/identity/"))
    assert status == 307
    assert headers["location"].endswith("/identity")
    assert_contract_headers(headers)


def test_the_login_cookie_among_aws_sample_cookies(
    issuer: IssuerUnderTest, load_handler: Handler
) -> None:
    handler = load_handler(**signer_env(issuer.url, SIGNER_TOKEN_FROM="cookie:id_token"))
    token = issuer.token(sub="cookie-reader")
    # HTTP API payload 2.0 hands cookies over as a list; AWS's sample event has these two.
    event = events.http_api_v2(cookies=["cookie1", "cookie2", f"id_token={token}"])
    status, _, body = invoke(handler, event)
    assert (status, body["user_id"]) == (200, "cookie-reader")


def test_apigw_jwt_takes_the_authorizer_claims(load_handler: Handler) -> None:
    handler = load_handler(SIGNER_IDENTITY="apigw-jwt", SIGNER_OUTPUT="both")
    claims = {
        "sub": "cognito-user",
        "email": "c@example.com",
        "email_verified": "true",  # the authorizer hands every claim over as a string
        "exp": "4102444800",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/pool",
    }
    status, headers, body = invoke(
        handler, events.http_api_v2(headers={"origin": SITE}, claims=claims)
    )
    assert status == 200
    assert body["user_id"] == "cognito-user"
    assert body["email"] == "c@example.com"
    signed = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert signed["user_id"] == "cognito-user"
    assert signed["email"] == "c@example.com"
    assert_contract_headers(headers)


def test_apigw_jwt_vouches_no_longer_than_the_login(load_handler: Handler) -> None:
    import time

    handler = load_handler(SIGNER_IDENTITY="apigw-jwt", SIGNER_JWT_TTL="86400")
    exp = int(time.time()) + 90
    claims = {"sub": "brief", "exp": str(exp)}
    body = invoke(handler, events.http_api_v2(claims=claims))[2]
    assert body["expires_at"] == exp
    assert jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])["exp"] == exp


@pytest.mark.parametrize("verified", [None, "false", "True"])
def test_apigw_jwt_drops_an_email_the_authorizer_does_not_call_verified(
    verified: str | None, load_handler: Handler
) -> None:
    handler = load_handler(SIGNER_IDENTITY="apigw-jwt")
    claims = {"sub": "u", "email": "u@example.com", "exp": "4102444800"}
    if verified is not None:
        claims["email_verified"] = verified
    body = invoke(handler, events.http_api_v2(claims=claims))[2]
    assert "email" not in body
    assert "email" not in jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])


SPOOF = json.dumps({"requestContext": {"authorizer": {"jwt": {"claims": {"sub": "victim"}}}}})
SPOOF_HEADERS = {
    "x-amzn-request-context": SPOOF,
    "x-apigateway-event": SPOOF,
    "x-apigateway-claims": '{"sub": "victim"}',
    "x-amzn-oidc-identity": "victim",
    "authorization": "Bearer e30.e30.e30",
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_apigw_jwt_refuses_claims_spoofed_through_headers(
    shape: str, load_handler: Handler
) -> None:
    # v2 without an authorizer, REST v1, a function URL (IAM authorizer), an ALB: none of
    # them carries JWT authorizer claims, whatever their headers say.
    status, _, body = invoke(
        load_handler(SIGNER_IDENTITY="apigw-jwt"), SHAPES[shape](SPOOF_HEADERS)
    )
    assert (status, body) == (401, {"error": "unauthenticated"})


def test_apigw_jwt_refuses_expired_claims(load_handler: Handler) -> None:
    event = events.http_api_v2(claims={"sub": "old", "exp": "1000000000"})
    assert invoke(load_handler(SIGNER_IDENTITY="apigw-jwt"), event)[0] == 401


def test_5xx_answers_are_counted_as_server_errors_with_their_cause(
    issuer: IssuerUnderTest,
    load_handler: Handler,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in sdk_environment("http://127.0.0.1:1").items():  # nothing listens there
        monkeypatch.setenv(name, value)
    handler = load_handler(**signer_env(issuer.url, **stored_secret()))
    event = events.http_api_v2(headers={"authorization": f"Bearer {issuer.token()}"})
    with captured_logs() as logs:
        status, headers, body = invoke(handler, event)
    assert (status, body) == (503, {"error": "secret_unavailable"})
    assert headers["retry-after"].isdigit()
    assert '"cause":"unreachable"' in logs.getvalue()
    metrics = emitted_metrics(capsys.readouterr().out)
    names = {name for name, _, _ in metrics}
    assert "ServerErrors" in names
    assert "Rejections" not in names, "a failure of ours is not a refusal of the reader"
    by_reason = [doc for name, _, doc in metrics if name == "ServerErrorsByReason"]
    assert [doc["reason"] for doc in by_reason] == ["secret_unavailable"]
    for name, dimensions, document in metrics:
        assert document["service"] == "intercom-signer"
        if name == "ServerErrorsByReason":
            assert sorted(dimensions[0]) == ["reason", "service"]
        if name == "ServerErrors":
            assert dimensions == [["service"]]


def test_an_exception_message_never_reaches_the_logs(
    issuer: IssuerUnderTest,
    load_handler: Handler,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler = load_handler(SIGNER_OIDC_ISSUER=issuer.url, SIGNER_OIDC_AUDIENCE="docs")
    token = issuer.token(sub="crash-reader")

    def crash(*args: object, **kwargs: object) -> dict[str, Any]:
        raise RuntimeError(f"cannot verify {token}")  # e.g. a library quoting its input

    monkeypatch.setattr("intercom_signer.identity.check_signature_and_claims", crash)
    caplog.set_level(logging.DEBUG)
    event = events.http_api_v2(headers={"authorization": f"Bearer {token}", "origin": SITE})
    with captured_logs() as logs:
        status, headers, body = invoke(handler, event)
    assert (status, body) == (500, {"error": "internal"})
    assert_contract_headers(headers)
    out = capsys.readouterr()
    everything = logs.getvalue() + caplog.text + out.out + out.err
    assert "RuntimeError" in logs.getvalue(), "the type is logged"
    assert token not in everything
    assert "cannot verify" not in everything
    assert "Traceback" not in everything
    assert "ServerErrors" in {name for name, _, _ in emitted_metrics(out.out)}


def test_misconfigured_function_fails_at_init(load_handler: Handler) -> None:
    from intercom_signer.settings import ConfigError

    with pytest.raises(ConfigError, match=r"^SIGNER_OUTPUT"):
        load_handler(SIGNER_IDENTITY="apigw-jwt", SIGNER_OUTPUT="sha1")


REQUEST_VALUE: contextvars.ContextVar[str] = contextvars.ContextVar("request_value", default="")


async def _waits_then_answers(scope: Any, receive: Any, send: Any) -> None:
    REQUEST_VALUE.set("set before waiting")
    await asyncio.sleep(0)  # a checkpoint: the loop takes over here
    assert REQUEST_VALUE.get() == "set before waiting"
    loop = asyncio.get_running_loop()
    answer = loop.create_future()
    loop.call_soon(answer.set_result, b'{"waited": true}')
    body = await answer  # resolved by a later loop turn
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _cancelled_then_answers(scope: Any, receive: Any, send: Any) -> None:
    await asyncio.sleep(0)
    task = asyncio.current_task()
    assert task is not None
    task.cancel()
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:  # thrown in by the task, reaching the app as it would
        body = b'{"cancelled": true}'
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def _waits_then_fails(scope: Any, receive: Any, send: Any) -> None:
    await asyncio.sleep(0)
    raise RuntimeError("after waiting")


def test_an_app_that_waits_is_finished_by_the_event_loop() -> None:
    # The adapter steps the app without the loop; one that waits is handed over, not lost.
    status, _, body = invoke(LambdaAdapter(_waits_then_answers), events.http_api_v2())
    assert (status, body) == (200, {"waited": True})
    assert events.RUNTIME.invoke(lambda *_: {"left": REQUEST_VALUE.get()}, {}) == {"left": ""}
    status, _, body = invoke(LambdaAdapter(_cancelled_then_answers), events.http_api_v2())
    assert (status, body) == (200, {"cancelled": True})
    failed = events.RUNTIME.invoke(LambdaAdapter(_waits_then_fails), events.http_api_v2())
    assert failed["statusCode"] == 500  # Mangum's own answer to an app that raises


def test_the_eager_adapter_was_written_against_the_installed_mangum() -> None:
    # adapter.py steps Mangum's HTTPCycle itself and skips its event-loop lookup: another
    # Mangum may have moved either. Re-read mangum/protocols/http.py and mangum/adapter.py,
    # re-run `make bench warm` (it prints the adapter against Mangum as documented), then
    # raise MANGUM_VERSION — or drop the adapter if the difference is gone.
    installed = importlib.metadata.version("mangum")
    assert installed == MANGUM_VERSION, (
        f"Mangum {installed} is installed; intercom_signer/adapter.py was written against "
        f"{MANGUM_VERSION}: re-read Mangum's HTTPCycle and re-run `make bench warm`"
    )
    assert "_setup_event_loop" in vars(Mangum), "the loop lookup the adapter skips is gone"
    cycle = HTTPCycle({"type": "http"}, b"")
    assert inspect.iscoroutinefunction(HTTPCycle.run)
    assert cycle.state is HTTPCycleState.REQUEST


def test_the_handler_looks_up_no_event_loop(load_handler: Handler) -> None:
    # asyncio.get_event_loop() outside a running loop warns since Python 3.12 and raises on
    # 3.14 when none is set: building and invoking the handler must never call it.
    calls: list[str] = []

    def recorded() -> asyncio.AbstractEventLoop:
        calls.append("get_event_loop")
        raise RuntimeError("There is no current event loop")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(asyncio, "get_event_loop", recorded)
        handler = load_handler(SIGNER_IDENTITY="apigw-jwt")
        status, _, _ = invoke(handler, events.http_api_v2(claims={"sub": "u", "exp": "4102444800"}))
        waited = invoke(LambdaAdapter(_waits_then_answers), events.http_api_v2())
    assert (status, waited[0]) == (200, 200)
    assert calls == []
