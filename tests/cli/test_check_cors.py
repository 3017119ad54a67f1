"""What `check` says about CORS depends on what it knows of the site's origin."""

from __future__ import annotations

import pytest

from mkdocs_intercom.cli import main
from tests.support.signer import SITE, SignerUnderTest


def cors_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if "CORS" in line and line[:2] in ("✓ ", "✗ ", "- ")]


def cors_line(out: str) -> str:
    (line,) = cors_lines(out)
    return line


def test_without_url_the_origin_is_unknown_so_cors_is_not_checked(
    signer: SignerUnderTest, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--signer", signer.identity_url])
    line = cors_line(capsys.readouterr().out)
    assert line.startswith("- CORS not checked: the site's origin is unknown")
    assert "--url" in line


def test_with_the_signers_own_origin_cors_is_not_needed(
    signer: SignerUnderTest, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--signer", signer.identity_url, "--url", f"{signer.url}/"])
    assert cors_line(capsys.readouterr().out) == (
        "- CORS not needed: the signer is on the site's origin"
    )


def test_with_another_origin_cors_is_checked(
    signer: SignerUnderTest, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--signer", signer.identity_url, "--url", f"{SITE}/"])
    lines = cors_lines(capsys.readouterr().out)
    assert lines
    assert all(line.startswith("✓ ") for line in lines), lines
