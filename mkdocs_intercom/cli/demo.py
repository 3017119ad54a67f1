"""`mkdocs-intercom demo`: the whole product on one local origin (the work is in devstack/)."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from ..devstack.demo import DEFAULT_BUILD_DIR


def run(args: argparse.Namespace) -> int:
    from ..devstack.demo import DemoError, DemoOptions, check_demo
    from ..devstack.demo import run_demo as serve

    try:
        if args.check:
            return check_demo(args.build_dir)
        in_make = "MAKELEVEL" in os.environ and args.build_dir == DEFAULT_BUILD_DIR
        build_dir = (
            ""
            if args.build_dir == DEFAULT_BUILD_DIR
            else f" --build-dir {shlex.quote(str(args.build_dir))}"
        )
        check_command = "make check" if in_make else f"{own_command()} demo --check{build_dir}"
        serve(
            DemoOptions(
                args.port,
                args.verification,
                args.visitors,
                args.load,
                args.build_dir,
                check_command,
            )
        )
    except DemoError as error:
        print(f"mkdocs-intercom demo: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def own_command() -> str:
    """This program as it can be typed again in the same shell: its bare name when that is
    what PATH finds, else its path (e.g. .venv/bin/mkdocs-intercom after `make demo`)."""
    script = Path(sys.argv[0])
    if script.name != "mkdocs-intercom":  # python -m mkdocs_intercom.cli
        return f"{shlex.quote(_shortest(Path(sys.executable)))} -m mkdocs_intercom.cli"
    on_path = shutil.which("mkdocs-intercom")
    if on_path and Path(on_path).resolve() == script.resolve():
        return "mkdocs-intercom"
    return shlex.quote(_shortest(script))


def _shortest(path: Path) -> str:
    """A path relative to the working directory when it lies below it, else absolute."""
    absolute = path.absolute()
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return str(absolute)
    return str(relative) if len(relative.parts) > 1 else f"./{relative}"


def add_parser(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="run the whole product locally (site, identity provider, signer, sandbox Messenger)",
    )
    demo.add_argument(
        "--port", type=int, help="port on 127.0.0.1, 1 to 65535 (default 8000, or a free one)"
    )
    demo.add_argument(
        "--verification",
        choices=("jwt", "hmac"),
        default="jwt",
        help="the signed field that boots the Messenger (default jwt, Intercom's recommended one)",
    )
    demo.add_argument(
        "--visitors", action="store_true", help="anonymous Messenger for signed-out readers"
    )
    demo.add_argument(
        "--load",
        choices=("eager", "idle", "interaction"),
        default="idle",
        help="when the Messenger's script loads: at once, once the page is idle (default), or "
        "at the reader's first click on a light launcher that costs no widget bytes before",
    )
    demo.add_argument(
        "--build-dir",
        type=Path,
        default=DEFAULT_BUILD_DIR,
        help="where the demo site is built (default .demo)",
    )
    demo.add_argument(
        "--check",
        action="store_true",
        help="check the running demo, from any folder (the one of --build-dir when given): "
        "`mkdocs-intercom check` as a sample reader, with the demo's own secret",
    )
    demo.set_defaults(run=run)
