"""Build hook of the project's own docs: the references come from the code. A page names a
generated part with an HTML comment; the hook puts the part in its place."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import signer_reference
from cli_reference import command_reference
from fetch_deadlines import markdown_table as fetch_deadline_table
from template_parameters import markdown_table as template_parameter_table

from mkdocs_intercom.reference import markdown_table

GENERATED: dict[str, Callable[[], str]] = {
    "plugin-options": markdown_table,
    "template-parameters": template_parameter_table,
    "fetch-deadlines": fetch_deadline_table,
    "signer-settings": signer_reference.settings_table,
    "signer-answers": signer_reference.answers_table,
    "signer-reasons": signer_reference.reasons_table,
    "signer-causes": signer_reference.causes_table,
}
MARKER = re.compile(r"<!-- (cli: )?([a-z-]+) -->")


def generated(marker: re.Match[str]) -> str:
    if marker.group(1):
        return command_reference(marker.group(2))
    part = GENERATED.get(marker.group(2))
    return part() if part else marker.group(0)  # other comments stay as they are


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return MARKER.sub(generated, markdown)
