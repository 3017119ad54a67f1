"""The documentation's fenced code blocks, as the tests read them: by language, dedented (a
block inside a list item is indented), each with the page it is on."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\w*)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)


def blocks(markdown: str, lang: str) -> list[str]:
    return [
        textwrap.dedent(m.group("body"))
        for m in _FENCE.finditer(markdown)
        if m.group("lang") == lang
    ]


def pages() -> list[Path]:
    """Every page of the docs, and the README."""
    return [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]


def all_blocks(lang: str) -> list[tuple[str, str]]:
    """(where, block) for every block of `lang` in every page, `where` as `page.md#3`."""
    found = []
    for page in pages():
        for number, block in enumerate(blocks(page.read_text(encoding="utf-8"), lang), 1):
            found.append((f"{page.name}#{number}", block))
    return found
