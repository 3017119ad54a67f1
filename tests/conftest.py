"""Fixtures shared by every test: real servers on loopback, started once where they can be."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from mkdocs_intercom.devstack.browser import CHROMIUM_FLAGS, chromium_path
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SignerUnderTest, captured_logs, running_signer, signer_env
from tests.support.stack import Deployment
from tests.support.wheel import BuiltWheel, build_signer_wheel, build_wheel


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
    """The default signer: jwt identity, bearer token, jwt output, docs.example.com allowed."""
    with running_signer(signer_env(issuer.url)) as started:
        yield started


@pytest.fixture
def signer_logs() -> Iterator[object]:
    with captured_logs() as buffer:
        yield buffer


@pytest.fixture
def deploy(tmp_path: Path) -> Iterator[Callable[..., Deployment]]:
    """deploy(fixture, plugin_options, cross_origin=…, csp=…) → a running Deployment."""
    started: list[Deployment] = []

    def start(
        fixture: str = "plain", plugin: dict[str, Any] | None = None, **kwargs: Any
    ) -> Deployment:
        deployment = Deployment(tmp_path / f"site{len(started)}", fixture, plugin, **kwargs)
        started.append(deployment)
        return deployment

    yield start
    for deployment in started:
        deployment.stop()


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> BuiltWheel:
    """The wheel pip builds from the sources, built once."""
    return build_wheel(tmp_path_factory.mktemp("distribution"))


@pytest.fixture(scope="session")
def built_signer_wheel(tmp_path_factory: pytest.TempPathFactory) -> BuiltWheel:
    """The signer's wheel pip builds from lambda/, built once."""
    return build_signer_wheel(tmp_path_factory.mktemp("signer-distribution"))


# One Chromium for the whole run: Playwright's sync API allows one instance per thread.
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium = chromium_path()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Debian's chromium is missing in CI: `make test` installs it (apt-get install chromium)"
            )
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium,
            args=list(CHROMIUM_FLAGS),
            # Playwright turns the back/forward cache off; readers have it, so the tests do too.
            ignore_default_args=["--disable-back-forward-cache"],
        )
        yield launched
        launched.close()
