"""One local origin on 127.0.0.1 for a built site: the development identity provider (/idp),
the signer (/api/intercom, the same code as on Lambda) and the sandbox Messenger (/sandbox), or
Intercom's real widget when INTERCOM_APP_ID and INTERCOM_SECRET are both set. `demo` serves the
demo site on it, `serve` the reader's own.

While it runs, it leaves what `demo --check` needs (its address, token source, built site and
the sandbox's secret) in a state file only its user can read, next to the built site and never
in it, and the path of that file in the user's runtime folder, so that the check finds the
running stack from any folder. Both go when it stops.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8000
SANDBOX_SECRET_ENV = "MKDOCS_INTERCOM_SANDBOX_SECRET"  # noqa: S105  # a variable name
SANDBOX_APP_ID = "sandbox"
AUDIENCE = "docs"
# Signed fields: the sample readers' plan and organisation, from their ID token's claims.
SIGNED_ATTRIBUTES = "plan=plan,company_id=org_id,company_name=org_name"
STATE_FILE = "demo.json"  # beside the built site
POINTER_DIR_ENV = "MKDOCS_INTERCOM_RUNTIME_DIR"  # where the pointer goes (tests set it)
POINTER_FILE = "running.json"


class LocalStackError(Exception):
    """A problem the user can fix; the message says how."""


def pointer_path() -> Path:
    """Where the running stack's state file is named: in $XDG_RUNTIME_DIR (private to the
    user, emptied at logout) where there is one, else in the user's cache folder."""
    folder = os.environ.get(POINTER_DIR_ENV)
    if folder:
        return Path(folder) / POINTER_FILE
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return (Path(runtime) if runtime else Path(cache)) / "mkdocs-intercom" / POINTER_FILE


