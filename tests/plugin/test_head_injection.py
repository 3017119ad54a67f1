"""Where the plugin's tags go in a rendered page: before the first </head>, however it is written."""

from __future__ import annotations

import pytest

from mkdocs_intercom.pages import inject_head

TAGS = '<meta name="mkdocs-intercom" content="{}">'


@pytest.mark.parametrize("end", ["</head>", "</HEAD>", "</Head >", "</head\n>"])
def test_tags_go_before_the_first_head_end_however_it_is_written(end: str) -> None:
    page = f"<html><head><title>t</title>{end}<body><pre></head></pre></body></html>"
    assert inject_head(page, TAGS) == page.replace(end, TAGS + end, 1)


def test_an_earlier_head_end_in_another_case_wins() -> None:
    page = "<head></HEAD><body><code></head></code></body>"
    assert inject_head(page, TAGS) == f"<head>{TAGS}</HEAD><body><code></head></code></body>"


def test_a_page_without_a_head_end_is_left_alone() -> None:
    page = "<p>a fragment</p>"
    assert inject_head(page, TAGS) == page
