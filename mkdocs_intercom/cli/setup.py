"""`mkdocs-intercom setup`: make a Zensical project ready (the work is in zensical/setup.py)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import files


def run(args: argparse.Namespace) -> int:
    from ..zensical import setup

    config_file = files.config_file(args.config_file)
    if config_file is None:
        print(
            "mkdocs-intercom setup: no mkdocs.yml or zensical.toml here: pass -f with the project's config file",
            file=sys.stderr,
        )
        return 2
    try:
        plan = setup.plan(config_file)
    except setup.SetupError as error:
        for problem in error.problems:
            print(f"mkdocs-intercom setup: {problem}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 2
    print(f"mkdocs-intercom setup: {config_file}, theme override in {plan.custom_dir}")
    for line in setup.apply(plan):
        print(f"  {line}")
    if plan.todo:
        for step in plan.todo:
            print(f"to do: {step}")
        return 1
    print("ready: zensical build (or zensical serve)")
    return 0


def add_parser(commands: Any) -> None:
    setup = commands.add_parser(
        "setup",
        help="make a Zensical project ready: the theme override and the loader, from `extra: intercom:`",
        description="Zensical runs no MkDocs plugin: check the options under `extra: intercom:` by the "
        "plugin's rules and write what gives every page the plugin's tags (rerun after upgrading). "
        "Exit status: 0 ready, 1 a step is left to you (printed), 2 an error (nothing written).",
    )
    files.add_config_file(setup)
    setup.set_defaults(run=run)
