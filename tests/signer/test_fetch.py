"""Security rule 3, the fetch itself: one total deadline, a size cap, no redirect elsewhere.

Real servers on loopback drip, redirect and overflow; the tests wait for what the server
saw (the client hung up), never for a duration.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from intercom_signer.fetch import MAX_BODY, FetchError, get_bytes, get_json
from mkdocs_intercom.devstack.server import LoopbackServer
from tests.support.faults import DripServer

JWKS = json.dumps({"keys": [{"kty": "RSA", "kid": "k", "n": "AQAB" * 200, "e": "AQAB"}]}).encode()


@pytest.mark.parametrize("where", ["body", "head"])
def test_a_dripping_answer_is_cut_at_one_total_deadline(where: str) -> None:
    # A byte every 50 ms never trips a per-read timeout: only a total deadline ends this.
    server = DripServer(JWKS, interval=0.05, drip_head=where == "head")
    try:
        with pytest.raises(FetchError) as error:
            get_bytes(server.url, 0.5)
        assert error.value.cause == "timeout"
        assert server.abandoned.wait(10), "the client hung up before the answer was complete"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def web() -> Iterator[LoopbackServer]:
    """Answers /ok, /huge, /status/N and /redirect?to=URL."""

    async def ok(request: Request) -> Response:
        return JSONResponse({"keys": []})

    async def huge(request: Request) -> Response:
        return Response(b"{" + b" " * MAX_BODY + b"}", media_type="application/json")

    async def status(request: Request) -> Response:
        return Response(b"{}", status_code=int(request.path_params["code"]))

    async def redirect(request: Request) -> Response:
        return RedirectResponse(request.query_params["to"], status_code=302)

    with LoopbackServer() as server:
        server.start(
            Starlette(
                routes=[
                    Route("/ok", ok),
                    Route("/huge", huge),
                    Route("/status/{code:int}", status),
                    Route("/redirect", redirect),
                ]
            )
        )
        yield server


def test_an_answer_over_the_size_cap_is_refused(web: LoopbackServer) -> None:
    with pytest.raises(FetchError) as error:
        get_bytes(f"{web.url}/huge", 2)
    assert error.value.cause == "oversized"


def test_a_redirect_on_the_same_host_is_followed(web: LoopbackServer) -> None:
    assert get_json(f"{web.url}/redirect?to=/ok", 2) == {"keys": []}


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:{port}/ok",  # the same server under another host name
        "https://127.0.0.1:{port}/ok",  # another scheme
        "http://127.0.0.1:1/ok",  # another port
    ],
)
def test_a_redirect_to_another_scheme_or_host_is_refused(target: str, web: LoopbackServer) -> None:
    with pytest.raises(FetchError) as error:
        get_bytes(f"{web.url}/redirect?to={target.format(port=web.port)}", 2)
    assert error.value.cause == "redirect_refused"


@pytest.mark.parametrize("code", [404, 500, 503])
def test_an_answer_other_than_200_is_an_error_naming_its_status(
    code: int, web: LoopbackServer
) -> None:
    with pytest.raises(FetchError) as error:
        get_bytes(f"{web.url}/status/{code}", 2)
    assert (error.value.cause, error.value.status) == ("http_status", code)


def test_a_closed_port_is_unreachable() -> None:
    with pytest.raises(FetchError) as error:
        get_bytes("http://127.0.0.1:1/jwks.json", 2)
    assert error.value.cause == "unreachable"
