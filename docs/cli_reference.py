"""The command-line reference, generated from `mkdocs-intercom`'s own argument parser: per
command, what it does, its usage line and a table of its options."""

from __future__ import annotations

import argparse
import functools
import re
from pathlib import Path

from mkdocs_intercom.cli import parser

USAGE_WIDTH = 85  # less the 7 of "usage: ": fits the page's code block
# Option and variable names in running text, not yet in code spans.
_DEFAULT = re.compile(r"\(default ([^\s),`]+)\)")  # a one-word default, as code
_NAMES = re.compile(r"(?<![`\w-])(--[a-z][a-z-]*|SIGNER_[A-Z_]+)(?![`\w])")


def _prose(text: str | None, *, sentence: bool = False) -> str:
    words = _NAMES.sub(r"`\1`", " ".join((text or "").split()))
    return words[:1].upper() + words[1:] if sentence else words


def commands() -> dict[str, tuple[argparse.ArgumentParser, str]]:
    """Each command's parser and its one-line help, in the order `--help` lists them."""
    (subparsers,) = (a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {action.dest: action.help or "" for action in subparsers._choices_actions}
    return {name: (command, helps[name]) for name, command in subparsers.choices.items()}


def _flags(action: argparse.Action) -> str:
    metavar = action.metavar or (action.dest.upper() if not action.choices else "")
    value = f" {metavar}" if action.nargs != 0 and metavar else ""
    *short, long = action.option_strings
    return ", ".join([*(f"`{flag}`" for flag in short), f"`{long}{value}`"])


def _says(action: argparse.Action) -> str:
    text = _prose((action.help or "") % vars(action))
    if action.choices:
        choices = [f"`{choice}`" for choice in action.choices]
        text = f"{text}: one of {', '.join(choices)}".lstrip(": ")
    default = action.default
    plain = isinstance(default, str | int) and not isinstance(default, bool | Path)
    if plain and "default" not in text:
        text += f" (default {default})"
    text = _DEFAULT.sub(r"(default `\1`)", text)
    return text.replace("|", "&#124;")  # a pipe would end the table cell


def command_reference(name: str) -> str:
    command, summary = commands()[name]
    command.formatter_class = functools.partial(argparse.HelpFormatter, width=USAGE_WIDTH)
    # argparse indents the usage's continuation lines under "usage: ", which is left off here.
    first, *rest = command.format_usage().removeprefix("usage: ").rstrip().splitlines()
    usage = "\n".join([first, *(line.removeprefix(" " * len("usage: ")) for line in rest)])
    options = [a for a in command._actions if a.option_strings and a.dest != "help"]
    table = ["| option | what it does |", "|---|---|"]
    table += [f"| {_flags(a)} | {_says(a)} |" for a in options]
    parts = [
        _prose(command.description or summary, sentence=True),
        f"```text\n{usage}\n```",
        "\n".join(table),
    ]
    if command.epilog:
        parts.append(_prose(command.epilog, sentence=True))
    return "\n\n".join(parts)
