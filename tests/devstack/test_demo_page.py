"""The demo's home page describes the verification the demo runs with."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from mkdocs_intercom.devstack import demopage
from mkdocs_intercom.devstack.demo import DEMO_SITE
from mkdocs_intercom.devstack.sitebuild import build, write_config


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def home_page_text(folder: Path, verification: str) -> str:
    config = write_config(
        DEMO_SITE,
        folder,
        {"verification": verification},
        hooks=[demopage.__file__],
        extra={
            "demo": {"url": "http://127.0.0.1:8000/", "check": "x", "verification": verification}
        },
    )
    parser = Text()
    parser.feed((build(config) / "index.html").read_text(encoding="utf-8"))
    return " ".join("".join(parser.parts).split())


@pytest.mark.parametrize(
    ("verification", "says", "never"),
    [
        ("jwt", "a JWT and when it expires", "user_hash"),
        ("hmac", "a user_hash: the HMAC of the user id", "a JWT and when it expires"),
    ],
)
def test_the_home_page_says_how_this_demo_verifies(
    verification: str, says: str, never: str, tmp_path: Path
) -> None:
    text = home_page_text(tmp_path, verification)
    assert says in text
    assert never not in text
