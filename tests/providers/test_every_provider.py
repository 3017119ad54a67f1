"""Every provider, under the configuration docs/providers.md recommends: the reader is named,
and whatever is not exactly that provider's token for this application is refused."""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
import pytest

from tests.providers.expect import assert_refused, assert_vouched, login_claims
from tests.providers.keys import signed_by_a_stranger
from tests.providers.running import Providers, Signers
from tests.providers.shapes import SHAPES
from tests.providers.shapes.base import Provider
from tests.support.signer import SECRET

EVERY_PROVIDER = pytest.mark.parametrize("name", sorted(SHAPES))

# Tokens that are not exactly the provider's token for this application, each made from a
# genuine one: the provider's own key signs all but the last.
NOT_FOR_US: dict[str, Callable[[Provider], str]] = {
    "expired": lambda provider: provider.token(exp=int(time.time()) - 600),
    "for-another-audience": lambda provider: provider.token(**provider.another_audience),
    "naming-another-issuer-though-its-key-is-genuine": (
        lambda provider: provider.token(iss="https://login.attacker.example")
    ),
    "signed-by-an-unpublished-key-under-a-published-kid": (
        lambda provider: signed_by_a_stranger(provider.token())
    ),
}


@EVERY_PROVIDER
def test_the_recommended_configuration_names_the_reader(
    name: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    assert_vouched(signers.answer(provider, provider.token()), provider.reader)


@EVERY_PROVIDER
def test_the_identity_never_outlives_the_login(
    name: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    token = provider.token()
    login_expires = login_claims(token)["exp"]
    body = signers.answer(provider, token).json()
    assert body["expires_at"] <= login_expires
    signed = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert signed["exp"] <= login_expires


@EVERY_PROVIDER
@pytest.mark.parametrize("token", NOT_FOR_US)
def test_a_token_that_is_not_the_providers_token_for_us_is_refused(
    name: str, token: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    assert_refused(signers.answer(provider, NOT_FOR_US[token](provider)))


@pytest.mark.parametrize(
    ("name", "other"),
    [(name, other) for name in sorted(SHAPES) for other in sorted(SHAPES) if other != name],
)
def test_another_providers_genuine_token_is_refused(
    name: str, other: str, providers: Providers, signers: Signers
) -> None:
    provider, stranger = providers.named(name), providers.named(other)
    assert_refused(signers.answer(provider, stranger.token()))
