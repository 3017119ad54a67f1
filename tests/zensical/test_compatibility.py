"""docs/compatibility.md's matrix stays true: the versions it names are the ones installed for
the tests, and every test it names exists."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def matrix() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "compatibility.md").read_text(encoding="utf-8")
    section = text.split("## Generators", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    return {row[0]: row[1:] for row in cells[1:]}


def test_the_matrix_names_the_generators_a_team_can_build_with() -> None:
    rows = matrix()
    assert list(rows) == ["MkDocs", "ProperDocs", "Zensical"]
    assert "`mkdocs build`" in rows["MkDocs"][1]
    assert "`properdocs build`" in rows["ProperDocs"][1]
    assert "`mkdocs-intercom setup` and `zensical build`" in rows["Zensical"][1]


def test_the_versions_named_are_the_ones_tested() -> None:
    rows = matrix()
    assert rows["Zensical"][0] == version("zensical")
    assert version("mkdocs").startswith(rows["MkDocs"][0] + ".")


def test_every_test_named_exists() -> None:
    for generator, (_, _, tested_by) in matrix().items():
        paths = re.findall(r"`(tests/[^`]+)`", tested_by)
        assert paths, generator
        for path in paths:
            assert (ROOT / path).exists(), path
