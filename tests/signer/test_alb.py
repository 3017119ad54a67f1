"""`SIGNER_IDENTITY=alb`: x-amzn-oidc-data as the ALB makes it — padded base64url, signed over
the padded segments — through the real Lambda handler, and its keys under a flood."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from intercom_signer.errors import ProviderUnavailable, Rejected
from intercom_signer.function import LambdaHandler
from intercom_signer.identity import AlbOidcSource
from intercom_signer.keys import AlbKeySource, KeyCache
from intercom_signer.settings import Settings
from tests.support import events
from tests.support.clock import ManualClock
from tests.support.elb import ALB_ARN, ElbKeyHost
from tests.support.forge import alb_token
from tests.support.signer import SECRET, SITE, SignerUnderTest, signer_env
from tests.support.waiting import eventually

COGNITO = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"
CLIENT = "5example0client0id0abc"


def alb_env(elb: ElbKeyHost, **env: str) -> dict[str, str]:
    """The signer behind this load balancer, its keys on `elb`, its IdP a Cognito pool."""
    return {
        "SIGNER_IDENTITY": "alb",
        "SIGNER_ALB_ARN": ALB_ARN,
        "SIGNER_ALB_KEYS_URL": elb.url,
        "SIGNER_OIDC_AUDIENCE": CLIENT,
        **env,
    }


def _genuine(elb: ElbKeyHost, kid: str, **claims: Any) -> str:
    """A token as an ALB in front of Cognito sends it (user info claims are strings)."""
    exp = _soon()
    header = _header(kid, exp)
    payload = {
        "sub": "6c1d2e3f-alb-reader",
        "email_verified": "true",
        "email": "reader@example.com",
        "username": "reader",
        "exp": exp,
        "iss": COGNITO,
        **claims,
    }
    return alb_token(elb.keys[kid], header, payload)


@pytest.fixture
def alb_handler(
    elb: ElbKeyHost, load_handler: Callable[..., LambdaHandler]
) -> Callable[[str], tuple[int, dict[str, str], dict[str, Any]]]:
    handler = load_handler(**alb_env(elb, SIGNER_OIDC_ISSUER=COGNITO))

    def send(token: str) -> tuple[int, dict[str, str], dict[str, Any]]:
        event = events.alb(headers={"x-amzn-oidc-data": token, "origin": SITE})
        return events.invoke(handler, event)

    return send


@pytest.mark.parametrize("username", ["r", "re", "rea", "read", "reade", "reader"])
def test_genuine_alb_tokens_verify_whatever_their_padding(
    username: str, elb: ElbKeyHost, alb_handler: Callable[[str], Any]
) -> None:
    # Six name lengths move the payload through every padding; ECDSA varies the signature's.
    kid, _ = elb.new_key()
    token = _genuine(elb, kid, username=username)
    status, headers, body = alb_handler(token)
    assert (status, body["user_id"]) == (200, "6c1d2e3f-alb-reader")
    assert headers["cache-control"] == "no-store"


def test_the_padding_cases_above_are_all_exercised(elb: ElbKeyHost) -> None:
    """The control for the test above: its tokens really carry padding, of every length."""
    kid, _ = elb.new_key()
    paddings = {
        len(_genuine(elb, kid, username=name).split(".")[1]) % 4
        for name in ["r", "re", "rea", "read", "reade", "reader"]
    }
    assert {len(seg) - len(seg.rstrip("=")) for seg in ["", "A=", "A=="]} == {0, 1, 2}
    assert paddings == {0}, "padded base64url always has a length that is a multiple of 4"
    unpadded = {
        len(_genuine(elb, kid, username=name).split(".")[1].rstrip("="))
        for name in ["r", "re", "rea", "read", "reade", "reader"]
    }
    assert {n % 4 for n in unpadded} >= {0, 2, 3}, "payloads needing 0, 1 and 2 '=' all occur"


def test_the_alb_user_info_email_verified_string_counts(
    elb: ElbKeyHost, alb_handler: Callable[[str], Any]
) -> None:
    kid, _ = elb.new_key()
    assert alb_handler(_genuine(elb, kid))[2]["email"] == "reader@example.com"
    unverified = _genuine(elb, kid, email_verified="false")
    assert "email" not in alb_handler(unverified)[2]


def test_the_expiry_in_the_signed_header_is_enough(
    elb: ElbKeyHost, alb_handler: Callable[[str], Any]
) -> None:
    kid, key = elb.new_key()
    exp = int(time.time()) + 60
    header = _header(kid, exp)
    token = alb_token(key, header, {"sub": "header-exp", "iss": COGNITO})
    status, _, body = alb_handler(token)
    assert (status, body["expires_at"]) == (200, exp)
    past = alb_token(key, {**header, "exp": exp - 600}, {"sub": "x", "iss": COGNITO})
    assert alb_handler(past)[0] == 401


@pytest.mark.parametrize(
    "tamper",
    [
        "another load balancer",
        "another app client",
        "expired",
        "kid path traversal",
        "padding stripped",
        "signature altered",
        "an unknown kid",
    ],
)
def test_alb_tokens_that_are_not_ours_get_401(
    tamper: str, elb: ElbKeyHost, alb_handler: Callable[[str], Any]
) -> None:
    kid, key = elb.new_key()
    exp = int(time.time()) + 60
    header = _header(kid, exp)
    payload = {"sub": "x", "exp": exp, "iss": COGNITO}
    token = {
        "another load balancer": lambda: alb_token(
            key, {**header, "signer": ALB_ARN.replace("docs", "other")}, payload
        ),
        "another app client": lambda: alb_token(key, {**header, "client": "other"}, payload),
        "expired": lambda: alb_token(key, header, {**payload, "exp": exp - 600}),
        "kid path traversal": lambda: alb_token(
            key, {**header, "kid": "../../etc/passwd"}, payload
        ),
        "padding stripped": lambda: ".".join(
            p.rstrip("=") for p in alb_token(key, header, payload).split(".")
        ),
        "signature altered": lambda: alb_token(key, header, payload)[:-8] + "AAAAAAA=",
        "an unknown kid": lambda: alb_token(key, {**header, "kid": "0" * 8}, payload),
    }[tamper]()
    status, _, body = alb_handler(token)
    assert (status, body) == (401, {"error": "unauthenticated"})


def test_a_rotated_alb_key_is_fetched_at_once_under_a_flood_of_junk_kids(
    elb: ElbKeyHost, serve_signer: Callable[..., SignerUnderTest]
) -> None:
    """The reproduction: junk kids every 0.5 s kept a rotated key out for ten minutes."""
    env = alb_env(elb)
    clock = ManualClock()
    settings = Settings.from_env(signer_env(COGNITO, **env))
    signer = serve_signer(COGNITO, env, source=AlbOidcSource(settings, clock))
    junk_key = elb.new_key()[1]
    elb.keys.clear()  # the junk kids name keys the host does not have
    accepted = refused = 0
    for tick in range(120):  # one minute of junk, a genuine reader every 2.5 s
        clock.advance(0.5)
        junk = alb_token(junk_key, _header(f"{tick:08d}-junk"), _claims("x"))
        assert _send(signer, junk) == 401
        if tick % 5 == 4:
            kid, key = elb.new_key()  # keys rotate: each genuine reader brings a new kid
            genuine = alb_token(key, _header(kid), _claims("genuine"))
            if _send(signer, genuine) == 200:
                accepted += 1
            else:
                refused += 1
    assert (accepted, refused) == (24, 0)


def test_junk_kid_fetches_under_way_do_not_hold_a_genuine_one(
    elb: ElbKeyHost, serve_signer: Callable[..., SignerUnderTest]
) -> None:
    signer = serve_signer(COGNITO, alb_env(elb, SIGNER_FETCH_TIMEOUT="5"))
    junk_key = elb.new_key()[1]
    elb.keys.clear()
    elb.hold_unknown()
    junk = [
        threading.Thread(
            target=_send, args=(signer, alb_token(junk_key, _header(f"junk-{n}"), _claims("x")))
        )
        for n in range(3)
    ]
    for thread in junk:
        thread.start()
    eventually(lambda: elb.holding_unknown == 3)
    kid, key = elb.new_key()
    assert _send(signer, alb_token(key, _header(kid), _claims("genuine"))) == 200
    assert all(thread.is_alive() for thread in junk), "answered while the junk was still held"
    elb.release()
    for thread in junk:
        thread.join(10)


def _header(kid: str, exp: int | None = None) -> dict[str, Any]:
    """The header this load balancer signs, for its Cognito app client."""
    exp = _soon() if exp is None else exp
    return {"kid": kid, "signer": ALB_ARN, "iss": COGNITO, "client": CLIENT, "exp": exp}


def _claims(sub: str) -> dict[str, Any]:
    return {"sub": sub, "iss": COGNITO, "exp": _soon()}


def _soon() -> int:
    return int(time.time()) + 120


def _send(signer: SignerUnderTest, token: str) -> int:
    return signer.client.get("/identity", headers={"x-amzn-oidc-data": token}).status_code


def test_the_secret_never_reaches_the_logs(
    elb: ElbKeyHost, alb_handler: Callable[[str], Any], capsys: pytest.CaptureFixture[str]
) -> None:
    kid, _ = elb.new_key()
    token = _genuine(elb, kid)
    assert alb_handler(token)[0] == 200
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    assert token not in out.out + out.err


@pytest.mark.parametrize("instance", ["cold", "warm"])
def test_a_junk_kid_whose_fetch_fails_holds_back_no_genuine_kid(
    instance: str, elb: ElbKeyHost
) -> None:
    """The reproduction: one junk kid the key host answers with an error made every new
    genuine kid a 401 without a fetch (warm) or a 503 (cold), for the whole cooldown."""
    clock = ManualClock()
    keys = KeyCache(AlbKeySource(elb.url), max_age=300, cooldown=30, timeout=1.0, clock=clock)
    if instance == "warm":
        known, _ = elb.new_key()
        keys.key(known, "ES256")
    elb.failing.add("junk-kid")
    with pytest.raises(ProviderUnavailable if instance == "cold" else Rejected):
        keys.key("junk-kid", "ES256")
    with pytest.raises(ProviderUnavailable if instance == "cold" else Rejected):
        keys.key("junk-kid", "ES256")  # the junk kid is in the penalty box: no second fetch
    clock.advance(1)
    genuine, _ = elb.new_key()
    assert keys.key(genuine, "ES256").curve == "P-256"
    assert elb.requests[-2:] == ["junk-kid", genuine]
    assert elb.requests.count("junk-kid") == 1
