"""Dependencies point one way: no module of either package imports, even lazily inside a
function, a module that imports it back; the options schema imports nothing of the package; the
command line is imported by nothing; the signer never imports the plugin or MkDocs."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "mkdocs_intercom": ROOT / "mkdocs_intercom",
    "intercom_signer": ROOT / "lambda" / "intercom_signer",
}


def module_name(path: Path, package: str) -> str:
    relative = path.relative_to(PACKAGES[package]).with_suffix("")
    parts = [package, *relative.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path, package): path
        for package, folder in PACKAGES.items()
        for path in folder.rglob("*.py")
    }


def imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """Every module of the packages that `name` imports, at the top or inside a function."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            # `from pkg import sub` imports the submodule; `from pkg import name` the package.
            targets = [
                f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else origin
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` of a non-module → a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: set(imported(name, path, set(found))) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in edges.get(node, ()):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_neither_package_has_an_import_cycle() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize(
    "module",
    ["mkdocs_intercom.config", "mkdocs_intercom.precedence", "mkdocs_intercom.csp"],
)
def test_the_bottom_layer_imports_nothing_of_the_package(module: str) -> None:
    assert graph()[module] == set()


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("mkdocs_intercom.project", {"mkdocs_intercom.config"}),
        ("mkdocs_intercom.validation", {"mkdocs_intercom.config", "mkdocs_intercom.project"}),
    ],
)
def test_the_file_reader_and_the_rules_sit_right_above_the_schema(
    module: str, allowed: set[str]
) -> None:
    assert graph()[module] <= allowed


def test_nothing_below_the_hooks_imports_the_plugin_and_nothing_imports_the_command_line() -> None:
    edges = graph()
    plugin_users = {name for name, targets in edges.items() if "mkdocs_intercom.plugin" in targets}
    cli_users = {
        name
        for name, targets in edges.items()
        if not name.startswith("mkdocs_intercom.cli")
        and any(target.startswith("mkdocs_intercom.cli") for target in targets)
    }
    assert plugin_users == set()
    assert cli_users == set()


def test_the_signer_imports_neither_the_plugin_nor_mkdocs() -> None:
    for path in PACKAGES["intercom_signer"].rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            for name in names:
                assert name.split(".")[0] not in ("mkdocs_intercom", "mkdocs"), path
