"""template.yaml, validated offline: cfn-lint, and the SAM transform read as it would deploy for
every front door and identity source."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from intercom_signer.deadlines import fetch_chain_bound
from intercom_signer.settings import MAX_FETCH_TIMEOUT, Settings
from tests.support.cfn import ROOT, TEMPLATE, Stack, powertools_version, template

FRONT_DOORS = ["HttpApi", "FunctionUrl", "Alb", "None"]
IDENTITIES = ["jwt", "apigw-jwt", "alb"]
ALLOWED = {"jwt": FRONT_DOORS, "apigw-jwt": ["HttpApi"], "alb": ["Alb", "None"]}
VALID = [(door, identity) for identity in IDENTITIES for door in ALLOWED[identity]]
INVALID = [
    (door, identity)
    for identity in IDENTITIES
    for door in FRONT_DOORS
    if door not in ALLOWED[identity]
]
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:intercom-AbCdEf"
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ALB_ARN = (
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/docs/50dc6c495c0c9188"
)
TOPIC = "arn:aws:sns:eu-west-1:123456789012:ops"
POWERTOOLS_COPY = "arn:aws:lambda:eu-west-1:123456789012:layer:powertools-python-313-arm64:4"
HTTP_API_MAX_INTEGRATION_MS = 30_000


def parameters(door: str, identity: str, **extra: str) -> dict[str, str]:
    values = {
        "FrontDoor": door,
        "IdentitySource": identity,
        "OidcIssuer": "https://login.example.com",
        "AllowedOrigins": "https://docs.example.com",
    }
    if identity in ("jwt", "apigw-jwt"):
        values["OidcAudience"] = "docs,docs-preview"
    if identity == "alb":
        values["AlbArn"] = ALB_ARN
    if door == "FunctionUrl":
        values["CloudFrontDistributionId"] = "E2EXAMPLE1ABCD"
    return values | extra


def stack(
    transformed: dict[str, Any], door: str = "HttpApi", identity: str = "jwt", **extra: str
) -> Stack:
    deployed = Stack(transformed, parameters(door, identity, **extra))
    assert deployed.constraint_violations() == []
    assert deployed.broken_rules() == []
    return deployed


def function(deployed: Stack) -> dict[str, Any]:
    properties: dict[str, Any] = deployed.resources()["SignerFunction"]["Properties"]
    return properties


def test_cfn_lint_finds_nothing() -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")  # installed beside this interpreter
    result = subprocess.run(
        [str(cfn_lint), str(TEMPLATE)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(("door", "identity"), VALID)
def test_every_supported_combination_deploys(
    door: str, identity: str, transformed: dict[str, Any]
) -> None:
    resources = stack(transformed, door, identity).resources()
    assert ("SignerHttpApi" in resources) is (door == "HttpApi")
    assert ("SignerFunctionUrl" in resources) is (door == "FunctionUrl")
    assert ("SignerTargetGroup" in resources) is (door == "Alb")
    assert ("LoginTokenAuthorizer" in resources) is (identity == "apigw-jwt")


@pytest.mark.parametrize(("door", "identity"), INVALID)
def test_every_other_combination_is_refused_before_anything_deploys(
    door: str, identity: str, transformed: dict[str, Any]
) -> None:
    assert Stack(transformed, parameters(door, identity)).broken_rules() != []


@pytest.mark.parametrize(
    ("given", "broken"),
    [
        ({"OidcAudience": ""}, "AudienceForJwt"),
        ({"AllowedOrigins": ""}, "HttpApiNeedsOrigins"),
    ],
)
def test_missing_values_name_the_rule_that_needs_them(
    given: dict[str, str], broken: str, transformed: dict[str, Any]
) -> None:
    refused = Stack(transformed, parameters("HttpApi", "jwt", **given)).broken_rules()
    assert [rule.split(":")[0] for rule in refused] == [broken]


def test_missing_distribution_and_alb_are_refused(transformed: dict[str, Any]) -> None:
    no_distribution = parameters("FunctionUrl", "jwt", CloudFrontDistributionId="")
    assert [r.split(":")[0] for r in Stack(transformed, no_distribution).broken_rules()] == [
        "FunctionUrlNeedsDistribution"
    ]
    no_alb = parameters("Alb", "alb", AlbArn="")
    assert [r.split(":")[0] for r in Stack(transformed, no_alb).broken_rules()] == [
        "AlbIdentityNeedsAlb"
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OidcIssuer", ""),
        ("OidcIssuer", "login.example.com"),
        ("AllowedOrigins", "*"),
        ("AllowedOrigins", "https://*.example.com"),
        ("AllowedOrigins", "https://docs.example.com/path"),
        ("AllowedOrigins", "https://a.com, *"),
        ("AllowedOrigins", "http://docs.example.com"),
        ("AllowedOrigins", "https://docs.example.com,http://docs.example.com"),
        ("AllowedOrigins", "http://localhost.example.com"),
        ("ReservedConcurrency", "0"),
        ("ReservedConcurrency", "-1"),
        ("ExistingSecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:intercom"),
        ("TokenFrom", "cookie:"),
        ("ExtensionLayerArn", "latest"),
        ("PowertoolsLayerArn", "latest"),
        ("PowertoolsLayerArn", "none"),
    ],
)
def test_malformed_values_fail_their_parameter_constraint(
    name: str, value: str, transformed: dict[str, Any]
) -> None:
    violations = Stack(transformed, parameters("HttpApi", "jwt", **{name: value}))
    assert [v.split(":")[0] for v in violations.constraint_violations()] == [name]


def test_well_formed_values_pass_their_constraints(transformed: dict[str, Any]) -> None:
    deployed = stack(
        transformed,
        AllowedOrigins="https://docs.example.com,https://docs.example.org:8443,http://localhost:8000",
        ReservedConcurrency="20",
        ExistingSecretArn=SECRET_ARN,
        SecretKmsKeyArn=KEY_ARN,
        TokenFrom="cookie:ID-TOKEN",
        SignedAttributes="plan=custom:plan,company_id=org",
        AlarmTopicArn=TOPIC,
        ExtensionLayerArn="none",
        PowertoolsLayerArn=POWERTOOLS_COPY,
    )
    assert deployed.constraint_violations() == []


@pytest.mark.parametrize(
    "origin",
    ["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000", "http://localhost"],
)
def test_plain_http_origins_are_accepted_on_loopback_only(
    origin: str, transformed: dict[str, Any]
) -> None:
    on_loopback = Stack(transformed, parameters("HttpApi", "jwt", AllowedOrigins=origin))
    assert on_loopback.constraint_violations() == []
    remote = origin.replace("localhost", "docs.example.com").replace("127.0.0.1", "10.0.0.1")
    if remote != origin:
        off = Stack(transformed, parameters("HttpApi", "jwt", AllowedOrigins=remote))
        assert [v.split(":")[0] for v in off.constraint_violations()] == ["AllowedOrigins"]


@pytest.mark.parametrize(("door", "identity"), VALID)
@pytest.mark.parametrize("secret", ["created", "existing"])
@pytest.mark.parametrize("key", ["aws-managed", "customer-managed"])
def test_role_writes_its_own_log_group_and_reads_the_one_secret(
    door: str, identity: str, secret: str, key: str, transformed: dict[str, Any]
) -> None:
    extra = {"ExistingSecretArn": SECRET_ARN} if secret == "existing" else {}
    if key == "customer-managed":
        extra["SecretKmsKeyArn"] = KEY_ARN
    deployed = stack(transformed, door, identity, **extra)
    resources = deployed.resources()
    role = resources["SignerRole"]["Properties"]
    assert "ManagedPolicyArns" not in role, (
        "no AWSLambdaBasicExecutionRole: it writes any log group"
    )
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
    statements = [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]
    the_secret = SECRET_ARN if secret == "existing" else {"Ref": "IntercomSecret"}
    expected = [
        {
            "Sid": "WriteItsOwnLogsOnly",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::GetAtt": ["SignerLogGroup", "Arn"]},
        },
        {
            "Sid": "ReadTheIntercomSecretOnly",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": the_secret,
        },
    ]
    if key == "customer-managed":
        expected.append(
            {
                "Sid": "DecryptTheSecretThroughSecretsManagerOnly",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": KEY_ARN,
                "Condition": {
                    "StringEquals": {
                        "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com",
                        "kms:EncryptionContext:SecretARN": the_secret,
                    }
                },
            }
        )
    assert statements == expected
    properties = function(deployed)
    assert properties["Role"] == {"Fn::GetAtt": ["SignerRole", "Arn"]}
    assert properties["LoggingConfig"] == {"LogGroup": {"Ref": "SignerLogGroup"}}
    assert properties["Environment"]["Variables"]["SIGNER_SECRET_ARN"] == the_secret
    assert ("IntercomSecret" in resources) is (secret == "created")
    if secret == "created":
        created = resources["IntercomSecret"]["Properties"]
        assert created.get("KmsKeyId") == (KEY_ARN if key == "customer-managed" else None)
        assert "SecretString" not in created, "created empty: the value never passes CloudFormation"
        assert "GenerateSecretString" not in created


@pytest.mark.parametrize(("door", "identity"), VALID)
def test_environment_is_wired_to_the_parameters(
    door: str, identity: str, transformed: dict[str, Any]
) -> None:
    deployed = stack(
        transformed,
        door,
        identity,
        TokenFrom="cookie:ID-TOKEN",
        Output="both",
        JwtTtl="900",
        BasePath="/api/intercom",
        UserIdClaim="uid",
        TrustUnverifiedEmail="true",
        SignedAttributes="plan=custom:plan",
    )
    env = function(deployed)["Environment"]["Variables"]
    wiring = {
        "SIGNER_IDENTITY": "IdentitySource",
        "SIGNER_TOKEN_FROM": "TokenFrom",
        "SIGNER_OIDC_ISSUER": "OidcIssuer",
        "SIGNER_OIDC_AUDIENCE": "OidcAudience",
        "SIGNER_OIDC_JWKS_URL": "OidcJwksUrl",
        "SIGNER_USER_ID_CLAIM": "UserIdClaim",
        "SIGNER_EMAIL_CLAIM": "EmailClaim",
        "SIGNER_EMAIL_VERIFIED_CLAIM": "EmailVerifiedClaim",
        "SIGNER_NAME_CLAIM": "NameClaim",
        "SIGNER_TRUST_UNVERIFIED_EMAIL": "TrustUnverifiedEmail",
        "SIGNER_ALB_ARN": "AlbArn",
        "SIGNER_OUTPUT": "Output",
        "SIGNER_JWT_TTL": "JwtTtl",
        "SIGNER_ATTRIBUTES": "SignedAttributes",
        "SIGNER_ALLOWED_ORIGINS": "AllowedOrigins",
        "SIGNER_BASE_PATH": "BasePath",
    }
    for variable, parameter in wiring.items():
        assert env[variable] == deployed.parameters[parameter], variable
    assert env["SIGNER_SECRET_MAX_AGE"] == env["SECRETS_MANAGER_TTL"], (
        "the extension's cache matches the signer's"
    )
    assert int(env["SIGNER_SECRET_MAX_AGE"]) + int(env["SECRETS_MANAGER_TTL"]) <= 300, (
        "a rotation is live within five minutes"
    )
    assert env["POWERTOOLS_SERVICE_NAME"] == "docs-signer", "metrics of two stacks never mix"
    assert env["SIGNER_ALB_KEYS_URL"] == "", "outside GovCloud the signer derives it from the ARN"
    properties = function(deployed)
    assert properties["Handler"] == "intercom_signer.handler.handler"
    assert (properties["Runtime"], properties["Architectures"]) == ("python3.13", ["arm64"])
    assert "TracingConfig" not in properties, "X-Ray off by default"


@pytest.mark.parametrize(("door", "identity"), VALID)
def test_the_signer_starts_with_the_environment_the_template_sets(
    door: str, identity: str, transformed: dict[str, Any]
) -> None:
    env = stack(transformed, door, identity).environment(SECRET_ARN)
    settings = Settings.from_env({**env, "AWS_LAMBDA_FUNCTION_NAME": "docs-signer-SignerFunction"})
    assert settings.identity == identity
    assert settings.secret_arn == SECRET_ARN
    assert settings.fetch_timeout == float(env["SIGNER_FETCH_TIMEOUT"])


def test_defaults_follow_the_signer_contract() -> None:
    defaults = {name: spec.get("Default") for name, spec in template()["Parameters"].items()}
    assert defaults["Output"] == "jwt"
    assert defaults["IdentitySource"] == "jwt"
    assert defaults["TrustUnverifiedEmail"] == "false"
    assert defaults["EmailVerifiedClaim"] == "email_verified", "the signer's own default"
    assert defaults["ReservedConcurrency"] == "", "opt-in"


def test_in_govcloud_the_alb_keys_come_from_the_govcloud_bucket(
    transformed: dict[str, Any],
) -> None:
    deployed = Stack(
        transformed,
        parameters("Alb", "alb"),
        pseudo={"AWS::Partition": "aws-us-gov", "AWS::Region": "us-gov-west-1"},
    )
    env = function(deployed)["Environment"]["Variables"]
    # aws-jwt-verify documents the same host for ALB tokens in AWS GovCloud (US).
    assert env["SIGNER_ALB_KEYS_URL"] == (
        "https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1"
    )


def test_reserved_concurrency_is_opt_in(transformed: dict[str, Any]) -> None:
    assert "ReservedConcurrentExecutions" not in function(stack(transformed))
    reserved = function(stack(transformed, ReservedConcurrency="20"))
    assert reserved["ReservedConcurrentExecutions"] == "20"


def test_function_url_lets_only_the_distribution_in_by_both_actions(
    transformed: dict[str, Any],
) -> None:
    resources = stack(transformed, "FunctionUrl", "jwt").resources()
    assert resources["SignerFunctionUrl"]["Properties"]["AuthType"] == "AWS_IAM"
    distribution = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE1ABCD"
    permissions = [
        r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"
    ]
    assert sorted(permissions, key=lambda p: p["Action"]) == [
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": "SignerFunction"},
            "InvokedViaFunctionUrl": True,
            "Principal": "cloudfront.amazonaws.com",
            "SourceArn": distribution,
        },
        {
            "Action": "lambda:InvokeFunctionUrl",
            "FunctionName": {"Ref": "SignerFunction"},
            "FunctionUrlAuthType": "AWS_IAM",
            "Principal": "cloudfront.amazonaws.com",
            "SourceArn": distribution,
        },
    ]
    assert stack(transformed, "FunctionUrl", "jwt").outputs()["OriginDomainName"] == {
        "Fn::Select": [
            2,
            {"Fn::Split": ["/", {"Fn::GetAtt": ["SignerFunctionUrl", "FunctionUrl"]}]},
        ]
    }


def test_alb_target_group_registers_the_function_after_its_permission(
    transformed: dict[str, Any],
) -> None:
    resources = stack(transformed, "Alb", "alb").resources()
    group = resources["SignerTargetGroup"]
    assert group["DependsOn"] == "AlbInvokePermission"
    assert group["Properties"] == {
        "TargetType": "lambda",
        "Targets": [{"Id": {"Fn::GetAtt": ["SignerFunction", "Arn"]}}],
    }
    assert resources["AlbInvokePermission"]["Properties"] == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Fn::GetAtt": ["SignerFunction", "Arn"]},
        "Principal": "elasticloadbalancing.amazonaws.com",
        "SourceAccount": "123456789012",
    }


@pytest.mark.parametrize("identity", ["jwt", "apigw-jwt"])
def test_http_api_routes_cors_throttling_and_access_log(
    identity: str, transformed: dict[str, Any]
) -> None:
    resources = stack(transformed, "HttpApi", identity, BasePath="/api/intercom").resources()
    route = resources["IdentityRoute"]["Properties"]
    assert route["AuthorizationType"] == ("JWT" if identity == "apigw-jwt" else "NONE")
    assert route["RouteKey"] == "GET /api/intercom/identity"
    assert resources["HealthRoute"]["Properties"].get("AuthorizationType", "NONE") == "NONE"
    cors = resources["SignerHttpApi"]["Properties"]["CorsConfiguration"]
    assert cors["AllowCredentials"] is True
    assert cors["AllowOrigins"] == {"Fn::Split": [",", "https://docs.example.com"]}
    stage = resources["SignerStage"]["Properties"]
    limits = stage["DefaultRouteSettings"]
    assert (limits["ThrottlingRateLimit"], limits["ThrottlingBurstLimit"]) == ("50", "100")
    assert stage["AccessLogSettings"]["DestinationArn"] == {"Fn::GetAtt": ["AccessLogGroup", "Arn"]}
    fields = json.loads(stage["AccessLogSettings"]["Format"])
    for variable in (
        "$context.requestId",  # the signer's correlation id: joins the two logs
        "$context.status",  # 429 when throttled
        "$context.error.message",
        "$context.authorizer.error",  # why the JWT authorizer refused
        "$context.integrationErrorMessage",
    ):
        assert variable in fields.values(), variable
    assert resources["AccessLogGroup"]["Properties"]["RetentionInDays"] == "30"
    if identity == "apigw-jwt":
        authorizer = resources["LoginTokenAuthorizer"]["Properties"]
        assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
        assert authorizer["JwtConfiguration"] == {
            "Issuer": "https://login.example.com",
            "Audience": {"Fn::Split": [",", "docs,docs-preview"]},
        }


@pytest.mark.parametrize(("door", "identity"), VALID)
def test_timeouts_exceed_the_worst_case_fetch_chain(
    door: str, identity: str, transformed: dict[str, Any]
) -> None:
    deployed = stack(transformed, door, identity)
    properties = function(deployed)
    fetch = float(properties["Environment"]["Variables"]["SIGNER_FETCH_TIMEOUT"])
    assert fetch <= MAX_FETCH_TIMEOUT
    # The signer holds every fetch to one total deadline, boto3's attempts and backoff included.
    assert fetch_chain_bound(fetch) < properties["Timeout"]
    if door == "HttpApi":
        integration = deployed.resources()["SignerIntegration"]["Properties"]["TimeoutInMillis"]
        assert properties["Timeout"] * 1000 < integration <= HTTP_API_MAX_INTEGRATION_MS


def test_extension_layer_current_pinned_or_none_beside_pinned_powertools(
    transformed: dict[str, Any],
) -> None:
    def layers(**extra: str) -> list[Any]:
        found: list[Any] = function(stack(transformed, **extra))["Layers"]
        return found

    powertools = "{{resolve:ssm:/aws/service/powertools/python/arm64/python3.13/3.37.0}}"
    current = (
        "{{resolve:ssm:/aws/service/aws-parameters-and-secrets-lambda-extension/arm64/latest}}"
    )
    assert layers() == [current, powertools], "no region table: AWS's public parameter"
    pinned = "arn:aws:lambda:sa-east-1:933737806257:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:12"
    assert layers(ExtensionLayerArn=pinned) == [pinned, powertools]
    assert layers(ExtensionLayerArn="none") == [powertools]


def test_powertools_layer_can_be_given_instead_of_the_public_parameter(
    transformed: dict[str, Any],
) -> None:
    current = (
        "{{resolve:ssm:/aws/service/aws-parameters-and-secrets-lambda-extension/arm64/latest}}"
    )
    given = function(stack(transformed, PowertoolsLayerArn=POWERTOOLS_COPY))["Layers"]
    assert given == [current, POWERTOOLS_COPY]
    assert template()["Parameters"]["PowertoolsLayerArn"]["Default"] == ""


def test_powertools_layer_is_at_least_the_version_the_signer_requires() -> None:
    pyproject = tomllib.loads((ROOT / "lambda" / "pyproject.toml").read_text())
    (bound,) = [
        r.split(">=")[1].split()[0]
        for r in pyproject["project"]["dependencies"]
        if r.startswith("aws-lambda-powertools")
    ]

    def version(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in text.split("."))

    assert version(powertools_version()) >= version(bound)


def test_alarms_watch_the_signers_own_metrics(transformed: dict[str, Any]) -> None:
    deployed = stack(transformed, AlarmTopicArn=TOPIC)
    resources = deployed.resources()
    env = function(deployed)["Environment"]["Variables"]
    namespace, service = env["POWERTOOLS_METRICS_NAMESPACE"], env["POWERTOOLS_SERVICE_NAME"]
    errors = resources["ServerErrorsAlarm"]["Properties"]
    assert (errors["Namespace"], errors["MetricName"]) == (namespace, "ServerErrors")
    assert errors["Dimensions"] == [{"Name": "service", "Value": service}]
    rate = resources["RejectionRateAlarm"]["Properties"]
    watched = {
        (
            m["MetricStat"]["Metric"]["MetricName"],
            tuple((d["Name"], d["Value"]) for d in m["MetricStat"]["Metric"]["Dimensions"]),
        )
        for m in rate["Metrics"]
        if "MetricStat" in m
    }
    assert watched == {
        ("Rejections", (("service", service),)),
        ("IdentitiesSigned", (("service", service),)),
        ("RejectionsByReason", (("service", service), ("reason", "no_credential"))),
        ("RejectionsByReason", (("service", service), ("reason", "not_found"))),
    }
    assert {
        m["MetricStat"]["Metric"]["Namespace"] for m in rate["Metrics"] if "MetricStat" in m
    } == {namespace}
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    assert {a.get("MetricName", "rate") for a in alarms} == {
        "ServerErrors",
        "rate",
        "Errors",
        "Throttles",
    }
    for alarm in alarms:
        assert alarm["AlarmActions"] == [TOPIC]
        assert alarm["TreatMissingData"] == "notBreaching"


def test_with_the_jwt_authorizer_api_gateway_counts_the_refusals(
    transformed: dict[str, Any],
) -> None:
    resources = stack(transformed, "HttpApi", "apigw-jwt").resources()
    assert "RejectionRateAlarm" not in resources, "the function never sees those refusals"
    metrics = resources["AuthorizerRefusalRateAlarm"]["Properties"]["Metrics"]
    read = {
        (m["MetricStat"]["Metric"]["Namespace"], m["MetricStat"]["Metric"]["MetricName"])
        for m in metrics
        if "MetricStat" in m
    }
    assert read == {("AWS/ApiGateway", "4xx"), ("AWS/ApiGateway", "Count")}


def test_guided_deploy_asks_first_what_a_first_deploy_must_answer(
    transformed: dict[str, Any],
) -> None:
    """`sam deploy --guided` prompts every parameter in declaration order; the console groups."""
    raw = template()
    groups = raw["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"]
    grouped = [name for group in groups for name in group["Parameters"]]
    assert grouped == list(raw["Parameters"]), "the guided order is the console's order"
    with_every_default = Stack(transformed, {})
    needed = {v.split(":")[0] for v in with_every_default.constraint_violations()} | {
        name
        for rule in with_every_default.broken_rules()
        for name in raw["Parameters"]
        if rule.split(": ", 1)[1].startswith(f"{name} ")
    }
    assert (
        set(groups[0]["Parameters"]) == needed == {"OidcIssuer", "OidcAudience", "AllowedOrigins"}
    )


def test_serverless_repo_metadata_is_complete() -> None:
    application = template()["Metadata"]["AWS::ServerlessRepo::Application"]
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
    assert (ROOT / application["LicenseUrl"]).is_file()
    assert (ROOT / application["ReadmeUrl"]).is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert application["SemanticVersion"] == pyproject["project"]["version"]


def test_samconfig_adds_no_parameter_values_of_its_own() -> None:
    """The template's defaults are the only defaults; guided deploy saves the answers."""
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    deploy = config["default"]["deploy"]["parameters"]
    assert deploy["capabilities"] == "CAPABILITY_IAM"
    assert "parameter_overrides" not in deploy
    assert config["default"]["validate"]["parameters"]["lint"] is True


def test_template_names_no_region_table() -> None:
    """Every region works the same: no Mappings to fall out of date."""
    assert "Mappings" not in template()
    assert not re.search(r"\b\d{12}:layer:", TEMPLATE.read_text()), "no hard-coded layer account"
