"""Auth0: ID tokens for the docs' application, access tokens for its API (the rules Auth0
shares with other providers are in test_shared_rules.py)."""

from __future__ import annotations

from tests.providers.expect import assert_refused, assert_vouched
from tests.providers.running import Signers
from tests.providers.shapes.auth0 import Auth0
from tests.providers.shapes.base import Reader


def test_an_access_token_for_the_docs_api_names_the_same_reader_without_email(
    auth0: Auth0, signers: Signers
) -> None:
    signer = signers.start(auth0.api_settings())
    response = signer.identity(headers=auth0.present(auth0.access_token()))
    assert_vouched(response, Reader(auth0.reader.user_id, None))


def test_an_access_token_for_the_userinfo_endpoint_only_is_refused(
    auth0: Auth0, signers: Signers
) -> None:
    token = auth0.access_token(aud=f"{auth0.issuer}userinfo")
    assert_refused(signers.start(auth0.api_settings()).identity(headers=auth0.present(token)))


def test_an_id_token_is_not_an_access_token_for_the_api(auth0: Auth0, signers: Signers) -> None:
    response = signers.start(auth0.api_settings()).identity(headers=auth0.present(auth0.token()))
    assert_refused(response)


def test_the_issuer_without_its_trailing_slash_is_named_as_a_discovery_mismatch(
    auth0: Auth0, signers: Signers, signer_logs: object
) -> None:
    """Auth0's issuer ends in a slash: configured without it, the signer never vouches and
    says why (its discovery document names another issuer), rather than blaming the reader."""
    issuer = auth0.issuer.rstrip("/")
    response = signers.answer(auth0, auth0.token(), SIGNER_OIDC_ISSUER=issuer)
    unavailable = (503, {"error": "identity_provider_unavailable"})
    assert (response.status_code, response.json()) == unavailable
    assert '"cause":"discovery_mismatch"' in signer_logs.getvalue()  # type: ignore[attr-defined]


ACTION_EMAIL = "https://docs.example.com/work_email"  # Auth0 Actions namespace custom claims


def test_an_actions_namespaced_email_is_vouched_for_only_by_its_own_claim(
    auth0: Auth0, signers: Signers
) -> None:
    """An Action adds a namespaced email claim to the ID token; the tenant's standard
    `email_verified: true` speaks for `email` alone, so a namespaced claim holding another
    address is passed on only with the verification claim the operator names for it."""
    env = {
        "SIGNER_EMAIL_CLAIM": ACTION_EMAIL,
        "SIGNER_EMAIL_VERIFIED_CLAIM": f"{ACTION_EMAIL}_verified",
    }
    forged = auth0.token(**{ACTION_EMAIL: "ceo@victim.example"})  # email_verified: true
    assert_vouched(signers.answer(auth0, forged, **env), Reader(auth0.reader.user_id, None))
    vouched = auth0.token(**{ACTION_EMAIL: "alice@work.example", f"{ACTION_EMAIL}_verified": True})
    assert_vouched(
        signers.answer(auth0, vouched, **env), Reader(auth0.reader.user_id, "alice@work.example")
    )
