"""`python -m intercom_signer`, started by hand for local development, says in one line where
it listens and in which mode, once it accepts connections."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.support.issuer import IssuerUnderTest
from tests.support.signer import signer_env


@contextmanager
def started(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "intercom_signer", "--host", "127.0.0.1", "--port", "0"],
        env={k: v for k, v in os.environ.items() if not k.startswith("SIGNER_")} | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    try:
        yield process.stdout.readline(), process
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_the_first_line_says_where_it_listens_and_the_mode(issuer: IssuerUnderTest) -> None:
    env = signer_env(
        issuer.url, SIGNER_TOKEN_FROM="cookie:id_token", SIGNER_OUTPUT="hmac",
        SIGNER_BASE_PATH="/api/intercom",
    )  # fmt: skip
    with started(env) as (line, _):
        match = re.fullmatch(
            r"intercom-signer: listening on (http://127\.0\.0\.1:\d+)/api/intercom/identity"
            r" \(identity jwt, token from cookie:id_token, output hmac\)\n",
            line,
        )
        assert match, line
        # Printed once connections are accepted: no wait between the line and the request.
        health = httpx.get(f"{match.group(1)}/api/intercom/healthz", timeout=10)
        assert health.json() == {"status": "ok"}


def test_the_line_names_the_default_mode(issuer: IssuerUnderTest) -> None:
    with started(signer_env(issuer.url)) as (line, _):
        assert line.endswith("/identity (identity jwt, token from authorization, output jwt)\n")


def test_a_port_in_use_is_one_line_naming_the_fix(issuer: IssuerUnderTest) -> None:
    with started(signer_env(issuer.url)) as (line, _):
        port = re.search(r":(\d+)/", line)
        assert port, line
        taken = subprocess.run(
            [sys.executable, "-m", "intercom_signer", "--port", port.group(1)],
            env={k: v for k, v in os.environ.items() if not k.startswith("SIGNER_")}
            | signer_env(issuer.url),
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    assert taken.returncode == 2
    assert taken.stdout == ""
    assert taken.stderr.count("\n") == 1, taken.stderr
    assert "choose another --port" in taken.stderr
