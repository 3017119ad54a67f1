"""Lambda events as AWS sends them, for the real Mangum handler."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any


class FakeContext:
    """The attributes of Lambda's context object that Powertools and Mangum read."""

    function_name = "intercom-signer"
    function_version = "$LATEST"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:intercom-signer"
    log_group_name = "/aws/lambda/intercom-signer"
    log_stream_name = "2026/11/24/[$LATEST]abc"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 5000


def http_api_v2(
    path: str = "/identity",
    headers: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
    cookies: list[str] | None = None,
    method: str = "GET",
    domain: str = "abc123.execute-api.us-east-1.amazonaws.com",
) -> dict[str, Any]:
    """API Gateway HTTP API payload 2.0 (a Function URL sends the same shape)."""
    context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": domain.split(".")[0],
        "domainName": domain,
        "domainPrefix": domain.split(".")[0],
        "http": {
            "method": method,
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": "203.0.113.7",
            "userAgent": "Mozilla/5.0",
        },
        "requestId": f"req-{uuid.uuid4().hex[:12]}",
        "routeKey": f"{method} {path}",
        "stage": "$default",
        "time": "24/Nov/2026:01:00:00 +0000",
        "timeEpoch": int(time.time() * 1000),
    }
    if claims is not None:
        context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": domain, "user-agent": "Mozilla/5.0", **(headers or {})},
        "requestContext": context,
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    return event


def function_url(path: str = "/identity", headers: dict[str, str] | None = None) -> dict[str, Any]:
    event = http_api_v2(path, headers, domain="xyz789.lambda-url.us-east-1.on.aws")
    event["routeKey"] = "$default"
    event["requestContext"]["routeKey"] = "$default"
    event["requestContext"]["authorizer"] = {
        "iam": {
            "accessKey": "AKIA",
            "accountId": "123456789012",
            "callerId": "AIDA",
            "userArn": "arn:aws:iam::123456789012:user/cf",
            "userId": "AIDA",
        }
    }
    return event


def rest_api_v1(
    path: str = "/identity", headers: dict[str, str] | None = None, method: str = "GET"
) -> dict[str, Any]:
    all_headers = {"Host": "abc123.execute-api.us-east-1.amazonaws.com", **(headers or {})}
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "httpMethod": method,
            "identity": {"sourceIp": "203.0.113.7", "userAgent": "Mozilla/5.0"},
            "path": f"/prod{path}",
            "protocol": "HTTP/1.1",
            "requestId": f"req-{uuid.uuid4().hex[:12]}",
            "resourcePath": path,
            "stage": "prod",
        },
        "body": None,
        "isBase64Encoded": False,
    }


def alb(
    path: str = "/identity", headers: dict[str, str] | None = None, method: str = "GET"
) -> dict[str, Any]:
    return {
        "requestContext": {
            "elb": {
                "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/signer/6d0ecf831eec9f09"
            }
        },
        "httpMethod": method,
        "path": path,
        "queryStringParameters": {},
        "headers": {
            "host": "docs.example.com",
            "x-amzn-trace-id": "Root=1-67891233-abcdef012345678912345678",
            **(headers or {}),
        },
        "body": "",
        "isBase64Encoded": False,
    }


class LambdaRuntime:
    """Invokes a handler the way Lambda does: on a thread of its own, with an event loop of
    its own and none running (the test process may be running another, e.g. Playwright's)."""

    def __init__(self) -> None:
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        self._thread = ThreadPoolExecutor(
            1, initializer=lambda: asyncio.set_event_loop(asyncio.new_event_loop())
        )

    def invoke(self, handler: Any, event: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._thread.submit(handler, event, FakeContext()).result(
            timeout=30
        )
        return result


RUNTIME = LambdaRuntime()


def invoke(handler: Any, event: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    """(status, lower-cased headers, JSON body) of one invocation, for every event shape."""
    result = RUNTIME.invoke(handler, event)
    headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.setdefault(name.lower(), values[0])
    body = result["body"]
    if result.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return result["statusCode"], headers, json.loads(body) if body else {}
