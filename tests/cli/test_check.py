"""`mkdocs-intercom check`: all ✓ on a good deployment; on a broken one, exactly its ✗ lines;
behind each deploy recipe's front door, its own check line passes, and says who refused."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mkdocs_intercom import __version__, check, csp
from mkdocs_intercom.cli import main
from mkdocs_intercom.devstack.idp import COOKIE
from mkdocs_intercom.devstack.server import LoopbackServer
from tests.support.checklist import Checklist, run_check
from tests.support.frontdoors import (
    ACCESS_TEAM,
    ALB_SESSION_COOKIE,
    FrontDoor,
    JwtAuthorizer,
    alb,
    cloudflare_access,
    cloudfront_edge,
    open_door,
)
from tests.support.signer import SECRET
from tests.support.stack import Deployment, RewriteHeaders
from tests.support.terminal import type_into_terminal

Deploy = Callable[..., Deployment]
CHECK_SECRET_ENV = "CHECK_TEST_INTERCOM_SECRET"  # a variable name


def check_deployment(site: Deployment, *extra: str) -> Checklist:
    token = site.issuer.mint({"sub": "alice", "email_verified": True})
    return run_check(
        "--site",
        str(site.site),
        "-f",
        str(site.site.parent / "mkdocs.yml"),
        "--url",
        site.url + "/",
        "--signer",
        site.signer_url,
        "--token",
        token,
        "--token-from",
        f"cookie:{COOKIE}",
        "--secret-env",
        CHECK_SECRET_ENV,
        *extra,
    )


@pytest.fixture(autouse=True)
def the_right_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHECK_SECRET_ENV, SECRET)


def good_csp(site: Deployment) -> str:
    return csp.render(csp.policy("us", site.signer_url))


def test_good_cross_origin_deployment_passes_every_check(deploy: Deploy) -> None:
    site = deploy(cross_origin=True, csp=good_csp)
    checked = check_deployment(site)
    assert (checked.code, checked.failed, checked.fixes) == (0, [], []), checked
    assert checked.passed == [
        "the options in mkdocs.yml (plugins.intercom) pass the plugin's rules",
        "the loader is on 2 of 4 pages (not on: opt-out/index.html, private/notes/index.html)",
        f"the site's loader is the one mkdocs-intercom {__version__} ships",
        "excluded pages (private/*) carry no Messenger",
        f"the secret in ${CHECK_SECRET_ENV} appears nowhere in {site.site}",
        f"the signer answers at {site.signer_url}",
        "401 without a credential",
        f"CORS grants exactly {site.url}, with credentials",
        "a foreign origin is refused (403, no CORS grant)",
        "the signer vouches for user_id 'alice'",
        "intercom_user_jwt verifies for 'alice'",
        "Cache-Control: no-store on every answer",
        "the site's CSP lets in Intercom (us) and the signer",
    ]


def test_one_request_checks_a_deployment_with_no_environment_and_no_argv(
    deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `demo --check` does: the secret and the token handed over in a CheckRequest."""
    site = deploy(cross_origin=True, csp=good_csp)
    monkeypatch.delenv(CHECK_SECRET_ENV)
    environment = dict(os.environ)
    printed = io.StringIO()
    request = check.CheckRequest(
        site=site.site,
        config_file=site.site.parent / "mkdocs.yml",
        url=site.url + "/",
        signer=site.signer_url,
        credential=check.Credential(
            site.issuer.mint({"sub": "alice", "email_verified": True}), f"cookie:{COOKIE}"
        ),
        secret=SECRET,
        secret_source="handed over",
    )
    assert check.run(request, printed) == 0, printed.getvalue()
    lines = printed.getvalue().splitlines()
    assert lines[-1] == "all checks passed"
    assert f"✓ the secret handed over appears nowhere in {site.site}" in lines
    assert "✓ intercom_user_jwt verifies for 'alice'" in lines
    assert dict(os.environ) == environment, "nothing written to the environment"


def test_a_single_exclude_glob_written_as_a_string_is_checked_like_a_list(
    deploy: Deploy,
) -> None:
    """The plugin takes `exclude: private/*` as one glob; check reads the options the same way."""
    checked = check_deployment(deploy(cross_origin=True, plugin={"exclude": "private/*"}))
    assert "excluded pages (private/*) carry no Messenger" in checked.passed
    assert checked.failed == [], checked


def test_hmac_verification_is_checked_too(deploy: Deploy) -> None:
    checked = check_deployment(deploy(cross_origin=True, plugin={"verification": "hmac"}))
    assert (checked.code, checked.failed, checked.fixes) == (0, [], []), checked
    assert "user_hash verifies for 'alice'" in checked.passed


def test_a_signature_made_with_another_secret_fails(
    deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHECK_SECRET_ENV, "another-workspace-secret-0123456789abcdef")
    checked = check_deployment(deploy(cross_origin=True))
    assert checked.code == 1
    assert checked.failed == ["intercom_user_jwt does not verify for 'alice'"]


