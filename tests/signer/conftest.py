"""Fixtures of the signer's suite (the shared issuer and signer live in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.elb import ElbKeyHost
from tests.support.lifecycle import stopping
from tests.support.signer import (
    SECRET,
    SITE,
    SignerUnderTest,
    lambda_handler,
    running_signer,
    signer_env,
)

if TYPE_CHECKING:
    from intercom_signer.function import LambdaHandler


@pytest.fixture
def serve_signer() -> Iterator[Callable[..., SignerUnderTest]]:
    """serve_signer(issuer_url, env, **parts): the real app under uvicorn, built with `parts`
    (e.g. an identity source on a test clock), stopped after the test."""
    with ExitStack() as stack:

        def serve(issuer_url: str, env: dict[str, str], **parts: Any) -> SignerUnderTest:
            return stack.enter_context(running_signer(signer_env(issuer_url, **env), **parts))

        yield serve


@pytest.fixture
def load_handler(monkeypatch: pytest.MonkeyPatch) -> Callable[..., LambdaHandler]:
    """load_handler(**env): the Lambda handler built under exactly that SIGNER_* environment
    (plus the test secret and site), as Lambda's init builds it."""

    def load(**env: str) -> LambdaHandler:
        return lambda_handler(
            monkeypatch, {"SIGNER_SECRET": SECRET, "SIGNER_ALLOWED_ORIGINS": SITE, **env}
        )

    return load


@pytest.fixture
def elb() -> Iterator[ElbKeyHost]:
    """The ALB's public-key host on loopback, empty until a test rotates a key in."""
    with stopping(ElbKeyHost()) as host:
        yield host
