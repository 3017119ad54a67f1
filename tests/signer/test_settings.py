"""A misconfiguration fails at start with one line naming the variable and the fix."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from intercom_signer.settings import ConfigError, Settings
from tests.support.signer import SECRET

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
    ],
)
def test_misconfiguration_names_the_variable(change: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({**VALID, **change})
    message = str(error.value)
    assert message.startswith(variable)
    assert "\n" not in message
    assert SECRET not in message


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


def test_alb_mode_derives_the_key_host_from_the_arn_region() -> None:
    arn = (
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/docs/50dc6c495c0c9188"
    )
    settings = Settings.from_env(
        {"SIGNER_IDENTITY": "alb", "SIGNER_ALB_ARN": arn, "SIGNER_SECRET": SECRET}
    )
    assert settings.alb_keys_url == "https://public-keys.auth.elb.eu-west-1.amazonaws.com"


def test_local_run_fails_at_start_with_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNER_")}
    env.update(VALID, SIGNER_SECRET="short")
    result = subprocess.run(
        [sys.executable, "-m", "intercom_signer", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("intercom-signer: SIGNER_SECRET:")
