"""Build the fixture sites (tests/fixtures/mkdocs-*.yml) in-process into a temporary folder."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def site_config(
    fixture: str, folder: Path, plugin: dict[str, Any] | None = None, **top: Any
) -> Path:
    """A copy of the fixture's mkdocs.yml in `folder`, with plugin options and top-level keys changed."""
    document = yaml.safe_load((FIXTURES / f"mkdocs-{fixture}.yml").read_text())
    document["docs_dir"] = str(FIXTURES / document["docs_dir"])
    document["site_dir"] = str(folder / "site")
    for entry in document["plugins"]:
        if isinstance(entry, dict) and "intercom" in entry:
            entry["intercom"].update(plugin or {})
            entry["intercom"] = {k: v for k, v in entry["intercom"].items() if v is not None}
    document.update(top)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    return path


def build_site(
    fixture: str, folder: Path, plugin: dict[str, Any] | None = None, **top: Any
) -> Path:
    config = load_config(str(site_config(fixture, folder, plugin, **top)))
    build(config)
    return Path(config.site_dir)


class HeadTags(HTMLParser):
    """The tags the plugin adds: its <meta> settings and the <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.settings: dict[str, Any] | None = None
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "mkdocs-intercom":
            self.settings = json.loads(attributes["content"] or "")
        if tag == "script":
            self.scripts.append(attributes)

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
