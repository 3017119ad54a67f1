"""One precedence for every field `check` and `csp` read: the flag, then the config file, then
the built site, then the default; and each answer says where it came from."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from mkdocs_intercom.check import CheckRequest
from mkdocs_intercom.check.checklist import resolve_inputs
from mkdocs_intercom.cli import files, parser
from mkdocs_intercom.precedence import Origin, Sources
from mkdocs_intercom.project import Options

EVERYWHERE = Sources(
    config={"region": "eu"}, config_name="mkdocs.yml", site={"region": "au"}, site_name="site"
)


@pytest.mark.parametrize(
    ("sources", "flag", "expected", "said"),
    [
        (EVERYWHERE, "us", (Origin.FLAG, "us"), "region us (--region)"),
        (EVERYWHERE, None, (Origin.CONFIG, "eu"), "region eu (from mkdocs.yml)"),
        (
            Sources(config={"region": ""}, site={"region": "au"}, site_name="site/index.html"),
            "",
            (Origin.SITE, "au"),
            "region au (from site/index.html)",
        ),
        (Sources(), None, (Origin.DEFAULT, "us"), "region us (the default)"),
    ],
    ids=["flag", "config file", "built site", "default"],
)
def test_the_first_source_that_sets_a_field_wins_and_is_named(
    sources: Sources, flag: str | None, expected: tuple[Origin, str], said: str
) -> None:
    resolved = sources.resolve("region", flag, default="us")
    assert (resolved.origin, resolved.value) == expected
    assert resolved.describe("region {}") == said


def built_site(folder: Path, settings: dict[str, object]) -> Path:
    content = html.escape(json.dumps(settings), quote=True)
    folder.mkdir()
    (folder / "index.html").write_text(
        f'<html><head><meta name="mkdocs-intercom" content="{content}"></head></html>'
    )
    return folder


def test_check_takes_verification_from_the_config_file_before_the_built_site(
    tmp_path: Path,
) -> None:
    site = built_site(
        tmp_path / "site",
        {"verification": "hmac", "apiBase": "https://api-iam.eu.intercom.io", "signerUrl": "/id"},
    )
    request = CheckRequest(site=site, config_file=tmp_path / "mkdocs.yml")
    inputs = resolve_inputs(request, Options("plugins.intercom", {"verification": "jwt"}))
    assert (inputs.verification.value, inputs.verification.origin) == ("jwt", Origin.CONFIG)
    assert (inputs.region.value, inputs.region.origin) == ("eu", Origin.SITE)
    assert (inputs.signer_url.value, inputs.signer_url.origin) == ("/id", Origin.SITE)
    assert inputs.line() == (
        "using verification jwt (from mkdocs.yml), "
        f"region eu (from {site / 'index.html'}), the signer at /id (from {site / 'index.html'})"
    )


def test_check_takes_the_signer_flag_before_everything(tmp_path: Path) -> None:
    request = CheckRequest(signer="https://signer.example.com/identity")
    inputs = resolve_inputs(request, Options("plugins.intercom", {"signer_url": "/api/identity"}))
    assert inputs.signer_url.value == "https://signer.example.com/identity"
    assert inputs.signer_url.where == "--signer"
    assert (inputs.verification.value, inputs.verification.origin) == ("jwt", Origin.DEFAULT)


@pytest.mark.parametrize("command", ["check", "csp", "setup"])
def test_no_default_path_is_fixed_while_the_parser_is_built(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parser built in one folder and run in another finds the second folder's files."""
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    (tmp_path / "site").mkdir()
    monkeypatch.chdir(tmp_path)
    args = parser().parse_args([command])
    assert args.config_file is None
    assert getattr(args, "site", None) is None
    assert files.config_file(args.config_file) == Path("mkdocs.yml")
    assert files.site_folder(getattr(args, "site", None)) == Path("site")
    monkeypatch.chdir(tmp_path / "site")
    assert files.config_file(None) is None
    assert files.site_folder(None) is None
