"""`mkdocs-intercom check`: all ✓ on a good deployment; on a broken one, exactly its ✗ lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_intercom import __version__, csp
from mkdocs_intercom.cli import main
from mkdocs_intercom.devstack.idp import COOKIE
from tests.support.checklist import Checklist, run_check
from tests.support.signer import SECRET
from tests.support.stack import Deployment, RewriteHeaders

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
    assert (checked.code, checked.failed) == (0, [])
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
        "user_hash verifies for 'alice'",
        "Cache-Control: no-store on every answer",
        "the site's CSP lets in Intercom (us) and the signer",
    ]


def test_jwt_verification_is_checked_too(deploy: Deploy) -> None:
    checked = check_deployment(deploy(cross_origin=True, plugin={"verification": "jwt"}))
    assert (checked.code, checked.failed) == (0, [])
    assert "intercom_user_jwt verifies for 'alice'" in checked.passed


def test_a_signature_made_with_another_secret_fails(
    deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHECK_SECRET_ENV, "another-workspace-secret-0123456789abcdef")
    checked = check_deployment(deploy(cross_origin=True))
    assert checked.code == 1
    assert checked.failed == ["user_hash does not verify for 'alice'"]


def test_a_signer_granting_any_origin_fails_twice(deploy: Deploy) -> None:
    site = deploy(
        cross_origin=True,
        wrap_signer=lambda app: RewriteHeaders(app, {"Access-Control-Allow-Origin": "*"}),
    )
    checked = check_deployment(site)
    assert checked.code == 1
    assert checked.failed == [
        "the signer answers Access-Control-Allow-Origin: *",
        "a foreign origin got 403 with Access-Control-Allow-Origin: *",
    ]


def test_a_cacheable_answer_fails(deploy: Deploy) -> None:
    site = deploy(
        cross_origin=True,
        wrap_signer=lambda app: RewriteHeaders(app, {"Cache-Control": "public, max-age=300"}),
    )
    checked = check_deployment(site)
    assert checked.code == 1
    assert checked.failed == ["an answer may be cached (Cache-Control is not no-store)"]


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
