"""The signer reference is generated from the signer's own tables — its environment variables,
its answers, its refusal reasons and 5xx causes — and those tables are held to the code."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from intercom_signer import app, errors, settings
from intercom_signer.errors import CAUSES, REASONS, ProviderUnavailable, SecretUnavailable
from intercom_signer.identity import Identity
from intercom_signer.settings import VARIABLES, ConfigError, Settings
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, SITE, running_signer, signer_env

SIGNER = Path(settings.__file__).parent
RUNTIME = set(settings.RUNTIME_VARIABLES)  # set by Lambda, not by operators
VALID = {
    "SIGNER_OIDC_ISSUER": "https://login.example.com",
    "SIGNER_OIDC_AUDIENCE": "docs",
    "SIGNER_SECRET": SECRET,
}


def calls(name: str) -> Iterator[ast.Call]:
    """Every call of a function or method named `name` in the signer's source."""
    for path in SIGNER.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                function = node.func
                called = function.attr if isinstance(function, ast.Attribute) else None
                called = function.id if isinstance(function, ast.Name) else called
                if called == name:
                    yield node


def literal(node: ast.Call, position: int) -> str | None:
    if len(node.args) > position:
        argument = node.args[position]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            return argument.value
    return None


def literals(name: str, position: int = 0) -> set[str]:
    return {value for node in calls(name) if (value := literal(node, position)) is not None}


def returned_codes(function: Callable[..., Any]) -> set[str]:
    """The string codes a function returns: its returned constants and its lookup tables."""
    module = ast.parse(Path(function.__code__.co_filename).read_text())
    (definition,) = (
        n
        for n in ast.walk(module)
        if isinstance(n, ast.FunctionDef) and n.name == function.__name__
    )
    found: set[str] = set()
    for node in ast.walk(definition):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
            found.add(node.value.value)
        if isinstance(node, ast.Dict):
            found |= {v.value for v in node.values if isinstance(v, ast.Constant)}
        is_get = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        if is_get and node.func.attr == "get" and (default := literal(node, 1)):  # type: ignore[attr-defined]
            found.add(default)
    return found


def test_every_reason_the_signer_gives_is_in_the_vocabulary_and_no_other() -> None:
    from intercom_signer import tokens

    raised = literals("Rejected") | literals("refuse", 3)
    mapped = {reason for _, reason in tokens._REASONS}
    assert raised | mapped == set(REASONS)


def test_every_cause_of_a_5xx_is_in_the_vocabulary_and_no_other() -> None:
    from intercom_signer.secret_store import sdk_failure_cause

    provider = literals("ProviderUnavailable") | literals("FetchError")
    secret = literals("SecretUnavailable") | returned_codes(sdk_failure_cause)
    assert provider == set(CAUSES[ProviderUnavailable.error])
    assert secret == set(CAUSES[SecretUnavailable.error])


def test_every_status_a_refusal_is_documented_with_is_the_one_it_gets() -> None:
    statuses = {
        reason: node.args[1].value
        for node in calls("refuse")
        if (reason := literal(node, 3)) and isinstance(node.args[1], ast.Constant)
    }
    statuses |= {reason: 401 for reason in REASONS if reason not in statuses}  # Rejected
    assert {reason: status for reason, (status, _) in REASONS.items()} == statuses


class Crashing:
    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        raise RuntimeError("a bug")


class ProviderDown:
    def identify(self, request: Request, *, may_fetch: bool = True) -> Identity:
        raise ProviderUnavailable("unreachable")


class SecretDown:
    def cached(self) -> str | None:
        return None

    def get(self) -> str:
        raise SecretUnavailable("empty")


def provoke(
    status: int, error: str | None, issuer: IssuerUnderTest
) -> tuple[dict[str, Any], Callable[[httpx.Client, str], httpx.Response]]:
    """How to make the real app give a documented answer: the parts it runs with, the request."""
    token = {"Authorization": f"Bearer {issuer.token()}"}
    ways: dict[tuple[int, str | None], tuple[dict[str, Any], Callable[..., httpx.Response]]] = {
        (200, None): ({}, lambda c, u: c.get(u, headers=token)),
        (204, None): ({}, lambda c, u: c.options(u, headers={"Origin": SITE})),
        (307, None): ({}, lambda c, u: c.get(f"{u}/")),
        (401, "unauthenticated"): ({}, lambda c, u: c.get(u)),
        (403, "origin_not_allowed"): ({}, lambda c, u: c.get(u, headers={"Origin": "https://x.example"})),
        (404, "not_found"): ({}, lambda c, u: c.get(f"{u}-nope")),
        (405, "method_not_allowed"): ({}, lambda c, u: c.post(u)),
        (500, "internal"): ({"source": Crashing()}, lambda c, u: c.get(u)),
        (503, "identity_provider_unavailable"): ({"source": ProviderDown()}, lambda c, u: c.get(u)),
        (503, "secret_unavailable"): ({"secrets": SecretDown()}, lambda c, u: c.get(u, headers=token)),
    }  # fmt: skip
    return ways[(status, error)]


