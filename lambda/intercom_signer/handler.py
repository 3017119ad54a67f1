"""The Lambda entry point: Mangum around the ASGI app, with Powertools logs and metrics.

Serves API Gateway HTTP API (v2) and REST API (v1) events, Function URLs and ALB.
Settings are parsed at import, so a misconfiguration fails the function's init.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, cast

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext

from .adapter import LambdaAdapter
from .app import create_app
from .observability import logger

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "MkdocsIntercom"

metrics = Metrics(namespace=NAMESPACE)


def record(metric: str, reason: str) -> None:
    """Count every outcome; rejections also by reason (a dimension of their own metric)."""
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
    if reason:
        with single_metric(
            name=f"{metric}ByReason", unit=MetricUnit.Count, value=1, namespace=NAMESPACE
        ) as by_reason:
            by_reason.add_dimension(name="reason", value=reason)


asgi = LambdaAdapter(cast(Any, create_app(on_event=record, offload_io=False)))


def correlation_id(event: dict[str, Any]) -> str | None:
    """API Gateway's (v1, v2, Function URL) request id, else the ALB's trace header.

    Plain lookups: a JMESPath correlation_id_path costs more than the rest of the logger.
    """
    context = event.get("requestContext")
    request_id = context.get("requestId") if isinstance(context, dict) else None
    if isinstance(request_id, str):
        return request_id
    headers = event.get("headers")
    trace = headers.get("x-amzn-trace-id") if isinstance(headers, dict) else None
    return trace if isinstance(trace, str) else None


# No clear_state: the only key a request appends is the correlation id, and every
# invocation sets it afresh (clearing and rebuilding the formatter's keys costs more).
@metrics.log_metrics(capture_cold_start_metric=True)
@logger.inject_lambda_context
def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.set_correlation_id(correlation_id(event))
    return asgi(event, cast(Any, context))  # Mangum types its own context protocol


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # A preflight or a redirect counts nothing: Powertools' warning about that is noise.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "No application metrics to publish")
        answer: dict[str, Any] = _handle(event, context)
        return answer
