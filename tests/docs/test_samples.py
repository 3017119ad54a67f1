"""Every sample command in the docs (a ```console block) prints what the docs show: `csp` as
it is, `setup` on the project the page shows just before it, `check` against a deployment on
loopback and `demo` as it starts, with the example's names put back in place of the addresses
of the run."""

from __future__ import annotations

import os
import re
import shlex
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_intercom import csp
from mkdocs_intercom.cli import main
from tests.support.cli import COMMAND, start_cli
from tests.support.markdown import pages
from tests.support.signer import SECRET
from tests.support.stack import Deployment
from tests.support.terminal import type_into_terminal
from tests.support.waiting import read_until

_BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```", re.M | re.S)
SITE, SIGNER = "https://docs.example.com", "https://signer.example.com"


def samples() -> list[tuple[str, str, list[str], str, str]]:
    """(where, command, arguments, what it prints, the YAML block just before) per sample."""
    found = []
    for page in pages():
        before = ""
        for number, match in enumerate(_BLOCK.finditer(page.read_text(encoding="utf-8")), 1):
            if match.group("lang") == "yaml":
                before = match.group("body")
            if match.group("lang") != "console":
                continue
            lines = match.group("body").splitlines()
            (at,) = [i for i, line in enumerate(lines) if line.startswith("$ mkdocs-intercom ")]
            _, command, *argv = shlex.split(lines[at][2:])
            shown = "\n".join(lines[at + 1 :]) + "\n"
            found.append((f"{page.name}#{number}", command, argv, shown, before))
    return found


def of(command: str) -> list[object]:
    return [pytest.param(*s[2:], id=s[0]) for s in samples() if s[1] == command]


def test_every_sample_is_of_a_command_that_is_run_here() -> None:
    assert {s[1] for s in samples()} == {"csp", "setup", "check", "demo"}


@pytest.mark.parametrize(("argv", "shown", "before"), of("csp"))
def test_a_csp_sample_prints_what_the_docs_show(
    argv: list[str], shown: str, before: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert main(["csp", *argv]) == 0
    assert capsys.readouterr().out == shown


@pytest.mark.parametrize(("argv", "shown", "before"), of("setup"))
def test_a_setup_sample_prints_what_the_docs_show(
    argv: list[str], shown: str, before: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    (tmp_path / "mkdocs.yml").write_text(before)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Docs\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTERCOM_APP_ID", "abc12345")
    assert main(["setup", *argv]) == 0
    assert capsys.readouterr().out == shown


@pytest.mark.parametrize(("argv", "shown", "before"), of("check"))
def test_a_check_sample_prints_what_the_docs_show(
    argv: list[str], shown: str, before: str, deploy: Callable[..., Deployment]
) -> None:
    site = deploy(
        cross_origin=True,
        plugin={"verification": "jwt"},
        csp=lambda s: csp.render(csp.policy("us", s.signer_url)),
    )
    real = {SITE: site.url, SIGNER: site.signer_origin}
    example = {address: name for name, address in real.items()}
    terminal = type_into_terminal(
        [*COMMAND, "check", *[replace(a, real) for a in argv]],
        prompt=b"Intercom secret (not shown): ",
        typed=SECRET,
        cwd=site.site.parent,
        env={"READER_TOKEN": site.issuer.mint({"sub": "alice", "email_verified": True})},
    )
    printed = "\n".join(line.rstrip() for line in terminal.splitlines()) + "\n"
    assert replace(printed, example) == shown


def replace(text: str, names: dict[str, str]) -> str:
    for old, new in names.items():
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(("argv", "shown", "before"), of("demo"))
def test_a_demo_sample_prints_what_the_docs_show(
    argv: list[str], shown: str, before: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTERCOM_", "MAKE"))}
    demo = start_cli("demo", *argv, cwd=tmp_path, env=env)
    try:
        banner = read_until(demo, lambda line: line.strip() == "Ctrl-C stops it.")
    finally:
        demo.send_signal(signal.SIGINT)
        demo.communicate(timeout=30)
    base = re.search(r"http://127\.0\.0\.1:\d+", banner[0])
    assert base
    printed = "".join(banner).replace(base.group(0), "http://127.0.0.1:8000")
    # The command as this run was started (python -m …) stands where a user's PATH has it.
    printed = re.sub(
        r"(check it, in another terminal: ).* demo --check",
        r"\1mkdocs-intercom demo --check",
        printed,
    )
    assert printed == shown
