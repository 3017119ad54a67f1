"""Where the subcommands find their files when no flag names them, looked up at run time:
`check`, `csp` and `setup` find the config file the same way, as mkdocs and zensical do."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..project import default_config_file


def add_config_file(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-f",
        "--config-file",
        type=Path,
        help="mkdocs.yml or zensical.toml (default: the one in this folder)",
    )


def add_site(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--site", type=Path, help="the built site folder (default ./site when it exists)"
    )


def config_file(given: Path | None) -> Path | None:
    """The flag's file, else mkdocs.yml, else zensical.toml in the working directory."""
    return given if given is not None else default_config_file()


def site_folder(given: Path | None) -> Path | None:
    """The flag's folder, else ./site when it exists."""
    if given is not None:
        return given
    return Path("site") if Path("site").is_dir() else None
