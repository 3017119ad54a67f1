"""How tests and the docs' screenshot script start Debian's Chromium: headless, and quiet on a
machine without internet (no background connections to Google's hosts)."""

from __future__ import annotations

import shutil

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    return shutil.which("chromium")
