"""Google Cloud IAP: the signed `x-goog-iap-jwt-assertion` header, never the unsigned ones
(test_shared_rules.py: the operator may opt in to IAP's email)."""

from __future__ import annotations

from tests.providers.expect import assert_refused
from tests.providers.running import Signers
from tests.providers.shapes.google_iap import HEADER, GoogleIap


def test_the_unsigned_identity_headers_alone_are_refused(
    google_iap: GoogleIap, signers: Signers
) -> None:
    headers = google_iap.present(google_iap.token())
    del headers[HEADER]
    assert_refused(signers.for_provider(google_iap).identity(headers=headers))


def test_a_token_in_the_authorization_header_instead_is_refused(
    google_iap: GoogleIap, signers: Signers
) -> None:
    headers = {"Authorization": f"Bearer {google_iap.token()}"}
    assert_refused(signers.for_provider(google_iap).identity(headers=headers))
