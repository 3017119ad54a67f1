"""Where the Intercom secret comes from: the environment (local only) or Secrets Manager.

Secrets Manager is read through AWS's Parameters and Secrets Lambda extension when it can
answer (plain HTTP on localhost, no boto3 import on the cold path), else through the SDK.
The extension needs AWS_SESSION_TOKEN, which SnapStart functions do not have: then the
SDK is used straight away. One in-process cache of at most SIGNER_SECRET_MAX_AGE seconds.
A failure is a SecretUnavailable whose `cause` says why (unreachable, access denied, the
secret empty…), never what the secret is.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar
from urllib.parse import quote

from .deadlines import SDK_FETCHES
from .errors import SecretCause, SecretUnavailable
from .fetch import FetchError, get_json
from .settings import MIN_SECRET_LENGTH, Settings

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

T = TypeVar("T")


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
        self._session_token = settings.session_token
        self._timeout = settings.fetch_timeout
        self._clock = clock
        self._value: str | None = None
        self._fetched_at = 0.0
        self._client: SecretsManagerClient | None = None

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
        if self._session_token:  # without it (SnapStart) the extension refuses: skip it
            try:
                document = get_json(
                    self._extension_url,
                    self._timeout,
                    {"X-Aws-Parameters-Secrets-Token": self._session_token},
                )
                secret_string = document.get("SecretString")
                if isinstance(secret_string, str):
                    return secret_string
            except FetchError:
                pass  # no extension here, or it failed: the SDK says why
        return _within(SDK_FETCHES * self._timeout, self._from_sdk)

    def _from_sdk(self) -> str:
        try:
            answer = self._sdk_client().get_secret_value(SecretId=self._arn)
        except Exception as error:
            raise SecretUnavailable(sdk_failure_cause(error)) from None
        secret_string = answer.get("SecretString")
        if not isinstance(secret_string, str):
            raise SecretUnavailable("binary_secret")
        return secret_string

    def _sdk_client(self) -> SecretsManagerClient:
        # Imported here: boto3 costs cold start that the extension path never pays.
        if self._client is None:
            import boto3
            from botocore.config import Config

            bounded = Config(
                connect_timeout=self._timeout,
                read_timeout=self._timeout,
                retries={"total_max_attempts": SDK_FETCHES, "mode": "standard"},
            )
            self._client = boto3.session.Session().client("secretsmanager", config=bounded)
        return self._client


def _within(seconds: float, call: Callable[[], T]) -> T:
    """`call()`, or SecretUnavailable("timeout") once `seconds` have passed.

    The SDK bounds each connect and read, not an attempt nor its retries: this is the one
    total deadline. A call still under way finishes in the background, within the SDK's own
    timeouts, and its answer is dropped.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:
            failure.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if failure:
        raise failure[0]
    if not outcome:
        raise SecretUnavailable("timeout")
    return outcome[0]


def sdk_failure_cause(error: Exception) -> SecretCause:
    """A fixed code for what went wrong reading the secret through the SDK."""
    from botocore.exceptions import (
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        ReadTimeoutError,
    )

    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code, message = details.get("Code", ""), details.get("Message", "")
        if code == "ResourceNotFoundException" and "secret value" in message:
            return "empty"  # created without a value, as a fresh stack's secret is
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 403:
            return "access_denied"  # IAM's own refusal, before Secrets Manager answers
        codes: dict[str, SecretCause] = {
            "AccessDeniedException": "access_denied",
            "ResourceNotFoundException": "not_found",
            "DecryptionFailure": "decrypt_failed",
            "ThrottlingException": "throttled",
            "InvalidRequestException": "not_usable",  # e.g. scheduled for deletion
        }
        return codes.get(code, "store_error")
    if isinstance(error, ConnectTimeoutError | ReadTimeoutError):
        return "timeout"
    if isinstance(error, EndpointConnectionError):
        return "unreachable"
    if isinstance(error, NoCredentialsError):
        return "no_credentials"
    return "store_error"


def secret_value(stored: str) -> str:
    """A plain string, or JSON with key `secret`; refused when too short to be Intercom's."""
    value = stored.strip()
    if not value:
        raise SecretUnavailable("empty")
    if value.startswith("{"):
        try:
            document = json.loads(value)
        except ValueError:
            raise SecretUnavailable("not_json") from None
        value = document.get("secret", "") if isinstance(document, dict) else ""
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            raise SecretUnavailable("no_secret_key")
    if len(value) < MIN_SECRET_LENGTH:
        raise SecretUnavailable("too_short")
    return value


def secret_source(settings: Settings) -> SecretSource:
    return StaticSecret(settings.secret) if settings.secret else StoredSecret(settings)
