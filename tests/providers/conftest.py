"""Fixtures of the provider suite: each provider on its loopback host, started once; the real
signer under uvicorn per distinct configuration; the Lambda handler per test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from tests.providers.running import LambdaFactory, P, Providers, Signers, load_lambda_signer
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
def lambda_signer(monkeypatch: pytest.MonkeyPatch) -> LambdaFactory:
    """lambda_signer(settings) → the real handler, imported under those settings."""
    return lambda settings: load_lambda_signer(monkeypatch, settings)


def provider_fixture(shape: type[P]) -> Any:
    """A session fixture named after the shape (`okta-default` → `okta_default`): that provider,
    started on first use and shared with every test that names it."""

    def started(providers: Providers) -> P:
        return providers.get(shape)

    return pytest.fixture(started, scope="session", name=shape.name.replace("-", "_"))


# One fixture per provider, for the tests of its own file.
cognito = provider_fixture(Cognito)
auth0 = provider_fixture(Auth0)
okta = provider_fixture(Okta)
okta_default = provider_fixture(OktaCustomServer)
entra = provider_fixture(Entra)
google_iap = provider_fixture(GoogleIap)
cloudflare_access = provider_fixture(CloudflareAccess)
keycloak = provider_fixture(Keycloak)
alb = provider_fixture(Alb)