@pytest.mark.parametrize(
    ("headers", "failed"),
    [
        (
            {"Access-Control-Allow-Origin": "*"},
            [
                "the signer answers Access-Control-Allow-Origin: *",
                "a foreign origin got 403 with Access-Control-Allow-Origin: *",
            ],
        ),
        (
            {"Cache-Control": "public, max-age=300"},
            ["an answer may be cached (Cache-Control is not no-store)"],
        ),
    ],
    ids=["granting any origin", "cacheable"],
)
def test_a_signer_answering_with_unsafe_headers_fails_every_check_they_break(
    headers: dict[str, str], failed: list[str], deploy: Deploy
) -> None:
    site = deploy(cross_origin=True, wrap_signer=lambda app: RewriteHeaders(app, headers))
    checked = check_deployment(site)
    assert checked.code == 1
    assert checked.failed == failed


def test_a_secret_planted_in_the_site_is_found(deploy: Deploy) -> None:
    site = deploy(cross_origin=True)
    (site.site / "assets" / "config.js").write_text(f'window.INTERCOM_SECRET = "{SECRET}";')
    checked = check_deployment(site)
    assert checked.code == 1
    assert checked.failed == [f"the secret in ${CHECK_SECRET_ENV} is in the site: assets/config.js"]


def test_a_csp_without_intercoms_hosts_names_what_it_blocks(deploy: Deploy) -> None:
    site = deploy(cross_origin=True, csp=lambda s: "default-src 'self'; script-src 'self'")
    checked = check_deployment(site)
    assert checked.code == 1
    assert checked.failed == [
        "the site's CSP blocks script-src https://widget.intercom.io, script-src https://js.intercomcdn.com, "
        f"connect-src https://api.intercom.io, connect-src https://api-iam.intercom.io, connect-src {site.signer_origin}"
    ]


def test_plugin_and_signer_disagreeing_on_verification_names_both_settings(deploy: Deploy) -> None:
    site = deploy(cross_origin=True, plugin={"verification": "jwt"}, output="hmac")
    checked = check_deployment(site)
    assert checked.code == 1
    assert checked.failed == [
        "the site boots with verification: jwt but the signer returns no intercom_user_jwt"
    ]
    assert checked.fixes == [
        "make them agree: the signer's SIGNER_OUTPUT=jwt (or both), "
        "or the plugin's `verification: hmac` (in the intercom options)"
    ]


