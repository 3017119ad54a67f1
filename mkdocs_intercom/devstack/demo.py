"""`mkdocs-intercom demo`: the whole product on one local origin, no AWS or Intercom account.

Serves the built demo site, the development identity provider (/idp), the signer
(/api/intercom, the same code as on Lambda) and the sandbox Messenger (/sandbox) — or
Intercom's real widget when INTERCOM_APP_ID and INTERCOM_SECRET are set.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

DEMO_SITE = Path(__file__).parent / "demo_site" / "mkdocs.yml"
DEFAULT_PORT = 8000


class DemoError(Exception):
    """A problem the user can fix; the message says how."""


@dataclass(frozen=True)
class DemoOptions:
    port: int | None = None
    verification: str = "hmac"
    visitors: bool = False
    load: str = "idle"
    build_dir: Path = Path(".demo")


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # as uvicorn binds: TIME_WAIT is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def choose_port(requested: int | None) -> int:
    if requested is not None:
        if not _free(requested):
            raise DemoError(f"port {requested} is taken on 127.0.0.1: choose another with --port")
        return requested
    if _free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SANDBOX_SECRET_ENV = "MKDOCS_INTERCOM_SANDBOX_SECRET"  # noqa: S105  # a variable name


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

    from .idp import COOKIE, SAMPLE_READERS, DevIssuer, idp_routes
    from .sandbox import SandboxMessenger
    from .sitebuild import build, write_config
    from .stack import IDP_PATH, SANDBOX_PATH, SIGNER_PATH, one_origin

    port = choose_port(options.port)
    base = f"http://127.0.0.1:{port}"
    real_app_id, real_secret = os.environ.get("INTERCOM_APP_ID"), os.environ.get("INTERCOM_SECRET")
    real = bool(real_app_id and real_secret)
    app_id = real_app_id if real and real_app_id else "demo"
    # The sandbox's secret: yours to set (e.g. to run `check` against the demo), else this run's.
    sandbox_secret = os.environ.get(SANDBOX_SECRET_ENV) or secrets.token_hex(32)
    secret = real_secret if real and real_secret else sandbox_secret

    issuer = DevIssuer(f"{base}{IDP_PATH}", audience="docs")
    signer = create_app(
        Settings.from_env(
            {
                "SIGNER_OIDC_ISSUER": issuer.issuer,
                "SIGNER_OIDC_AUDIENCE": "docs",
                "SIGNER_TOKEN_FROM": f"cookie:{COOKIE}",
                "SIGNER_OUTPUT": "both",
                "SIGNER_SECRET": secret,
            }
        )
    )
    sandbox = None if real else SandboxMessenger(secret, app_id)
    plugin = {
        "app_id": app_id,
        "verification": options.verification,
        "visitors": options.visitors,
        "load": options.load,
        "widget_url": None if real else f"{base}{SANDBOX_PATH}/widget/{{app_id}}",
    }
    site = build(write_config(DEMO_SITE, options.build_dir.resolve(), plugin, site_url=f"{base}/"))
    app = one_origin(
        site, signer=signer, idp=idp_routes(issuer), sandbox=sandbox.routes() if sandbox else None
    )

    readers = "\n".join(f"    {r.name} (user id {r.sub})" for r in SAMPLE_READERS)
    messenger = f"Intercom's real widget (app {app_id})" if real else "the sandbox Messenger"
    print(
        f"mkdocs-intercom demo on {base}/\n"
        f"  sign in at {base}{IDP_PATH}/login as one of\n{readers}\n"
        f"  signer: {base}{SIGNER_PATH}/identity · Messenger: {messenger} · verification: {options.verification}\n"
        f"  check it: mkdocs-intercom check --site {site} --url {base}/\n"
        "  Ctrl-C stops it.",
        flush=True,
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
