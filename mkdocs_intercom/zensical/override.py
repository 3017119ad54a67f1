"""The theme override: the partial (partial.html under a header of the plugin's constants), the
loader beside it, and the one line in main.html that includes the partial — added to a main.html
the project already has only where that is certain to be right."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from .. import __version__
from ..config import REGIONS, IntercomConfig
from ..pages import LOADER_PATH, META_NAME

PARTIAL = "partials/intercom.html"
INCLUDE = '{% include "partials/intercom.html" %}'
MAIN_HTML = f'{{% extends "base.html" %}}\n\n{{% block extrahead %}}\n  {{{{ super() }}}}\n  {INCLUDE}\n{{% endblock %}}\n'
MARKER = "{#- mkdocs-intercom "
_BODY = Path(__file__).with_name("partial.html")
_EXTRAHEAD = re.compile(r"{%[-+]?\s*block\s+extrahead\s*[-+]?%}")
_EXTENDS_BASE = re.compile(r"""{%[-+]?\s*extends\s+["']base\.html["']\s*[-+]?%}""")


def partial() -> str:
    """The partial as `setup` writes it: the plugin's defaults, regions and names baked in from
    the installed package, so rerunning `setup` after an upgrade carries any change along."""
    defaults = {name: option.default for name, option in IntercomConfig._schema}
    header = (
        f"{MARKER}{__version__}: written by `mkdocs-intercom setup`, which rewrites it. -#}}\n"
        f"{{%- set intercom_defaults = {_literal(defaults)} -%}}\n"
        f"{{%- set intercom_regions = {_literal(REGIONS)} -%}}\n"
        f"{{%- set intercom_meta_name = {_literal(META_NAME)} -%}}\n"
        f"{{%- set intercom_loader = {_literal(LOADER_PATH)} -%}}\n"
    )
    return header + _BODY.read_text(encoding="utf-8")


def is_ours(text: str) -> bool:
    return text.startswith(MARKER)


def with_include(main_html: str) -> str | None:
    """main.html with the partial included in its `extrahead` block (added after the block's
    opening tag, or as a new block in a template that extends base.html); None when that cannot
    be done safely: the result must parse and include the partial inside `extrahead`."""
    if _includes_partial(main_html):
        return main_html
    opening = list(_EXTRAHEAD.finditer(main_html))
    if len(opening) == 1:
        at = opening[0].end()
        merged = f"{main_html[:at]}\n  {INCLUDE}{main_html[at:]}"
    elif not opening and _EXTENDS_BASE.search(main_html):
        ending = "" if main_html.endswith("\n") else "\n"
        merged = f"{main_html}{ending}\n{{% block extrahead %}}\n  {{{{ super() }}}}\n  {INCLUDE}\n{{% endblock %}}\n"
    else:
        return None
    return merged if _includes_partial(merged) else None


def _includes_partial(template: str) -> bool:
    try:
        tree = jinja2.Environment(autoescape=True).parse(template)
    except jinja2.TemplateSyntaxError:
        return False
    return any(
        isinstance(include.template, nodes.Const) and include.template.value == PARTIAL
        for block in tree.find_all(nodes.Block)
        if block.name == "extrahead"
        for include in block.find_all(nodes.Include)
    )


def _literal(value: Any) -> str:
    """A value as a literal both MiniJinja and Jinja2 read (JSON but for true/false/none)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(str(k))}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    return json.dumps(value)
