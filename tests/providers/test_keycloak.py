"""Keycloak: a realm's ID tokens, and access tokens whose audience depends on mappers (a
default access token, for the account console, is refused: test_shared_rules.py)."""

from __future__ import annotations

from tests.providers.expect import assert_refused, assert_vouched
from tests.providers.running import Signers
from tests.providers.shapes.keycloak import CLIENT_ID, Keycloak
from tests.support.lifecycle import stopping


def test_an_access_token_with_an_audience_mapper_names_the_reader(
    keycloak: Keycloak, signers: Signers
) -> None:
    token = keycloak.access_token(aud=[CLIENT_ID, "account"])
    assert_vouched(signers.answer(keycloak, token), keycloak.reader)


def test_the_authorized_party_is_not_an_audience(keycloak: Keycloak, signers: Signers) -> None:
    assert_refused(signers.answer(keycloak, keycloak.access_token(aud=None)))


def test_a_token_of_another_realm_on_the_same_server_is_refused(
    keycloak: Keycloak, signers: Signers
) -> None:
    with stopping(Keycloak(realm="master", host=keycloak.host)) as master_realm:
        assert_refused(signers.answer(keycloak, master_realm.token()))
