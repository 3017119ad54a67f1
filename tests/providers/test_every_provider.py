"""Every provider, under the configuration docs/providers.md recommends: the reader is named,
and whatever is not exactly that provider's token for this application is refused."""

from __future__ import annotations

import time

import jwt
import pytest

from tests.providers.expect import assert_refused, assert_vouched, login_claims
from tests.providers.keys import signed_by_a_stranger
from tests.providers.running import Providers, Signers
from tests.providers.shapes import SHAPES
from tests.support.signer import SECRET

EVERY_PROVIDER = pytest.mark.parametrize("name", sorted(SHAPES))


@EVERY_PROVIDER
def test_the_recommended_configuration_names_the_reader(
    name: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    signer = signers.for_provider(provider)
    assert_vouched(signer.identity(headers=provider.present(provider.token())), provider.reader)


@EVERY_PROVIDER
def test_the_identity_never_outlives_the_login(
    name: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    token = provider.token()
    login_expires = login_claims(token)["exp"]
    body = signers.for_provider(provider).identity(headers=provider.present(token)).json()
    assert body["expires_at"] <= login_expires
    signed = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert signed["exp"] <= login_expires


@EVERY_PROVIDER
def test_an_expired_token_is_refused(name: str, providers: Providers, signers: Signers) -> None:
    provider = providers.named(name)
    expired = provider.token(exp=int(time.time()) - 600)
    assert_refused(signers.for_provider(provider).identity(headers=provider.present(expired)))


@EVERY_PROVIDER
def test_a_token_for_another_audience_is_refused(
    name: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    elsewhere = provider.token(**provider.another_audience)
    assert_refused(signers.for_provider(provider).identity(headers=provider.present(elsewhere)))


@EVERY_PROVIDER
def test_a_token_naming_another_issuer_is_refused_though_its_key_is_genuine(
    name: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    impostor = provider.token(iss="https://login.attacker.example")
    assert_refused(signers.for_provider(provider).identity(headers=provider.present(impostor)))


@EVERY_PROVIDER
def test_a_token_signed_by_an_unpublished_key_under_a_published_kid_is_refused(
    name: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    forged = signed_by_a_stranger(provider.token())
    assert_refused(signers.for_provider(provider).identity(headers=provider.present(forged)))


@pytest.mark.parametrize(
    ("name", "other"),
    [(name, other) for name in sorted(SHAPES) for other in sorted(SHAPES) if other != name],
)
def test_another_providers_genuine_token_is_refused(
    name: str, other: str, providers: Providers, signers: Signers
) -> None:
    provider, stranger = providers.named(name), providers.named(other)
    signer = signers.for_provider(provider)
    assert_refused(signer.identity(headers=provider.present(stranger.token())))
