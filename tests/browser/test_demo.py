"""`mkdocs-intercom demo` as a newcomer runs it: a subprocess, driven in Chromium, then checked."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from playwright.sync_api import Page

from mkdocs_intercom.devstack.demo import STATE_FILE
from tests.browser.conftest import Tab
from tests.support.aws import free_port

ROOT = Path(__file__).resolve().parents[2]
SANDBOX_SECRET = "demo-sandbox-secret-for-the-test-0123456789"  # test-only
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_2_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class Demo:
    def __init__(self, process: subprocess.Popen[str], banner: list[str], build_dir: Path) -> None:
        self.process = process
        self.banner = banner
        self.build_dir = build_dir
        match = re.search(r"demo on (http://127\.0\.0\.1:\d+/)", banner[0])
        assert match, banner
        self.url = match.group(1)
        command = next(line for line in banner if "check it, in another terminal:" in line)
        self.check_command = command.split("check it, in another terminal:", 1)[1].strip()
        self._drain = threading.Thread(target=process.stdout.read, daemon=True)  # type: ignore[union-attr]
        self._drain.start()  # keep the pipe from filling

    def calls(self) -> list[dict[str, Any]]:
        return httpx.get(f"{self.url}sandbox/calls").json()  # type: ignore[no-any-return]

    def clear_calls(self) -> None:
        httpx.delete(f"{self.url}sandbox/calls")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self._drain.join(timeout=5)
        assert self.process.stdout is not None
        self.process.stdout.close()
        assert self.process.returncode in (0, -15)


def start_demo(
    build_dir: Path,
    *args: str,
    cwd: Path = ROOT,
    program: tuple[str, ...] = (sys.executable, "-m", "mkdocs_intercom.cli"),
    **env: str,
) -> Demo:
    """The demo as `mkdocs-intercom demo` starts it, once its banner is printed (it serves then)."""
    environment = {**os.environ, "MKDOCS_INTERCOM_SANDBOX_SECRET": SANDBOX_SECRET, **env}
    for name in ("INTERCOM_APP_ID", "INTERCOM_SECRET", "MAKELEVEL"):
        if name not in env:
            environment.pop(name, None)
    process = subprocess.Popen(
        [*program, "demo", "--port", str(free_port()), *args],
        env=environment,
        cwd=cwd,
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
    return Demo(process, banner, build_dir)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    build_dir = tmp_path_factory.mktemp("demo")
    started = start_demo(build_dir, "--build-dir", str(build_dir), "--load", "eager")
    yield started
    started.stop()
    assert not (build_dir / STATE_FILE).exists(), "the check's file goes with the demo"


def sign_in(tab: Tab, demo: Demo, who: str) -> None:
    tab.page.click("text=Sign in as a sample reader")
    tab.page.click(f"button[value='{who}']")
    tab.page.wait_for_url(demo.url)
    tab.page.wait_for_selector("[data-demo-session][data-state=signed-in]")


def go_to_another_page(tab: Tab) -> None:
    """Follow the home page's link, through instant navigation, until the new page is drawn."""
    tab.page.click("article a[href$='guide/']")
    tab.page.wait_for_selector("h1:has-text('Another page')")


def open_messenger(tab: Tab) -> None:
    tab.page.wait_for_function("() => window.__intercomSandbox && window.__intercomSandbox.booted")
    tab.page.click("#intercom-sandbox-launcher")
    tab.page.wait_for_selector("#intercom-sandbox-panel:not([hidden])")


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2 A and AA rules, run in the page: one line per violated rule."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: `make node` installs it into tests/node/node_modules")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_2_A_AA
    )
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']]} {v['nodes'][0]['failureSummary']}"
        for v in result["violations"]
    ]


