"""`python -m intercom_signer --host 127.0.0.1 --port 8787`: the signer under uvicorn."""

from __future__ import annotations

import argparse
import os
import sys

from .settings import ConfigError, Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m intercom_signer", description=__doc__)
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8787, help="port to listen on (default 8787)")
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

    uvicorn.run(
        create_app(settings), host=args.host, port=args.port, access_log=False, log_level="warning"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