@pytest.mark.parametrize(("status", "error", "when"), app.ANSWERS)
def test_each_documented_answer_is_what_the_app_answers(
    status: int, error: str | None, when: str, issuer: IssuerUnderTest
) -> None:
    parts, ask = provoke(status, error, issuer)
    with running_signer(signer_env(issuer.url), **parts) as signer:
        answer = ask(signer.client, signer.identity_url)
    assert answer.status_code == status
    if error:
        assert answer.json() == {"error": error}
    assert ("retry-after" in answer.headers) == (status == 503)


def test_the_errors_the_app_can_answer_are_the_documented_ones() -> None:
    documented = {error for _, error, _ in app.ANSWERS if error}
    refused = literals("refuse", 2)
    failed = {ProviderUnavailable.error, SecretUnavailable.error, "internal"}
    assert refused | failed | {"unauthenticated"} == documented
    assert errors.Unavailable.__subclasses__() == [ProviderUnavailable, SecretUnavailable]


class ReadRecorder(dict[str, str]):
    """An environment that remembers every name the signer looked up in it."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def get(self, name: str, default: Any = None) -> Any:
        self.read.add(name)
        return super().get(name, default)

    def __getitem__(self, name: str) -> str:
        self.read.add(name)
        return super().__getitem__(name)


def test_the_table_names_every_variable_the_signer_reads_and_no_other() -> None:
    env = ReadRecorder(dict(VALID))
    Settings.from_env(env)
    assert env.read - RUNTIME == set(VARIABLES)


def test_the_settings_defaults_are_the_tables() -> None:
    parsed = Settings.from_env(VALID)
    written = Settings(
        oidc_issuer=VALID["SIGNER_OIDC_ISSUER"], oidc_audience=("docs",), secret=SECRET
    )
    assert dataclasses.asdict(parsed) == dataclasses.asdict(written)


# Where each variable the table calls required is required, and what the signer then says.
REQUIRED = {
    "SIGNER_OIDC_ISSUER": ({"SIGNER_OIDC_ISSUER": ""}, "SIGNER_OIDC_ISSUER"),
    "SIGNER_OIDC_AUDIENCE": ({"SIGNER_OIDC_AUDIENCE": ""}, "SIGNER_OIDC_AUDIENCE"),
    "SIGNER_ALB_ARN": ({"SIGNER_IDENTITY": "alb"}, "SIGNER_ALB_ARN"),
    "SIGNER_ALB_KEYS_URL": (
        {
            "SIGNER_IDENTITY": "alb",
            "SIGNER_ALB_ARN": "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/d/1",
        },
        "SIGNER_ALB_KEYS_URL",
    ),
    "SIGNER_SECRET_ARN": ({"SIGNER_SECRET": ""}, "SIGNER_SECRET_ARN"),
    "SIGNER_SECRET": ({"SIGNER_SECRET": ""}, "SIGNER_SECRET_ARN"),  # one error names both
}


def test_every_required_variable_is_one_the_signer_refuses_to_start_without() -> None:
    assert {name for name, variable in VARIABLES.items() if variable.required} == set(REQUIRED)
    for name, (change, named) in REQUIRED.items():
        with pytest.raises(ConfigError) as error:
            Settings.from_env({**VALID, **change})
        assert str(error.value).startswith(f"{named}:"), name
        assert name in str(error.value), name


def test_every_number_is_refused_outside_its_documented_range() -> None:
    for name, variable in VARIABLES.items():
        if variable.accepted:
            low, high = variable.accepted
            for outside in (low - 1, high + 1):
                with pytest.raises(ConfigError, match=f"^{name}="):
                    Settings.from_env({**VALID, name: f"{outside:g}"})
            Settings.from_env({**VALID, name: f"{high:g}"})


@pytest.mark.usefixtures("docs_scripts")
def test_the_runbooks_rotation_times_are_the_templates() -> None:
    from template_parameters import function_environment

    deployed, _ = function_environment()
    runbook = (Path(__file__).resolve().parents[2] / "docs" / "runbook.md").read_text()
    extension = int(deployed["SECRETS_MANAGER_TTL"])
    signer = int(deployed["SIGNER_SECRET_MAX_AGE"])
    assert f"keeps a secret {extension} s (`SECRETS_MANAGER_TTL`)" in " ".join(runbook.split())
    assert f"{signer} s more (`SIGNER_SECRET_MAX_AGE`)" in " ".join(runbook.split())
    assert extension + signer <= 300, "the runbook promises five minutes"
