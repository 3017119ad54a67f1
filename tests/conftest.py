"""Fixtures shared by every test: real servers on loopback, started once where they can be."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SignerUnderTest, captured_logs, running_signer, signer_env


@pytest.fixture(scope="session")
def issuer() -> Iterator[IssuerUnderTest]:
    started = IssuerUnderTest()
    yield started
    started.stop()


@pytest.fixture
def fresh_issuer() -> Iterator[IssuerUnderTest]:
    """An issuer of the test's own, for tests that break or rotate it."""
    started = IssuerUnderTest()
    yield started
    started.stop()


@pytest.fixture
def start_signer() -> Iterator[Callable[..., SignerUnderTest]]:
    """start_signer(issuer_url, **env) → a signer under uvicorn, stopped after the test."""
    with ExitStack() as stack:

        def start(issuer_url: str, **env: str) -> SignerUnderTest:
            return stack.enter_context(running_signer(signer_env(issuer_url, **env)))

        yield start


@pytest.fixture(scope="session")
def signer(issuer: IssuerUnderTest) -> Iterator[SignerUnderTest]:
    """The default signer: jwt identity, bearer token, hmac output, docs.example.com allowed."""
    with running_signer(signer_env(issuer.url)) as started:
        yield started


@pytest.fixture
def signer_logs() -> Iterator[object]:
    with captured_logs() as buffer:
        yield buffer
