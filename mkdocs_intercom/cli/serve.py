"""`mkdocs-intercom serve`: your own site on one local origin with the development identity
provider, the signer and the sandbox Messenger, before any deploy (the work is in devstack/)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import files
from .demo import own_command


def run(args: argparse.Namespace) -> int:
    from ..devstack.demo import check_demo
    from ..devstack.local import LocalStackError
    from ..devstack.localsite import ServeOptions, run_serve

    try:
        if args.check:
            return check_demo(None)
        run_serve(ServeOptions(args.config_file, args.port, f"{own_command()} serve --check"))
    except LocalStackError as error:
        print(f"mkdocs-intercom serve: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def add_parser(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="your own site, locally: a sign-in with sample readers, the signer and the sandbox Messenger",
        description="Build your site as you build it (MkDocs with `plugins: - intercom`, or "
        "Zensical after `mkdocs-intercom setup`) and serve it on one local origin with the "
        "development identity provider, the signer and the sandbox Messenger: sign in as a "
        "sample reader and see the verified Messenger before anything is deployed. Your "
        "options stay as written; signer_url and widget_url point at the local signer and the "
        "sandbox in the copy it serves.",
    )
    files.add_config_file(serve)
    serve.add_argument(
        "--port", type=int, help="port on 127.0.0.1, 1 to 65535 (default 8000, or a free one)"
    )
    serve.add_argument(
        "--check",
        action="store_true",
        help="check the running local site from any folder: `mkdocs-intercom check` as a "
        "sample reader, with the sandbox's secret",
    )
    serve.set_defaults(run=run)
