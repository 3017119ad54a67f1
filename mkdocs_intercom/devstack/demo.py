"""`mkdocs-intercom demo`: the whole product on one local origin, no AWS or Intercom account.

Serves the built demo site, the development identity provider (/idp), the signer
(/api/intercom, the same code as on Lambda) and the sandbox Messenger (/sandbox) — or
Intercom's real widget when INTERCOM_APP_ID and INTERCOM_SECRET are set.

`mkdocs-intercom demo --check` checks a running demo in one command: the demo leaves what
the check needs (its address, token source and the sandbox's secret) in a file only its
user can read, next to the built site and never in it, removed when the demo stops.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

DEMO_SITE = Path(__file__).parent / "demo_site" / "mkdocs.yml"
DEFAULT_PORT = 8000
DEFAULT_BUILD_DIR = Path(".demo")
STATE_FILE = "demo.json"
SANDBOX_SECRET_ENV = "MKDOCS_INTERCOM_SANDBOX_SECRET"  # noqa: S105  # a variable name
AUDIENCE = "docs"
# Signed fields: the sample readers' plan and organisation, from their ID token's claims.
SIGNED_ATTRIBUTES = "plan=plan,company_id=org_id,company_name=org_name"


class DemoError(Exception):
    """A problem the user can fix; the message says how."""


@dataclass(frozen=True)
class DemoOptions:
    port: int | None = None
    verification: str = "jwt"
    visitors: bool = False
    load: str = "idle"
    build_dir: Path = DEFAULT_BUILD_DIR
    check_command: str = "mkdocs-intercom demo --check"  # as the user can type it


def _bind_error(port: int) -> OSError | None:
    """Why 127.0.0.1:port cannot be bound (taken, or reserved for root), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: a port in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            return error
        return None


def choose_port(requested: int | None) -> int:
    if requested is not None:
        if not 1 <= requested <= 65535:
            raise DemoError(
                f"port {requested} is not a TCP port: choose one from 1024 to 65535 with --port"
            )
        if _bind_error(requested) is not None:
            raise DemoError(f"port {requested} is taken on 127.0.0.1: choose another with --port")
        return requested
    if _bind_error(DEFAULT_PORT) is None:
        return DEFAULT_PORT
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_demo(options: DemoOptions) -> None:
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "intercom-signer")
    try:
        import uvicorn

        from intercom_signer.app import create_app
        from intercom_signer.settings import Settings
    except ImportError as error:
        raise DemoError(
            f"the demo needs the signer's packages ({error.name}): pip install 'mkdocs-intercom[signer]' mkdocs-material"
        ) from None

    from . import demopage
    from .idp import COOKIE, SAMPLE_READERS, DevIssuer, idp_routes
    from .sandbox import SandboxMessenger
    from .sitebuild import build, write_config
    from .stack import IDP_PATH, SANDBOX_PATH, SIGNER_PATH, one_origin

    port = choose_port(options.port)
    base = f"http://127.0.0.1:{port}"
    real_app_id, real_secret = os.environ.get("INTERCOM_APP_ID"), os.environ.get("INTERCOM_SECRET")
    real = bool(real_app_id and real_secret)
    app_id = real_app_id if real and real_app_id else "demo"
    # The sandbox's secret: this run's own, unless set (the tests set it).
    sandbox_secret = os.environ.get(SANDBOX_SECRET_ENV) or secrets.token_hex(32)
    secret = real_secret if real and real_secret else sandbox_secret
    token_from = f"cookie:{COOKIE}"

    issuer = DevIssuer(f"{base}{IDP_PATH}", audience=AUDIENCE)
    signer = create_app(
        Settings.from_env(signer_env(issuer.issuer, token_from, options.verification, secret))
    )
    sandbox = None if real else SandboxMessenger(secret, app_id)
    plugin = {
        "app_id": app_id,
        "verification": options.verification,
        "visitors": options.visitors,
        "load": options.load,
        "widget_url": None if real else f"{base}{SANDBOX_PATH}/widget/{{app_id}}",
    }
    build_dir = options.build_dir.resolve()
    config = write_config(
        DEMO_SITE,
        build_dir,
        plugin,
        site_url=f"{base}/",
        hooks=[demopage.__file__],
        extra={
            "demo": {
                "url": f"{base}/",
                "check": options.check_command,
                "verification": options.verification,
            }
        },
    )
    site = build(config)
    app = one_origin(
        site, signer=signer, idp=idp_routes(issuer), sandbox=sandbox.routes() if sandbox else None
    )
    check_state = {
        "url": f"{base}/",
        "site": str(site),
        "config": str(config),
        "token_from": token_from,
        "reader": SAMPLE_READERS[0].sub,
        # The sandbox's throwaway secret; Intercom's real one stays in $INTERCOM_SECRET.
        "secret": None if real else sandbox_secret,
    }

    readers = "\n".join(
        f"    {r.name} (user id {r.sub}, {r.plan} plan at {r.org_name})" for r in SAMPLE_READERS
    )
    messenger = f"Intercom's real widget (app {app_id})" if real else "the sandbox Messenger"
    banner = (
        f"mkdocs-intercom demo on {base}/\n"
        f"  sign in at {base}{IDP_PATH}/login as one of\n{readers}\n"
        f"  signer: {base}{SIGNER_PATH}/identity · Messenger: {messenger} · verification: {options.verification}\n"
        f"  check it, in another terminal: {options.check_command}\n"
        "  Ctrl-C stops it."
    )
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    # uvicorn re-raises the SIGTERM it caught: as an exit, so the state file is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Listening before the banner, so that whoever reads it can connect at once.
    with _listening(port) as listening, _state_file(build_dir / STATE_FILE, check_state):
        print(banner, flush=True)
        server.run(sockets=[listening])


