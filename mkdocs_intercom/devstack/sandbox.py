"""The sandbox Messenger: a stand-in for Intercom's widget host, for the demo and the tests.

Its script (served at the plugin's `widget_url`) implements the `Intercom(...)` command API
and, like Intercom's widget, sends each command to its server. The server checks
`intercom_user_jwt` and `user_hash` against the workspace secret as Intercom documents, so
the secret never reaches the browser, answers a bad or missing one with Intercom's 403,
and records every call for tests to read at GET /calls.

What Intercom documents, and the sandbox checks
(https://developers.intercom.com/installing-intercom/web/identity-verification):
- `intercom_user_jwt`: HS256 with the Messenger API secret; `user_id` required (a token
  without it is refused); `exp` recommended and, when present, enforced. Every other claim
  is a signed field: an attribute nobody can set from the browser.
- `user_hash` (deprecated): hex HMAC-SHA256 of the `user_id` (or, without one, the email).

What Intercom does with `update`, and the sandbox enforces (`verify_update`, and the widget's
throttle in static/sandbox-widget.js):
- Under Messenger security every request of a Messenger booted with a JWT carries a valid JWT
  (https://developers.intercom.com/docs/ios-identity-verification: "Intercom requires a valid
  JWT for every request"; the web Messenger answers an identified update without one with 403,
  as observed in production). An update with no `intercom_user_jwt`, or with one that is
  expired, badly signed or names another user, is refused.
- A change of reader (visitor to user, user to another user) is `shutdown` then `boot`; an
  `update` that names another reader is refused.
- "You can call Intercom('update') without getting throttled up to 20 times per 30 minutes
  [...] Reloading the page will refresh this state"
  (https://developers.intercom.com/docs/intercom-javascript). The widget throttles in the page,
  as Intercom's does, and reports each update it dropped; the sandbox records it as dropped.
  The docs do not say when the 30 minutes start, so the widget holds to the strictest reading:
  at most 20 in any 30 minutes.

The widget sends with each `update` the identity of the boot in effect in call order
(`booted`: the boot's identity settings, `null` after a shutdown), since calls reach the
server concurrently and a record must not depend on which arrived first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

WIDGET_SCRIPT = Path(__file__).parent / "static" / "sandbox-widget.js"
_CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type"}
# Claims of the Intercom JWT that are about the token, not the reader.
_TOKEN_CLAIMS = frozenset({"user_id", "iat", "exp", "nbf"})
# Settings that are not reader attributes, so never contradict a signed field.
_NOT_ATTRIBUTES = frozenset({"app_id", "api_base", "user_hash", "intercom_user_jwt", "user_id"})
MISSING_JWT = "Missing intercom_user_jwt: every update of a Messenger booted with a JWT needs one"
VISITOR_TO_USER = "A visitor becomes a user by shutdown then boot, never by update"
ANOTHER_USER = "Another user by update: a change of user is shutdown then boot"
_JWT_ERRORS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.InvalidSignatureError, "the signature does not verify with the secret"),
    (jwt.MissingRequiredClaimError, "no user_id claim"),
    (jwt.InvalidAlgorithmError, "not HS256"),
)


@dataclass(frozen=True)
class Verification:
    """What Intercom would make of the identity in one boot or update."""

    verified: bool | None  # None: nothing to verify (a visitor, or an update without identity)
    user: str | None = None  # the user id Intercom would now see
    method: str | None = None  # "jwt" or "hmac"
    error: str = ""
    signed: dict[str, Any] = field(default_factory=dict)  # the JWT's signed fields
    expires_at: int | None = None  # the JWT's exp
    conflicts: tuple[str, ...] = ()  # plaintext attributes that contradict a signed field

    def answer(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "user": self.user,
            "method": self.method,
            "signed": self.signed,
            "expiresAt": self.expires_at,
            "conflicts": list(self.conflicts),
        }


def verify(secret: str, settings: dict[str, Any], *, expired_ok: bool = False) -> Verification:
    """Intercom's identity verification for the settings of a boot or an update."""
    user_id = settings.get("user_id")
    if settings.get("intercom_user_jwt") is not None:
        return _verify_jwt(secret, str(settings["intercom_user_jwt"]), settings, expired_ok)
    if user_id is None and settings.get("email") is None and "user_hash" not in settings:
        return Verification(None)  # a visitor: nothing to verify
    user_hash = settings.get("user_hash")
    if not isinstance(user_hash, str):
        return Verification(False, method=None, error="Missing user_hash")
    identifier = str(user_id if user_id is not None else settings.get("email"))
    expected = hmac.new(secret.encode(), identifier.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, user_hash):
        return Verification(False, method="hmac", error="Invalid user_hash")
    return Verification(True, None if user_id is None else str(user_id), method="hmac")


