"""The worst-case fetch chain of one request — discovery, JWKS, the extension, the SDK —
stays within the bound the function's timeouts are set above (deadlines.py).

Every dependency but the identity provider hangs. The test adds up the deadlines each
fetch was granted (each fetch's own deadline is held by test_fetch.py) and checks that
every hung peer was really called; it asserts no duration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3  # noqa: F401  # imported up front: the SDK's deadline is for the call, not the import
import pytest

from intercom_signer import fetch, keys, secret_store
from intercom_signer.deadlines import MAX_FETCH_CHAIN_SECONDS, fetch_chain_bound
from intercom_signer.function import LambdaHandler
from tests.support import events
from tests.support.aws import SESSION_TOKEN, sdk_environment, stored_secret
from tests.support.faults import SilentServer
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import captured_logs, signer_env

TIMEOUT = 1.0  # long enough for the SDK to build its client on a loaded machine


@pytest.fixture
def silent() -> Iterator[Callable[[], SilentServer]]:
    started: list[SilentServer] = []

    def start() -> SilentServer:
        started.append(SilentServer())
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def granted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float]]:
    """(what, seconds) for every deadline a fetch was granted."""
    grants: list[tuple[str, float]] = []

    def spy(module: Any, name: str, what: Callable[..., str]) -> None:
        real = getattr(module, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            grants.append((what(*args), args[1] if name == "get_bytes" else args[0]))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    spy(fetch, "get_bytes", lambda url, *_: url)
    spy(keys, "get_bytes", lambda url, *_: url)
    spy(secret_store, "_within", lambda *_: "secrets manager (sdk)")
    return grants


def test_every_hung_dependency_fits_in_the_bound(
    fresh_issuer: IssuerUnderTest,
    silent: Callable[[], SilentServer],
    granted: list[tuple[str, float]],
    load_handler: Callable[..., LambdaHandler],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extension, secrets_manager = silent(), silent()
    for name, value in sdk_environment(secrets_manager.url).items():
        monkeypatch.setenv(name, value)
    handler = load_handler(
        **signer_env(fresh_issuer.url, **stored_secret(), SIGNER_FETCH_TIMEOUT=str(TIMEOUT)),
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(extension.port),
        AWS_SESSION_TOKEN=SESSION_TOKEN,  # set by Lambda; the extension needs it
    )
    event = events.http_api_v2(headers={"authorization": f"Bearer {fresh_issuer.token()}"})
    with captured_logs() as logs:
        status, _, body = events.invoke(handler, event)
    assert (status, body) == (503, {"error": "secret_unavailable"})
    assert extension.connected.is_set()
    assert secrets_manager.connected.is_set()
    assert '"cause":"timeout"' in logs.getvalue()
    what = [name for name, _ in granted]
    assert what[:2] == [
        f"{fresh_issuer.url}/.well-known/openid-configuration",
        f"{fresh_issuer.url}/jwks.json",
    ]
    assert "/secretsmanager/get?" in what[2]
    assert what[3] == "secrets manager (sdk)"
    assert sum(seconds for _, seconds in granted) <= fetch_chain_bound(TIMEOUT)


def test_the_bound_at_the_largest_fetch_timeout() -> None:
    """The figure the template's function and integration timeouts are set above."""
    assert MAX_FETCH_CHAIN_SECONDS == 25.0