def test_a_reader_signs_in_opens_the_messenger_signs_out_and_another_signs_in(
    demo: Demo, tab: Tab
) -> None:
    demo.clear_calls()
    tab.page.goto(demo.url)
    assert tab.ready_state()["mode"] == "none"
    sign_in(tab, demo, "alice")
    assert tab.ready_state()["userId"] == "alice"
    open_messenger(tab)
    panel = tab.page.locator("#intercom-sandbox-panel")
    assert "✓ Verified: Alice Ångström (user_id alice)" in panel.inner_text()

    tab.page.click("text=Sign out")
    tab.page.wait_for_url(demo.url)
    assert tab.ready_state()["mode"] == "none"
    assert tab.page.locator("#intercom-sandbox-launcher").count() == 0
    commands = [c["command"] for c in demo.calls()]
    assert commands[0] == "boot"
    assert commands[-1] == "shutdown", commands

    sign_in(tab, demo, "1001")
    assert tab.ready_state()["userId"] == "1001"
    open_messenger(tab)
    assert "✓ Verified: Bob Builder (user_id 1001)" in panel.inner_text()
    assert (
        "alice"
        not in tab.page.evaluate(
            "() => JSON.stringify(sessionStorage) + document.body.innerText"
        ).lower()
    )
    boots = [c for c in demo.calls() if c["command"] == "boot" and c["user"]]
    assert [b["user"] for b in boots] == ["alice", "1001"]
    assert all(b["verified"] is True and b["method"] == "jwt" for b in boots)
    assert tab.errors == []


def test_the_check_the_banner_prints_passes_every_line_as_typed(demo: Demo) -> None:
    """One command, with no token or secret on its command line: the demo provides both."""
    assert SANDBOX_SECRET not in demo.check_command
    environment = {k: v for k, v in os.environ.items() if k != "MKDOCS_INTERCOM_SANDBOX_SECRET"}
    result = subprocess.run(
        shlex.split(demo.check_command),
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line[:2] in ("✓ ", "✗ ", "- ")]
    assert not [line for line in lines if line.startswith("✗")], result.stdout
    assert "✓ the signer vouches for user_id 'alice'" in lines
    assert "✓ intercom_user_jwt verifies for 'alice'" in lines
    assert result.stdout.strip().endswith("all checks passed")
    site = demo.build_dir / "site"
    assert not [
        p for p in site.rglob("*") if p.is_file() and SANDBOX_SECRET.encode() in p.read_bytes()
    ]
    state = demo.build_dir / STATE_FILE
    assert site not in state.parents
    assert stat.S_IMODE(state.stat().st_mode) == 0o600, "only the demo's user reads the secret"


SCRIPT = Path(sys.executable).parent / "mkdocs-intercom"
PATH_WITHOUT_VENV = os.pathsep.join(
    p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != SCRIPT.parent
)


