"""The Lambda entry point: Mangum around the ASGI app, with Powertools logs and metrics.

Serves API Gateway HTTP API (v2) and REST API (v1) events, Function URLs and ALB.
Settings are parsed at import, so a misconfiguration fails the function's init.
"""

from __future__ import annotations

import os
from typing import Any, cast

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext
from mangum import Mangum

from .app import create_app
from .observability import logger

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "MkdocsIntercom"
# API Gateway (v1, v2, Function URL) request id, else the ALB's trace header.
CORRELATION_ID_PATH = 'requestContext.requestId || headers."x-amzn-trace-id"'

metrics = Metrics(namespace=NAMESPACE)


def record(metric: str, reason: str) -> None:
    if not reason:
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
        return
    with single_metric(name=metric, unit=MetricUnit.Count, value=1, namespace=NAMESPACE) as one:
        one.add_dimension(name="reason", value=reason)


asgi = Mangum(create_app(on_event=record), lifespan="off")


@metrics.log_metrics(capture_cold_start_metric=True)
@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    return asgi(event, cast(Any, context))  # Mangum types its own context protocol
