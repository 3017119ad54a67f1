"""template.yaml through the SAM transform, once per session, as `sam package` leaves it."""

from __future__ import annotations

from typing import Any

import pytest
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

from tests.support.cfn import TEMPLATE, Stack
from tests.support.issuer import IssuerUnderTest


class NoManagedPolicyLookups:
    def load(self) -> dict[str, str]:
        return {}


@pytest.fixture(scope="session")
def transformed() -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", "eu-west-1")  # the transform asks boto for a region
        parsed = yaml_parse(TEMPLATE.read_text())
        parsed["Resources"]["SignerFunction"]["Properties"]["CodeUri"] = "s3://artifacts/signer.zip"
        return dict(transform(parsed, {}, NoManagedPolicyLookups()))


@pytest.fixture(scope="session")
def docs_stack(transformed: dict[str, Any], issuer: IssuerUnderTest) -> Stack:
    """The template deployed as the docs' own stack: the test issuer, audience `docs`, the docs
    origin allowed, every other parameter at its default."""
    return Stack(
        transformed,
        {
            "OidcIssuer": issuer.url,
            "OidcAudience": "docs",
            "AllowedOrigins": "https://docs.example.com",
        },
    )
