"""`python -m intercom_signer --host 127.0.0.1 --port 8787`: the signer under uvicorn."""

from __future__ import annotations

import argparse
import os
import socket
import sys

from .settings import ConfigError, Settings


def listening_line(settings: Settings, host: str, port: int) -> str:
    """One line on start: where the signer listens, whom it believes and what it signs."""
    shown = f"[{host}]" if ":" in host else host
    source = settings.token_from
    where = f", token from {source.source}{':' + source.name if source.name else ''}"
    return (
        f"intercom-signer: listening on http://{shown}:{port}{settings.base_path}/identity"
        f" (identity {settings.identity}{where if settings.identity == 'jwt' else ''},"
        f" output {settings.output})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m intercom_signer", description=__doc__)
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=8787, help="port to listen on (default 8787; 0: any free one)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "intercom-signer")
    try:
        import uvicorn

        from .app import create_app
    except ImportError as error:
        print(
            f"intercom-signer: the signer's packages are not installed ({error.name}): pip install 'mkdocs-intercom[signer]'",
            file=sys.stderr,
        )
        return 2
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as error:
        print(f"intercom-signer: {error}", file=sys.stderr)
        return 2

    # Bound here rather than by uvicorn, so the line below is printed once connections are
    # accepted, with the port the system chose for --port 0.
    listener = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((args.host, args.port))
    except OSError as error:
        listener.close()
        print(
            f"intercom-signer: cannot listen on {args.host}:{args.port} ({error.strerror}):"
            " choose another --port or --host",
            file=sys.stderr,
        )
        return 2
    listener.listen(2048)
    print(listening_line(settings, args.host, listener.getsockname()[1]), flush=True)
    config = uvicorn.Config(create_app(settings), access_log=False, log_level="warning")
    uvicorn.Server(config).run(sockets=[listener])
    return 0


if __name__ == "__main__":
    sys.exit(main())