@pytest.mark.parametrize(
    ("typed", "path"),
    [
        # After `make demo`: .venv/bin is not on PATH, so the banner names the script's path.
        (os.path.relpath(SCRIPT, ROOT), PATH_WITHOUT_VENV),
        # After `pip install` into an active environment: the bare name works.
        ("mkdocs-intercom", f"{SCRIPT.parent}{os.pathsep}{PATH_WITHOUT_VENV}"),
    ],
)
def test_the_banners_check_command_works_as_typed_in_the_same_shell(
    typed: str, path: str, tmp_path: Path
) -> None:
    started = start_demo(tmp_path, "--build-dir", str(tmp_path), program=(typed,), PATH=path)
    try:
        assert started.check_command == f"{typed} demo --check --build-dir {tmp_path}"
        result = subprocess.run(
            shlex.split(started.check_command),
            cwd=ROOT,
            env={**os.environ, "PATH": path},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip().endswith("all checks passed")
    finally:
        started.stop()


def test_under_make_the_banner_says_make_check_and_make_check_runs_that_check(
    tmp_path: Path,
) -> None:
    started = start_demo(tmp_path / ".demo", cwd=tmp_path, MAKELEVEL="1")
    try:
        assert started.check_command == "make check"
    finally:
        started.stop()
    recipe = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "--assume-old=.venv/.installed", "check"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert recipe[-1] == ".venv/bin/mkdocs-intercom demo --check"


def test_the_demo_page_names_its_own_address_and_check_command(demo: Demo, tab: Tab) -> None:
    tab.page.goto(demo.url)
    text = tab.page.locator("article").inner_text()
    assert f"runs on {demo.url}" in text  # a free port, not the default 8000
    assert demo.check_command in text


def test_the_sign_in_bar_says_who_is_signed_in_on_one_line_at_390px(demo: Demo, tab: Tab) -> None:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.page.goto(demo.url)
    bar = tab.page.locator("[data-demo-session]")
    tab.page.wait_for_selector("[data-demo-session][data-state=signed-out]")
    assert words(bar.inner_text()) == "Signed out · Sign in as a sample reader"
    assert one_line(tab.page)
    sign_in(tab, demo, "alice")
    assert words(bar.inner_text()) == "Signed in as Alice Ångström · Sign out"
    assert one_line(tab.page)
    go_to_another_page(tab)  # instant navigation redraws the bar
    tab.page.wait_for_function(
        "() => document.querySelector('[data-demo-session]').dataset.state === 'signed-in'"
    )
    assert "Alice Ångström" in bar.inner_text()


def words(text: str) -> str:
    return " ".join(text.split())


def one_line(page: Page) -> bool:
    """Every piece of the bar's visible text sits on one line, inside the screen."""
    boxes: list[list[float]] = page.evaluate(
        """() => {
            const walker = document.createTreeWalker(
                document.querySelector('[data-demo-session]'), NodeFilter.SHOW_TEXT);
            const boxes = [];
            while (walker.nextNode()) {
                const range = document.createRange();
                range.selectNodeContents(walker.currentNode);
                for (const r of range.getClientRects()) if (r.width > 0) boxes.push([r.top, r.right]);
            }
            return boxes;
        }"""
    )
    width = page.viewport_size["width"] if page.viewport_size else 0
    return (
        bool(boxes)
        and len({round(top) for top, _ in boxes}) == 1
        and all(right <= width for _, right in boxes)
    )


def test_no_page_of_the_demo_asks_for_a_file_that_is_not_there(demo: Demo, tab: Tab) -> None:
    missing: list[str] = []
    tab.page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    tab.page.goto(demo.url)
    tab.page.wait_for_selector("[data-demo-session][data-state=signed-out]")
    sign_in(tab, demo, "alice")  # the sign-in page too
    open_messenger(tab)
    tab.page.goto(f"{demo.url}guide/")
    tab.page.wait_for_selector("[data-demo-session][data-state=signed-in]")
    tab.page.wait_for_function("() => window.__intercomSandbox && window.__intercomSandbox.booted")
    assert missing == []
    assert not [e for e in tab.console_errors if "404" in e]


def test_the_messenger_shows_how_the_identity_was_verified_and_when_it_expires(
    demo: Demo, tab: Tab
) -> None:
    tab.page.goto(demo.url)
    sign_in(tab, demo, "alice")
    open_messenger(tab)
    panel = tab.page.locator("#intercom-sandbox-panel")
    assert panel.get_attribute("data-verified") == "true"
    assert panel.get_attribute("data-user-id") == "alice"
    assert panel.get_attribute("data-method") == "jwt"
    text = panel.inner_text()
    assert "SANDBOX" in text, "honest about being a stand-in"
    assert "Alice Ångström" in text
    assert "JWT (intercom_user_jwt, HS256)" in text
    assert re.search(r"Expires\s+in (1:00:00|\d{1,2}:\d{2})", text), text
    assert '"alice@example.com"' in text, "the verified email is a signed field"
    before = tab.page.locator("[data-exp]").inner_text()
    tab.page.wait_for_function(
        "(before) => document.querySelector('[data-exp]').textContent !== before", arg=before
    )  # the countdown runs
    launcher = tab.page.locator("#intercom-sandbox-launcher")
    assert launcher.get_attribute("aria-expanded") == "true"
    tab.page.click("#intercom-sandbox-panel .ics-close")
    tab.page.wait_for_selector("#intercom-sandbox-panel[hidden]", state="attached")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert tab.sandbox()["open"] is False


def test_the_sample_readers_plan_and_company_arrive_as_signed_fields(demo: Demo, tab: Tab) -> None:
    tab.page.goto(demo.url)
    sign_in(tab, demo, "1001")
    open_messenger(tab)
    text = tab.page.locator("#intercom-sandbox-panel").inner_text()
    for field, value in (("plan", "starter"), ("company_id", "builders")):
        assert re.search(rf'{field}\s+"{value}"', text), text
    boot = next(c for c in demo.calls() if c["command"] == "boot" and c["user"] == "1001")
    assert boot["signed"]["plan"] == "starter"
    assert "plan" not in boot["args"], "a signed field is never sent in plaintext"


def boot_by_hand(page: Page, demo: Demo, settings: dict[str, Any]) -> None:
    """Boot the sandbox Messenger on a page without the loader (the sign-in page)."""
    page.goto(f"{demo.url}idp/login")
    page.evaluate(
        """([src, settings]) => new Promise((resolve) => {
            const script = document.createElement('script');
            script.src = src;
            script.onload = () => { Intercom('boot', settings); resolve(); };
            document.head.append(script);
        })""",
        [f"{demo.url}sandbox/widget/demo", settings],
    )


def intercom_jwt(**claims: Any) -> str:
    now = int(time.time())
    return jwt.encode({"iat": now, "exp": now + 600, **claims}, SANDBOX_SECRET, algorithm="HS256")


def test_a_plaintext_attribute_contradicting_a_signed_one_is_flagged_in_the_panel(
    demo: Demo, tab: Tab
) -> None:
    token = intercom_jwt(user_id="alice", plan="enterprise")
    boot_by_hand(tab.page, demo, {"app_id": "demo", "intercom_user_jwt": token, "plan": "free"})
    open_messenger(tab)
    warning = tab.page.locator("#intercom-sandbox-panel .ics-warn")
    assert warning.inner_text() == (
        '⚠ Plaintext plan "free" contradicts the signed "enterprise": only the signed value '
        "can be trusted."
    )
    assert axe_violations(tab.page) == []


def test_a_refused_signature_is_shown_plainly_and_no_messenger_opens(demo: Demo, tab: Tab) -> None:
    expired = intercom_jwt(user_id="alice", exp=int(time.time()) - 60)
    boot_by_hand(tab.page, demo, {"app_id": "demo", "intercom_user_jwt": expired})
    refusal = tab.page.locator("#intercom-sandbox-refusal")
    refusal.wait_for()
    assert refusal.get_attribute("role") == "alert"
    assert "Intercom would refuse this reader" in refusal.inner_text()
    assert "Invalid intercom_user_jwt: expired" in refusal.inner_text()
    assert tab.page.locator("#intercom-sandbox-launcher").count() == 0
    assert axe_violations(tab.page) == []


@pytest.mark.parametrize(
    "visit",
    ["signed-out home", "sign-in page", "signed-in home, Messenger open", "another page"],
)
def test_the_demo_passes_axe_wcag_2_a_and_aa(visit: str, demo: Demo, tab: Tab) -> None:
    steps: dict[str, Callable[[], None]] = {
        "signed-out home": lambda: tab.page.wait_for_selector("[data-state=signed-out]"),
        "sign-in page": lambda: tab.page.click("text=Sign in as a sample reader"),
        "signed-in home, Messenger open": lambda: (
            sign_in(tab, demo, "alice"),
            open_messenger(tab),
        ),
        "another page": lambda: (sign_in(tab, demo, "1001"), go_to_another_page(tab)),
    }
    tab.page.goto(demo.url)
    steps[visit]()
    assert axe_violations(tab.page) == []


def test_the_light_launcher_passes_axe_wcag_2_a_and_aa(tmp_path: Path, tab: Tab) -> None:
    started = start_demo(tmp_path, "--build-dir", str(tmp_path), "--load", "interaction")
    try:
        tab.page.goto(f"{started.url}idp/login")
        tab.page.click("button[value=alice]")
        tab.page.wait_for_url(started.url)
        tab.page.wait_for_selector(".mkdocs-intercom-launcher")
        assert axe_violations(tab.page) == []
    finally:
        started.stop()
