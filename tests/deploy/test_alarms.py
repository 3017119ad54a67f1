"""The alarms and the dashboard watch metrics the real handler emits: an alarm on a metric
that never exists stays green forever, a widget on one stays empty. The handler runs with the
template's own environment."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support import events
from tests.support.aws import MotoSecretsManager, free_port
from tests.support.cfn import Stack
from tests.support.events import FakeContext
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


FUNCTION_NAME = FakeContext.function_name  # on Lambda, also AWS_LAMBDA_FUNCTION_NAME
HTTP_API_ID = "abc123"
_SEARCH = re.compile(
    r"SEARCH\('\{(?P<schema>[^}]*)\} MetricName=\"(?P<name>\w+)\" (?P<filters>[^']*)'"
)


def dashboard(deployed: Stack) -> dict[str, Any]:
    """The dashboard's body as CloudFormation would store it for this stack."""
    joined = deployed.resources()["SignerDashboard"]["Properties"]["DashboardBody"]["Fn::Join"]
    body = joined[0].join(joined[1])
    body = body.replace("${SignerFunction}", FUNCTION_NAME)
    body = body.replace("${SignerHttpApi}", HTTP_API_ID)
    assert "${" not in body, body
    parsed: dict[str, Any] = json.loads(body)
    return parsed


def charted(body: dict[str, Any]) -> dict[str, set[Metric]]:
    """Per widget title, the metrics it draws: each named line, and for a SEARCH the metric
    it searches with its fixed dimensions (a searched dimension's value shown as `*`)."""
    found: dict[str, set[Metric]] = {}
    for widget in body["widgets"]:
        lines: set[Metric] = set()
        for row in widget["properties"]["metrics"]:
            if isinstance(row[0], dict):
                search = _SEARCH.match(row[0]["expression"])
                assert search, row
                namespace, *keys = search["schema"].split(",")
                fixed = dict(re.findall(r'(\w+)="([^"]*)"', search["filters"]))
                dimensions = frozenset((key, fixed.get(key, "*")) for key in keys)
                lines.add((namespace, search["name"], dimensions))
                continue
            names = [part for part in row if isinstance(part, str)]
            namespace, name, *pairs = names
            lines.add((namespace, name, frozenset(zip(pairs[::2], pairs[1::2], strict=True))))
        found[widget["properties"]["title"]] = lines
    return found


def matches(line: Metric, metric: Metric) -> bool:
    """A charted line draws this emitted metric (a `*` dimension takes any value)."""
    if line[:2] != metric[:2] or {k for k, _ in line[2]} != {k for k, _ in metric[2]}:
        return False
    values = dict(metric[2])
    return all(value in ("*", values[key]) for key, value in line[2])


@dataclass
class Observed:
    watched: set[Metric]  # what the alarms read from the signer's namespace
    emitted: set[Metric]  # what the real handler printed for the traffic below
    charted: dict[str, set[Metric]]  # what the dashboard draws, per widget


@pytest.fixture(scope="module")
def observed(docs_stack: Stack, issuer: IssuerUnderTest, moto: MotoSecretsManager) -> Observed:
    deployed = docs_stack
    # A stored value too short to be Intercom's: the secret store answers, the signer refuses
    # to sign with it (503), as with a fresh stack's secret before anyone filled it.
    secret_arn = moto.create("alarms-short-secret", "short")
    env = {
        **deployed.environment(secret_arn),
        **moto.env,
        "AWS_LAMBDA_FUNCTION_NAME": FUNCTION_NAME,
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
        charted=charted(dashboard(deployed)),
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


def test_the_dashboard_answers_the_operators_questions(observed: Observed) -> None:
    assert list(observed.charted) == [
        "Identity requests",
        "Refusals by reason",
        "5xx",
        "Duration p50 / p99 (ms)",
        "Cold starts",
        "Concurrency and throttles",
    ]


def test_every_line_the_dashboard_draws_from_the_signer_is_emitted(observed: Observed) -> None:
    namespace = next(iter(observed.watched))[0]
    drawn = {line for lines in observed.charted.values() for line in lines}
    ours = {line for line in drawn if line[0] == namespace}
    assert {name for _, name, _ in ours} == {
        "IdentitiesSigned",
        "Rejections",
        "ServerErrors",
        "RejectionsByReason",
        "ServerErrorsByReason",
        "ColdStart",
    }
    for line in ours:
        assert any(matches(line, metric) for metric in observed.emitted), line


def test_the_dashboard_reads_lambdas_duration_errors_and_throttles_of_this_function(
    observed: Observed,
) -> None:
    function = frozenset({("FunctionName", FUNCTION_NAME)})
    assert observed.charted["Duration p50 / p99 (ms)"] == {("AWS/Lambda", "Duration", function)}
    assert ("AWS/Lambda", "Errors", function) in observed.charted["5xx"]
    assert ("AWS/Lambda", "Throttles", function) in observed.charted["Concurrency and throttles"]


@pytest.mark.parametrize(("door", "api_gateway"), [("HttpApi", True), ("FunctionUrl", False)])
def test_the_http_apis_5xx_are_drawn_when_there_is_one(
    door: str, api_gateway: bool, transformed: dict[str, Any]
) -> None:
    values = {
        "FrontDoor": door,
        "OidcIssuer": "https://login.example.com",
        "OidcAudience": "docs",
        "AllowedOrigins": "https://docs.example.com",
        "CloudFrontDistributionId": "E2EXAMPLE1ABCD",
    }
    five_xx = charted(dashboard(Stack(transformed, values)))["5xx"]
    stage = frozenset({("ApiId", HTTP_API_ID), ("Stage", "$default")})
    assert (("AWS/ApiGateway", "5xx", stage) in five_xx) is api_gateway


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
