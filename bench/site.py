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

from mkdocs_intercom.pages import LOADER_SOURCE

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


def _build(root: Path, config: str) -> float:
    code = (
        "import time, logging, sys; logging.disable(logging.WARNING);"
        "from mkdocs.config import load_config; from mkdocs.commands.build import build;"
        f"c = load_config({config!r}, site_dir='site-' + {config!r}); t = time.perf_counter(); build(c); print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


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
    a, b = statistics.median(without), statistics.median(with_plugin)
    print(f"mkdocs build, {PAGES}-page material site (median of {rounds} alternating builds)")
    print(f"  without {a:.2f} s   with the plugin {b:.2f} s   ratio {b / a:.3f}x   budget <= 1.01x")


def loader_size() -> None:
    raw = LOADER_SOURCE.read_bytes()
    print(
        f"loader.js: {len(raw)} bytes, {len(gzip.compress(raw, 9))} bytes gzip   budget <= 4096 bytes gzip"
    )
