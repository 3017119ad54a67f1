"""Build hook of the project's own docs: the option table comes from the plugin's code."""

from __future__ import annotations

from typing import Any

from mkdocs_intercom.reference import markdown_table

MARKER = "<!-- plugin-options -->"


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return markdown.replace(MARKER, markdown_table())
