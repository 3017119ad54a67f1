"""Signer figures: cold start vs. the reference stack, warm handler vs. the floor, loopback load."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import io
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt

from tests.support.aws import SESSION_TOKEN, ExtensionStandIn, MotoSecretsManager, free_port
from tests.support.events import FakeContext, http_api_v2
from tests.support.issuer import IssuerUnderTest

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every call
ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-intercom-secret-0123456789abcdef"


def _env(issuer: IssuerUnderTest, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNER_")}
    env.update(
        PYTHONPATH=str(ROOT),
        AWS_LAMBDA_FUNCTION_NAME="intercom-signer",
        SIGNER_OIDC_ISSUER=issuer.url,
        SIGNER_OIDC_JWKS_URL=f"{issuer.url}/jwks.json",
        SIGNER_OIDC_AUDIENCE="docs",
        BENCH_TOKEN=issuer.token(),
        **extra,
    )
    return env


def _cold(stack: str, env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-m", "bench.coldstart_child", stack],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def cold_start(rounds: int = 7) -> dict[str, float]:
    """Prints the figures; returns the median seconds per stack (the browser bench adds ours)."""
    issuer, moto = IssuerUnderTest(), MotoSecretsManager()
    arn = moto.create("bench/intercom", SECRET)
    extension = ExtensionStandIn({arn: SECRET})
    common = {**moto.env, "SIGNER_SECRET_ARN": arn}
    via_boto3 = _env(issuer, **common, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(free_port()))
    via_extension = _env(
        issuer,
        **common,
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=str(extension.port),
        AWS_SESSION_TOKEN=SESSION_TOKEN,
    )
    reference_env = _env(issuer, **common)
    times: dict[str, list[float]] = {"reference": [], "ours (boto3)": [], "ours (extension)": []}
    try:
        _cold("reference", reference_env)  # warm the OS file cache for both stacks alike
        _cold("ours", via_boto3)
        for _ in range(rounds):  # alternate so machine noise falls on all alike
            times["reference"].append(_cold("reference", reference_env))
            times["ours (boto3)"].append(_cold("ours", via_boto3))
            times["ours (extension)"].append(_cold("ours", via_extension))
    finally:
        extension.stop()
        moto.stop()
        issuer.stop()
    reference = statistics.median(times["reference"])
    print(f"cold start (import + first /identity, median of {rounds} alternating runs)")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"  {name:18s} {median * 1000:7.1f} ms   ratio {median / reference:.2f}x")
    print("  budget: <= 0.60x through boto3, <= 0.35x through the extension")
    return {name: statistics.median(samples) for name, samples in times.items()}


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    saved = sys.stdout
    sys.stdout = io.StringIO()
    try:
        yield
    finally:
        sys.stdout = saved


def warm(requests: int = 2000) -> None:
    """The handler against the floor, and in the same alternating blocks the layers between
    them: our verification and signing alone, then Mangum + Starlette around them."""
    issuer = IssuerUnderTest()
    env = {
        "AWS_LAMBDA_FUNCTION_NAME": "intercom-signer",
        "SIGNER_OIDC_ISSUER": issuer.url,
        "SIGNER_OIDC_JWKS_URL": f"{issuer.url}/jwks.json",
        "SIGNER_OIDC_AUDIENCE": "docs",
        "SIGNER_SECRET": SECRET,
        "SIGNER_OUTPUT": "both",
    }
    from mangum import Mangum
    from starlette.requests import Request

    from intercom_signer import observability
    from intercom_signer.function import build_handler
    from intercom_signer.identity import identity_source
    from intercom_signer.settings import Settings
    from intercom_signer.signing import signed_identity

    lambda_handler = build_handler(env)
    asyncio.set_event_loop(asyncio.new_event_loop())  # Mangum looks one up; none is set here
    documented = Mangum(lambda_handler.asgi.app, lifespan="off")  # Mangum as its docs show
    observability.logger.registered_handler.setStream(io.StringIO())  # type: ignore[attr-defined]
    tokens = [issuer.token(sub=f"reader-{n}") for n in range(requests)]
    events = [http_api_v2(headers={"authorization": f"Bearer {t}"}) for t in tokens]
    context = FakeContext()
    key = jwt.PyJWK(issuer.idp.jwks()["keys"][0], algorithm="RS256")
    settings = Settings.from_env(env)
    source = identity_source(settings)
    asgi_requests = [
        Request({"type": "http", "headers": [(b"authorization", f"Bearer {t}".encode())]})
        for t in tokens
    ]

    def floor(token: str) -> None:
        claims = jwt.decode(token, key, algorithms=["RS256"], audience="docs", issuer=issuer.url)
        hmac.new(SECRET.encode(), claims["sub"].encode(), hashlib.sha256).hexdigest()
        now = int(time.time())
        jwt.encode(
            {"user_id": claims["sub"], "iat": now, "exp": now + 3600}, SECRET, algorithm="HS256"
        )

    def verify_and_sign(request: Request) -> None:
        identity = source.identify(request)
        signed_identity(SECRET, identity, settings, int(time.time()))

    def through_mangum(event: dict[str, object]) -> None:
        lambda_handler.asgi(event, context)  # type: ignore[arg-type]
        lambda_handler.metrics.clear_metrics()  # as the handler's flush does: none pile up

    def through_documented_mangum(event: dict[str, object]) -> None:
        documented(event, context)  # type: ignore[arg-type]
        lambda_handler.metrics.clear_metrics()

    def through_handler(event: dict[str, object]) -> None:
        lambda_handler(event, context)  # type: ignore[arg-type]

    runs: dict[str, tuple[Callable[[Any], None], list[Any]]] = {
        "floor": (floor, tokens),
        "verify + sign": (verify_and_sign, asgi_requests),
        "+ Mangum, Starlette": (through_mangum, events),
        "+ Powertools = handler": (through_handler, events),
        "Mangum as documented": (through_documented_mangum, events),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    with _quiet():
        for run, inputs in runs.values():  # the first request fetches the JWKS: not a warm one
            run(inputs[0])
        for start in range(0, requests, 100):  # alternate blocks of 100
            for name, (run, inputs) in runs.items():
                t0 = time.perf_counter()
                for item in inputs[start : start + 100]:
                    run(item)
                times[name].append((time.perf_counter() - t0) / 100)
            sys.stdout.seek(0)
            sys.stdout.truncate()  # the metrics Powertools printed
    issuer.stop()
    median = {name: statistics.median(samples) for name, samples in times.items()}
    f, o = median["floor"], median["+ Powertools = handler"]
    print(f"warm request through the Lambda handler ({requests} fresh RS256 tokens, output both)")
    print(
        f"  handler {o * 1e6:7.1f} us   floor (verify + HMAC + HS256) {f * 1e6:7.1f} us   ratio {o / f:.2f}x   budget <= 1.5x"
    )
    print(
        "  layers (medians of the same alternating blocks; a layer = its line minus the one above)"
    )
    for name in list(runs)[1:-1]:
        print(f"    {name:24s} {median[name] * 1e6:7.1f} us   {median[name] / f:.2f}x")
    eager, plain = median["+ Mangum, Starlette"], median["Mangum as documented"]
    print(
        f"  the eager adapter: Mangum as documented takes {plain * 1e6:.1f} us instead of "
        f"{eager * 1e6:.1f} us, {(plain - eager) * 1e6:+.1f} us = {(plain - eager) / o:+.1%} of a "
        "handler request"
    )


async def _load(
    port: int, tokens: list[str], total: int, concurrency: int
) -> tuple[list[float], int, float]:
    """`concurrency` keep-alive connections, each sending its next request when the last is read.

    A bare HTTP/1.1 client: an HTTP library on the same two cores would measure itself.
    """
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for n in counter:
            request = f"GET /identity HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {tokens[n % len(tokens)]}\r\n\r\n"
            t0 = time.perf_counter()
            writer.write(request.encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            errors += not head.startswith(b"HTTP/1.1 200")
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


def loopback(total: int = 10_000, concurrency: int = 32) -> None:
    issuer = IssuerUnderTest()
    port = free_port()
    env = _env(issuer, SIGNER_SECRET=SECRET)
    process = subprocess.Popen(
        [sys.executable, "-m", "intercom_signer", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import httpx

        for _ in range(200):
            with contextlib.suppress(httpx.TransportError):
                httpx.get(f"http://127.0.0.1:{port}/healthz")
                break
            time.sleep(0.05)
        tokens = [issuer.token(sub=f"reader-{n}") for n in range(500)]
        latencies, errors, seconds = asyncio.run(_load(port, tokens, total, concurrency))
    finally:
        process.terminate()
        process.wait()
        issuer.stop()
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    print(
        f"loopback: local signer under uvicorn, {total} requests at concurrency {concurrency} (client on the same 2 cores)"
    )
    print(
        f"  {total / seconds:7.0f} req/s   p50 {p50 * 1000:.1f} ms   p99 {p99 * 1000:.1f} ms   errors {errors}"
    )
