"""Start the signer (the real app, under uvicorn on loopback) with a given environment."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from intercom_signer.app import create_app
from intercom_signer.observability import logger
from intercom_signer.settings import Settings
from mkdocs_intercom.devstack.server import LoopbackServer

if TYPE_CHECKING:
    from intercom_signer.function import LambdaHandler

SECRET = "test-intercom-secret-0123456789abcdef"  # test-only
SITE = "https://docs.example.com"


class SignerUnderTest:
    def __init__(self, server: LoopbackServer, base_path: str) -> None:
        self.url = server.url
        self.identity_url = f"{server.url}{base_path}/identity"
        self.client = httpx.Client(base_url=server.url, timeout=15)

    def identity(self, token: str | None = None, **kwargs: object) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})  # type: ignore[call-overload]
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.request(
            kwargs.pop("method", "GET"), self.identity_url, headers=headers, **kwargs
        )  # type: ignore[arg-type]


def signer_env(issuer_url: str, **overrides: str) -> dict[str, str]:
    env = {
        "SIGNER_IDENTITY": "jwt",
        "SIGNER_OIDC_ISSUER": issuer_url,
        "SIGNER_OIDC_AUDIENCE": "docs",
        "SIGNER_SECRET": SECRET,
        "SIGNER_ALLOWED_ORIGINS": SITE,
        "SIGNER_FETCH_TIMEOUT": "1",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@contextmanager
def running_signer(env: Mapping[str, str], **parts: Any) -> Iterator[SignerUnderTest]:
    """The real app under uvicorn; `parts` go to create_app (e.g. a source with a test clock)."""
    settings = Settings.from_env(env)
    with LoopbackServer() as server:
        server.start(create_app(settings, **parts))
        signer = SignerUnderTest(server, settings.base_path)
        yield signer
        signer.client.close()


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """Everything the signer logs (Powertools JSON lines) while the block runs."""
    handler = logger.registered_handler
    buffer = io.StringIO()
    previous = handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]


def lambda_handler(monkeypatch: pytest.MonkeyPatch, env: Mapping[str, str]) -> LambdaHandler:
    """The Lambda handler built under exactly `env`, as a cold start's init builds it from the
    function's environment (plus what Lambda itself sets)."""
    from intercom_signer.function import build_handler

    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "intercom-signer")  # the logger reads it
    runtime = {
        "AWS_LAMBDA_FUNCTION_NAME": "intercom-signer",
        "POWERTOOLS_SERVICE_NAME": "intercom-signer",
    }
    return build_handler({**runtime, **env})


def run_signer_module(
    *args: str, env: Mapping[str, str], interpreter: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """`python [interpreter flags] -m intercom_signer ARGS` run to its end under exactly this
    process's environment without its SIGNER_* settings, plus `env`."""
    return subprocess.run(
        [sys.executable, *interpreter, "-m", "intercom_signer", *args],
        env={**module_env(), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def module_env(**env: str) -> dict[str, str]:
    """This process's environment without any SIGNER_* setting, plus `env`."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SIGNER_")}
    return {**inherited, **env}
