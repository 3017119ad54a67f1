"""`mkdocs-intercom demo` as a newcomer runs it: a subprocess, driven in Chromium, then checked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mkdocs_intercom.devstack.idp import COOKIE
from tests.browser.conftest import Tab
from tests.support.aws import free_port

SANDBOX_SECRET = "demo-sandbox-secret-for-the-test-0123456789"


class Demo:
    def __init__(self, url: str, build_dir: Path) -> None:
        self.url = url
        self.build_dir = build_dir

    def calls(self) -> list[dict[str, object]]:
        return httpx.get(f"{self.url}sandbox/calls").json()  # type: ignore[no-any-return]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    env = {**os.environ, "MKDOCS_INTERCOM_SANDBOX_SECRET": SANDBOX_SECRET}
    env.pop("INTERCOM_APP_ID", None)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs_intercom.cli",
            "demo",
            "--port",
            str(port),
            "--build-dir",
            str(tmp_path / "demo"),
            "--load",
            "eager",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    banner: list[str] = []
    while not banner or "Ctrl-C" not in banner[-1]:
        line = process.stdout.readline()
        assert line, f"the demo stopped: {''.join(banner)}"
        banner.append(line)
    match = re.search(r"demo on (http://127\.0\.0\.1:\d+/)", banner[0])
    assert match, banner
    assert any("Alice" in line for line in banner)
    drain = threading.Thread(target=process.stdout.read, daemon=True)  # keep the pipe from filling
    drain.start()
    yield Demo(match.group(1), tmp_path / "demo")
    process.terminate()
    process.wait(timeout=10)
    drain.join(timeout=5)
    process.stdout.close()
    assert process.returncode in (0, -15)


def sign_in(tab: Tab, demo: Demo, who: str) -> None:
    tab.page.click("text=Sign in as a sample reader")
    tab.page.click(f"button[value='{who}']")
    tab.page.wait_for_url(demo.url)


def test_a_reader_signs_in_opens_the_messenger_signs_out_and_another_signs_in(
    demo: Demo, tab: Tab
) -> None:
    tab.page.goto(demo.url)
    assert tab.ready_state()["mode"] == "none"
    sign_in(tab, demo, "alice")
    assert tab.ready_state()["userId"] == "alice"
    tab.page.click("#intercom-sandbox-launcher")
    panel = tab.page.locator("#intercom-sandbox-panel")
    assert "Verified: Alice Ångström (user_id alice) ✓" in panel.inner_text()

    tab.page.click("text=Sign out")
    tab.page.wait_for_url(demo.url)
    assert tab.ready_state()["mode"] == "none"
    assert tab.page.locator("#intercom-sandbox-launcher").count() == 0
    commands = [c["command"] for c in demo.calls()]
    assert commands[0] == "boot"
    assert commands[-1] == "shutdown", commands

    sign_in(tab, demo, "1001")
    assert tab.ready_state()["userId"] == "1001"
    tab.page.click("#intercom-sandbox-launcher")
    assert "Verified: Bob Builder (user_id 1001) ✓" in panel.inner_text()
    assert (
        "alice"
        not in tab.page.evaluate(
            "() => JSON.stringify(sessionStorage) + document.body.innerText"
        ).lower()
    )
    boots = [c for c in demo.calls() if c["command"] == "boot"]
    assert [b["args"]["user_id"] for b in boots] == ["alice", "1001"]  # type: ignore[index]
    assert all(b["verified"] is True for b in boots)
    assert tab.errors == []

    # And the checklist against the running demo, with Bob's login cookie.
    token = next(c["value"] for c in tab.page.context.cookies() if c["name"] == COOKIE)
    env = {**os.environ, "DEMO_SECRET": SANDBOX_SECRET}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs_intercom.cli",
            "check",
            "--site",
            str(demo.build_dir / "site"),
            "-f",
            str(demo.build_dir / "mkdocs.yml"),
            "--url",
            demo.url,
            "--token",
            token,
            "--token-from",
            f"cookie:{COOKIE}",
            "--secret-env",
            "DEMO_SECRET",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "✗" not in result.stdout
    assert "✓ user_hash verifies for '1001'" in result.stdout
    assert result.stdout.strip().endswith("all checks passed")
