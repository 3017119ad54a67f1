"""Read a transformed CloudFormation template as it would deploy with given parameters:
conditions and rules evaluated, Fn::If resolved, AWS::NoValue dropped."""

from __future__ import annotations

from typing import Any

NO_VALUE = object()


class Stack:
    def __init__(self, template: dict[str, Any], parameters: dict[str, str]) -> None:
        self.template = template
        defaults = {
            name: str(spec.get("Default", "")) for name, spec in template["Parameters"].items()
        }
        self.parameters = {**defaults, **parameters}
        self._conditions: dict[str, bool] = {}

    def ref(self, name: str) -> Any:
        return self.parameters.get(name, {"Ref": name})

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

    def value(self, node: Any) -> Any:
        """Resolve Ref-to-parameter and Fn::If; leave other intrinsics as they are."""
        if isinstance(node, dict) and len(node) == 1:
            ((key, argument),) = node.items()
            if key == "Ref" and argument in self.parameters:
                return self.parameters[argument]
            if key == "Ref" and argument == "AWS::NoValue":
                return NO_VALUE
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
