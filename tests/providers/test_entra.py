"""Microsoft Entra ID (v2.0): `oid` names the reader; the email is never taken as verified
(test_shared_rules.py: a verified domain is not a verified email; the operator may opt in)."""

from __future__ import annotations

from tests.providers.expect import assert_identified, assert_refused
from tests.providers.running import Signers
from tests.providers.shapes.entra import OBJECT_ID, OTHER_TENANT_ID, Entra


def test_the_reader_is_the_object_id_not_the_pairwise_subject(
    entra: Entra, signers: Signers
) -> None:
    body = assert_identified(signers.answer(entra, entra.token()), OBJECT_ID)
    assert body["user_id"] != entra.sub


def test_a_header_that_also_names_the_key_by_x5t_is_verified_by_kid(
    entra: Entra, signers: Signers
) -> None:
    assert_identified(signers.answer(entra, entra.token(x5t=True)), OBJECT_ID)


def test_a_token_of_another_tenant_is_refused_though_the_same_keys_signed_it(
    entra: Entra, signers: Signers
) -> None:
    assert_refused(signers.answer(entra, entra.token(tenant=OTHER_TENANT_ID)))
