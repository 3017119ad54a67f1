"""What the tests expect of the signer's answers, stated once."""

from __future__ import annotations

from typing import Any

import httpx
import jwt

from tests.providers.keys import decode_segment
from tests.providers.shapes.base import Reader
from tests.support.signer import SECRET


def login_claims(token: str) -> dict[str, Any]:
    """The payload of a login token as sent (padded or not), without verifying it."""
    return decode_segment(token.split(".")[1])


def assert_identified(response: httpx.Response, user_id: str) -> dict[str, Any]:
    """The signer named this reader and signed that name (whatever it did with the email)."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["user_id"] == user_id
    signed = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert signed["user_id"] == user_id
    return body


def assert_vouched(response: httpx.Response, reader: Reader) -> dict[str, Any]:
    """The signer named exactly this reader, and passed on and signed the email only if given."""
    body = assert_identified(response, reader.user_id)
    assert body.get("email") == reader.email
    signed = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert signed.get("email") == reader.email
    return body


def assert_refused(response: httpx.Response) -> None:
    assert (response.status_code, response.json()) == (401, {"error": "unauthenticated"})
