"""The project's own documentation: built strictly, with the plugin, and in step with the code."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from intercom_signer.errors import REASONS
from intercom_signer.settings import VARIABLES
from mkdocs_intercom.cli import parser
from mkdocs_intercom.reference import json_schema, options
from tests.docs.conftest import build_docs
from tests.support.markdown import pages
from tests.support.sites import head_tags

ROOT = Path(__file__).resolve().parents[2]
PAGES = (
    "index.html",
    "quickstart/index.html",
    "faq/index.html",
    "deploy/index.html",
    "providers/index.html",
    "migrating-to-jwt/index.html",
    "csp-privacy/index.html",
    "runbook/index.html",
    "troubleshooting/index.html",
    "plugin/index.html",
    "signer/index.html",
    "cli/index.html",
    "compatibility/index.html",
    "performance/index.html",
    "security/index.html",
    "changelog/index.html",
)


class Page(HTMLParser):
    """Heading ids, table cells and links of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, str] = {}  # heading id → heading text
        self.cells: list[str] = []
        self._heading: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = dict(attrs).get("id") or ""
            self.ids[self._heading] = ""
        if tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = None
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self.ids[self._heading] += data
        if self._cell is not None:
            self._cell.append(data)


def read(site: Path, page: str) -> Page:
    parsed = Page()
    parsed.feed((site / page).read_text(encoding="utf-8"))
    return parsed


def test_docs_build_strictly_with_the_plugin(site: Path) -> None:
    for page in PAGES:
        assert head_tags(site / page).settings is not None, page
    assert not list(site.rglob("*.py")), "the docs' scripts stay out of the site"


def test_without_a_real_workspace_the_docs_carry_no_launcher(tmp_path: Path) -> None:
    result = build_docs(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert head_tags(tmp_path / "site" / "index.html").settings is None
    assert not (tmp_path / "site" / "assets" / "mkdocs-intercom").exists()


def test_the_references_are_generated_into_the_pages(site: Path) -> None:
    plugin = read(site, "plugin/index.html").cells
    assert {f"{option.name}" for option in options()} <= set(plugin)
    signer = read(site, "signer/index.html").cells
    assert set(VARIABLES) <= set(signer)
    assert set(REASONS) <= set(signer)
    cli = (site / "cli" / "index.html").read_text()
    (subparsers,) = [a for a in parser()._actions if a.dest == "command"]
    for name, command in subparsers.choices.items():  # type: ignore[attr-defined]
        for action in command._actions:
            for flag in action.option_strings:
                assert f"<code>{flag}" in cli or flag in ("-h", "--help"), f"{name} {flag}"


def test_tables_hold_no_escaped_pipe(site: Path) -> None:
    for page in PAGES:
        assert "\\|" not in (site / page).read_text(encoding="utf-8"), page


def test_names_in_tables_do_not_break_mid_word(site: Path) -> None:
    css = (site / "stylesheets" / "tables.css").read_text()
    assert re.search(r"td:not\(:last-child\) code\s*{[^}]*word-break:\s*normal", css)
    assert 'href="stylesheets/tables.css"' in (site / "index.html").read_text()
    signer = (site / "signer" / "index.html").read_text()
    for name in VARIABLES:
        assert f"<code>{name.replace('_', '_<wbr>')}</code>" in signer, name


def test_the_home_page_offers_four_ways_in_and_a_diagram(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert home.count('<div class="grid cards">') == 1
    for target in (
        "quickstart/#see-it-work-on-your-machine",
        "quickstart/#set-it-up-for-your-site",
        "deploy/",
        "security/",
    ):
        assert f'href="{target}"' in home, target
    assert '<pre class="mermaid"><code>sequenceDiagram' in home
    assert "└─" not in home, "the architecture is a diagram, not ASCII art"


def test_each_of_intercoms_questions_has_a_linkable_heading(site: Path) -> None:
    headings = read(site, "faq/index.html").ids
    for anchor in (
        "do-i-need-identity-verification",
        "does-the-messenger-change",
        "can-i-turn-it-off",
        "how-do-i-know-it-works",
        "what-about-logged-out-visitors",
    ):
        assert anchor in headings, anchor
    faq = (site / "faq" / "index.html").read_text()
    assert (
        "https://www.intercom.com/help/en/articles/183-enable-identity-verification-for-web-and-mobile"
        in faq
    )


def test_every_signer_variable_the_docs_name_exists() -> None:
    # The prefix alone, where a table leaves it off; the Cloudflare Worker's own variable.
    not_the_signers = {"SIGNER_", "SIGNER_ORIGIN"}
    for page in pages():
        named = set(re.findall(r"\bSIGNER_[A-Z_]*[A-Z]\b|\bSIGNER_\b", page.read_text()))
        assert named - set(VARIABLES) - not_the_signers == set(), page.name


def test_schema_json_is_generated_from_the_config() -> None:
    committed = json.loads((ROOT / "docs" / "schema.json").read_text())
    assert committed == json_schema(), "run `make schema`"
    documented = set(committed["oneOf"][1]["properties"]["intercom"]["properties"])
    assert documented == {option.name for option in options()}


def test_every_option_has_a_docstring() -> None:
    assert [option.name for option in options() if len(option.doc) < 20] == []


def test_screenshots_are_there() -> None:
    for name in ("demo-verified.png", "demo-sign-in.png"):
        assert (ROOT / "docs" / "assets" / name).read_bytes().startswith(b"\x89PNG"), (
            "run `make screenshots`"
        )


def test_the_performance_page_shows_the_last_bench_run_of_every_section(site: Path) -> None:
    from bench.__main__ import SECTIONS

    results = ROOT / "bench" / "results"
    assert {path.stem for path in results.glob("*.txt")} == set(SECTIONS), "run `make bench`"
    page = (site / "performance" / "index.html").read_text()
    for path in results.glob("*.txt"):
        for line in path.read_text().splitlines():
            assert html.escape(line, quote=False) in page, f"{path.name}: {line}"
