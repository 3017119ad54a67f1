"""The Lambda function, built from settings: Mangum around the ASGI app, with Powertools logs
and metrics. `build_handler(env)` makes one; `handler.py` makes the one Lambda calls.

Serves API Gateway HTTP API (v2) and REST API (v1) events, Function URLs and ALB.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, cast

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext

from .adapter import LambdaAdapter
from .app import create_app
from .observability import logger
from .settings import Settings

DEFAULT_NAMESPACE = "MkdocsIntercom"


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


class LambdaHandler:
    """The function: `handler(event, context)` → the Lambda proxy answer. Parsing the
    settings happens here, so a misconfiguration fails the function's init."""

    def __init__(self, env: Mapping[str, str]) -> None:
        settings = Settings.from_env(env)
        self.namespace = env.get("POWERTOOLS_METRICS_NAMESPACE") or DEFAULT_NAMESPACE
        self.metrics = Metrics(namespace=self.namespace, service=env.get("POWERTOOLS_SERVICE_NAME"))
        app = create_app(settings, on_event=self.record, offload_io=False)
        self.asgi = LambdaAdapter(cast(Any, app))
        # No clear_state: the only key a request appends is the correlation id, and every
        # invocation sets it afresh (clearing and rebuilding the formatter's keys costs more).
        self._handle = self.metrics.log_metrics(capture_cold_start_metric=True)(
            logger.inject_lambda_context(self._invoke)
        )

    def record(self, metric: str, reason: str) -> None:
        """Count every outcome; rejections also by reason (a dimension of their own metric)."""
        self.metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
        if reason:
            with single_metric(
                name=f"{metric}ByReason", unit=MetricUnit.Count, value=1, namespace=self.namespace
            ) as by_reason:
                by_reason.add_dimension(name="reason", value=reason)

    def _invoke(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        logger.set_correlation_id(correlation_id(event))
        return self.asgi(event, cast(Any, context))  # Mangum types its own context protocol

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        # A preflight or a redirect counts nothing: Powertools' warning about that is noise.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "No application metrics to publish")
            answer: dict[str, Any] = self._handle(event, context)
            return answer


def build_handler(env: Mapping[str, str]) -> LambdaHandler:
    """A Lambda handler under the settings `env` holds (raises ConfigError)."""
    return LambdaHandler(env)
