"""The browser tests' fixtures (Debian's Chromium, a fresh tab per test), shared, not copied."""

from tests.browser.conftest import browser, tab

__all__ = ["browser", "tab"]
