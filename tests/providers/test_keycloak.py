"""Keycloak: a realm's ID tokens, and access tokens whose audience depends on mappers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.providers.expect import assert_refused, assert_vouched
from tests.providers.running import Signers
from tests.providers.shapes.base import Reader
from tests.providers.shapes.keycloak import CLIENT_ID, SUB, Keycloak


@pytest.fixture(scope="module")
def master_realm(keycloak: Keycloak) -> Iterator[Keycloak]:
    started = Keycloak(realm="master", host=keycloak.host)
    yield started
    started.stop()


def test_a_default_access_token_is_for_the_account_console_not_the_docs(
    keycloak: Keycloak, signers: Signers
) -> None:
    token = keycloak.access_token()
    assert_refused(signers.for_provider(keycloak).identity(headers=keycloak.present(token)))


def test_an_access_token_with_an_audience_mapper_names_the_reader(
    keycloak: Keycloak, signers: Signers
) -> None:
    token = keycloak.access_token(aud=[CLIENT_ID, "account"])
    response = signers.for_provider(keycloak).identity(headers=keycloak.present(token))
    assert_vouched(response, keycloak.reader)


def test_the_authorized_party_is_not_an_audience(keycloak: Keycloak, signers: Signers) -> None:
    token = keycloak.access_token(aud=None)
    assert_refused(signers.for_provider(keycloak).identity(headers=keycloak.present(token)))


def test_an_unverified_email_is_neither_returned_nor_signed(
    keycloak: Keycloak, signers: Signers
) -> None:
    token = keycloak.token(email_verified=False)
    response = signers.for_provider(keycloak).identity(headers=keycloak.present(token))
    assert_vouched(response, Reader(SUB, None))


def test_a_token_of_another_realm_on_the_same_server_is_refused(
    keycloak: Keycloak, master_realm: Keycloak, signers: Signers
) -> None:
    token = master_realm.token()
    assert_refused(signers.for_provider(keycloak).identity(headers=keycloak.present(token)))
