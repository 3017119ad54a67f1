"""Every option of every command says what it does in `--help`."""

from __future__ import annotations

import argparse

import pytest

from mkdocs_intercom.cli import parser


def subcommands() -> dict[str, argparse.ArgumentParser]:
    (found,) = (a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(found.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_option_has_help_text(name: str) -> None:
    silent = [
        action.option_strings or [action.dest]
        for action in subcommands()[name]._actions
        if not (action.help or "").strip()
    ]
    assert silent == []


def test_demo_load_says_what_each_choice_does() -> None:
    (load,) = (a for a in subcommands()["demo"]._actions if "--load" in a.option_strings)
    assert load.help
    assert all(word in load.help for word in ("at once", "idle", "click"))
