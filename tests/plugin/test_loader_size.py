"""The loader's budget is a size, so a test may hold it (timings live in `make bench`)."""

from __future__ import annotations

import gzip

from mkdocs_intercom.pages import LOADER_SOURCE


def test_loader_stays_within_4_kb_gzipped() -> None:
    assert len(gzip.compress(LOADER_SOURCE.read_bytes(), 9)) <= 4096
