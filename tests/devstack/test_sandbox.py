"""The sandbox Messenger's server checks identities as Intercom documents and records what it saw.
Tokens are made as a signer makes them: PyJWT, HS256, with the workspace secret."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from starlette.applications import Starlette

from mkdocs_intercom.devstack.sandbox import SandboxMessenger
from mkdocs_intercom.devstack.server import LoopbackServer

SECRET = "sandbox-test-secret-" + "0123456789abcdef" * 3  # test-only; 64 bytes, enough for HS512
APP_ID = "sandboxapp"


class Sandbox:
    def __init__(self, url: str, messenger: SandboxMessenger) -> None:
        self.client = httpx.Client(base_url=url, timeout=10)
        self.messenger = messenger
        self.seq = 0

    def call(self, command: str, args: dict[str, Any] | None, **extra: Any) -> httpx.Response:
        """One Intercom(...) call as the widget reports it; `extra`: `booted` (the identity
        settings of the boot in effect) with an update, `dropped` for one it throttled."""
        self.seq += 1
        call = {"command": command, "args": args, "page": "/", "pageStarted": 1, "seq": self.seq}
        return self.client.post(f"/api/{APP_ID}/messenger", json={**call, **extra})

    def recorded(self) -> dict[str, Any]:
        return self.client.get("/calls").json()[-1]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    messenger = SandboxMessenger(SECRET, APP_ID)
    server = LoopbackServer().start(Starlette(routes=messenger.routes()))
    started = Sandbox(server.url, messenger)
    yield started
    started.client.close()
    server.stop()


def intercom_jwt(claims: dict[str, Any], secret: str = SECRET, algorithm: str = "HS256") -> str:
    now = int(time.time())
    return jwt.encode({"iat": now, "exp": now + 600, **claims}, secret, algorithm=algorithm)


def test_a_jwt_signed_with_the_secret_verifies_with_its_signed_fields_and_expiry(
    sandbox: Sandbox,
) -> None:
    token = intercom_jwt({"user_id": "alice", "email": "alice@example.com", "plan": "enterprise"})
    answer = sandbox.call("boot", {"app_id": APP_ID, "intercom_user_jwt": token})
    assert answer.status_code == 200
    verification = answer.json()["verification"]
    assert verification["verified"] is True
    assert verification["user"] == "alice"
    assert verification["method"] == "jwt"
    assert verification["signed"] == {"email": "alice@example.com", "plan": "enterprise"}
    assert (
        verification["expiresAt"] == jwt.decode(token, options={"verify_signature": False})["exp"]
    )
    recorded = sandbox.recorded()
    assert (recorded["verified"], recorded["user"], recorded["method"]) == (True, "alice", "jwt")
    assert "error" not in recorded


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (lambda: intercom_jwt({"user_id": "alice", "exp": int(time.time()) - 5}), "expired"),
        (lambda: intercom_jwt({"email": "alice@example.com"}), "no user_id claim"),
        (
            lambda: intercom_jwt(
                {"user_id": "alice"}, secret="another-secret-" + "0123456789abcdef" * 2
            ),
            "the signature does not verify with the secret",
        ),
        (
            lambda: intercom_jwt({"user_id": "alice"}, algorithm="HS512"),
            "not HS256",
        ),
        (lambda: jwt.encode({"user_id": "alice"}, None, algorithm="none"), "not HS256"),
    ],
)
def test_a_jwt_intercom_would_refuse_gets_its_403_and_is_recorded_as_refused(
    token: Any, reason: str, sandbox: Sandbox
) -> None:
    answer = sandbox.call("boot", {"app_id": APP_ID, "intercom_user_jwt": token()})
    assert answer.status_code == 403
    message = f"Invalid intercom_user_jwt: {reason}"
    assert answer.json() == {
        "type": "error.list",
        "errors": [{"code": "unauthorized", "message": message}],
    }
    recorded = sandbox.recorded()
    assert (recorded["verified"], recorded["user"], recorded["error"]) == (False, None, message)


def test_a_jwt_without_exp_is_accepted_as_intercom_accepts_it(sandbox: Sandbox) -> None:
    token = jwt.encode({"user_id": "alice"}, SECRET, algorithm="HS256")
    verification = sandbox.call("boot", {"intercom_user_jwt": token}).json()["verification"]
    assert (verification["verified"], verification["expiresAt"]) == (True, None)


def test_a_plaintext_attribute_contradicting_a_signed_one_is_flagged(sandbox: Sandbox) -> None:
    token = intercom_jwt({"user_id": "alice", "plan": "enterprise", "company_id": "acme"})
    answer = sandbox.call(
        "boot",
        {"intercom_user_jwt": token, "plan": "free", "company_id": "acme", "alignment": "left"},
    )
    assert answer.status_code == 200, "Intercom takes the token; the contradiction is flagged"
    assert answer.json()["verification"]["conflicts"] == ["plan"]
    assert sandbox.recorded()["conflicts"] == ["plan"]


def test_a_plaintext_user_id_naming_another_reader_than_the_jwt_is_refused(
    sandbox: Sandbox,
) -> None:
    token = intercom_jwt({"user_id": "alice"})
    answer = sandbox.call("boot", {"intercom_user_jwt": token, "user_id": "mallory"})
    assert answer.status_code == 403
    assert sandbox.recorded()["error"] == "Invalid intercom_user_jwt: user_id does not match"


def test_a_user_hash_verifies_and_another_is_refused(sandbox: Sandbox) -> None:
    good = hmac.new(SECRET.encode(), b"1001", hashlib.sha256).hexdigest()
    answer = sandbox.call("boot", {"user_id": "1001", "user_hash": good})
    assert answer.json()["verification"] == {
        "verified": True,
        "user": "1001",
        "method": "hmac",
        "signed": {},
        "expiresAt": None,
        "conflicts": [],
    }
    assert sandbox.call("boot", {"user_id": "1001", "user_hash": "0" * 64}).status_code == 403
    assert sandbox.recorded()["error"] == "Invalid user_hash"


def test_a_visitor_has_nothing_to_verify(sandbox: Sandbox) -> None:
    answer = sandbox.call("boot", {"app_id": APP_ID})
    assert answer.status_code == 200
    recorded = sandbox.recorded()
    assert (recorded["verified"], recorded["user"]) == (None, None)


def user_hash(user_id: str) -> str:
    return hmac.new(SECRET.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def test_every_record_says_whether_the_call_was_refused_or_dropped(sandbox: Sandbox) -> None:
    sandbox.call("boot", {"intercom_user_jwt": intercom_jwt({"user_id": "alice"})})
    assert (sandbox.recorded()["refused"], sandbox.recorded()["dropped"]) == (False, False)
    sandbox.call("boot", {"intercom_user_jwt": "junk"})
    assert (sandbox.recorded()["refused"], sandbox.recorded()["dropped"]) == (True, False)
    sandbox.call("shutdown", None)
    assert (sandbox.recorded()["refused"], sandbox.recorded()["dropped"]) == (False, False)


def test_an_update_of_a_jwt_messenger_without_the_jwt_gets_intercoms_403(sandbox: Sandbox) -> None:
    """Messenger security: every update of a user booted with a JWT carries a valid JWT."""
    booted = {"intercom_user_jwt": intercom_jwt({"user_id": "alice"})}
    answer = sandbox.call("update", {"hide_default_launcher": False}, booted=booted)
    assert answer.status_code == 403
    message = "Missing intercom_user_jwt: every update of a Messenger booted with a JWT needs one"
    assert answer.json()["errors"] == [{"code": "unauthorized", "message": message}]
    recorded = sandbox.recorded()
    assert recorded["args"] == {"hide_default_launcher": False}
    assert (recorded["refused"], recorded["verified"], recorded["error"]) == (True, False, message)


def test_an_update_carrying_a_valid_jwt_of_the_same_user_is_taken(sandbox: Sandbox) -> None:
    """A renewed JWT (another token, the same user) is what Intercom asks for, even once the
    boot's own JWT has expired."""
    now = int(time.time())
    booted = {
        "intercom_user_jwt": intercom_jwt({"user_id": "alice", "iat": now - 90, "exp": now - 30})
    }
    renewed = intercom_jwt({"user_id": "alice", "plan": "pro"})
    answer = sandbox.call(
        "update", {"intercom_user_jwt": renewed, "hide_default_launcher": True}, booted=booted
    )
    assert answer.status_code == 200
    recorded = sandbox.recorded()
    assert (recorded["refused"], recorded["verified"], recorded["user"]) == (False, True, "alice")
    assert recorded["signed"] == {"plan": "pro"}


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (
            lambda: intercom_jwt({"user_id": "alice", "exp": int(time.time()) - 5}),
            "Invalid intercom_user_jwt: expired",
        ),
        (
            lambda: intercom_jwt({"user_id": "alice"}, secret="another-secret-" + "0" * 32),
            "Invalid intercom_user_jwt: the signature does not verify with the secret",
        ),
        (
            lambda: intercom_jwt({"user_id": "bob"}),
            "Another user by update: a change of user is shutdown then boot",
        ),
    ],
    ids=["expired", "another secret", "another user"],
)
def test_an_update_of_a_jwt_messenger_with_a_jwt_intercom_would_not_take_is_refused(
    token: Any, message: str, sandbox: Sandbox
) -> None:
    booted = {"intercom_user_jwt": intercom_jwt({"user_id": "alice"})}
    answer = sandbox.call("update", {"intercom_user_jwt": token()}, booted=booted)
    assert answer.status_code == 403
    recorded = sandbox.recorded()
    assert (recorded["refused"], recorded["user"], recorded["error"]) == (True, None, message)


