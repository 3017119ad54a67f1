"""template.yaml, validated offline: cfn-lint, and the SAM transform for every front door and
identity source, read as it would deploy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

from tests.support.cfn import Stack

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
FRONT_DOORS = ["HttpApi", "FunctionUrl", "None"]
IDENTITIES = ["jwt", "apigw-jwt", "alb"]
VALID = [
    (door, identity)
    for door in FRONT_DOORS
    for identity in IDENTITIES
    if identity != "apigw-jwt" or door == "HttpApi"
]
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:intercom-AbCdEf"


class NoManagedPolicyLookups:
    def load(self) -> dict[str, str]:
        return {}


@pytest.fixture(scope="module")
def transformed(monkeypatch_module: pytest.MonkeyPatch) -> dict[str, Any]:
    template = yaml_parse(TEMPLATE.read_text())
    template["Resources"]["SignerFunction"]["Properties"]["CodeUri"] = (
        "s3://artifacts/signer.zip"  # as `sam package` leaves it
    )
    return dict(transform(template, {}, NoManagedPolicyLookups()))


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", "eu-west-1")  # the transform asks boto for a region
        yield patch


def parameters(door: str, identity: str, **extra: str) -> dict[str, str]:
    values = {
        "FrontDoor": door,
        "IdentitySource": identity,
        "AllowedOrigins": "https://docs.example.com",
    }
    if identity in ("jwt", "apigw-jwt"):
        values |= {"OidcIssuer": "https://login.example.com", "OidcAudience": "docs,docs-preview"}
    if identity == "alb":
        values["AlbArn"] = (
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/docs/50dc6c495c0c9188"
        )
    return values | extra


def test_cfn_lint_finds_nothing() -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")  # installed beside this interpreter
    result = subprocess.run(
        [str(cfn_lint), str(TEMPLATE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(("door", "identity"), VALID)
@pytest.mark.parametrize("secret", ["created", "existing"])
def test_iam_names_only_the_one_secret(
    door: str, identity: str, secret: str, transformed: dict[str, Any]
) -> None:
    extra = {"ExistingSecretArn": SECRET_ARN} if secret == "existing" else {}
    stack = Stack(transformed, parameters(door, identity, **extra))
    assert stack.broken_rules() == []
    resources = stack.resources()
    role = resources["SignerFunctionRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]
    statements = [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]
    expected = SECRET_ARN if secret == "existing" else {"Ref": "IntercomSecret"}
    assert statements == [
        {
            "Sid": "ReadTheIntercomSecretOnly",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": expected,
        }
    ]
    assert ("IntercomSecret" in resources) is (secret == "created")
    assert (
        resources["SignerFunction"]["Properties"]["Environment"]["Variables"]["SIGNER_SECRET_ARN"]
        == expected
    )


@pytest.mark.parametrize(("door", "identity"), VALID)
def test_environment_is_wired_to_the_parameters(
    door: str, identity: str, transformed: dict[str, Any]
) -> None:
    given = parameters(
        door,
        identity,
        TokenFrom="cookie:id_token",
        Output="both",
        JwtTtl="900",
        BasePath="/api/intercom",
        UserIdClaim="uid",
    )
    stack = Stack(transformed, given)
    env = stack.resources()["SignerFunction"]["Properties"]["Environment"]["Variables"]
    wiring = {
        "SIGNER_IDENTITY": "IdentitySource",
        "SIGNER_TOKEN_FROM": "TokenFrom",
        "SIGNER_OIDC_ISSUER": "OidcIssuer",
        "SIGNER_OIDC_AUDIENCE": "OidcAudience",
        "SIGNER_OIDC_JWKS_URL": "OidcJwksUrl",
        "SIGNER_USER_ID_CLAIM": "UserIdClaim",
        "SIGNER_EMAIL_CLAIM": "EmailClaim",
        "SIGNER_NAME_CLAIM": "NameClaim",
        "SIGNER_ALB_ARN": "AlbArn",
        "SIGNER_OUTPUT": "Output",
        "SIGNER_JWT_TTL": "JwtTtl",
        "SIGNER_ALLOWED_ORIGINS": "AllowedOrigins",
        "SIGNER_BASE_PATH": "BasePath",
    }
    for variable, parameter in wiring.items():
        assert env[variable] == stack.parameters[parameter], variable
    assert env["SIGNER_SECRET_MAX_AGE"] == env["SECRETS_MANAGER_TTL"], (
        "the extension's cache matches the signer's"
    )
    assert int(env["SIGNER_SECRET_MAX_AGE"]) + int(env["SECRETS_MANAGER_TTL"]) <= 300, (
        "a rotation is live within five minutes"
    )
    assert env["POWERTOOLS_SERVICE_NAME"]
    assert env["POWERTOOLS_METRICS_NAMESPACE"]
    function = stack.resources()["SignerFunction"]["Properties"]
    assert function["Handler"] == "intercom_signer.handler.handler"
    assert (function["Runtime"], function["Architectures"]) == ("python3.13", ["arm64"])
    assert "TracingConfig" not in function, "X-Ray off by default"


@pytest.mark.parametrize(("door", "identity"), VALID)
def test_front_door_and_authorizer_only_where_asked(
    door: str, identity: str, transformed: dict[str, Any]
) -> None:
    resources = Stack(transformed, parameters(door, identity, BasePath="/api/intercom")).resources()
    assert ("SignerHttpApi" in resources) is (door == "HttpApi")
    assert ("SignerFunctionUrl" in resources) is (door == "FunctionUrl")
    assert ("LoginTokenAuthorizer" in resources) is (identity == "apigw-jwt")
    if door == "HttpApi":
        route = resources["IdentityRoute"]["Properties"]
        assert route["AuthorizationType"] == ("JWT" if identity == "apigw-jwt" else "NONE")
        assert route["RouteKey"] == {"Fn::Sub": "GET ${BasePath}/identity"}
        assert resources["HealthRoute"]["Properties"].get("AuthorizationType", "NONE") == "NONE"
        settings = resources["SignerStage"]["Properties"]["DefaultRouteSettings"]
        assert (settings["ThrottlingRateLimit"], settings["ThrottlingBurstLimit"]) == ("50", "100")
        cors = resources["SignerHttpApi"]["Properties"]["CorsConfiguration"]
        assert cors["AllowCredentials"] is True
        assert cors["AllowOrigins"] == {"Fn::Split": [",", "https://docs.example.com"]}
    if identity == "apigw-jwt":
        jwt_config = resources["LoginTokenAuthorizer"]["Properties"]["JwtConfiguration"]
        assert jwt_config == {
            "Issuer": "https://login.example.com",
            "Audience": {"Fn::Split": [",", "docs,docs-preview"]},
        }
    if door == "FunctionUrl":
        assert resources["SignerFunctionUrl"]["Properties"]["AuthType"] == "AWS_IAM"


def test_origins_can_never_be_a_wildcard() -> None:
    pattern = re.compile(
        yaml_parse(TEMPLATE.read_text())["Parameters"]["AllowedOrigins"]["AllowedPattern"]
    )
    for good in (
        "",
        "https://docs.example.com",
        "https://docs.example.com,https://docs.example.org:8443",
    ):
        assert pattern.fullmatch(good), good
    for bad in (
        "*",
        "https://*.example.com",
        "https://docs.example.com/path",
        "docs.example.com",
        "https://a.com, *",
    ):
        assert not pattern.fullmatch(bad), bad


@pytest.mark.parametrize(
    ("given", "broken"),
    [
        (parameters("FunctionUrl", "apigw-jwt"), "AuthorizerNeedsHttpApi"),
        (parameters("HttpApi", "jwt", OidcIssuer=""), "JwtNeedsIssuerAndAudience"),
        (parameters("HttpApi", "alb", AlbArn=""), "AlbNeedsArn"),
        (parameters("HttpApi", "jwt", AllowedOrigins=""), "HttpApiNeedsOrigins"),
    ],
)
def test_inconsistent_parameters_fail_before_anything_deploys(
    given: dict[str, str], broken: str, transformed: dict[str, Any]
) -> None:
    assert [rule.split(":")[0] for rule in Stack(transformed, given).broken_rules()] == [broken]


def test_layers_extension_by_region_by_arn_or_none_and_powertools(
    transformed: dict[str, Any],
) -> None:
    def layers(**extra: str) -> Any:
        stack = Stack(transformed, parameters("HttpApi", "jwt", **extra))
        return stack.resources()["SignerFunction"]["Properties"]["Layers"]

    powertools = {
        "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:${PowertoolsLayerVersion}"
    }
    mapped, second = layers()
    assert mapped["Fn::Sub"][0].endswith(
        ":layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:${ExtensionLayerVersion}"
    )
    assert second == powertools
    arn = "arn:aws:lambda:sa-east-1:933737806257:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:12"
    assert layers(ExtensionLayerArn=arn) == [arn, powertools]
    assert layers(ExtensionLayerArn="none") == [powertools]


def test_alarms_and_log_retention(transformed: dict[str, Any]) -> None:
    resources = Stack(
        transformed,
        parameters("HttpApi", "jwt", AlarmTopicArn="arn:aws:sns:eu-west-1:123456789012:ops"),
    ).resources()
    assert resources["SignerLogGroup"]["Properties"]["RetentionInDays"] == "30"
    for alarm, metric in (("ErrorsAlarm", "Errors"), ("ThrottlesAlarm", "Throttles")):
        assert resources[alarm]["Properties"]["MetricName"] == metric
        assert resources[alarm]["Properties"]["AlarmActions"] == [
            "arn:aws:sns:eu-west-1:123456789012:ops"
        ]


def test_serverless_repo_metadata_is_complete() -> None:
    template = yaml_parse(TEMPLATE.read_text())
    application = template["Metadata"]["AWS::ServerlessRepo::Application"]
    for key in (
        "Name",
        "Description",
        "Author",
        "SpdxLicenseId",
        "LicenseUrl",
        "ReadmeUrl",
        "SemanticVersion",
        "SourceCodeUrl",
    ):
        assert application[key], key
    root = TEMPLATE.parent
    assert (root / application["LicenseUrl"]).is_file()
    assert (root / application["ReadmeUrl"]).is_file()
    import tomllib

    assert (
        application["SemanticVersion"]
        == tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    )


def test_samconfig_defaults_name_real_parameters() -> None:
    import shlex
    import tomllib

    config = tomllib.loads((TEMPLATE.parent / "samconfig.toml").read_text())
    deploy = config["default"]["deploy"]["parameters"]
    assert deploy["capabilities"] == "CAPABILITY_IAM"
    known = yaml_parse(TEMPLATE.read_text())["Parameters"]
    for pair in shlex.split(deploy["parameter_overrides"]):
        name, value = pair.split("=", 1)
        assert name in known, name
        allowed = known[name].get("AllowedValues")
        assert allowed is None or value in [str(v) for v in allowed], pair
