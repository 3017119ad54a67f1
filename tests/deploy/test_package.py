"""lambda/requirements.txt is enough: with the Powertools layer beside it, the handler imports
and answers a real API Gateway event from that folder alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jwt
import pytest

from tests.support.cfn import Stack
from tests.support.issuer import IssuerUnderTest
from tests.support.package import INVOKE, ROOT, build_package
from tests.support.signer import SECRET


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_package(tmp_path_factory.mktemp("package"))


def test_requirements_install_without_boto3_powertools_or_mkdocs(
    package: tuple[Path, Path],
) -> None:
    installed = {p.name.lower() for p in package[0].iterdir()}
    for needed in ("mangum", "starlette", "jwt", "cryptography", "intercom_signer"):
        assert needed in installed, needed
    assert "boto3" not in installed, "the Lambda runtime ships boto3"
    assert "aws_lambda_powertools" not in installed, "Powertools comes from its layer"
    assert "mkdocs" not in installed


def test_handler_answers_an_api_gateway_event_from_the_package_alone(
    package: tuple[Path, Path], issuer: IssuerUnderTest, transformed: dict[str, Any]
) -> None:
    """The environment is the template's own (defaults), with a local secret and issuer."""
    function, layer = package
    deployed = Stack(
        transformed,
        {
            "OidcIssuer": issuer.url,
            "OidcAudience": "docs",
            "AllowedOrigins": "https://docs.example.com",
        },
    )
    configured = deployed.environment(secret_arn="")
    del configured["SIGNER_SECRET_ARN"]
    env = {
        **configured,
        "PATH": os.environ["PATH"],
        "PACKAGE": str(function),
        "LAYER": str(layer),
        "REPO": str(ROOT),
        "TOKEN": issuer.token(sub="packaged-reader"),
        "AWS_LAMBDA_FUNCTION_NAME": "docs-signer-SignerFunction",
        "SIGNER_SECRET": SECRET,
    }
    out = subprocess.run(
        [sys.executable, "-S", "-c", INVOKE], env=env, capture_output=True, text=True, check=True
    ).stdout
    answer = json.loads(out.strip().splitlines()[-1])
    assert answer["result"]["statusCode"] == 200
    body = json.loads(answer["result"]["body"])
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert claims["user_id"] == body["user_id"] == "packaged-reader"
    assert answer["boto3"] is False, "the secret-from-environment path never imports boto3"
    assert answer["mkdocs"] is False, "the signer never imports mkdocs"
