"""The deploy guide's parameter table, generated from template.yaml: every parameter, its
default, when it is needed (read from the template's rules) and what it sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from samtranslator.yaml_helper import yaml_parse

TEMPLATE = Path(__file__).resolve().parents[1] / "template.yaml"


def _condition(expression: dict[str, Any]) -> str:
    """A rule condition in words: `IdentitySource is jwt or apigw-jwt`."""
    ((function, argument),) = expression.items()
    if function == "Fn::Equals":
        reference, value = argument
        return f"{reference['Ref']} is {value}"
    if function == "Fn::Or":
        parts = [_condition(a) for a in argument]
        subject = parts[0].split(" is ")[0]
        if all(p.startswith(f"{subject} is ") for p in parts):
            return f"{subject} is " + " or ".join(p.split(" is ", 1)[1] for p in parts)
        return " or ".join(parts)
    if function == "Fn::And":
        return " and ".join(_condition(a) for a in argument)
    raise ValueError(f"no words for {function} in a rule condition")


def _requirement(assertion: dict[str, Any]) -> tuple[str, str]:
    """(parameter, what the assertion asks of it)."""
    ((function, argument),) = assertion.items()
    if function == "Fn::Not":
        ((inner, (reference, empty)),) = argument[0].items()
        if inner == "Fn::Equals" and empty == "":
            return reference["Ref"], "required"
    words = _condition(assertion)
    subject, values = words.split(" is ", 1)
    return subject, f"must be {values}"


def needed(template: dict[str, Any]) -> dict[str, list[str]]:
    """Per parameter, when it must be given (or what it must be), from the Rules."""
    found: dict[str, list[str]] = {}
    for rule in template.get("Rules", {}).values():
        when = _condition(rule["RuleCondition"]) if "RuleCondition" in rule else ""
        for assertion in rule["Assertions"]:
            name, ask = _requirement(assertion["Assert"])
            found.setdefault(name, []).append(f"{ask} when {when}" if when else ask)
    return found


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def function_environment(template_path: Path = TEMPLATE) -> tuple[dict[str, Any], set[str]]:
    """The signer function's environment variables as the template sets them, and the names
    of the template's parameters (a `Ref` to anything else names a resource)."""
    template = yaml_parse(template_path.read_text())
    variables: dict[str, Any] = template["Resources"]["SignerFunction"]["Properties"][
        "Environment"
    ]["Variables"]
    return variables, set(template["Parameters"])


def markdown_table(template_path: Path = TEMPLATE) -> str:
    template = yaml_parse(template_path.read_text())
    rules = needed(template)
    rows = [
        "| parameter | default | needed | what it sets |",
        "|---|---|---|---|",
    ]
    for name, spec in template["Parameters"].items():
        if "Default" not in spec:
            default, need = "—", "always"
        else:
            default = f"`{spec['Default']}`" if str(spec["Default"]) else "empty"
            need = "; ".join(rules.get(name, [])) or "optional"
        rows.append(f"| `{name}` | {default} | {_cell(need)} | {_cell(spec['Description'])} |")
    return "\n".join(rows)
