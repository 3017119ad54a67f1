"""Build hook of the project's own docs: the option and parameter tables come from the code."""

from __future__ import annotations

from typing import Any

from template_parameters import markdown_table as template_parameter_table

from mkdocs_intercom.reference import markdown_table

MARKER = "<!-- plugin-options -->"
TEMPLATE_MARKER = "<!-- template-parameters -->"


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return markdown.replace(MARKER, markdown_table()).replace(
        TEMPLATE_MARKER, template_parameter_table()
    )
