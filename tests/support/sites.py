"""Build the fixture sites (tests/fixtures/mkdocs-*.yml) in-process into a temporary folder."""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mkdocs_intercom.devstack.sitebuild import build, write_config

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def site_config(
    fixture: str, folder: Path, plugin: dict[str, Any] | None = None, **top: Any
) -> Path:
    """A copy of a fixture's mkdocs.yml in `folder`, with plugin options and top-level keys changed."""
    return write_config(FIXTURES / f"mkdocs-{fixture}.yml", folder, plugin, **top)


def build_site(
    fixture: str, folder: Path, plugin: dict[str, Any] | None = None, **top: Any
) -> Path:
    return build(site_config(fixture, folder, plugin, **top))


class HeadTags(HTMLParser):
    """The tags the plugin adds: its <meta> settings, preconnect hints and <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.settings: dict[str, Any] | None = None
        self.preconnect: list[str | None] = []
        self.scripts: list[dict[str, str | None]] = []
        self.inline_scripts: list[str] = []
        self._in_inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "mkdocs-intercom":
            self.settings = json.loads(attributes["content"] or "")
        if tag == "link" and attributes.get("rel") == "preconnect":
            self.preconnect.append(attributes.get("href"))
        if tag == "script":
            self.scripts.append(attributes)
            self._in_inline = "src" not in attributes and attributes.get("type") in (
                None,
                "text/javascript",
                "module",
            )
            if self._in_inline:
                self.inline_scripts.append("")

    def handle_data(self, data: str) -> None:
        if self._in_inline:
            self.inline_scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline = False

    @property
    def loader_src(self) -> str | None:
        return next(
            (
                s["src"]
                for s in self.scripts
                if (s.get("src") or "").endswith("mkdocs-intercom/loader.js")
            ),
            None,
        )


def head_tags(page: Path) -> HeadTags:
    parser = HeadTags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def inline_script_hashes(site: Path) -> set[str]:
    """CSP hashes ('sha256-…') of every inline script in the site's pages."""
    hashes = set()
    for page in site.rglob("*.html"):
        for script in head_tags(page).inline_scripts:
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            hashes.add(f"sha256-{digest}")
    return hashes
