"""Signed fields: login claims mapped to Intercom attributes (SIGNER_ATTRIBUTES).

They travel inside the Intercom JWT only, so the browser cannot rewrite a reader's plan
from the console (intercom-rails calls these `signed_user_fields`). A value is a string,
a number or a boolean; a claim that is missing, nested, null or oversized is left out and
logged by its name — never its value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_TEXT = 255
MAX_NUMBER = 2**53  # beyond this a JSON number loses precision in the browser

Value = str | int | float | bool


def signed_values(
    claims: Mapping[str, Any], mapping: tuple[tuple[str, str], ...]
) -> tuple[tuple[tuple[str, Value], ...], dict[str, str]]:
    """(the attributes to sign, {attribute: why it was left out})."""
    values: list[tuple[str, Value]] = []
    left_out: dict[str, str] = {}
    for attribute, claim in mapping:
        if claim not in claims:
            left_out[attribute] = "missing"
            continue
        value = claims[claim]
        why = _unsignable(value)
        if why:
            left_out[attribute] = why
        else:
            values.append((attribute, value))
    return tuple(values), left_out


def _unsignable(value: object) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, dict | list):
        return "nested"
    if isinstance(value, str):
        return "oversize" if len(value) > MAX_TEXT else ""
    if isinstance(value, int | float):
        return "oversize" if abs(value) > MAX_NUMBER else ""
    return "unsupported"  # null
