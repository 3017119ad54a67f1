"""Build hook of the demo site: the running demo's address and check command in its pages."""

from __future__ import annotations

from typing import Any


def on_page_markdown(markdown: str, /, *, config: Any, **kwargs: Any) -> str:
    demo = config.extra.get("demo") or {}
    for name in ("url", "check"):
        markdown = markdown.replace(f"{{{{ demo.{name} }}}}", str(demo.get(name, "")))
    return markdown
