"""What the suite runs: the providers on their loopback hosts, and the real signer they meet —
the ASGI app under uvicorn, and the Lambda handler (Mangum + Powertools) with AWS-shaped events."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest

from intercom_signer.function import LambdaHandler
from tests.providers.shapes import SHAPES
from tests.providers.shapes.base import Provider
from tests.support import events
from tests.support.signer import SignerUnderTest, lambda_handler, running_signer, signer_env

SUITE_SETTINGS = {"SIGNER_OUTPUT": "jwt"}  # Intercom's recommended output, stated explicitly


def suite_env(settings: Mapping[str, str]) -> dict[str, str]:
    return signer_env(settings.get("SIGNER_OIDC_ISSUER", ""), **{**SUITE_SETTINGS, **settings})


P = TypeVar("P", bound=Provider)


class Providers:
    """Each provider started on first use and kept for the session."""

    def __init__(self) -> None:
        self._started: dict[type[Provider], Provider] = {}

    def get(self, shape: type[P]) -> P:
        if shape not in self._started:
            self._started[shape] = shape()
        started = self._started[shape]
        assert isinstance(started, shape)
        return started

    def named(self, name: str) -> Provider:
        return self.get(SHAPES[name])

    def stop(self) -> None:
        for provider in self._started.values():
            provider.stop()


class Signers:
    """The signer under uvicorn, one per distinct environment, each started once."""

    def __init__(self, stack: ExitStack) -> None:
        self._stack = stack
        self._started: dict[tuple[tuple[str, str], ...], SignerUnderTest] = {}

    def start(self, settings: Mapping[str, str]) -> SignerUnderTest:
        env = suite_env(settings)
        key = tuple(sorted(env.items()))
        if key not in self._started:
            self._started[key] = self._stack.enter_context(running_signer(env))
        return self._started[key]

    def for_provider(self, provider: Provider, **overrides: str) -> SignerUnderTest:
        """The signer under `provider`'s recommended settings, with `overrides`."""
        return self.start({**provider.settings(), **overrides})

    def answer(self, provider: Provider, token: str, **overrides: str) -> httpx.Response:
        """What the signer under `provider`'s recommended settings (with `overrides`) answers
        to `token`, carried as that provider carries it."""
        return self.for_provider(provider, **overrides).identity(headers=provider.present(token))


@dataclass
class LambdaSigner:
    """The handler as Lambda's init built it, under one environment."""

    handler: LambdaHandler

    def invoke(self, event: dict[str, Any]) -> httpx.Response:
        """One invocation, its result read back as the HTTP response a client would get."""
        result = events.RUNTIME.invoke(self.handler, event)
        body = result.get("body") or ""
        content = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        headers = dict(result.get("headers") or {})
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers.setdefault(name, values[0])
        return httpx.Response(result["statusCode"], headers=headers, content=content)


LambdaFactory = Callable[[Mapping[str, str]], LambdaSigner]  # the `lambda_signer` fixture


def load_lambda_signer(
    monkeypatch: pytest.MonkeyPatch, settings: Mapping[str, str]
) -> LambdaSigner:
    """The handler built with exactly the suite's environment, as a cold start builds it."""
    return LambdaSigner(lambda_handler(monkeypatch, suite_env(settings)))
