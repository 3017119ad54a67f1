"""lambda/requirements.txt is enough: with the Powertools layer beside it, the handler imports
and answers a real API Gateway event from that folder alone."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest

from tests.support import events
from tests.support.cfn import Stack
from tests.support.issuer import IssuerUnderTest
from tests.support.package import invoke_handler, prepared_package
from tests.support.prerequisites import missing
from tests.support.signer import SECRET


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    prepared = prepared_package(tmp_path_factory.mktemp("package"))
    if prepared is None:
        missing("the prepared Lambda package", "run `make lambda-package`")
    return prepared


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
    package: tuple[Path, Path], issuer: IssuerUnderTest, docs_stack: Stack
) -> None:
    """The environment is the template's own (defaults), with a local secret and issuer."""
    env = docs_stack.local_environment(SECRET)
    token = issuer.token(sub="packaged-reader")
    event = events.http_api_v2(headers={"authorization": f"Bearer {token}"})
    run = invoke_handler([event], env, package)
    (answer,) = run.answers
    assert answer["statusCode"] == 200
    body = json.loads(answer["body"])
    claims = jwt.decode(body["intercom_user_jwt"], SECRET, algorithms=["HS256"])
    assert claims["user_id"] == body["user_id"] == "packaged-reader"
    assert "boto3" not in run.imported, "the secret-from-environment path never imports boto3"
    assert "mkdocs" not in run.imported, "the signer never imports mkdocs"
