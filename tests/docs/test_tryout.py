"""The quick start's lightest try-out works as written: the package installed from a built
wheel into a fresh environment, outside the checkout, runs `mkdocs-intercom demo` — its site,
its sign-in page and its signer — and `mkdocs-intercom setup` from the files the wheel carries."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import sysconfig
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.markdown import ROOT, blocks
from tests.support.waiting import read_until, start_reading
from tests.support.wheel import BuiltWheel


@pytest.fixture(scope="module")
def fresh(
    built_wheel: BuiltWheel,
    built_signer_wheel: BuiltWheel,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """A new virtual environment with both wheels installed, as `pip install
    'mkdocs-intercom[signer]'` would. Their dependencies (mkdocs-material too) are this
    environment's, reached through a path file rather than downloaded again; the checkout is
    not on its path."""
    folder = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            str(built_wheel.path),
            str(built_signer_wheel.path),
        ],
        check=True,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder


@pytest.fixture
def demo(fresh: Path, tmp_path: Path) -> Iterator[str]:
    """`mkdocs-intercom demo` from the fresh environment, in a folder of its own: its URL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "INTERCOM_APP_ID", "INTERCOM_SECRET")
    }
    process = start_reading([str(fresh / "bin" / "mkdocs-intercom"), "demo"], tmp_path, env)
    try:
        (first,) = read_until(
            process, lambda line: True
        )  # the banner's first line, once it listens
        match = re.search(r"on (http://127\.0\.0\.1:\d+)/", first)
        assert match, first
        yield match.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_the_two_wheels_install_both_packages_into_the_fresh_environment(fresh: Path) -> None:
    where = subprocess.run(
        [str(fresh / "bin" / "python"), "-c", "import mkdocs_intercom, intercom_signer; print(mkdocs_intercom.__file__, intercom_signer.__file__)"],
        capture_output=True, text=True, check=True, cwd=fresh,
    ).stdout.split()  # fmt: skip
    assert all(Path(path).is_relative_to(fresh) for path in where), where


def test_the_demo_runs_from_the_wheel(demo: str, tmp_path: Path) -> None:
    with httpx.Client(base_url=demo, timeout=15) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert '<meta name="mkdocs-intercom"' in page.text
        assert client.get("/assets/mkdocs-intercom/loader.js").status_code == 200
        assert client.get("/api/intercom/identity").status_code == 401
        signed_in = client.post("/idp/login", data={"sub": "alice"})
        assert signed_in.status_code in (200, 303)
        identity = client.get("/api/intercom/identity")
    assert identity.status_code == 200
    assert identity.json()["user_id"] == "alice"
    assert (tmp_path / ".demo" / "site" / "index.html").is_file()


def test_setup_runs_from_the_wheel(fresh: Path, tmp_path: Path) -> None:
    """The Zensical path needs the theme partial the wheel carries."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Docs\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Docs\ntheme:\n  name: material\nextra:\n  intercom:\n    app_id: abc12345\n"
    )
    setup = subprocess.run(
        [str(fresh / "bin" / "mkdocs-intercom"), "setup"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "mkdocs-intercom" in (tmp_path / "overrides" / "partials" / "intercom.html").read_text()


def test_the_pip_try_out_starts_where_the_quick_starts_first_block_ends(tmp_path: Path) -> None:
    """The first block clones and enters the checkout; the try-out's install names that
    checkout (with the extra the demo needs) from there, and its environment lies outside it."""
    quickstart = (ROOT / "docs" / "quickstart.md").read_text(encoding="utf-8")
    first, *later = blocks(quickstart, "sh")
    clone = shlex.split(first.splitlines()[0].split("#")[0])
    assert clone[:2] == ["git", "clone"]
    assert clone[clone.index("&&") + 1 :] == ["cd", "mkdocs-intercom"]
    here = tmp_path / "mkdocs-intercom"  # where the first block leaves the reader
    tryout = next(b for b in later if "pip install" in b and "mkdocs-intercom demo" in b)
    for line in tryout.splitlines():
        words = shlex.split(line, comments=True)
        if words[:3] == ["python3", "-m", "venv"]:
            venv = (here / words[3]).resolve()
            assert not venv.is_relative_to(here), "the environment is not inside the checkout"
        if words[:2] == ["pip", "install"]:
            installed = {}
            for target in words[2:]:
                path, _, extra = target.partition("[")
                folder = (here / path).resolve()
                assert folder.is_relative_to(here.resolve()), "inside the checkout"
                local = ROOT / folder.relative_to(here.resolve())
                project = tomllib.loads((local / "pyproject.toml").read_text(encoding="utf-8"))
                installed[project["project"]["name"]] = (extra.rstrip("]"), project)
            assert set(installed) == {"mkdocs-intercom", "mkdocs-intercom-signer"}
            extra, plugin = installed["mkdocs-intercom"]
            assert extra == "demo"
            assert extra in plugin["project"]["optional-dependencies"]
