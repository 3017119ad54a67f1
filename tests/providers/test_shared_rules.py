"""Rules several providers share, stated once: each test names the rule, its table the
providers it concerns and how each one writes the case."""

from __future__ import annotations

from typing import Any

import pytest

from tests.providers.expect import assert_refused, assert_vouched
from tests.providers.running import Providers, Signers
from tests.providers.shapes.auth0 import Auth0
from tests.providers.shapes.base import Reader
from tests.providers.shapes.keycloak import Keycloak
from tests.providers.shapes.okta import Okta, OktaCustomServer

# The claims with which each provider says its reader's email is not verified.
EMAIL_NOT_VERIFIED: dict[str, dict[str, Any]] = {
    "cognito": {"email_verified": False},
    "auth0": {"email_verified": False},  # an email awaiting verification
    "okta": {"email_verified": False},
    "keycloak": {"email_verified": False},
    "alb": {"email_verified": "false"},  # Cognito's userinfo, behind the ALB, writes a string
    "entra": {"xms_edov": True},  # only the email's DOMAIN is verified, never the email
}


@pytest.mark.parametrize("name", list(EMAIL_NOT_VERIFIED))
def test_an_unverified_email_is_neither_returned_nor_signed(
    name: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    response = signers.answer(provider, provider.token(**EMAIL_NOT_VERIFIED[name]))
    assert_vouched(response, Reader(provider.reader.user_id, None))


# Providers whose tokens carry an email but never say it is verified, and that email.
EMAIL_NEVER_SAID_VERIFIED = {
    "entra": "alice@contoso.com",
    "google-iap": "alice@example.com",
    "cloudflare-access": "alice@example.com",
}


@pytest.mark.parametrize(("name", "email"), list(EMAIL_NEVER_SAID_VERIFIED.items()))
def test_an_operator_who_trusts_the_providers_email_opts_in(
    name: str, email: str, providers: Providers, signers: Signers
) -> None:
    provider = providers.named(name)
    response = signers.answer(provider, provider.token(), SIGNER_TRUST_UNVERIFIED_EMAIL="true")
    assert_vouched(response, Reader(provider.reader.user_id, email))


# Access tokens addressed to someone other than the docs' application, which the recommended
# settings (ID tokens for that application) refuse. Cognito's names it: see test_cognito.py.
ACCESS_TOKENS_FOR_SOMEONE_ELSE = [
    pytest.param(Auth0, id="auth0-for-the-docs-api-and-userinfo"),
    pytest.param(Okta, id="okta-org-server-for-okta-itself"),
    pytest.param(OktaCustomServer, id="okta-default-for-api-default"),
    pytest.param(Keycloak, id="keycloak-for-the-account-console"),
]


@pytest.mark.parametrize("shape", ACCESS_TOKENS_FOR_SOMEONE_ELSE)
def test_an_access_token_for_someone_else_is_not_an_id_token_for_the_docs(
    shape: type[Auth0 | Okta | Keycloak], providers: Providers, signers: Signers
) -> None:
    provider = providers.get(shape)
    assert_refused(signers.answer(provider, provider.access_token()))
