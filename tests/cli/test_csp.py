"""`mkdocs-intercom csp`: Intercom's documented hosts, regional ones only for the region."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mkdocs_intercom.csp import parse
from tests.support.cli import run_cli

REGIONAL_API = {
    "us": "https://api-iam.intercom.io",
    "eu": "https://api-iam.eu.intercom.io",
    "au": "https://api-iam.au.intercom.io",
}
REGIONAL_SOCKET = {
    "us": "wss://nexus-websocket-a.intercom.io",
    "eu": "wss://nexus-europe-websocket.intercom.io",
    "au": "wss://nexus-australia-websocket.intercom.io",
}


def run_csp_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("csp", *args, cwd=cwd, check=True)


def run_csp(*args: str, cwd: Path | None = None) -> tuple[dict[str, list[str]], str]:
    out = run_csp_cli(*args, cwd=cwd).stdout
    header, meta = out.strip().splitlines()
    assert header.startswith("Content-Security-Policy: ")
    return parse(header.removeprefix("Content-Security-Policy: ")), meta


@pytest.mark.parametrize("region", ["us", "eu", "au"])
def test_policy_has_the_regions_hosts_and_no_others(region: str) -> None:
    directives, _ = run_csp(
        "--region", region, "--signer-url", "https://signer.example.com/identity"
    )
    assert {"https://widget.intercom.io", "https://js.intercomcdn.com", "'self'"} <= set(
        directives["script-src"]
    )
    connect = set(directives["connect-src"])
    assert {
        REGIONAL_API[region],
        REGIONAL_SOCKET[region],
        "https://signer.example.com",
        "'self'",
    } <= connect
    for other in REGIONAL_API.keys() - {region}:
        assert REGIONAL_API[other] not in connect
        assert REGIONAL_SOCKET[other] not in connect
    assert REGIONAL_API[region] in directives["form-action"]
    assert directives["object-src"] == ["'none'"]
    assert "*" not in connect


def test_same_origin_signer_needs_only_self() -> None:
    directives, _ = run_csp("--region", "us", "--signer-url", "/api/intercom/identity")
    assert not [s for s in directives["connect-src"] if "api/intercom" in s]


def test_meta_tag_carries_the_same_policy() -> None:
    directives, meta = run_csp("--region", "eu")
    assert meta.startswith('<meta http-equiv="Content-Security-Policy" content="')
    assert parse(meta.split('content="', 1)[1].rstrip('">')) == directives


def test_region_and_signer_come_from_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - intercom:\n      app_id: !ENV [NOT_SET_HERE, abc]\n      region: au\n      signer_url: https://id.example.org/identity\n"
    )
    directives, _ = run_csp(cwd=tmp_path)
    assert REGIONAL_API["au"] in directives["connect-src"]
    assert "https://id.example.org" in directives["connect-src"]


MKDOCS_AU = "site_name: x\nplugins:\n  - intercom:\n      app_id: abc123\n      region: au\n      signer_url: https://id.example.org/identity\n"
MKDOCS_BARE = "site_name: x\nplugins:\n  - intercom:\n      app_id: abc123\n      visitors: true\n"
ZENSICAL_EU = (
    '[project]\nsite_name = "x"\n\n[project.extra.intercom]\napp_id = "abc123"\nregion = "eu"\n'
)


@pytest.mark.parametrize(
    ("files", "args", "basis"),
    [
        (
            {},
            [],
            "no mkdocs.yml or zensical.toml here (-f names one): assumed region us (--region "
            "changes it) and assumed no signer on another origin (--signer-url adds one)",
        ),
        (
            {"mkdocs.yml": MKDOCS_AU},
            [],
            "policy for region au (from mkdocs.yml) and the signer at "
            "https://id.example.org/identity (from mkdocs.yml)",
        ),
        (
            {"mkdocs.yml": MKDOCS_AU},
            ["--region", "eu"],
            "policy for region eu (--region) and the signer at "
            "https://id.example.org/identity (from mkdocs.yml)",
        ),
        (
            {"mkdocs.yml": MKDOCS_BARE},
            [],
            "policy for region us (the default: mkdocs.yml sets none) and no signer (mkdocs.yml "
            "sets no signer_url)",
        ),
        (  # found as `check` finds it when there is no mkdocs.yml
            {"zensical.toml": ZENSICAL_EU},
            [],
            "policy for region eu (from zensical.toml) and no signer (zensical.toml sets no "
            "signer_url)",
        ),
    ],
    ids=["no config file", "mkdocs.yml", "the flag first", "mkdocs.yml silent", "zensical.toml"],
)
def test_one_line_on_stderr_says_where_region_and_signer_came_from(
    files: dict[str, str], args: list[str], basis: str, tmp_path: Path
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = run_csp_cli(*args, cwd=tmp_path)
    assert result.stderr == f"mkdocs-intercom csp: {basis}\n"
    assert len(result.stdout.strip().splitlines()) == 2, "stdout stays the policy alone"


def test_a_region_from_the_built_site_is_used_when_the_config_file_sets_none(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<meta name="mkdocs-intercom" content="{&quot;apiBase&quot;:&quot;https://api-iam.au.intercom.io&quot;}">'
    )
    result = run_csp_cli(cwd=tmp_path)
    assert "region au (from site/index.html)" in result.stderr
    assert REGIONAL_API["au"] in result.stdout