def verify_update(
    secret: str, booted: dict[str, Any] | None, settings: dict[str, Any]
) -> Verification:
    """Intercom's rules for an `update` of the Messenger that the boot `booted` started (its
    identity settings; None when no boot is in effect): a JWT Messenger's updates carry a
    valid JWT of its user, and no update changes who the reader is."""
    result = verify(secret, settings)
    running = None if booted is None else verify(secret, booted, expired_ok=True)
    if running is None or running.verified is False or result.verified is False:
        return result  # nothing booted (or a refused boot): nothing more to hold it to
    if running.user is None:
        return Verification(False, error=VISITOR_TO_USER) if result.verified else result
    if running.method == "jwt" and settings.get("intercom_user_jwt") is None:
        return Verification(False, method="jwt", error=MISSING_JWT)
    if result.user is not None and result.user != running.user:
        return Verification(False, method=result.method, error=ANOTHER_USER)
    return result


def _verify_jwt(
    secret: str, token: str, settings: dict[str, Any], expired_ok: bool = False
) -> Verification:
    # expired_ok: who a running Messenger was booted as, once its boot's JWT has expired
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["user_id"], "verify_exp": not expired_ok},
        )
    except jwt.PyJWTError as error:
        reason = next((text for kind, text in _JWT_ERRORS if isinstance(error, kind)), None)
        message = f"Invalid intercom_user_jwt: {reason or type(error).__name__}"
        return Verification(False, method="jwt", error=message)
    user = str(claims["user_id"])
    if settings.get("user_id") is not None and str(settings["user_id"]) != user:
        message = "Invalid intercom_user_jwt: user_id does not match"
        return Verification(False, method="jwt", error=message)
    signed = {name: value for name, value in claims.items() if name not in _TOKEN_CLAIMS}
    conflicts = tuple(
        name
        for name, value in settings.items()
        if name not in _NOT_ATTRIBUTES and name in signed and value != signed[name]
    )
    exp = claims.get("exp")
    return Verification(
        True,
        user,
        method="jwt",
        signed=signed,
        expires_at=int(exp) if isinstance(exp, int | float) else None,
        conflicts=conflicts,
    )


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
        # Every record says whether Intercom refused the call (403) or the widget dropped it.
        call.update(refused=False, dropped=call.get("dropped") is True)
        if request.path_params["app_id"] != self.app_id:
            status, answer = 404, _error_list("not_found", "App not found")
        elif call["dropped"]:
            # Throttled in the page: Intercom never sees it, so nothing is verified.
            call.update(verified=None, user=None, method=None, signed={}, conflicts=[])
            answer["dropped"] = True
        elif command in ("boot", "update") and isinstance(args, dict):
            booted = call.get("booted")
            result = (
                verify_update(self._secret, booted if isinstance(booted, dict) else None, args)
                if command == "update"
                else verify(self._secret, args)
            )
            # The recording contract: `verified`, `user` (whether or not user_id was sent in
            # plaintext) and, on a refusal, `error` and `refused`.
            call.update(
                verified=result.verified,
                user=result.user,
                method=result.method,
                signed=result.signed,
                conflicts=list(result.conflicts),
            )
            answer["verification"] = result.answer()
            if result.verified is False:
                call.update(error=result.error, refused=True)
                status, answer = 403, _error_list("unauthorized", result.error)
        with self._lock:
            self._calls.append(call)
        return JSONResponse(answer, status, headers=_CORS)

    async def _list_calls(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.clear()
        return JSONResponse(self.calls)


def _error_list(code: str, message: str) -> dict[str, Any]:
    """Intercom's error body."""
    return {"type": "error.list", "errors": [{"code": code, "message": message}]}