def test_no_site_no_signer_nothing_to_fail(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert "- site folder not checked" in capsys.readouterr().out


# -- behind a front door: each deploy recipe's own check line ------------------------------


@pytest.fixture
def front_door() -> Iterator[Callable[..., tuple[LoopbackServer, FrontDoor]]]:
    opened: list[LoopbackServer] = []

    def start(rule: Any, **kwargs: Any) -> tuple[LoopbackServer, FrontDoor]:
        server, door = open_door(rule, **kwargs)
        opened.append(server)
        return server, door

    yield start
    for server in opened:
        server.stop()


def reader_token(site: Deployment) -> str:
    return site.issuer.mint({"sub": "alice", "email_verified": True})


def recipe_check(
    site: Deployment, monkeypatch: pytest.MonkeyPatch, token_env: str, *argv: str
) -> Checklist:
    """The recipe's line, run where the operator runs it: in the docs project."""
    monkeypatch.chdir(site.site.parent)
    monkeypatch.setenv(token_env, reader_token(site))
    return run_check(*argv, "--token-env", token_env, "--secret-env", CHECK_SECRET_ENV)


def passes_saying(checked: Checklist, *lines: str) -> None:
    """Nothing failed, and these lines are among the ✓ ones."""
    assert (checked.code, checked.failed, checked.fixes) == (0, [], []), checked
    assert set(lines) <= set(checked.passed), sorted(set(lines) - set(checked.passed))


def access_login(server_url: str) -> str:
    return f"{ACCESS_TEAM}/cdn-cgi/access/login/{server_url.removeprefix('http://')}"


# Front doors on the site's own origin: (its rule, where the signer reads the login behind it,
# the cookie the reader's request carries, what `check` says of it beyond the common lines).
SAME_ORIGIN_RECIPES = {
    "alb": (
        alb,
        "header:x-amzn-oidc-data",
        f"cookie:{ALB_SESSION_COOKIE}",
        lambda url: {
            "refused without a credential, by the front door: 401 (text/html)",
            "intercom_user_jwt verifies for 'alice'",
            "Cache-Control: no-store on every answer of the signer",
        },
    ),
    "cloudflare access": (
        cloudflare_access,
        "header:Cf-Access-Jwt-Assertion",
        "cookie:CF_Authorization",
        lambda url: {
            f"refused without a credential, by the front door: 302 to {access_login(url)}",
            "Cache-Control: no-store on every answer of the signer",
        },
    ),
    "cloudfront": (
        cloudfront_edge,
        "cookie:ID-TOKEN",
        "cookie:ID-TOKEN",
        lambda url: {"401 without a credential", "Cache-Control: no-store on every answer"},
    ),
}


@pytest.mark.parametrize(
    ("rule", "signer_reads", "reader_sends", "said"),
    list(SAME_ORIGIN_RECIPES.values()),
    ids=list(SAME_ORIGIN_RECIPES),
)
def test_a_same_origin_recipe_passes_and_names_who_refused(
    rule: Any,
    signer_reads: str,
    reader_sends: str,
    said: Callable[[str], set[str]],
    deploy: Deploy,
    front_door: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, door = front_door(rule)
    site = deploy(token_from=signer_reads, csp=good_csp)
    door.upstream = site.url
    checked = recipe_check(
        site, monkeypatch, "READER_TOKEN", "--url", f"{server.url}/", "--token-from", reader_sends
    )
    passes_saying(
        checked,
        f"the signer answers at {server.url}/api/intercom/identity",
        "the signer vouches for user_id 'alice'",
        "the site's CSP lets in Intercom (us) and the signer",
        *said(server.url),
    )


def test_the_jwt_authorizer_recipe_passes_with_api_gateways_own_401(
    deploy: Deploy, front_door: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    authorizer = JwtAuthorizer(allowed_origins=[])
    server, door = front_door(authorizer.rule, answer_headers=authorizer.answer_headers)
    site = deploy(
        cross_origin=True,
        token_from="authorization",
        signer_url=f"{server.url}/identity",
        plugin={"verification": "jwt"},
        csp=good_csp,
    )
    door.upstream = site.signer_origin
    authorizer.allowed_origins.append(site.url)
    checked = recipe_check(
        site, monkeypatch, "ID_TOKEN", "--url", f"{site.url}/", "--signer", f"{server.url}/identity"
    )
    passes_saying(
        checked,
        f"the signer answers at {server.url}/identity",
        'refused without a credential, by the front door: 401 {"message":"Unauthorized"}',
        f"CORS grants exactly {site.url}, with credentials",
        'a foreign origin is refused by the front door (401 {"message":"Unauthorized"}, no CORS grant)',
        "intercom_user_jwt verifies for 'alice'",
        "Cache-Control: no-store on every answer of the signer",
        "the site's CSP lets in Intercom (us) and the signer",
    )


def test_a_token_the_front_door_does_not_take_is_named_as_its_refusal(
    deploy: Deploy, front_door: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, door = front_door(cloudflare_access)
    site = deploy(token_from="header:Cf-Access-Jwt-Assertion")
    door.upstream = site.url
    checked = recipe_check(
        site, monkeypatch, "CF_TOKEN",
        "--url", f"{server.url}/", "--token-from", "cookie:CF_Authorisation",  # a typo
    )  # fmt: skip
    login = access_login(server.url)
    assert checked.code == 1
    assert checked.failed == [
        f"with the login token the front door refused the request (302 to {login}): the signer never saw it"
    ]


def test_a_login_page_is_never_read_as_the_sites_policy(
    deploy: Deploy,
    front_door: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, door = front_door(cloudflare_access)
    site = deploy(token_from="header:Cf-Access-Jwt-Assertion")
    door.upstream = site.url
    monkeypatch.chdir(site.site.parent)
    assert main(["check", "--url", f"{server.url}/"]) == 0
    login = access_login(server.url)
    out = capsys.readouterr().out
    assert (
        f"- CSP not checked: {server.url}/ answered 302 to {login}, not the site's page: "
        "pass --token-env with a login the front door accepts"
    ) in out.splitlines()


# -- the secret, kept out of the shell's history ---------------------------------------------


def test_the_secret_can_come_through_a_pipe(
    deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CHECK_SECRET_ENV)
    site = deploy(cross_origin=True)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{SECRET}\n"))  # a pipe: no terminal
    checked = check_deployment(site, "--secret-stdin")
    assert (checked.code, checked.failed, checked.fixes) == (0, [], []), checked
    assert "intercom_user_jwt verifies for 'alice'" in checked.passed
    assert f"the secret from standard input appears nowhere in {site.site}" in checked.passed


def test_an_empty_secret_on_standard_input_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["check", "--secret-stdin"]) == 2
    assert capsys.readouterr().err == (
        "mkdocs-intercom check: --secret-stdin: nothing read from standard input\n"
    )


def test_on_a_terminal_the_secret_is_asked_for_and_never_shown(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f"<p>{SECRET}</p>")
    shown = type_into_terminal(
        [
            sys.executable,
            "-m",
            "mkdocs_intercom.cli",
            "check",
            "--site",
            str(site),
            "--secret-stdin",
        ],
        prompt=b"Intercom secret (not shown): ",
        typed=SECRET,
        cwd=tmp_path,
    )
    assert SECRET not in shown
    assert "✗ the secret from standard input is in the site: index.html" in shown.splitlines()
