"""`mkdocs-intercom check`: all ✓ on a good deployment; on a broken one, exactly its ✗ lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mkdocs_intercom import csp
from mkdocs_intercom.cli import main
from mkdocs_intercom.devstack.idp import COOKIE
from tests.support.signer import SECRET
from tests.support.stack import Deployment, RewriteHeaders

Deploy = Callable[..., Deployment]
CHECK_SECRET_ENV = "CHECK_TEST_INTERCOM_SECRET"  # a variable name


def run_check(
    site: Deployment, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, list[str], list[str]]:
    token = site.issuer.mint({"sub": "alice", "email_verified": True})
    code = main(
        [
            "check",
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
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    return (
        code,
        [line[2:] for line in lines if line.startswith("✓ ")],
        [line[2:] for line in lines if line.startswith("✗ ")],
    )


@pytest.fixture(autouse=True)
def the_right_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHECK_SECRET_ENV, SECRET)


def good_csp(site: Deployment) -> str:
    return csp.render(csp.policy("us", site.signer_url))


def test_good_cross_origin_deployment_passes_every_check(
    deploy: Deploy, capsys: pytest.CaptureFixture[str]
) -> None:
    site = deploy(cross_origin=True, csp=good_csp)
    code, passed, failed = run_check(site, capsys)
    assert (code, failed) == (0, [])
    assert passed == [
        "the loader is on 2 of 4 pages (not on: opt-out/index.html, private/notes/index.html)",
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


def test_hmac_verification_is_checked_too(
    deploy: Deploy, capsys: pytest.CaptureFixture[str]
) -> None:
    code, passed, failed = run_check(
        deploy(cross_origin=True, plugin={"verification": "hmac"}), capsys
    )
    assert (code, failed) == (0, [])
    assert "user_hash verifies for 'alice'" in passed


def test_wrong_secret(
    deploy: Deploy, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHECK_SECRET_ENV, "another-workspace-secret-0123456789abcdef")
    code, _, failed = run_check(deploy(cross_origin=True), capsys)
    assert code == 1
    assert failed == ["intercom_user_jwt does not verify for 'alice'"]


def test_signer_answering_star_with_credentials(
    deploy: Deploy, capsys: pytest.CaptureFixture[str]
) -> None:
    site = deploy(
        cross_origin=True,
        wrap_signer=lambda app: RewriteHeaders(app, {"Access-Control-Allow-Origin": "*"}),
    )
    code, _, failed = run_check(site, capsys)
    assert code == 1
    assert failed == [
        "the signer answers Access-Control-Allow-Origin: *",
        "a foreign origin got 403 with Access-Control-Allow-Origin: *",
    ]


def test_cacheable_answer(deploy: Deploy, capsys: pytest.CaptureFixture[str]) -> None:
    site = deploy(
        cross_origin=True,
        wrap_signer=lambda app: RewriteHeaders(app, {"Cache-Control": "public, max-age=300"}),
    )
    code, _, failed = run_check(site, capsys)
    assert code == 1
    assert failed == ["an answer may be cached (Cache-Control is not no-store)"]


def test_secret_planted_in_the_site(deploy: Deploy, capsys: pytest.CaptureFixture[str]) -> None:
    site = deploy(cross_origin=True)
    (site.site / "assets" / "config.js").write_text(f'window.INTERCOM_SECRET = "{SECRET}";')
    code, _, failed = run_check(site, capsys)
    assert code == 1
    assert failed == [f"the secret in ${CHECK_SECRET_ENV} is in the site: assets/config.js"]


def test_csp_without_intercoms_hosts(deploy: Deploy, capsys: pytest.CaptureFixture[str]) -> None:
    site = deploy(cross_origin=True, csp=lambda s: "default-src 'self'; script-src 'self'")
    code, _, failed = run_check(site, capsys)
    assert code == 1
    assert failed == [
        "the site's CSP blocks script-src https://widget.intercom.io, script-src https://js.intercomcdn.com, "
        f"connect-src https://api.intercom.io, connect-src https://api-iam.intercom.io, connect-src {site.signer_origin}"
    ]


def test_verification_mode_the_signer_does_not_serve(
    deploy: Deploy, capsys: pytest.CaptureFixture[str]
) -> None:
    site = deploy(cross_origin=True, plugin={"verification": "jwt"}, output="hmac")
    code, _, failed = run_check(site, capsys)
    assert code == 1
    assert failed == [
        "the site boots with verification: jwt but the signer returns no intercom_user_jwt"
    ]


def test_no_site_no_signer_nothing_to_fail(
    capsys: pytest.CaptureFixture[str], tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    assert main(["check"]) == 0
    assert "- site folder not checked" in capsys.readouterr().out
