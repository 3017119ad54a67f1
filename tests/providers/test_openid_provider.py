"""A real OpenID provider nobody here wrote — panva's oidc-provider from npm, on loopback —
signs a reader in through its own pages (authorization code + PKCE); the signer finds its keys
by OpenID discovery and verifies the ID token it issued."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.providers.expect import assert_refused, assert_vouched
from tests.providers.keys import decode_segment
from tests.providers.openid import OpenIdProvider, sign_in
from tests.providers.running import Signers
from tests.providers.shapes.base import Reader
from tests.support.signer import SignerUnderTest


@pytest.fixture(scope="module")
def openid_provider() -> Iterator[OpenIdProvider]:
    started = OpenIdProvider()
    yield started
    started.stop()


def signer_for(provider: OpenIdProvider, client_id: str, signers: Signers) -> SignerUnderTest:
    return signers.start({"SIGNER_OIDC_ISSUER": provider.issuer, "SIGNER_OIDC_AUDIENCE": client_id})


def test_a_client_without_a_preference_gets_rs256_id_tokens(
    openid_provider: OpenIdProvider, signers: Signers
) -> None:
    id_token = sign_in(openid_provider, "docs", login="alice")["id_token"]
    assert decode_segment(id_token.split(".")[0])["alg"] == "RS256"
    response = signer_for(openid_provider, "docs", signers).identity(id_token)
    assert_vouched(response, Reader("alice", "alice@example.com"))


def test_an_ed25519_id_token_is_verified(openid_provider: OpenIdProvider, signers: Signers) -> None:
    id_token = sign_in(openid_provider, "docs-ed25519", login="bob")["id_token"]
    assert decode_segment(id_token.split(".")[0])["alg"] == "Ed25519"
    response = signer_for(openid_provider, "docs-ed25519", signers).identity(id_token)
    assert_vouched(response, Reader("bob", "bob@example.com"))


def test_a_reader_without_a_verified_email_is_named_without_one(
    openid_provider: OpenIdProvider, signers: Signers
) -> None:
    id_token = sign_in(openid_provider, "docs", login="carol")["id_token"]
    response = signer_for(openid_provider, "docs", signers).identity(id_token)
    assert_vouched(response, Reader("carol", None))


def test_an_id_token_for_another_client_of_the_same_provider_is_refused(
    openid_provider: OpenIdProvider, signers: Signers
) -> None:
    id_token = sign_in(openid_provider, "docs-ed25519", login="bob")["id_token"]
    assert_refused(signer_for(openid_provider, "docs", signers).identity(id_token))


def test_the_access_token_is_not_an_id_token(
    openid_provider: OpenIdProvider, signers: Signers
) -> None:
    access_token = sign_in(openid_provider, "docs", login="alice")["access_token"]
    assert_refused(signer_for(openid_provider, "docs", signers).identity(access_token))
