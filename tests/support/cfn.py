"""Read template.yaml as CloudFormation would deploy it with given parameters: the SAM
transform applied once, then conditions and rules evaluated, Fn::If resolved, AWS::NoValue
dropped, and Ref/Fn::Sub of parameters and pseudo parameters substituted."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
NO_VALUE = object()
PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::Region": "eu-west-1",
    "AWS::AccountId": "123456789012",
    "AWS::StackName": "docs-signer",
    "AWS::URLSuffix": "amazonaws.com",
}
_SUB = re.compile(r"\$\{([A-Za-z0-9:]+)\}")
_POWERTOOLS_LAYER = re.compile(
    r"^\{\{resolve:ssm:/aws/service/powertools/python/arm64/python3\.13/([0-9.]+)\}\}$"
)


@cache
def template() -> dict[str, Any]:
    """template.yaml as written (before the SAM transform)."""
    return dict(yaml_parse(TEMPLATE.read_text()))


def powertools_version() -> str:
    """The Powertools release whose public layer the template pins."""
    layers = template()["Resources"]["SignerFunction"]["Properties"]["Layers"]
    choices = [
        choice
        for layer in layers
        for choice in (layer["Fn::If"][1:] if isinstance(layer, dict) else [layer])
    ]
    pinned = [m.group(1) for layer in choices if (m := _POWERTOOLS_LAYER.match(str(layer)))]
    assert len(pinned) == 1, layers
    return pinned[0]


class Stack:
    def __init__(
        self,
        template: dict[str, Any],
        parameters: dict[str, str],
        pseudo: dict[str, str] | None = None,
    ) -> None:
        self.template = template
        defaults = {
            name: str(spec["Default"])
            for name, spec in template["Parameters"].items()
            if "Default" in spec
        }
        self.parameters = {**defaults, **parameters}
        self.pseudo = {**PSEUDO, **(pseudo or {})}
        self._conditions: dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            self._conditions[name] = self.truth(self.template["Conditions"][name])
        return self._conditions[name]

    def truth(self, expression: Any) -> bool:
        ((function, argument),) = expression.items()
        if function == "Condition":
            return self.condition(argument)
        if function == "Fn::Equals":
            left, right = (self.value(a) for a in argument)
            return str(left) == str(right)
        if function == "Fn::Not":
            return not self.truth(argument[0])
        if function == "Fn::And":
            return all(self.truth(a) for a in argument)
        if function == "Fn::Or":
            return any(self.truth(a) for a in argument)
        raise ValueError(f"unsupported condition function {function}")

    def _known(self, name: str) -> str | None:
        return self.parameters.get(name, self.pseudo.get(name))

    def _sub(self, text: str) -> str:
        return _SUB.sub(lambda m: self._known(m.group(1)) or m.group(0), text)

    def value(self, node: Any) -> Any:
        """Resolve Ref and Fn::Sub of (pseudo) parameters and Fn::If; leave other intrinsics."""
        if isinstance(node, dict) and len(node) == 1:
            ((key, argument),) = node.items()
            if key == "Ref" and argument == "AWS::NoValue":
                return NO_VALUE
            if key == "Ref" and self._known(argument) is not None:
                return self._known(argument)
            if key == "Fn::Sub" and isinstance(argument, str):
                return self._sub(argument)
            if key == "Fn::If":
                name, when_true, when_false = argument
                return self.value(when_true if self.condition(name) else when_false)
            if key in ("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition"):
                return self.truth(node)
        if isinstance(node, dict):
            resolved = {k: self.value(v) for k, v in node.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(node, list):
            return [v for v in (self.value(item) for item in node) if v is not NO_VALUE]
        return node

    def resources(self) -> dict[str, dict[str, Any]]:
        """The resources that deploy, with their properties resolved."""
        return {
            name: self.value(resource)
            for name, resource in self.template["Resources"].items()
            if "Condition" not in resource or self.condition(resource["Condition"])
        }

    def environment(self, secret_arn: str) -> dict[str, str]:
        """The function's environment as Lambda would set it, the created secret's ARN given."""
        variables = self.resources()["SignerFunction"]["Properties"]["Environment"]["Variables"]
        resolved = {}
        for name, value in variables.items():
            if value == {"Ref": "IntercomSecret"}:
                value = secret_arn
            if not isinstance(value, str):
                raise ValueError(f"{name} is not resolved offline: {value}")
            resolved[name] = value
        return resolved

    def local_environment(self, secret: str) -> dict[str, str]:
        """The function's environment inside Lambda, the secret given directly (SIGNER_SECRET)
        in place of Secrets Manager."""
        env = {
            **self.environment("unused"),
            "AWS_LAMBDA_FUNCTION_NAME": "docs-signer-SignerFunction",
            "SIGNER_SECRET": secret,
        }
        del env["SIGNER_SECRET_ARN"]
        return env

    def outputs(self) -> dict[str, Any]:
        return {
            name: self.value(output["Value"])
            for name, output in self.template.get("Outputs", {}).items()
            if "Condition" not in output or self.condition(output["Condition"])
        }

    def broken_rules(self) -> list[str]:
        broken = []
        for name, rule in self.template.get("Rules", {}).items():
            if "RuleCondition" in rule and not self.truth(rule["RuleCondition"]):
                continue
            broken += [
                f"{name}: {a['AssertDescription']}"
                for a in rule["Assertions"]
                if not self.truth(a["Assert"])
            ]
        return broken

    def constraint_violations(self) -> list[str]:
        """Parameter values CloudFormation refuses before the rules (AllowedPattern, …)."""
        refused = []
        for name, spec in self.template["Parameters"].items():
            if name not in self.parameters:
                refused.append(f"{name}: no value and no default")
                continue
            value = self.parameters[name]
            if "AllowedPattern" in spec and not re.fullmatch(spec["AllowedPattern"], value):
                refused.append(f"{name}: {spec.get('ConstraintDescription', 'pattern')}")
            elif len(value) < spec.get("MinLength", 0):
                refused.append(f"{name}: shorter than {spec['MinLength']}")
            elif "AllowedValues" in spec and value not in [str(v) for v in spec["AllowedValues"]]:
                refused.append(f"{name}: not one of {spec['AllowedValues']}")
        return refused
