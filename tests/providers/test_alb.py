"""An ALB with OIDC authentication in front of the signer (a Lambda target): the signed
`x-amzn-oidc-data` names the reader; the unsigned headers next to it never do (Cognito's
string "false" for email_verified keeps the email out: test_shared_rules.py)."""

from __future__ import annotations

import uuid

import pytest

from tests.providers.expect import assert_refused, assert_vouched
from tests.providers.running import LambdaFactory, Signers
from tests.providers.shapes.alb import Alb
from tests.support import events


def test_the_alb_pads_every_segment_and_signs_the_padded_text(alb: Alb) -> None:
    """The premise of this file: base64 padding the signer must verify as received."""
    header, payload, signature = alb.token().split(".")
    assert header.endswith("=")
    assert payload.endswith("=")
    assert signature.endswith("=")


def test_an_alb_event_names_the_reader_through_the_lambda_handler(
    alb: Alb, lambda_signer: LambdaFactory
) -> None:
    signer = lambda_signer(alb.settings())
    event = events.alb(headers=alb.present(alb.token()))
    assert_vouched(signer.invoke(event), alb.reader)


def test_a_key_id_the_key_host_does_not_know_is_refused(alb: Alb, signers: Signers) -> None:
    assert_refused(signers.answer(alb, alb.token(kid=str(uuid.uuid4()))))


@pytest.mark.parametrize("kept", ["x-amzn-oidc-identity", "x-amzn-oidc-accesstoken"])
def test_the_unsigned_alb_headers_alone_are_refused(
    kept: str, alb: Alb, lambda_signer: LambdaFactory
) -> None:
    headers = {kept: alb.present(alb.token())[kept]}
    assert_refused(lambda_signer(alb.settings()).invoke(events.alb(headers=headers)))


def test_the_idps_access_token_in_place_of_the_alb_data_is_refused(
    alb: Alb, signers: Signers
) -> None:
    headers = {**alb.present(alb.token()), "x-amzn-oidc-data": alb.idp_access_token()}
    assert_refused(signers.for_provider(alb).identity(headers=headers))
