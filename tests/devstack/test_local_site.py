"""`mkdocs-intercom serve`: a team's own site, as they build it (MkDocs, or Zensical after
`mkdocs-intercom setup`), served with the development identity provider, the real signer and
the sandbox Messenger on one origin. A sample reader signs in through the page's own sign-in
bar and gets a verified Messenger; signing out shuts it down. Driven in Chromium."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import Tab, tab
from tests.support.aws import free_port

__all__ = ["tab"]  # the browser suite's fixture, on the run's one Chromium

pytestmark = pytest.mark.browser

CLI = (sys.executable, "-m", "mkdocs_intercom.cli")
# The team's production settings: a signer on their docs domain, Intercom's real widget.
PRODUCTION = {
    "app_id": "!ENV INTERCOM_APP_ID",
    "signer_url": "https://docs.example.com/api/intercom/identity",
    "verification": "hmac",
    "load": "eager",
}
PAGES = {
    "index.md": "# Acme docs\n\nRead the [setup guide](setup.md).\n",
    "setup.md": "# Setup guide\n\nStep one.\n",
}


def options_yaml(indent: str) -> str:
    return "".join(f"{indent}{key}: {value}\n" for key, value in PRODUCTION.items())


def project(folder: Path, generator: str) -> Path:
    """A small material site with instant navigation, as the team keeps it."""
    (folder / "docs").mkdir(parents=True)
    for name, text in PAGES.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    head = "site_name: Acme docs\ntheme:\n  name: material\n  features: [navigation.instant]\n"
    if generator == "mkdocs":
        config = head + "plugins:\n  - search\n  - intercom:\n" + options_yaml(" " * 6)
    else:
        config = head + "extra:\n  intercom:\n" + options_yaml(" " * 4)
    path = folder / "mkdocs.yml"
    path.write_text(config, encoding="utf-8")
    if generator == "zensical":
        setup = subprocess.run(
            [*CLI, "setup"], cwd=folder, env={**os.environ, "INTERCOM_APP_ID": "abc12345"},
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert setup.returncode == 0, setup.stdout + setup.stderr
    return path


@dataclass
class Served:
    url: str
    banner: str
    folder: Path
    env: dict[str, str]
    output: list[str]  # every line printed after the banner
    printed: threading.Condition

    def wait_for_line(self, fragment: str, after: int) -> str:
        """The first line from line number `after` on that holds `fragment`, once printed."""
        with self.printed:
            self.printed.wait_for(
                lambda: any(fragment in line for line in self.output[after:]), timeout=120
            )
            found = [line for line in self.output[after:] if fragment in line]
        assert found, "".join(self.output)
        return found[0]


@pytest.fixture(params=["mkdocs", "zensical"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    folder = tmp_path / "acme-docs"
    project(folder, request.param)
    env = {k: v for k, v in os.environ.items() if k != "INTERCOM_SECRET"}
    env["INTERCOM_APP_ID"] = "abc12345"  # exported as the quick start says; the sandbox's wins here
    env["MKDOCS_INTERCOM_RUNTIME_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(free_port())],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    lines: list[str] = []
    while not lines or "Ctrl-C" not in lines[-1]:
        line = process.stdout.readline()
        assert line, "serve stopped: " + "".join(lines)
        lines.append(line)
    output: list[str] = []
    printed = threading.Condition()

    def collect() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with printed:
                output.append(line)
                printed.notify_all()

    drain = threading.Thread(target=collect, daemon=True)
    drain.start()
    url = re.search(r" on (http://127\.0\.0\.1:\d+/)", lines[0])
    assert url, lines[0]
    try:
        yield Served(url.group(1), "".join(lines), folder, env, output, printed)
    finally:
        process.terminate()
        process.wait(timeout=30)
        drain.join(timeout=5)
        process.stdout.close()


def test_the_banner_names_the_site_its_generator_and_the_sample_readers(served: Served) -> None:
    first = served.banner.splitlines()[0]
    assert first.startswith("mkdocs-intercom serve: Acme docs (mkdocs.yml, built with ")
    assert "Alice Ångström (user id alice" in served.banner
    assert f"signer: {served.url}api/intercom/identity" in served.banner
    assert "verification: hmac" in served.banner, "the site's own verification"


def test_a_sample_reader_signs_in_on_the_teams_own_site_and_gets_a_verified_messenger(
    served: Served, tab: Tab
) -> None:
    page = tab.page
    page.goto(served.url)
    bar = page.locator("#mkdocs-intercom-session")
    page.wait_for_selector("#mkdocs-intercom-session[data-state=signed-out]")
    assert "Signed out" in bar.inner_text()
    assert page.locator("#intercom-sandbox-launcher").count() == 0

    page.click("text=Sign in as a sample reader")
    page.click("button[value=alice]")
    page.wait_for_url(served.url)
    page.wait_for_selector("#mkdocs-intercom-session[data-state=signed-in]")
    assert "Signed in as Alice Ångström" in bar.inner_text()
    page.wait_for_function("() => window.__intercomSandbox && window.__intercomSandbox.booted")
    page.click("#intercom-sandbox-launcher")
    panel = page.locator("#intercom-sandbox-panel")
    panel.wait_for()
    text = panel.inner_text()
    assert "✓ Verified: Alice Ångström (user_id alice)" in text
    assert "user_hash" in text, "the site's verification: hmac"

    # The site's own page, through instant navigation, keeps the bar and the Messenger.
    page.click("article a:text-is('setup guide')")
    page.wait_for_url(f"{served.url}setup/")
    assert "Signed in as Alice Ångström" in bar.inner_text()

    page.click("#mkdocs-intercom-session >> text=Sign out")
    page.wait_for_selector("#mkdocs-intercom-session[data-state=signed-out]")
    assert page.locator("#intercom-sandbox-launcher").count() == 0
    assert tab.errors == []


def page_settings(page: str) -> dict[str, object]:
    found = re.search(r"""<meta name="mkdocs-intercom" content=(["'])(.*?)\1>""", page, re.S)
    assert found, page
    settings: dict[str, object] = json.loads(html.unescape(found.group(2)))
    return settings


def test_the_pages_ask_the_local_signer_and_the_sandbox_not_production(served: Served) -> None:
    with httpx.Client(base_url=served.url, timeout=15) as client:
        settings = page_settings(client.get("/setup/").text)
        assert client.get("/api/intercom/identity").status_code == 401
        client.post("/idp/login", data={"sub": "1001"})
        identity = client.get("/api/intercom/identity").json()
    assert settings["signerUrl"] == "/api/intercom/identity"
    assert settings["widgetUrl"] == f"{served.url}sandbox/widget/sandbox"
    assert (settings["verification"], settings["load"]) == ("hmac", "eager"), "the site's own"
    assert identity["user_id"] == "1001"
    assert "user_hash" in identity
    built = served.folder / "site"
    assert not (built / "_mkdocs-intercom").exists(), "the team's own build is left as it was"


def test_the_check_the_banner_prints_passes_from_another_folder(
    served: Served, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    assert "check it, in another terminal: " in served.banner
    result = subprocess.run(
        [*CLI, "serve", "--check"], cwd=elsewhere, env=served.env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the signer at /api/intercom/identity" in result.stdout, "read from the served pages"
    assert "✓ user_hash verifies for 'alice'" in result.stdout
    assert result.stdout.strip().endswith("all checks passed")


def test_an_edited_page_is_served_rebuilt_with_the_local_settings(served: Served) -> None:
    before = len(served.output)
    page = served.folder / "docs" / "setup.md"
    page.write_text("# Setup guide\n\nStep one, edited.\n", encoding="utf-8")
    assert "rebuilt after a change" in served.wait_for_line("rebuilt", before)
    text = httpx.get(f"{served.url}setup/", timeout=15).text
    assert "Step one, edited." in text
    assert page_settings(text)["signerUrl"] == "/api/intercom/identity"
    assert 'src="/_mkdocs-intercom/session-bar.js"' in text


def test_a_broken_edit_keeps_the_last_build_served_and_says_why(served: Served) -> None:
    before = len(served.output)
    config = served.folder / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "nav: [\n", encoding="utf-8")
    line = served.wait_for_line("rebuild", before)
    assert line.strip().startswith("rebuild failed, still serving the last build:"), line
    assert httpx.get(f"{served.url}setup/", timeout=15).status_code == 200
