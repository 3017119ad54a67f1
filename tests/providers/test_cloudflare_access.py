"""Cloudflare Access: the application token in `Cf-Access-Jwt-Assertion`, or in the
`CF_Authorization` cookie among the other cookies a real browser sends."""

from __future__ import annotations

import time

import pytest

from tests.providers.expect import assert_identified, assert_refused
from tests.providers.running import LambdaFactory, Signers
from tests.providers.shapes.cloudflare_access import COOKIE, HEADER, CloudflareAccess
from tests.support import events
from tests.support.signer import SITE

# Cookies a docs site's readers really carry next to Access's, in the order a browser sends
# them: a consent manager's JSON (with spaces), analytics, Access's own session cookie.
BROWSER_COOKIES = [
    'cookie_consent={"analytics": false, "necessary": true}',
    "_ga=GA1.1.1234567890.1732400000",
    "_ga_Q1W2E3R4T5=GS1.1.1732400000.3.1.1732400500.0.0.0",
    "CF_AppSession=n4c1e3f0a2b5d7e9",
]
USER_ID = CloudflareAccess.reader.user_id


def test_the_cookie_is_found_among_a_browsers_other_cookies(
    cloudflare_access: CloudflareAccess, signers: Signers
) -> None:
    cookie = "; ".join([*BROWSER_COOKIES, f"{COOKIE}={cloudflare_access.token()}"])
    signer = signers.start(cloudflare_access.cookie_settings())
    assert_identified(signer.identity(headers={"Cookie": cookie}), USER_ID)


@pytest.mark.parametrize("stale_first", [True, False], ids=["stale-first", "stale-last"])
def test_a_stale_cookie_next_to_the_current_one_does_not_hide_the_reader(
    stale_first: bool, cloudflare_access: CloudflareAccess, signers: Signers
) -> None:
    """E.g. an expired CF_Authorization of the team domain next to the application's own."""
    stale = f"{COOKIE}={cloudflare_access.token(exp=int(time.time()) - 3600)}"
    current = f"{COOKIE}={cloudflare_access.token()}"
    cookie = "; ".join([stale, current] if stale_first else [current, stale])
    signer = signers.start(cloudflare_access.cookie_settings())
    assert_identified(signer.identity(headers={"Cookie": cookie}), USER_ID)


def test_two_cookies_of_two_different_readers_are_refused(
    cloudflare_access: CloudflareAccess, signers: Signers
) -> None:
    alice = f"{COOKIE}={cloudflare_access.token()}"
    mallory = f"{COOKIE}={cloudflare_access.token(sub='5b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d')}"
    signer = signers.start(cloudflare_access.cookie_settings())
    for cookie in (f"{alice}; {mallory}", f"{mallory}; {alice}"):
        assert_refused(signer.identity(headers={"Cookie": cookie}))


def test_the_cookie_of_an_http_api_event_reaches_the_lambda_handler(
    cloudflare_access: CloudflareAccess,
    lambda_signer: LambdaFactory,
) -> None:
    """Payload 2.0 moves cookies out of the headers into the event's `cookies` list."""
    signer = lambda_signer(cloudflare_access.cookie_settings())
    cookies = [*BROWSER_COOKIES, f"{COOKIE}={cloudflare_access.token()}"]
    event = events.http_api_v2(headers={"origin": SITE}, cookies=cookies)
    assert_identified(signer.invoke(event), USER_ID)


def test_the_header_through_the_lambda_handler(
    cloudflare_access: CloudflareAccess,
    lambda_signer: LambdaFactory,
) -> None:
    signer = lambda_signer(cloudflare_access.settings())
    headers = {HEADER.lower(): cloudflare_access.token(), "origin": SITE}
    assert_identified(signer.invoke(events.http_api_v2(headers=headers)), USER_ID)


def test_the_header_setting_does_not_fall_back_to_the_cookie(
    cloudflare_access: CloudflareAccess, signers: Signers
) -> None:
    headers = {"Cookie": f"{COOKIE}={cloudflare_access.token()}"}
    assert_refused(signers.for_provider(cloudflare_access).identity(headers=headers))
