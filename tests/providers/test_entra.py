"""Microsoft Entra ID (v2.0): `oid` names the reader; the email is never taken as verified."""

from __future__ import annotations

from tests.providers.expect import assert_identified, assert_refused, assert_vouched
from tests.providers.running import Signers
from tests.providers.shapes.base import Reader
from tests.providers.shapes.entra import OBJECT_ID, OTHER_TENANT_ID, Entra


def test_the_reader_is_the_object_id_not_the_pairwise_subject(
    entra: Entra, signers: Signers
) -> None:
    response = signers.for_provider(entra).identity(headers=entra.present(entra.token()))
    body = assert_identified(response, OBJECT_ID)
    assert body["user_id"] != entra.sub


def test_a_verified_email_domain_does_not_make_the_email_verified(
    entra: Entra, signers: Signers
) -> None:
    token = entra.token(xms_edov=True)
    response = signers.for_provider(entra).identity(headers=entra.present(token))
    assert_vouched(response, Reader(OBJECT_ID, None))


def test_an_operator_who_trusts_entras_email_opts_in(entra: Entra, signers: Signers) -> None:
    signer = signers.for_provider(entra, SIGNER_TRUST_UNVERIFIED_EMAIL="true")
    response = signer.identity(headers=entra.present(entra.token()))
    assert_vouched(response, Reader(OBJECT_ID, "alice@contoso.com"))


def test_a_header_that_also_names_the_key_by_x5t_is_verified_by_kid(
    entra: Entra, signers: Signers
) -> None:
    response = signers.for_provider(entra).identity(headers=entra.present(entra.token(x5t=True)))
    assert_identified(response, OBJECT_ID)


def test_a_token_of_another_tenant_is_refused_though_the_same_keys_signed_it(
    entra: Entra, signers: Signers
) -> None:
    token = entra.token(tenant=OTHER_TENANT_ID)
    assert_refused(signers.for_provider(entra).identity(headers=entra.present(token)))
