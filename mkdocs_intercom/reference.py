"""The plugin's options as data, read from IntercomConfig and its docstrings: the docs' option
table and the editor schema are generated from here, so neither drifts from the code."""

from __future__ import annotations

import ast
import html
import inspect
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from mkdocs.config import config_options as c

from . import config
from .config import IntercomConfig


@dataclass(frozen=True)
class Option:
    name: str
    kind: str  # "string", "boolean", "number", "array", "object", or "string" with choices
    default: Any
    choices: tuple[str, ...]
    doc: str


def _docstrings() -> dict[str, str]:
    tree = ast.parse(inspect.getsource(config))
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == IntercomConfig.__name__:
            body = node.body
            for assignment, following in itertools.pairwise(body):
                if (
                    isinstance(assignment, ast.Assign)
                    and isinstance(following, ast.Expr)
                    and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)
                ):
                    name = assignment.targets[0]
                    if isinstance(name, ast.Name):
                        found[name.id] = " ".join(following.value.value.split())
    return found


def _kind(option: Any) -> tuple[str, tuple[str, ...]]:
    if isinstance(option, c.Choice):
        return "string", tuple(option.choices)
    if isinstance(option, c.ListOfItems):
        return "array", ()
    if isinstance(option, c.Optional):
        return _kind(option.option)
    if isinstance(option, c.Type):
        expected = option._type
        types = expected if isinstance(expected, tuple) else (expected,)
        if bool in types:
            return "boolean", ()
        if int in types or float in types:
            return "number", ()
        if dict in types:
            return "object", ()
    return "string", ()


def options() -> list[Option]:
    docs = _docstrings()
    result = []
    for name, option in IntercomConfig._schema:
        kind, choices = _kind(option)
        default = option.default
        result.append(Option(name, kind, default, choices, docs.get(name, "")))
    return result


def _one_of(words: list[str]) -> str:
    """`a`, `b` or `c`: a table cell cannot hold a literal pipe."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _code(value: str) -> str:
    """A value as code that may break after a `/` (a URL), and nowhere else."""
    return f"<code>{re.sub(r'/(?!/)', '/<wbr>', html.escape(value))}</code>"


def markdown_table() -> str:
    rows = ["| option | type | default | meaning |", "|---|---|---|---|"]
    for option in options():
        kind = (
            _one_of([f"`{choice}`" for choice in option.choices]) if option.choices else option.kind
        )
        default = (
            "required"
            if option.name == "app_id"
            else _code(json.dumps(option.default))
            if option.default not in (None, "")
            else "—"
        )
        rows.append(f"| `{option.name}` | {kind} | {default} | {option.doc} |")
    return "\n".join(rows)


def json_schema() -> dict[str, Any]:
    """The plugin's entry in the form mkdocs-material's schema store uses for editor completion."""
    properties: dict[str, Any] = {}
    for option in options():
        title = re.split(r"(?<!e\.g)\.\s", option.doc)[0].rstrip(".")
        spec: dict[str, Any] = {"title": title, "markdownDescription": option.doc}
        spec["type"] = option.kind
        if option.choices:
            spec["enum"] = list(option.choices)
        if option.kind == "array":
            spec["items"] = {"type": "string"}
        if option.default not in (None, "") and option.name != "app_id":
            spec["default"] = option.default
        properties[option.name] = spec
    return {
        "$schema": "https://json-schema.org/draft-07/schema",
        "title": "mkdocs-intercom: a verified Intercom Messenger",
        "markdownDescription": "https://github.com/mkdocs-intercom/mkdocs-intercom",
        "oneOf": [
            {"enum": ["intercom"]},
            {
                "type": "object",
                "properties": {
                    "intercom": {
                        "type": "object",
                        "properties": properties,
                        "required": ["app_id"],
                        "additionalProperties": False,
                    }
                },
                "additionalProperties": False,
            },
        ],
    }
