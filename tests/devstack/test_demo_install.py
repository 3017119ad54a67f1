"""`make demo` installs what the demo needs and nothing else, and says what it is doing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_ONLY = {
    "playwright", "moto", "mypy", "cfn-lint", "aws-sam-translator", "zensical", "pytest",
    "ruff", "fastapi", "boto3-stubs",
}  # fmt: skip


def closure(name: str, extras: frozenset[str] = frozenset()) -> set[str]:
    """Every distribution `pip install name[extras]` brings, read from installed metadata."""
    found: set[str] = set()
    pending = [(canonicalize_name(name), extras)]
    while pending:
        current, wanted = pending.pop()
        if current in found and not wanted:
            continue
        found.add(current)
        try:
            requires = distribution(current).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None:
                applies = True
            else:
                applies = any(marker.evaluate({"extra": extra}) for extra in [*wanted, ""])
            if applies:
                child = canonicalize_name(requirement.name)
                if child not in found or requirement.extras:
                    pending.append((child, frozenset(requirement.extras)))
    return found


def test_make_demo_installs_the_demo_extra_and_says_each_step(tmp_path: Path) -> None:
    dry = subprocess.run(
        ["make", "-n", "demo", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    installs = [line for line in dry.splitlines() if "pip install" in line]
    assert len(installs) == 1, installs
    assert "'.[demo]'" in installs[0]
    assert not re.search(r"\s(--quiet|-q)\b", installs[0]), "pip says what it installs"
    steps = re.findall(r'echo "==> \[(\d)/(\d)\] ([^"]+)"', dry)
    assert [(n, of) for n, of, _ in steps] == [("1", "3"), ("2", "3"), ("3", "3")], dry


def test_the_demo_extra_brings_no_development_tool() -> None:
    demo = closure("mkdocs-intercom", frozenset({"demo"}))
    assert {"mkdocs", "mkdocs-material", "starlette", "uvicorn", "pyjwt"} <= demo
    assert not demo & DEVELOPMENT_ONLY, demo & DEVELOPMENT_ONLY


def test_the_running_demo_imports_only_what_the_demo_extra_installs(tmp_path: Path) -> None:
    """The demo served a sign-in page and a signed identity; at exit, every module it had
    imported comes from the standard library or from the demo extra's distributions."""
    dump = tmp_path / "modules.json"
    program = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: open({str(dump)!r}, 'w').write(json.dumps(sorted(sys.modules))))\n"
        "from mkdocs_intercom.cli import main\n"
        f"sys.exit(main(['demo', '--build-dir', {str(tmp_path / 'build')!r}]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("INTERCOM_APP_ID", "INTERCOM_SECRET")}
    process = subprocess.Popen(
        [sys.executable, "-c", program], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        first = process.stdout.readline()
        url = re.search(r"on (http://127\.0\.0\.1:\d+)/", first)
        assert url, first
        import httpx

        with httpx.Client(base_url=url.group(1), timeout=15) as client:
            client.post("/idp/login", data={"sub": "alice"})
            assert client.get("/api/intercom/identity").status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    # What any interpreter here imports before running a line (site's .pth hooks) is not the demo's.
    startup = subprocess.run(
        [sys.executable, "-c", "import json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    modules = set(json.loads(dump.read_text())) - set(json.loads(startup))
    owners = packages_distributions()
    used = {
        canonicalize_name(owner)
        for module in modules
        for owner in owners.get(module.split(".")[0], [])
    }
    allowed = closure("mkdocs-intercom", frozenset({"demo"}))
    assert used - allowed == set()