def running_state_file() -> Path | None:
    """The state file of the stack running for this user, wherever it was started; None when
    none runs (a stack that was killed leaves a pointer to a process that is gone)."""
    try:
        pointer = json.loads(pointer_path().read_text(encoding="utf-8"))
        os.kill(int(pointer["pid"]), 0)
        state = Path(pointer["state"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state if state.is_file() else None


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
            raise LocalStackError(
                f"port {requested} is not a TCP port: choose one from 1 to 65535 with --port"
            )
        refused = _bind_error(requested)
        if isinstance(refused, PermissionError):
            raise LocalStackError(
                f"port {requested} is reserved for root on this machine: choose one from 1024 "
                "to 65535 with --port"
            )
        if refused is not None:
            raise LocalStackError(
                f"port {requested} is taken on 127.0.0.1: choose another with --port"
            )
        return requested
    if _bind_error(DEFAULT_PORT) is None:
        return DEFAULT_PORT
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signer_env(issuer: str, token_from: str, verification: str, secret: str) -> dict[str, str]:
    """The local signer: the local issuer, its login cookie, and signed fields with a JWT."""
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


@dataclass(frozen=True)
class Messenger:
    """Which Messenger the pages load: the sandbox (its throwaway secret), or Intercom's real
    widget when INTERCOM_APP_ID and INTERCOM_SECRET are both set."""

    app_id: str
    secret: str
    real: bool

    @classmethod
    def from_environment(cls, sandbox_app_id: str = SANDBOX_APP_ID) -> Messenger:
        app_id, secret = os.environ.get("INTERCOM_APP_ID"), os.environ.get("INTERCOM_SECRET")
        if app_id and secret:
            return cls(app_id, secret, real=True)
        # The tests set the sandbox's secret; otherwise each run has its own.
        secret = os.environ.get(SANDBOX_SECRET_ENV) or secrets.token_hex(32)
        return cls(sandbox_app_id, secret, real=False)

    @property
    def name(self) -> str:
        return (
            f"Intercom's real widget (app {self.app_id})" if self.real else "the sandbox Messenger"
        )


@dataclass(frozen=True)
class Origin:
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def widget_url(self, messenger: Messenger) -> str | None:
        """The plugin's widget_url: the sandbox's, or None for Intercom's own."""
        from .stack import SANDBOX_PATH

        return None if messenger.real else f"{self.base}{SANDBOX_PATH}/widget/{{app_id}}"


def require_signer(what: str) -> None:
    """Stop with one line naming the extra to install, before anything is built."""
    try:
        import uvicorn  # noqa: F401

        import intercom_signer.app  # noqa: F401
    except ImportError as error:
        raise LocalStackError(
            f"{what} needs the signer's packages ({error.name}): pip install 'mkdocs-intercom[demo]'"
        ) from None


def readers_banner() -> str:
    from .idp import SAMPLE_READERS

    return "\n".join(
        f"    {r.name} (user id {r.sub}, {r.plan} plan at {r.org_name})" for r in SAMPLE_READERS
    )


def serve(
    origin: Origin,
    site: Path,
    *,
    messenger: Messenger,
    verification: str,
    banner: str,
    state_file: Path,
    state: dict[str, Any],
) -> None:
    """Serve `site` with the identity provider, the signer and the Messenger on `origin` until
    Ctrl-C; print `banner` once connections are accepted."""
    require_signer("this")
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "intercom-signer")
    import uvicorn

    from intercom_signer.app import create_app
    from intercom_signer.settings import Settings

    from .idp import COOKIE, SAMPLE_READERS, DevIssuer, idp_routes
    from .sandbox import SandboxMessenger
    from .stack import IDP_PATH, one_origin

    token_from = f"cookie:{COOKIE}"
    issuer = DevIssuer(f"{origin.base}{IDP_PATH}", audience=AUDIENCE)
    env = signer_env(issuer.issuer, token_from, verification, messenger.secret)
    signer = create_app(Settings.from_env(env))
    sandbox = None if messenger.real else SandboxMessenger(messenger.secret, messenger.app_id)
    app = one_origin(
        site,
        signer=signer,
        idp=idp_routes(issuer),
        sandbox=sandbox.routes() if sandbox else None,
    )
    check_state = {
        **state,
        "url": f"{origin.base}/",
        "site": str(site),
        "token_from": token_from,
        "reader": SAMPLE_READERS[0].sub,
        # The sandbox's throwaway secret; Intercom's real one stays in $INTERCOM_SECRET.
        "secret": None if messenger.real else messenger.secret,
    }
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))

    def stop_now(*_: object) -> None:
        # uvicorn re-raises the SIGTERM it caught once it has shut down: an exit, so the state
        # file is removed. One that comes before uvicorn took the signal over (right after the
        # banner) would unwind through an event loop still starting: remove the state and go.
        if server.started:
            sys.exit(0)
        _remove_state(state_file)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop_now)
    # Listening before the banner, so that whoever reads it can connect at once.
    with _listening(origin.port) as listening, _state_files(state_file, check_state):
        print(banner, flush=True)
        server.run(sockets=[listening])


def _listening(port: int) -> socket.socket:
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", port))
    listening.listen(128)
    return listening


@contextmanager
def _state_files(path: Path, state: dict[str, Any]) -> Iterator[None]:
    _write_private(path, state)
    pointer = pointer_path()
    pointer.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write_private(pointer, {"state": str(path.resolve()), "pid": os.getpid()})
    try:
        yield
    finally:
        _remove_state(path)


def _remove_state(path: Path) -> None:
    path.unlink(missing_ok=True)
    pointer = pointer_path()
    # Only our own: a stack started since then has its own pointer there.
    try:
        if json.loads(pointer.read_text(encoding="utf-8")).get("pid") == os.getpid():
            pointer.unlink()
    except (OSError, ValueError):
        pass


def _write_private(path: Path, document: dict[str, Any]) -> None:
    """A new file only its user can read (the state holds the sandbox's secret)."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(document, stream)
