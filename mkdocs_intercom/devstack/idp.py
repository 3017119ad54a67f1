"""A development OpenID Connect issuer: RS256 and ES256 keys, discovery, JWKS, token minting.

Used by the demo (with a login page) and by the tests (with fault switches), so both
talk to a real issuer over HTTP exactly as the signer does in production.
"""

from __future__ import annotations

import html
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class DevIssuer:
    def __init__(self, issuer: str, audience: str = "docs") -> None:
        self.issuer = issuer
        self.audience = audience
        self.keys: dict[str, tuple[PrivateKey, str]] = {}
        self.rsa_kid = self.add_key("RS256")
        self.ec_kid = self.add_key("ES256")

    def add_key(self, alg: str) -> str:
        key: PrivateKey = (
            ec.generate_private_key(ec.SECP256R1())
            if alg == "ES256"
            else rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
        kid = f"{alg.lower()}-{uuid.uuid4().hex[:8]}"
        self.keys[kid] = (key, alg)
        return kid

    def rotate(self) -> str:
        """Replace the RSA signing key: a new kid, the old one gone from the JWKS."""
        del self.keys[self.rsa_kid]
        self.rsa_kid = self.add_key("RS256")
        return self.rsa_kid

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, (key, alg) in self.keys.items():
            public = key.public_key()
            exported = (
                ECAlgorithm.to_jwk(public)
                if isinstance(public, ec.EllipticCurvePublicKey)
                else RSAAlgorithm.to_jwk(public)
            )
            jwk = json.loads(exported)
            keys.append({**jwk, "kid": kid, "alg": alg, "use": "sig"})
        return {"keys": keys}

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a token this issuer minted and that is still valid."""
        kid = jwt.get_unverified_header(token).get("kid")
        if kid not in self.keys:
            raise jwt.InvalidKeyError("unknown kid")
        key, alg = self.keys[kid]
        claims: dict[str, Any] = jwt.decode(
            token, key.public_key(), algorithms=[alg], audience=self.audience, issuer=self.issuer
        )
        return claims

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "jwks_uri": f"{self.issuer}/jwks.json",
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
        }

    def mint(
        self,
        claims: dict[str, Any] | None = None,
        *,
        kid: str | None = None,
        lifetime: int = 600,
        headers: dict[str, Any] | None = None,
    ) -> str:
        """An ID token for `claims` (sub, email, …), signed with the key `kid` (RSA by default)."""
        kid = kid or self.rsa_kid
        key, alg = self.keys[kid]
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": self.audience, "iat": now, "exp": now + lifetime}
        payload.update(claims or {})
        return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, **(headers or {})})


@dataclass(frozen=True)
class Reader:
    sub: str
    name: str
    email: str
    plan: str
    org_id: str
    org_name: str

    def claims(self) -> dict[str, Any]:
        """The ID token's claims about this reader, as a company's identity provider would
        issue them (the plan and organisation as custom claims)."""
        return {
            "sub": self.sub,
            "name": self.name,
            "email": self.email,
            "email_verified": True,
            "plan": self.plan,
            "org_id": self.org_id,
            "org_name": self.org_name,
        }


SAMPLE_READERS = (
    Reader("alice", "Alice Ångström", "alice@example.com", "enterprise", "acme", "Acme Ltd"),
    Reader("1001", "Bob Builder", "bob@example.com", "starter", "builders", "Builders & Co"),
)
COOKIE = "id_token"
# A speech bubble, so that no page of the demo asks for a /favicon.ico that is not there.
FAVICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E"
    "%3Crect width='24' height='24' rx='6' fill='%235b21b6'/%3E%3Cpath fill='%23fff' "
    "d='M6 6h12a1.5 1.5 0 0 1 1.5 1.5v7A1.5 1.5 0 0 1 18 16h-7l-4 3v-3H6a1.5 1.5 0 0 1-1.5-1.5v-7A1.5 1.5 0 0 1 6 6z'/%3E%3C/svg%3E"
)
_LOGIN_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f8;color:#1f2937;margin:0;display:grid;place-items:center;min-height:100vh}"
    "main{background:#fff;padding:32px 40px;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.08);max-width:420px;margin:16px}"
    "h1{margin:0 0 8px}p{color:#4b5563}form{display:grid;gap:12px;margin-top:20px}"
    "button{font:inherit;color:inherit;padding:12px 16px;border:1px solid #d0d4dc;border-radius:8px;background:#fff;cursor:pointer;text-align:left}"
    "button:hover,button:focus-visible{border-color:#4051b5;background:#f6f7fd}"
    "button strong{display:block}small{color:#4b5563}"
)


def _safe_next(value: str | None) -> str:
    """Only a path on this origin: the login page must not be an open redirect."""
    return value if value and value.startswith("/") and not value.startswith("//") else "/"


def idp_routes(
    issuer: DevIssuer, readers: tuple[Reader, ...] = SAMPLE_READERS, lifetime: int = 3600
) -> list[BaseRoute]:
    """Discovery, JWKS, and a login page that puts an RS256 ID token in an HttpOnly cookie."""
    by_sub = {reader.sub: reader for reader in readers}

    async def discovery(request: Request) -> Response:
        return JSONResponse(issuer.discovery())

    async def jwks(request: Request) -> Response:
        return JSONResponse(issuer.jwks())

    async def login_page(request: Request) -> Response:
        target = html.escape(_safe_next(request.query_params.get("next")), quote=True)
        buttons = "".join(
            f'<button name="sub" value="{html.escape(r.sub, quote=True)}">'
            f"<strong>{html.escape(r.name)}</strong>"
            f"<small>user id {html.escape(r.sub)} · {html.escape(r.plan)} plan at {html.escape(r.org_name)}</small></button>"
            for r in readers
        )
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>Sign in (development)</title><link rel="icon" href="{FAVICON}">'
            f"<style>{_LOGIN_STYLE}</style></head>"
            "<body><main><h1>Sign in</h1><p>A development identity provider: pick a sample reader.</p>"
            f'<form method="post" action="login"><input type="hidden" name="next" value="{target}">{buttons}</form></main></body></html>'
        )
        return HTMLResponse(page)

    async def me(request: Request) -> Response:
        """Who the login cookie says is signed in: the demo's sign-in bar asks, as a site
        asks its own session endpoint. Not an identity for Intercom: that is the signer's."""
        try:
            claims = issuer.verify(request.cookies.get(COOKIE, ""))
        except jwt.PyJWTError:
            return JSONResponse({"signed_in": False}, headers={"Cache-Control": "no-store"})
        reader = {"sub": claims["sub"], "name": claims.get("name") or claims["sub"]}
        return JSONResponse({"signed_in": True, **reader}, headers={"Cache-Control": "no-store"})

    async def login(request: Request) -> Response:
        form = {
            k: v[0] for k, v in parse_qs((await request.body()).decode(errors="replace")).items()
        }
        reader = by_sub.get(form.get("sub", ""))
        if reader is None:
            return HTMLResponse("Unknown reader", status_code=400)
        token = issuer.mint(reader.claims(), lifetime=lifetime)
        response = RedirectResponse(_safe_next(form.get("next")), status_code=303)
        response.set_cookie(
            COOKIE, token, max_age=lifetime, httponly=True, samesite="lax", path="/"
        )
        return response

    async def logout(request: Request) -> Response:
        response = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    return [
        Route("/.well-known/openid-configuration", discovery),
        Route("/jwks.json", jwks),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout),
        Route("/me", me),
    ]
