"""The `mkdocs-intercom` command: the subcommands' parsers put together, and the one entry point.
Defaults that depend on the working directory (./site, mkdocs.yml or zensical.toml) are looked
up when a subcommand runs, not while the parser is built."""

from __future__ import annotations

import argparse

from . import check, csp, demo, serve, setup


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="mkdocs-intercom", description="A verified Intercom Messenger for MkDocs sites."
    )
    commands = main.add_subparsers(dest="command", required=True)
    for command in (demo, serve, check, setup, csp):
        command.add_parser(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.run(args)
    return code
