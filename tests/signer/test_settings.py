"""A misconfiguration fails at start with one line naming the variable and the fix."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from intercom_signer.settings import ConfigError, Settings
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SignerUnderTest, run_signer_module

VALID = {
    "SIGNER_OIDC_ISSUER": "https://login.example.com",
    "SIGNER_OIDC_AUDIENCE": "docs",
    "SIGNER_SECRET": SECRET,
}


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"SIGNER_SECRET": ""}, "SIGNER_SECRET_ARN"),
        ({"SIGNER_SECRET": "too-short"}, "SIGNER_SECRET"),
        ({"SIGNER_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:x"}, "SIGNER_SECRET"),
        ({"SIGNER_IDENTITY": "magic"}, "SIGNER_IDENTITY"),
        ({"SIGNER_IDENTITY": "apigw-jwt"}, "SIGNER_IDENTITY"),
        ({"SIGNER_IDENTITY": "alb"}, "SIGNER_ALB_ARN"),
        ({"SIGNER_OUTPUT": "md5"}, "SIGNER_OUTPUT"),
        ({"SIGNER_OIDC_ISSUER": ""}, "SIGNER_OIDC_ISSUER"),
        ({"SIGNER_OIDC_ISSUER": "http://login.example.com"}, "SIGNER_OIDC_ISSUER"),
        ({"SIGNER_OIDC_AUDIENCE": " , "}, "SIGNER_OIDC_AUDIENCE"),
        ({"SIGNER_OIDC_JWKS_URL": "ftp://keys"}, "SIGNER_OIDC_JWKS_URL"),
        ({"SIGNER_TOKEN_FROM": "cookie:"}, "SIGNER_TOKEN_FROM"),
        ({"SIGNER_TOKEN_FROM": "query:token"}, "SIGNER_TOKEN_FROM"),
        ({"SIGNER_JWT_TTL": "forever"}, "SIGNER_JWT_TTL"),
        ({"SIGNER_JWT_TTL": "5"}, "SIGNER_JWT_TTL"),
        ({"SIGNER_ALLOWED_ORIGINS": "*"}, "SIGNER_ALLOWED_ORIGINS"),
        ({"SIGNER_ALLOWED_ORIGINS": "https://docs.example.com/path"}, "SIGNER_ALLOWED_ORIGINS"),
        ({"SIGNER_BASE_PATH": "api"}, "SIGNER_BASE_PATH"),
        ({"SIGNER_SECRET_MAX_AGE": "3600"}, "SIGNER_SECRET_MAX_AGE"),
        ({"SIGNER_FETCH_TIMEOUT": "30"}, "SIGNER_FETCH_TIMEOUT"),
        ({"SIGNER_JWKS_MAX_AGE": "59"}, "SIGNER_JWKS_MAX_AGE"),
        ({"SIGNER_JWKS_MAX_AGE": "86401"}, "SIGNER_JWKS_MAX_AGE"),
        ({"SIGNER_JWKS_MAX_AGE": "5m"}, "SIGNER_JWKS_MAX_AGE"),
        ({"SIGNER_TRUST_UNVERIFIED_EMAIL": "yes"}, "SIGNER_TRUST_UNVERIFIED_EMAIL"),
        ({"SIGNER_ALB_KEYS_URL": "http://localhost.attacker.example"}, "SIGNER_ALB_KEYS_URL"),
        ({"SIGNER_OIDC_JWKS_URL": "http://127.0.0.1.attacker.example/k"}, "SIGNER_OIDC_JWKS_URL"),
        ({"SIGNER_ATTRIBUTES": "plan"}, "SIGNER_ATTRIBUTES"),
        ({"SIGNER_ATTRIBUTES": "=plan"}, "SIGNER_ATTRIBUTES"),
        ({"SIGNER_ATTRIBUTES": "plan="}, "SIGNER_ATTRIBUTES"),
        ({"SIGNER_ATTRIBUTES": "pl an=plan"}, "SIGNER_ATTRIBUTES"),
        ({"SIGNER_ATTRIBUTES": "plan=a,plan=b"}, "SIGNER_ATTRIBUTES"),
        ({"SIGNER_ATTRIBUTES": "plan=pl\x01an"}, "SIGNER_ATTRIBUTES"),
        ({"SIGNER_ATTRIBUTES": ",".join(f"a{n}=c" for n in range(33))}, "SIGNER_ATTRIBUTES"),
        ({"SIGNER_ATTRIBUTES": "plan=plan", "SIGNER_OUTPUT": "hmac"}, "SIGNER_ATTRIBUTES"),
    ],
)
def test_misconfiguration_names_the_variable(change: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({**VALID, **change})
    message = str(error.value)
    assert message.startswith(variable)
    assert "\n" not in message
    assert SECRET not in message


@pytest.mark.parametrize(
    "reserved",
    [
        "user_id", "email", "name",  # their own settings
        "user_hash", "intercom_user_jwt", "app_id", "api_base",  # Messenger settings
        "exp", "iat", "sub",  # claims the signer sets
        "company", "companies",  # not documented inside the Messenger JWT
    ],
)  # fmt: skip
def test_signed_fields_refuse_reserved_names_saying_why(reserved: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({**VALID, "SIGNER_ATTRIBUTES": f"plan=plan,{reserved}=x"})
    assert str(error.value).startswith(f"SIGNER_ATTRIBUTES: '{reserved}' cannot be mapped: ")


def test_signed_fields_parse_into_attribute_claim_pairs() -> None:
    settings = Settings.from_env(
        {
            **VALID,
            "SIGNER_ATTRIBUTES": " plan=plan, team_id = https://example.com/team ,tier=plan,",
        }
    )
    assert settings.attributes == (
        ("plan", "plan"),
        ("team_id", "https://example.com/team"),
        ("tier", "plan"),
    )


def test_defaults_are_the_documented_ones() -> None:
    settings = Settings.from_env(VALID)
    assert settings.output == "jwt"
    assert settings.jwks_max_age == 300
    assert settings.jwks_cooldown == 30
    assert settings.trust_unverified_email is False
    assert settings.attributes == ()


def test_no_secret_names_both_sources() -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({**VALID, "SIGNER_SECRET": ""})
    message = str(error.value)
    assert message.startswith("SIGNER_SECRET_ARN: ")
    assert "locally set SIGNER_SECRET to" in message


def test_valid_settings_parse_once_into_a_frozen_value() -> None:
    settings = Settings.from_env(
        {
            **VALID,
            "SIGNER_ALLOWED_ORIGINS": "https://a.example, https://b.example",
            "SIGNER_BASE_PATH": "/api/",
        }
    )
    assert settings.allowed_origins == {"https://a.example", "https://b.example"}
    assert settings.base_path == "/api"
    assert SECRET not in repr(settings)
    with pytest.raises(AttributeError):
        settings.output = "jwt"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("partition", "region", "key_host"),
    [
        ("aws", "eu-west-1", "https://public-keys.auth.elb.eu-west-1.amazonaws.com"),
        (
            "aws-us-gov",
            "us-gov-west-1",
            "https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1",
        ),
        (
            "aws-us-gov",
            "us-gov-east-1",
            "https://s3-us-gov-east-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-east-1",
        ),
    ],
)
def test_alb_mode_derives_the_key_host_from_the_arn(
    partition: str, region: str, key_host: str
) -> None:
    arn = f"arn:{partition}:elasticloadbalancing:{region}:123456789012:loadbalancer/app/docs/50dc6c495c0c9188"
    settings = Settings.from_env(
        {"SIGNER_IDENTITY": "alb", "SIGNER_ALB_ARN": arn, "SIGNER_SECRET": SECRET}
    )
    assert settings.alb_keys_url == key_host


def test_alb_mode_in_a_partition_without_a_documented_key_host_asks_for_one() -> None:
    arn = "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/docs/50dc6c"
    env = {"SIGNER_IDENTITY": "alb", "SIGNER_ALB_ARN": arn, "SIGNER_SECRET": SECRET}
    with pytest.raises(ConfigError, match=r"^SIGNER_ALB_KEYS_URL: "):
        Settings.from_env(env)
    chosen = "https://public-keys.auth.elb.cn-north-1.amazonaws.com.cn"
    assert Settings.from_env({**env, "SIGNER_ALB_KEYS_URL": chosen}).alb_keys_url == chosen


def test_local_run_fails_at_start_with_one_line() -> None:
    result = run_signer_module("--port", "1", env={**VALID, "SIGNER_SECRET": "short"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("intercom-signer: SIGNER_SECRET:")


@pytest.mark.parametrize(
    "mapping", ["Email=email", "USER_ID=sub", "User_Hash=sub", "EXP=exp", "Company=org"]
)
def test_reserved_names_are_refused_in_any_spelling(mapping: str) -> None:
    # `Email=email` passed start-up and signed an unverified email.
    with pytest.raises(ConfigError) as error:
        Settings.from_env({**VALID, "SIGNER_ATTRIBUTES": mapping})
    attribute = mapping.partition("=")[0]
    assert str(error.value).startswith(f"SIGNER_ATTRIBUTES: '{attribute}' cannot be mapped: ")


def test_one_attribute_in_two_spellings_is_mapped_twice() -> None:
    with pytest.raises(ConfigError, match="mapped twice"):
        Settings.from_env({**VALID, "SIGNER_ATTRIBUTES": "plan=plan,Plan=tier"})


@pytest.mark.parametrize("cooldown", ["0", "0.5", "4"])
def test_the_jwks_cooldown_has_a_floor(cooldown: str) -> None:
    # With a cooldown of 0 every junk kid cost a fetch: 20 of 20, against 0 with the default.
    with pytest.raises(ConfigError) as error:
        Settings.from_env({**VALID, "SIGNER_JWKS_COOLDOWN": cooldown})
    assert str(error.value) == f"SIGNER_JWKS_COOLDOWN={cooldown} is out of range: give 5 to 3600"
    assert Settings.from_env({**VALID, "SIGNER_JWKS_COOLDOWN": "5"}).jwks_cooldown == 5


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("https://Docs.Example.COM", "https://docs.example.com"),
        ("HTTPS://docs.example.com", "https://docs.example.com"),
        ("https://docs.example.com:443", "https://docs.example.com"),
        ("https://docs.example.com/", "https://docs.example.com"),
        ("https://docs.example.com:8443/", "https://docs.example.com:8443"),
        ("http://localhost:80", "http://localhost"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("https://xn--dcs-gna.example.com", "https://xn--dcs-gna.example.com"),
    ],
)
def test_allowed_origins_are_normalised_to_what_browsers_send(written: str, sent: str) -> None:
    settings = Settings.from_env({**VALID, "SIGNER_ALLOWED_ORIGINS": written})
    assert settings.allowed_origins == {sent}


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("https://reader:pw@docs.example.com", "no user or password: https://docs.example.com"),
        ("https://docs.example.com/docs/", "no path: https://docs.example.com"),
        ("https://docs.example.com?x=1", "no path: https://docs.example.com"),
        ("https://dócs.example.com", "in punycode: https://xn--dcs-gna.example.com"),
        ("http://docs.example.com", "http:// only on loopback: use https://docs.example.com"),
        ("http://localhost.attacker.example", "use https://localhost.attacker.example"),
        ("https://docs.example.com:99999", "list exact origins like https://docs.example.com"),
        ("https://docs_example.com", "list exact origins like https://docs.example.com"),
        ("*", "never *"),
        ("null", "list exact origins like https://docs.example.com"),
    ],
)
def test_origins_no_browser_sends_are_refused_at_start_with_the_fix(written: str, fix: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({**VALID, "SIGNER_ALLOWED_ORIGINS": f"https://ok.example,{written}"})
    message = str(error.value)
    assert message.startswith("SIGNER_ALLOWED_ORIGINS: ")
    assert message.endswith(fix)
    assert "\n" not in message


def test_an_origin_written_in_capitals_is_granted_to_the_browser(
    issuer: IssuerUnderTest, start_signer: Callable[..., SignerUnderTest]
) -> None:
    # Before: the site's real origin got 403, the configured spelling being no browser's.
    signer = start_signer(issuer.url, SIGNER_ALLOWED_ORIGINS="https://Docs.Example.com:443/")
    response = signer.identity(issuer.token(), headers={"Origin": "https://docs.example.com"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://docs.example.com"
