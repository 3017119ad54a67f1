"""The signer reference's tables, generated from the signer's code: its environment variables
(settings.VARIABLES, with what template.yaml sets), its HTTP answers (app.ANSWERS), its refusal
reasons and 5xx causes (errors.REASONS, errors.CAUSES)."""

from __future__ import annotations

from typing import Any

from template_parameters import function_environment

from intercom_signer.app import ANSWERS
from intercom_signer.errors import CAUSES, REASONS
from intercom_signer.settings import VARIABLES


def _cell(text: str) -> str:
    return " ".join(text.split())


def _name(name: str) -> str:
    """A long name that may break after its underscores, and nowhere else."""
    return f"<code>{name.replace('_', '_<wbr>')}</code>"


def _number(value: float) -> str:
    return f"{value:g}"


def _deployed(value: Any, parameters: set[str]) -> str:
    """What template.yaml sets a variable to, in words: a parameter, a literal, a choice."""
    if isinstance(value, str):
        return f"`{value}`" if value else "empty"
    ((function, argument),) = value.items()
    if function == "Ref":
        if argument in parameters:
            return f"[`{argument}`](deploy.md#parameters)"
        return f"the stack's `{argument}`"
    if function == "Fn::If":
        condition, then, otherwise = argument
        return (
            f"{_deployed(then, parameters)} if `{condition}`, "
            f"else {_deployed(otherwise, parameters)}"
        )
    if function == "Fn::Sub":
        return f"`{argument}`"
    raise ValueError(f"no words for {function} in the function's environment")


def settings_table() -> str:
    deployed, parameters = function_environment()
    rows = ["| variable | default | required | what it sets |", "|---|---|---|---|"]
    for name, variable in VARIABLES.items():
        default = f"`{variable.default}`" if variable.default else "none"
        if variable.accepted:
            low, high = variable.accepted
            default += f", {_number(low)} to {_number(high)}"
        required = variable.required or "no"
        doc = _cell(variable.doc)
        if name in deployed:
            doc += f" *template.yaml sets:* {_deployed(deployed[name], parameters)}."
        rows.append(f"| {_name(name)} | {default} | {required} | {doc} |")
    return "\n".join(rows)


def answers_table() -> str:
    rows = ["| status | body | when |", "|---|---|---|"]
    for status, error, when in ANSWERS:
        body = (
            f'`{{"error": "{error}"}}`' if error else ("the identity" if status == 200 else "none")
        )
        if status == 503:
            body += " + `Retry-After`"
        rows.append(f"| {status} | {body} | {when} |")
    return "\n".join(rows)


def reasons_table() -> str:
    rows = ["| reason | status | when |", "|---|---|---|"]
    rows += [
        f"| {_name(reason)} | {status} | {when} |" for reason, (status, when) in REASONS.items()
    ]
    return "\n".join(rows)


def causes_table() -> str:
    rows = ["| error | cause | when |", "|---|---|---|"]
    for error, causes in CAUSES.items():
        rows += [f"| `{error}` | `{cause}` | {when} |" for cause, when in causes.items()]
    rows.append("| `internal` | the exception's type | anything unexpected |")
    return "\n".join(rows)