@pytest.mark.parametrize(
    "update",
    [
        lambda: {"intercom_user_jwt": intercom_jwt({"user_id": "alice"})},
        lambda: {"user_id": "1001", "user_hash": user_hash("1001")},
    ],
    ids=["jwt", "user_hash"],
)
def test_a_visitor_never_becomes_a_user_by_update(update: Any, sandbox: Sandbox) -> None:
    answer = sandbox.call("update", update(), booted={})
    assert answer.status_code == 403
    recorded = sandbox.recorded()
    assert recorded["refused"] is True
    assert recorded["error"] == "A visitor becomes a user by shutdown then boot, never by update"


def test_a_visitors_update_that_names_nobody_is_taken(sandbox: Sandbox) -> None:
    answer = sandbox.call("update", {"hide_default_launcher": True}, booted={})
    assert answer.status_code == 200
    assert sandbox.recorded()["refused"] is False


def test_a_user_hash_messenger_takes_plain_updates_but_not_another_user(sandbox: Sandbox) -> None:
    booted = {"user_id": "1001", "user_hash": user_hash("1001")}
    assert sandbox.call("update", {"hide_default_launcher": True}, booted=booted).status_code == 200
    answer = sandbox.call(
        "update", {"user_id": "1002", "user_hash": user_hash("1002")}, booted=booted
    )
    assert answer.status_code == 403
    assert (
        sandbox.recorded()["error"]
        == "Another user by update: a change of user is shutdown then boot"
    )


def test_an_update_after_a_refused_boot_is_held_to_nothing_more(sandbox: Sandbox) -> None:
    """A boot Intercom refused started no Messenger: its rules for updates do not apply."""
    booted = {"intercom_user_jwt": "junk"}
    assert sandbox.call("update", {"hide_default_launcher": True}, booted=booted).status_code == 200


def test_an_update_the_widget_dropped_is_recorded_as_dropped_and_never_verified(
    sandbox: Sandbox,
) -> None:
    booted = {"intercom_user_jwt": intercom_jwt({"user_id": "alice"})}
    answer = sandbox.call("update", {"intercom_user_jwt": "junk"}, booted=booted, dropped=True)
    assert (answer.status_code, answer.json()) == (200, {"ok": True, "dropped": True})
    recorded = sandbox.recorded()
    assert (recorded["dropped"], recorded["refused"], recorded["verified"]) == (True, False, None)
    assert "error" not in recorded
