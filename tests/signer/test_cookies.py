"""The login cookie read as browsers send the Cookie header: malformed neighbours hide
nothing, and cookies that share the token's name are each tried — never "last one wins"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SignerUnderTest, running_signer, signer_env


@pytest.fixture(scope="module")
def cookie_signer(issuer: IssuerUnderTest) -> Iterator[SignerUnderTest]:
    with running_signer(signer_env(issuer.url, SIGNER_TOKEN_FROM="cookie:id_token")) as started:
        yield started


def _send(signer: SignerUnderTest, cookie: str) -> tuple[int, dict[str, object]]:
    response = signer.identity(None, headers={"Cookie": cookie})
    return response.status_code, response.json()


# Neighbours that real browsers and AWS's own sample events put in the same header.
MALFORMED_NEIGHBOURS = {
    "AWS sample event's nameless cookies": "cookie1; cookie2; {token}",
    "a JSON value": 'prefs={{"theme":"dark","lang":"en"}}; {token}',
    "a space in a value": "consent=yes please; {token}",
    "a nameless value": "=orphan; {token}",
    "a quoted value with a comma": 'sid="a,b"; {token}',
    "the token first, junk after": "{token}; cookie1",
    "a trailing semicolon": "{token};",
    "analytics cookies": "_ga=GA1.2.1234567890.1700000000; _gid=GA1.2.1; {token}",
}


@pytest.mark.parametrize("case", MALFORMED_NEIGHBOURS, ids=list(MALFORMED_NEIGHBOURS))
def test_a_malformed_neighbour_does_not_hide_the_login_cookie(
    case: str, issuer: IssuerUnderTest, cookie_signer: SignerUnderTest
) -> None:
    token = f"id_token={issuer.token(sub='cookie-reader')}"
    status, body = _send(cookie_signer, MALFORMED_NEIGHBOURS[case].format(token=token))
    assert (status, body["user_id"]) == (200, "cookie-reader")


def test_duplicates_naming_the_same_reader_are_accepted(
    issuer: IssuerUnderTest, cookie_signer: SignerUnderTest
) -> None:
    first, second = issuer.token(sub="alice"), issuer.token(sub="alice", name="Alice")
    status, body = _send(cookie_signer, f"id_token={first}; id_token={second}")
    assert (status, body["user_id"]) == (200, "alice")


@pytest.mark.parametrize("order", ["stale first", "stale last"])
def test_a_stale_duplicate_is_passed_over(
    order: str, issuer: IssuerUnderTest, cookie_signer: SignerUnderTest
) -> None:
    # e.g. an old cookie left on the parent domain next to the site's fresh one
    stale = issuer.idp.mint({"sub": "alice"}, lifetime=-600)
    fresh = issuer.token(sub="alice")
    pair = [stale, fresh] if order == "stale first" else [fresh, stale]
    status, body = _send(cookie_signer, "; ".join(f"id_token={t}" for t in pair))
    assert (status, body["user_id"]) == (200, "alice")


@pytest.mark.parametrize("order", ["alice first", "bob first"])
def test_two_cookies_verifying_as_different_readers_are_refused(
    order: str, issuer: IssuerUnderTest, cookie_signer: SignerUnderTest, signer_logs: object
) -> None:
    alice, bob = issuer.token(sub="alice"), issuer.token(sub="bob")
    pair = [alice, bob] if order == "alice first" else [bob, alice]
    status, body = _send(cookie_signer, "; ".join(f"id_token={t}" for t in pair))
    assert (status, body) == (401, {"error": "unauthenticated"})
    assert '"reason":"ambiguous_credential"' in signer_logs.getvalue()  # type: ignore[attr-defined]


def test_a_forged_duplicate_does_not_hide_the_genuine_cookie(
    issuer: IssuerUnderTest, cookie_signer: SignerUnderTest
) -> None:
    genuine = issuer.token(sub="alice")
    forged = genuine.rsplit(".", 1)[0] + ".AAAA"
    status, body = _send(cookie_signer, f"id_token={genuine}; id_token={forged}")
    assert (status, body["user_id"]) == (200, "alice")


def test_more_same_name_cookies_than_a_browser_sends_are_refused(
    issuer: IssuerUnderTest, cookie_signer: SignerUnderTest
) -> None:
    many = "; ".join(f"id_token={issuer.token(sub='alice')}" for _ in range(5))
    assert _send(cookie_signer, many)[0] == 401


def test_an_oversized_cookie_header_is_refused(cookie_signer: SignerUnderTest) -> None:
    assert _send(cookie_signer, "x=" + "a" * 17000)[0] in (401, 431)
