"""The loader as sites ship it: minified from the readable source, within its size budget (a
size, so a test may hold it; timings live in `make bench`)."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

from mkdocs_intercom.pages import LOADER_PATH, LOADER_SOURCE
from tests.support.prerequisites import missing
from tests.support.sites import build_site

ROOT = Path(__file__).resolve().parents[2]
MINIFIER = ROOT / "tools" / "loader"


def test_the_shipped_loader_is_what_the_minifier_makes_of_the_source() -> None:
    node = shutil.which("node")
    if node is None or not (MINIFIER / "node_modules" / "terser").is_dir():
        missing("the loader's minifier (terser)", "run `make node`")
    made = subprocess.run(
        [node, str(MINIFIER / "minify.mjs")], capture_output=True, check=True
    ).stdout
    assert made == LOADER_SOURCE.read_bytes(), (
        "loader.min.js is not made from loader.js: run `make loader`"
    )


def test_the_loader_in_the_built_site_stays_within_4_kb_gzipped(tmp_path: Path) -> None:
    shipped = build_site("material", tmp_path) / LOADER_PATH
    assert shipped.read_bytes() == LOADER_SOURCE.read_bytes()
    assert len(gzip.compress(shipped.read_bytes(), 9)) <= 4096
