"""Where the plugin's tags go in a rendered page: first in <head>, after its charset
declaration, so that the loader asks the signer before the page's own assets hold the parser."""

from __future__ import annotations

import pytest

from mkdocs_intercom.pages import inject_head

TAGS = '<meta name="mkdocs-intercom" content="{}">'


@pytest.mark.parametrize(
    "head", ["<head>", "<HEAD>", '<head lang="en">', "<head\n>", "<head><meta charset=utf-8>"]
)
def test_tags_go_first_in_the_head_after_its_charset(head: str) -> None:
    page = f"<html>{head}<title>t</title><link rel=stylesheet href=a.css></head><body></body>"
    assert inject_head(page, TAGS) == page.replace(head, head + TAGS, 1)


def test_the_charset_declaration_stays_first() -> None:
    page = '<html><head>\n  <meta charset="utf-8">\n  <title>t</title></head><body></body>'
    assert inject_head(page, TAGS).startswith('<html><head>\n  <meta charset="utf-8">' + TAGS)


def test_a_header_element_is_not_the_head() -> None:
    page = "<html><body><header>x</header><head></head></body>"
    assert (
        inject_head(page, TAGS) == "<html><body><header>x</header><head>" + TAGS + "</head></body>"
    )


@pytest.mark.parametrize("page", ["<p>a fragment</p>", "<head><title>t</title><body>no end"])
def test_a_page_without_a_whole_head_is_left_alone(page: str) -> None:
    assert inject_head(page, TAGS) == page
