"""Fixtures of the provider suite: each provider on its loopback host, started once; the real
signer under uvicorn per distinct configuration; the Lambda handler per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack

import pytest

from tests.providers.running import LambdaSigner, Providers, Signers, load_lambda_signer
from tests.providers.shapes.alb import Alb
from tests.providers.shapes.auth0 import Auth0
from tests.providers.shapes.cloudflare_access import CloudflareAccess
from tests.providers.shapes.cognito import Cognito
from tests.providers.shapes.entra import Entra
from tests.providers.shapes.google_iap import GoogleIap
from tests.providers.shapes.keycloak import Keycloak
from tests.providers.shapes.okta import Okta, OktaCustomServer

pytest.register_assert_rewrite("tests.providers.expect")  # its asserts explain their failures


@pytest.fixture(scope="session")
def providers() -> Iterator[Providers]:
    started = Providers()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def signers() -> Iterator[Signers]:
    with ExitStack() as stack:
        yield Signers(stack)


@pytest.fixture
def lambda_signer(monkeypatch: pytest.MonkeyPatch) -> Callable[[Mapping[str, str]], LambdaSigner]:
    """lambda_signer(settings) → the real handler, imported under those settings."""
    return lambda settings: load_lambda_signer(monkeypatch, settings)


@pytest.fixture(scope="session")
def cognito(providers: Providers) -> Cognito:
    return providers.get(Cognito)


@pytest.fixture(scope="session")
def auth0(providers: Providers) -> Auth0:
    return providers.get(Auth0)


@pytest.fixture(scope="session")
def okta(providers: Providers) -> Okta:
    return providers.get(Okta)


@pytest.fixture(scope="session")
def okta_default(providers: Providers) -> OktaCustomServer:
    return providers.get(OktaCustomServer)


@pytest.fixture(scope="session")
def entra(providers: Providers) -> Entra:
    return providers.get(Entra)


@pytest.fixture(scope="session")
def google_iap(providers: Providers) -> GoogleIap:
    return providers.get(GoogleIap)


@pytest.fixture(scope="session")
def cloudflare_access(providers: Providers) -> CloudflareAccess:
    return providers.get(CloudflareAccess)


@pytest.fixture(scope="session")
def keycloak(providers: Providers) -> Keycloak:
    return providers.get(Keycloak)


@pytest.fixture(scope="session")
def alb(providers: Providers) -> Alb:
    return providers.get(Alb)
