"""A real OpenID provider nobody here wrote (panva's oidc-provider, from npm) on loopback, and a
relying party that signs a reader in through it: authorization code flow with PKCE, the
provider's own login and consent pages submitted as a browser submits their forms."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

NODE_DIR = Path(__file__).parent.parent / "node"
CONFIG = NODE_DIR / "openid-provider.mjs"


class OpenIdProvider:
    """`node tests/node/openid-provider.mjs`, up once it printed its issuer."""

    def __init__(self) -> None:
        if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
            raise RuntimeError("oidc-provider is not installed: run `make node`")
        # A file, not a pipe, so its warnings can never fill a buffer and block it; closed in stop().
        self._log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        self._process = subprocess.Popen(
            ["node", str(CONFIG)],
            cwd=NODE_DIR,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        assert self._process.stdout is not None
        ready = self._process.stdout.readline()  # the provider's own signal that it listens
        if not ready:
            raise RuntimeError(f"the OpenID provider did not start: {self._stderr()}")
        started = json.loads(ready)
        self.issuer: str = started["issuer"]
        self.redirect_uri: str = started["redirect_uri"]

    def _stderr(self) -> str:
        self._process.wait(timeout=10)
        self._log.seek(0)
        return self._log.read()

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._log.close()


@dataclass
class _Form:
    action: str = ""
    fields: dict[str, str] = field(default_factory=dict)


class _FormReader(HTMLParser):
    """The first form of a page: where it posts and its named inputs (hidden ones included)."""

    def __init__(self) -> None:
        super().__init__()
        self.form: _Form | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and self.form is None:
            self.form = _Form(attributes.get("action", ""))
        elif tag == "input" and self.form is not None and not self._done and "name" in attributes:
            self.form.fields[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._done = True


def _form_of(page: httpx.Response) -> _Form:
    reader = _FormReader()
    reader.feed(page.text)
    assert reader.form is not None, f"no form on {page.url}"
    return reader.form


def sign_in(provider: OpenIdProvider, client_id: str, login: str) -> dict[str, Any]:
    """The token response of a full sign-in: authorize, log in, consent, redeem the code."""
    discovery = httpx.get(f"{provider.issuer}/.well-known/openid-configuration").json()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    state = secrets.token_urlsafe(16)
    with httpx.Client(timeout=15) as browser:
        response = browser.get(
            discovery["authorization_endpoint"],
            params={
                "client_id": client_id,
                "response_type": "code",
                "redirect_uri": provider.redirect_uri,
                "scope": "openid email profile",
                "code_challenge": challenge.decode(),
                "code_challenge_method": "S256",
                "state": state,
                "nonce": secrets.token_urlsafe(16),
            },
        )
        for _ in range(10):  # login, consent, and the redirects between them
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["location"])
                if location.startswith(provider.redirect_uri):
                    break
                response = browser.get(location)
                continue
            form = _form_of(response)
            if form.fields.get("prompt") == "login":
                form.fields.update(login=login, password="any password")
            response = browser.post(urljoin(str(response.url), form.action), data=form.fields)
        else:
            raise AssertionError("the sign-in never came back to the redirect URI")
        answer = parse_qs(urlsplit(location).query)
        assert answer["state"] == [state]
        assert answer["iss"] == [provider.issuer], "RFC 9207: the provider names itself"
        tokens: dict[str, Any] = browser.post(
            discovery["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": answer["code"][0],
                "redirect_uri": provider.redirect_uri,
                "client_id": client_id,
                "code_verifier": verifier,
            },
        ).json()
    return tokens
