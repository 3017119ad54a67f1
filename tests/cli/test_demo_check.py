"""What `check` and `demo --check` say when the identity cannot be checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mkdocs_intercom.cli import main
from tests.support.cli import run_cli
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SignerUnderTest


@pytest.mark.parametrize(
    ("where", "claims"),
    [
        ("cookie:id_token", {}),  # the signer looks in the Authorization header
        ("authorization", {"aud": "another-app"}),  # an audience the signer does not list
    ],
)
def test_a_401_with_the_login_token_names_the_token_source_and_the_audience(
    where: str,
    claims: dict[str, str],
    issuer: IssuerUnderTest,
    signer: SignerUnderTest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        [
            "check",
            "--signer",
            signer.identity_url,
            "--token",
            issuer.token(**claims),
            "--token-from",
            where,
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "✗ with the login token the signer answered 401" in out
    fix = next(
        line for line in out.splitlines() if line.strip().startswith("fix:") and "401" in line
    )
    assert "SIGNER_TOKEN_FROM" in fix
    assert "--token-from authorization, cookie:NAME or header:NAME" in fix
    assert "SIGNER_OIDC_AUDIENCE" in fix


def test_demo_check_without_a_running_demo_says_how_to_start_one(tmp_path: Path) -> None:
    result = run_cli(
        "demo", "--check", cwd=tmp_path,
        env={**os.environ, "MKDOCS_INTERCOM_RUNTIME_DIR": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        "mkdocs-intercom demo: no demo is running: start one with `mkdocs-intercom demo`"
        " (`make demo` in a checkout)\n"
    )
