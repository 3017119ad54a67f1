"""Where the Intercom secret comes from: the environment (local only) or Secrets Manager.

Secrets Manager is read through AWS's Parameters and Secrets Lambda extension when it
answers (plain HTTP on localhost, no boto3 import on the cold path), else through
Powertools Parameters. One in-process cache of at most SIGNER_SECRET_MAX_AGE seconds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from .errors import SecretUnavailable
from .fetch import FetchError, get_json
from .settings import MIN_SECRET_LENGTH, Settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider


class SecretSource(Protocol):
    def cached(self) -> str | None:
        """The secret if it can be had without I/O."""

    def get(self) -> str:
        """The secret, fetching when the cache is stale; raises SecretUnavailable."""


class StaticSecret:
    def __init__(self, value: str) -> None:
        self._value = value

    def cached(self) -> str:
        return self._value

    def get(self) -> str:
        return self._value


class StoredSecret:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self._arn = settings.secret_arn
        self._max_age = settings.secret_max_age
        self._extension_url = f"http://localhost:{settings.extension_port}/secretsmanager/get?secretId={quote(self._arn, safe='')}"
        self._extension_headers = {"X-Aws-Parameters-Secrets-Token": settings.session_token}
        self._timeout = settings.fetch_timeout
        self._clock = clock
        self._value: str | None = None
        self._fetched_at = 0.0
        self._provider: SecretsProvider | None = None

    def cached(self) -> str | None:
        if self._value is not None and self._clock() - self._fetched_at < self._max_age:
            return self._value
        return None

    def get(self) -> str:
        value = self.cached()
        if value is None:
            value = secret_value(self._fetch())
            self._value, self._fetched_at = value, self._clock()
        return value

    def _fetch(self) -> str:
        try:
            document = get_json(self._extension_url, self._timeout, self._extension_headers)
            secret_string = document.get("SecretString")
            if isinstance(secret_string, str):
                return secret_string
        except FetchError:
            pass  # no extension in this environment: use the SDK
        try:
            fetched = self._sdk_provider().get(self._arn, max_age=0, force_fetch=True)
        except Exception as error:
            raise SecretUnavailable(type(error).__name__) from None
        if not isinstance(fetched, str):
            raise SecretUnavailable("binary secret")
        return fetched

    def _sdk_provider(self) -> SecretsProvider:
        # Imported here: boto3 costs cold start that the extension path never pays.
        if self._provider is None:
            from aws_lambda_powertools.utilities.parameters import SecretsProvider
            from botocore.config import Config

            bounded = Config(
                connect_timeout=self._timeout,
                read_timeout=self._timeout,
                retries={"total_max_attempts": 2, "mode": "standard"},
            )
            self._provider = SecretsProvider(boto_config=bounded)
        return self._provider


def secret_value(stored: str) -> str:
    """A plain string, or JSON with key `secret`; refused when too short to be Intercom's."""
    value = stored.strip()
    if value.startswith("{"):
        try:
            document = json.loads(value)
        except ValueError:
            raise SecretUnavailable("secret is neither a string nor JSON") from None
        value = document.get("secret", "") if isinstance(document, dict) else ""
        value = value.strip() if isinstance(value, str) else ""
    if len(value) < MIN_SECRET_LENGTH:
        raise SecretUnavailable(f"stored secret shorter than {MIN_SECRET_LENGTH} characters")
    return value


def secret_source(settings: Settings) -> SecretSource:
    return StaticSecret(settings.secret) if settings.secret else StoredSecret(settings)
