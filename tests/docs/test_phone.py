"""The docs hold on a phone: at 390 px a wide table scrolls inside its own box, and the key
column of each row (a parameter, a setting, a step) stays in view while it does. Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize
from starlette.staticfiles import StaticFiles

from mkdocs_intercom.devstack.server import LoopbackServer

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 390, "height": 844}
# Every table, scrolled to its right end: where its first column and its last column are.
SCROLLED = """() => [...document.querySelectorAll('.md-typeset table')].map((table) => {
  let box = table;
  while (box && box.scrollWidth <= box.clientWidth + 1) box = box.parentElement.closest('*');
  const scroller = box && box !== document.documentElement ? box : null;
  if (scroller) scroller.scrollLeft = scroller.scrollWidth;
  const row = table.querySelector('tbody tr');
  const first = row.firstElementChild.getBoundingClientRect();
  const last = row.lastElementChild.getBoundingClientRect();
  return {key: row.firstElementChild.innerText.trim(), scrolls: !!scroller,
          first: [first.left, first.right], last: [last.left, last.right]};
})"""


@pytest.fixture(scope="module")
def docs(site: Path) -> Iterator[str]:
    with LoopbackServer() as server:
        server.start(StaticFiles(directory=site, html=True))
        yield server.url


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page 390 px wide, on the run's one Chromium."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.parametrize(
    "path", ["deploy/", "runbook/", "plugin/", "signer/", "cli/", "compatibility/"]
)
def test_wide_tables_keep_their_key_column_in_view_at_390px(
    path: str, docs: str, phone: Page
) -> None:
    phone.goto(f"{docs}/{path}")
    tables: list[dict[str, Any]] = phone.evaluate(SCROLLED)
    assert tables, "the page has tables"
    for table in tables:
        assert table["first"][0] >= 0, table
        assert table["first"][1] <= PHONE["width"], table
        assert table["last"][1] <= PHONE["width"] + 1, table
    if path == "deploy/":
        assert any(t["scrolls"] and t["key"] == "OidcIssuer" for t in tables), tables


def test_each_recipe_of_the_quick_start_shows_its_signer_url_at_390px(
    docs: str, phone: Page
) -> None:
    phone.goto(f"{docs}/quickstart/")
    found = phone.locator("li", has_text="Recipe:")
    assert found.count() == 4
    for index in range(found.count()):
        recipe = found.nth(index)
        assert "signer_url" in recipe.inner_text()
        box = recipe.bounding_box()
        assert box
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
