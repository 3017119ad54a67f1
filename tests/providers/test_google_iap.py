"""Google Cloud IAP: the signed `x-goog-iap-jwt-assertion` header, never the unsigned ones."""

from __future__ import annotations

from tests.providers.expect import assert_refused, assert_vouched
from tests.providers.running import Signers
from tests.providers.shapes.base import Reader
from tests.providers.shapes.google_iap import HEADER, SUB, GoogleIap


def test_the_unsigned_identity_headers_alone_are_refused(
    google_iap: GoogleIap, signers: Signers
) -> None:
    headers = google_iap.present(google_iap.token())
    del headers[HEADER]
    assert_refused(signers.for_provider(google_iap).identity(headers=headers))


def test_an_operator_who_trusts_iaps_email_opts_in(google_iap: GoogleIap, signers: Signers) -> None:
    signer = signers.for_provider(google_iap, SIGNER_TRUST_UNVERIFIED_EMAIL="true")
    response = signer.identity(headers=google_iap.present(google_iap.token()))
    assert_vouched(response, Reader(SUB, "alice@example.com"))


def test_a_token_in_the_authorization_header_instead_is_refused(
    google_iap: GoogleIap, signers: Signers
) -> None:
    headers = {"Authorization": f"Bearer {google_iap.token()}"}
    assert_refused(signers.for_provider(google_iap).identity(headers=headers))
