"""The sandbox Messenger: a stand-in for Intercom's widget host, for the demo and the tests.

Its script (served at the plugin's `widget_url`) implements the `Intercom(...)` command API
and, like Intercom's widget, sends each command to its server. The server checks
`user_hash` and `intercom_user_jwt` against the workspace secret as Intercom documents, so
the secret never reaches the browser, answers a bad or missing one with Intercom's 403,
and records every call for tests to read at GET /calls.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from pathlib import Path
from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

WIDGET_SCRIPT = Path(__file__).parent / "static" / "sandbox-widget.js"
_CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type"}


def verify(secret: str, settings: dict[str, Any]) -> tuple[bool, str, str | None]:
    """Intercom's identity verification for boot/update settings:
    (verified, error message, the user id Intercom would now see, from the JWT or user_id)."""
    user_id = settings.get("user_id")
    token = settings.get("intercom_user_jwt")
    if token is not None:
        try:
            claims = jwt.decode(
                str(token), secret, algorithms=["HS256"], options={"require": ["exp", "user_id"]}
            )
        except jwt.PyJWTError as error:
            return False, f"Invalid intercom_user_jwt: {type(error).__name__}", None
        if user_id is not None and str(claims["user_id"]) != str(user_id):
            return False, "Invalid intercom_user_jwt: user_id does not match", None
        return True, "", str(claims["user_id"])
    if user_id is None and settings.get("email") is None:
        return True, "", None  # a visitor: nothing to verify
    user_hash = settings.get("user_hash")
    if not isinstance(user_hash, str):
        return False, "Missing user_hash", None
    identifier = str(user_id if user_id is not None else settings["email"])
    expected = hmac.new(secret.encode(), identifier.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, user_hash):
        return False, "Invalid user_hash", None
    return True, "", None if user_id is None else str(user_id)


class SandboxMessenger:
    def __init__(self, secret: str, app_id: str) -> None:
        self.app_id = app_id
        self._secret = secret
        self._calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def routes(self, prefix: str = "") -> list[BaseRoute]:
        return [
            Route(f"{prefix}/widget/{{app_id}}", self._widget),
            Route(
                f"{prefix}/api/{{app_id}}/messenger", self._messenger, methods=["POST", "OPTIONS"]
            ),
            Route(f"{prefix}/calls", self._list_calls, methods=["GET", "DELETE"]),
        ]

    @property
    def calls(self) -> list[dict[str, Any]]:
        """Every Intercom(...) call, in the order each page made them."""
        with self._lock:
            return sorted(self._calls, key=lambda call: (call["pageStarted"], call["seq"]))

    def commands(self) -> list[str]:
        return [call["command"] for call in self.calls]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    async def _widget(self, request: Request) -> Response:
        return FileResponse(
            WIDGET_SCRIPT, media_type="text/javascript", headers={"Cache-Control": "no-store"}
        )

    async def _messenger(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=_CORS)
        try:
            call = json.loads(await request.body())
            command, args = str(call["command"]), call.get("args")
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "bad request"}, 400, headers=_CORS)
        status = 200
        answer: dict[str, Any] = {"ok": True}
        if request.path_params["app_id"] != self.app_id:
            status, answer = (
                404,
                {
                    "type": "error.list",
                    "errors": [{"code": "not_found", "message": "App not found"}],
                },
            )
        elif command in ("boot", "update") and isinstance(args, dict):
            verified, message, user = verify(self._secret, args)
            call["user"] = user  # the verified reader, whether or not user_id was in plaintext
            call["verified"] = (
                verified
                if (args.get("user_id") or args.get("intercom_user_jwt") or args.get("user_hash"))
                else None
            )
            if not verified:
                call["error"] = message
                status = 403
                answer = {
                    "type": "error.list",
                    "errors": [{"code": "unauthorized", "message": message}],
                }
        with self._lock:
            self._calls.append(call)
        return JSONResponse(answer, status, headers=_CORS)

    async def _list_calls(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.clear()
        return JSONResponse(self.calls)
