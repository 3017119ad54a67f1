"""One setting added to mkdocs.yml or zensical.toml by inserting lines, the rest of the file —
comments, order, `!ENV` tags — left as it was. Every edit is verified by parsing the result: it
must read as the old file plus that one setting, or the edit is not made (None)."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Sequence
from typing import Any

import yaml

from ..project import ConfigLoader, parse_toml, parse_yaml


def add_setting(text: str, toml: bool, path: Sequence[str], key: str, value: str) -> str | None:
    """`text` with `key` set to the string `value` in the mapping at `path` (created if missing);
    None if the file's shape does not allow a safe edit (then the user is told the line)."""
    edited = (_add_toml if toml else _add_yaml)(text, path, key, value)
    if edited is None:
        return None
    try:
        before, after = (
            (parse_toml(text), parse_toml(edited))
            if toml
            else (
                parse_yaml(text) or {},
                parse_yaml(edited),
            )
        )
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return None
    return edited if after == _with(before, path, key, value) else None


def line_to_add(toml: bool, path: Sequence[str], key: str, value: str) -> str:
    """What to tell the user to add, where an edit is not safe."""
    if toml:
        return f'{key} = "{value}" under [{".".join(path)}]'
    return f"`{key}: {value}` under `{': '.join(path)}:`"


def _with(document: Any, path: Sequence[str], key: str, value: str) -> Any:
    expected = copy.deepcopy(document) if isinstance(document, dict) else {}
    mapping = expected
    for name in path:
        if isinstance(mapping.get(name), str) and name == "theme":
            mapping[name] = {"name": mapping[name]}  # MkDocs' `theme: material` shorthand
        mapping = mapping.setdefault(name, {})
    mapping[key] = value
    return expected


def _add_yaml(text: str, path: Sequence[str], key: str, value: str) -> str | None:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    node = yaml.compose(text, Loader=ConfigLoader) if text.strip() else None
    if node is None:
        return "".join(lines) + _yaml_block([*path, key], value)
    for depth, name in enumerate(path):
        if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
            return None
        child = next((v for k, v in node.value if k.value == name), None)
        if child is None and depth == 0:  # a new top-level setting goes last
            return "".join(lines) + _yaml_block([*path, key], value)
        if child is None:  # the rest of the path is new: insert it as the mapping's first key
            return _insert_before(lines, node, _yaml_block([*path[depth:], key], value))
        if isinstance(child, yaml.ScalarNode) and name == "theme" and depth == len(path) - 1:
            # `theme: material` becomes a mapping with the same name
            line = child.start_mark.line
            indent = " " * (_first_key(node).start_mark.column + 2)
            prefix = lines[line][: child.start_mark.column].rstrip()
            lines[line] = f"{prefix}\n{indent}name: {child.value}\n{indent}{key}: {value}\n"
            return "".join(lines)
        node = child
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        return None
    return _insert_before(lines, node, _yaml_block([key], value))


def _first_key(node: yaml.MappingNode) -> yaml.Node:
    first: yaml.Node = node.value[0][0]
    return first


def _insert_before(lines: list[str], mapping: yaml.MappingNode, block: str) -> str | None:
    """`block` (lines at indentation 0) inserted above the mapping's first key, at its indentation."""
    first = _first_key(mapping).start_mark
    if lines[first.line][: first.column].strip():
        return None  # the key shares its line with something else (`- key: …`)
    indent = " " * first.column
    indented = "".join(indent + line + "\n" for line in block.splitlines())
    return "".join([*lines[: first.line], indented, *lines[first.line :]])


def _yaml_block(path: Sequence[str], value: str, indent: int = 0) -> str:
    head, *rest = path
    if not rest:
        return f"{' ' * indent}{head}: {value}\n"
    return f"{' ' * indent}{head}:\n" + _yaml_block(rest, value, indent + 2)


def _add_toml(text: str, path: Sequence[str], key: str, value: str) -> str | None:
    header = re.compile(
        r"^\s*\[\s*" + r"\s*\.\s*".join(re.escape(name) for name in path) + r"\s*\]\s*(#.*)?$"
    )
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    setting = f"{key} = {_toml_string(value)}\n"
    for at, line in enumerate(lines):
        if header.match(line):
            return "".join([*lines[: at + 1], setting, *lines[at + 1 :]])
    return "".join(lines) + f"\n[{'.'.join(path)}]\n{setting}"


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
