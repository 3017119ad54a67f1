"""Plugin figures: `mkdocs build` of a 1,000-page material site with and without the plugin,
and the loader's size as a reader's browser downloads it."""

from __future__ import annotations

import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from mkdocs_intercom.pages import LOADER_PATH, LOADER_SOURCE
from tests.support.sites import build_site

LOADER_READABLE = LOADER_SOURCE.with_name("loader.js")

PAGES = 1000


def _generate(root: Path) -> None:
    docs = root / "docs"
    for n in range(PAGES):
        page = docs / f"section-{n // 50:02d}" / f"page-{n:04d}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"# Page {n}\n\n"
            + "\n\n".join(
                f"## Part {k}\n\nSome prose about topic {n}.{k}, with `code` and a [link](../index.md)."
                for k in range(5)
            )
        )
    (docs / "index.md").write_text("# Home\n")
    base = {
        "site_name": "Bench",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "site_url": "https://docs.example.com/",
    }
    (root / "without.yml").write_text(yaml.safe_dump({**base, "plugins": ["search"]}))
    plugin = {
        "intercom": {
            "app_id": "benchapp",
            "signer_url": "/api/intercom/identity",
            "exclude": ["section-19/*"],
        }
    }
    (root / "with.yml").write_text(yaml.safe_dump({**base, "plugins": ["search", plugin]}))


# A build in a fresh process: wall and CPU seconds, and the seconds spent in the plugin's own
# hooks (timed by wrapping them before MkDocs collects them).
_BUILD = """
import logging, resource, sys, time
logging.disable(logging.WARNING)
from mkdocs_intercom.plugin import IntercomPlugin
spent = [0.0]
def timed(hook):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return hook(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
    return wrapper
for name in ("on_config", "on_files", "on_post_page", "on_post_template", "on_post_build"):
    setattr(IntercomPlugin, name, timed(getattr(IntercomPlugin, name)))
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir="site-" + sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
build(config)
print(time.perf_counter() - wall, time.process_time() - cpu, spent[0])
"""


def _build(root: Path, config: str) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _BUILD, config], cwd=root, capture_output=True, text=True, check=True
    )
    wall, cpu, hooks = (float(x) for x in out.stdout.split())
    return wall, cpu, hooks


def build_time(rounds: int = 5) -> None:
    root = Path(tempfile.mkdtemp(prefix="mkdocs-intercom-bench-"))
    try:
        _generate(root)
        _build(root, "without.yml")  # warm caches for both alike
        without, with_plugin = [], []
        for _ in range(rounds):
            without.append(_build(root, "without.yml"))
            with_plugin.append(_build(root, "with.yml"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"mkdocs build, {PAGES}-page material site (median of {rounds} alternating builds)")
    for label, index in (("wall", 0), ("CPU", 1)):
        a = statistics.median(run[index] for run in without)
        b = statistics.median(run[index] for run in with_plugin)
        print(f"  {label:4s} without {a:.2f} s   with the plugin {b:.2f} s   ratio {b / a:.3f}x")
    hooks = statistics.median(run[2] for run in with_plugin)
    base = statistics.median(run[1] for run in without)
    print(
        f"  the plugin's hooks: {hooks * 1000:.0f} ms, {1 + hooks / base:.4f}x of the CPU time without it   budget <= 1.01x"
    )


def loader_size() -> None:
    """The loader as a built site ships it (minified), and its readable source for scale."""
    with tempfile.TemporaryDirectory(prefix="mkdocs-intercom-bench-") as root:
        shipped = (build_site("plain", Path(root)) / LOADER_PATH).read_bytes()
    source = LOADER_READABLE.read_bytes()
    print(
        f"loader.js as shipped in site/: {len(shipped)} bytes, {len(gzip.compress(shipped, 9))} bytes gzip"
        "   budget <= 4096 bytes gzip"
    )
    print(f"  (its readable source: {len(source)} bytes, {len(gzip.compress(source, 9))} gzip)")
