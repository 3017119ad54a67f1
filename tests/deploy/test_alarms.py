"""The alarms watch metrics the real handler emits: an alarm on a metric that never exists
stays green forever. The handler runs with the template's own environment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support import events
from tests.support.aws import MotoSecretsManager, free_port
from tests.support.cfn import Stack
from tests.support.issuer import IssuerUnderTest
from tests.support.package import invoke_handler

Metric = tuple[str, str, frozenset[tuple[str, str]]]  # namespace, name, dimensions


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoSecretsManager]:
    server = MotoSecretsManager()
    yield server
    server.stop()


def emitted(documents: list[dict[str, Any]]) -> set[Metric]:
    """The metrics in CloudWatch EMF documents, as CloudWatch extracts them."""
    found = set()
    for document in documents:
        for directive in document["_aws"]["CloudWatchMetrics"]:
            for dimension_set in directive["Dimensions"]:
                dimensions = frozenset((name, str(document[name])) for name in dimension_set)
                for metric in directive["Metrics"]:
                    found.add((directive["Namespace"], metric["Name"], dimensions))
    return found


def watched(alarm: dict[str, Any], namespace: str) -> set[Metric]:
    """The metrics of `namespace` an alarm reads, alone or in its metric math."""
    stats = [m["MetricStat"]["Metric"] for m in alarm.get("Metrics", []) if "MetricStat" in m]
    if "MetricName" in alarm:
        stats.append(alarm)
    return {
        (
            stat["Namespace"],
            stat["MetricName"],
            frozenset((d["Name"], d["Value"]) for d in stat["Dimensions"]),
        )
        for stat in stats
        if stat["Namespace"] == namespace
    }


@dataclass
class Observed:
    watched: set[Metric]  # what the alarms read from the signer's namespace
    emitted: set[Metric]  # what the real handler printed for the traffic below


@pytest.fixture(scope="module")
def observed(docs_stack: Stack, issuer: IssuerUnderTest, moto: MotoSecretsManager) -> Observed:
    deployed = docs_stack
    # A stored value too short to be Intercom's: the secret store answers, the signer refuses
    # to sign with it (503), as with a fresh stack's secret before anyone filled it.
    secret_arn = moto.create("alarms-short-secret", "short")
    env = {
        **deployed.environment(secret_arn),
        **moto.env,
        "AWS_LAMBDA_FUNCTION_NAME": "docs-signer-SignerFunction",
        "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(free_port()),  # no extension: boto3
    }
    token = issuer.token(sub="reader")
    run = invoke_handler(
        [
            events.http_api_v2(),  # no credential
            events.http_api_v2(headers={"authorization": "Bearer not-a-jwt"}),
            events.http_api_v2(path="/wp-login.php"),  # a stray path
            events.http_api_v2(headers={"authorization": f"Bearer {token}"}),  # secret refused
        ],
        env,
    )
    assert [a["statusCode"] for a in run.answers] == [401, 401, 404, 503]
    local_secret = {**deployed.local_environment("s" * 40), **moto.env}
    signed = invoke_handler(
        [events.http_api_v2(headers={"authorization": f"Bearer {token}"})], local_secret
    )
    assert [a["statusCode"] for a in signed.answers] == [200]

    namespace = env["POWERTOOLS_METRICS_NAMESPACE"]
    alarms = [
        r["Properties"]
        for r in deployed.resources().values()
        if r["Type"] == "AWS::CloudWatch::Alarm"
    ]
    return Observed(
        watched={m for alarm in alarms for m in watched(alarm, namespace)},
        emitted=emitted(run.metrics + signed.metrics),
    )


def test_the_alarms_read_the_signers_four_metrics(observed: Observed) -> None:
    assert {name for _, name, _ in observed.watched} == {
        "ServerErrors",
        "Rejections",
        "RejectionsByReason",
        "IdentitiesSigned",
    }


def test_refusal_and_signing_metrics_the_alarms_read_are_emitted(observed: Observed) -> None:
    expected = {m for m in observed.watched if m[1] != "ServerErrors"}
    assert expected <= observed.emitted, sorted(expected - observed.emitted)


def test_the_5xx_metric_the_alarm_reads_is_emitted(observed: Observed) -> None:
    expected = {m for m in observed.watched if m[1] == "ServerErrors"}
    assert expected <= observed.emitted, sorted(expected - observed.emitted)


def test_metric_dimensions_are_bounded(docs_stack: Stack, issuer: IssuerUnderTest) -> None:
    """Only `service` and a reason from a fixed vocabulary: a token cannot mint a metric."""
    env = docs_stack.local_environment("s" * 40)
    hostile = [
        events.http_api_v2(
            headers={"authorization": f"Bearer {issuer.token(sub=f'r{n}', aud=f'aud-{n}')}"}
        )
        for n in range(3)
    ] + [events.http_api_v2(path=f"/random-{n}") for n in range(3)]
    run = invoke_handler(hostile, env)
    dimensions = {d for _, _, dims in emitted(run.metrics) for d in dims}
    names = {name for name, _ in dimensions}
    assert names <= {"service", "reason", "function_name"}
    assert {value for name, value in dimensions if name == "service"} == {"docs-signer"}
    reasons = {value for name, value in dimensions if name == "reason"}
    assert not any("aud-" in r or "random-" in r for r in reasons), reasons
