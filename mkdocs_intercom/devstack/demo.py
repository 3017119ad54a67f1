"""`mkdocs-intercom demo`: the whole product on one local origin, no AWS or Intercom account.

Serves the built demo site on the local stack (local.py): the development identity provider
(/idp), the signer (/api/intercom, the same code as on Lambda) and the sandbox Messenger
(/sandbox) — or Intercom's real widget when INTERCOM_APP_ID and INTERCOM_SECRET are set.

`mkdocs-intercom demo --check` checks a running demo in one command, from any folder: the
stack leaves what the check needs in a file only its user can read (local.py says where).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from .local import (
    DEFAULT_PORT,
    SANDBOX_SECRET_ENV,
    STATE_FILE,
    LocalStackError,
    Messenger,
    Origin,
    choose_port,
    readers_banner,
    require_signer,
    running_state_file,
    serve,
    signer_env,
)

__all__ = [
    "DEFAULT_PORT",
    "SANDBOX_SECRET_ENV",
    "STATE_FILE",
    "DemoError",
    "choose_port",
    "signer_env",
]

DEMO_SITE = Path(__file__).parent / "demo_site" / "mkdocs.yml"
DEFAULT_BUILD_DIR = Path(".demo")
DEMO_APP_ID = "demo"
DemoError = LocalStackError


@dataclass(frozen=True)
class DemoOptions:
    port: int | None = None
    verification: str = "jwt"
    visitors: bool = False
    load: str = "idle"
    build_dir: Path = DEFAULT_BUILD_DIR
    check_command: str = "mkdocs-intercom demo --check"  # as the user can type it


def run_demo(options: DemoOptions) -> None:
    from . import demopage
    from .sitebuild import build, write_config
    from .stack import SIGNER_PATH

    require_signer("the demo")
    origin = Origin(choose_port(options.port))
    messenger = Messenger.from_environment(DEMO_APP_ID)
    base = origin.base
    plugin = {
        "app_id": messenger.app_id,
        "verification": options.verification,
        "visitors": options.visitors,
        "load": options.load,
        "widget_url": origin.widget_url(messenger),
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
    banner = (
        f"mkdocs-intercom demo on {base}/\n"
        f"  sign in at {base}/idp/login as one of\n{readers_banner()}\n"
        f"  signer: {base}{SIGNER_PATH}/identity · Messenger: {messenger.name} · verification: {options.verification}\n"
        f"  check it, in another terminal: {options.check_command}\n"
        "  Ctrl-C stops it."
    )
    serve(
        origin,
        site,
        messenger=messenger,
        verification=options.verification,
        banner=banner,
        state_file=build_dir / STATE_FILE,
        state={"config": str(config)},
    )


def check_demo(build_dir: Path | None) -> int:
    """`mkdocs-intercom check` against the running demo, signed in as its first sample reader:
    one CheckRequest built from the demo's state file, nothing through the environment."""
    from .. import check
    from .idp import SAMPLE_READERS

    # The demo of this folder (or --build-dir's), else the one running anywhere for this user
    # (a demo, or `serve` with the team's own site).
    path = build_dir.resolve() / STATE_FILE if build_dir else None
    found = path if path and path.is_file() else running_state_file()
    try:
        state = json.loads(found.read_text(encoding="utf-8")) if found else None
    except (OSError, ValueError):
        state = None
    if state is None:
        raise DemoError(
            "no demo is running: start one with `mkdocs-intercom demo` (`make demo` in a checkout)"
        )
    reader = next(r for r in SAMPLE_READERS if r.sub == state["reader"])
    token = _sign_in(state["url"], reader.sub)
    if state["secret"]:
        secret, secret_source = state["secret"], "of the sandbox Messenger"
    else:  # Intercom's real widget: its secret stays where the demo read it
        secret, secret_source = os.environ.get("INTERCOM_SECRET"), "in $INTERCOM_SECRET"
    print(f"signed in at {state['url']} as {reader.name} (user id {reader.sub})\n")
    return check.run(
        check.CheckRequest(
            site=Path(state["site"]),
            config_file=Path(state["config"]) if state.get("config") else None,
            url=state["url"],
            credential=check.Credential(token, state["token_from"]),
            secret=secret,
            secret_source=secret_source,
        )
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