def signer_env(issuer: str, token_from: str, verification: str, secret: str) -> dict[str, str]:
    """The demo's signer: the demo's issuer, its login cookie, and signed fields with a JWT."""
    env = {
        "SIGNER_OIDC_ISSUER": issuer,
        "SIGNER_OIDC_AUDIENCE": AUDIENCE,
        "SIGNER_TOKEN_FROM": token_from,
        "SIGNER_OUTPUT": verification,
        "SIGNER_SECRET": secret,
    }
    if verification == "jwt":  # signed fields travel only inside the Intercom JWT
        env["SIGNER_ATTRIBUTES"] = SIGNED_ATTRIBUTES
    return env


def _listening(port: int) -> socket.socket:
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", port))
    listening.listen(128)
    return listening


@contextmanager
def _state_file(path: Path, state: dict[str, Any]) -> Iterator[None]:
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(state, stream)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


# The check reads these from its environment: never on a command line or in shell history.
TOKEN_ENV = "MKDOCS_INTERCOM_DEMO_TOKEN"  # noqa: S105  # a variable name
SECRET_ENV = "MKDOCS_INTERCOM_DEMO_SECRET"  # noqa: S105  # a variable name


def check_demo(build_dir: Path) -> int:
    """`mkdocs-intercom check` against the running demo, signed in as its first sample reader."""
    from ..cli import main
    from .idp import SAMPLE_READERS

    path = build_dir.resolve() / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DemoError(
            f"no demo is running from {build_dir}: start one with `make demo` (or mkdocs-intercom demo) first"
        ) from None
    reader = next(r for r in SAMPLE_READERS if r.sub == state["reader"])
    os.environ[TOKEN_ENV] = _sign_in(state["url"], reader.sub)
    secret_env = "INTERCOM_SECRET"  # noqa: S105  # a variable name
    if state["secret"]:
        os.environ[SECRET_ENV] = state["secret"]
        secret_env = SECRET_ENV
    print(f"signed in to the demo at {state['url']} as {reader.name} (user id {reader.sub})\n")
    return main(
        [
            "check",
            *("--site", state["site"], "--config-file", state["config"], "--url", state["url"]),
            *("--token-env", TOKEN_ENV, "--token-from", state["token_from"]),
            *("--secret-env", secret_env),
        ]
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _sign_in(url: str, sub: str) -> str:
    """A login token from the demo's identity provider, as its sign-in page gets one."""
    from .idp import COOKIE
    from .stack import IDP_PATH

    request = urllib.request.Request(  # noqa: S310  # the demo's own http://127.0.0.1 address
        f"{url.rstrip('/')}{IDP_PATH}/login", data=f"sub={sub}&next=/".encode(), method="POST"
    )
    try:
        urllib.request.build_opener(_NoRedirect).open(request, timeout=10)
    except urllib.error.HTTPError as answer:  # the 303 after a sign-in
        cookies = SimpleCookie(answer.headers.get("Set-Cookie", ""))
        if COOKIE in cookies:
            return cookies[COOKIE].value
    except OSError as error:
        raise DemoError(
            f"the demo at {url} does not answer ({type(error).__name__}): is it still running?"
        ) from None
    raise DemoError(f"the demo at {url} did not sign {sub} in: restart it")
