"""Okta: the org authorization server and the custom server `default` (the org server's
access token, meant for Okta itself, is refused: test_shared_rules.py)."""

from __future__ import annotations

from tests.providers.expect import assert_refused, assert_vouched
from tests.providers.running import Signers
from tests.providers.shapes.base import Reader
from tests.providers.shapes.okta import LOGIN, USER_ID, Okta, OktaCustomServer


def test_a_custom_server_access_token_names_the_reader_by_uid_as_its_id_token_does_by_sub(
    okta_default: OktaCustomServer, signers: Signers
) -> None:
    by_id_token = signers.answer(okta_default, okta_default.token())
    by_access_token = signers.start(okta_default.access_settings()).identity(
        headers=okta_default.present(okta_default.access_token())
    )
    assert_vouched(by_id_token, Reader(USER_ID, "alice@example.com"))
    assert_vouched(by_access_token, Reader(USER_ID, None))


def test_a_custom_server_access_token_names_the_login_under_the_default_claim(
    okta_default: OktaCustomServer, signers: Signers
) -> None:
    """Why the recommended settings name `uid`: Okta's `sub` there is the mutable login."""
    settings = {**okta_default.access_settings(), "SIGNER_USER_ID_CLAIM": "sub"}
    response = signers.start(settings).identity(
        headers=okta_default.present(okta_default.access_token())
    )
    assert_vouched(response, Reader(LOGIN, None))


def test_tokens_of_the_org_server_and_of_a_custom_server_are_not_interchangeable(
    okta: Okta, okta_default: OktaCustomServer, signers: Signers
) -> None:
    assert_refused(signers.answer(okta, okta_default.token()))
    assert_refused(signers.answer(okta_default, okta.token()))
