"""Structured JSON logs through Powertools Logger (service from POWERTOOLS_SERVICE_NAME).

Log lines carry reasons and types, never tokens, hashes or the secret.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service=None, log_uncaught_exceptions=False)
