"""What API Gateway's HTTP API JWT authorizer hands the Lambda function.

After verifying a token, the authorizer puts its claims in the event at
`requestContext.authorizer.jwt.claims` with every value written as a string: numbers as their
digits, booleans as "true"/"false", arrays as "[a b c]" (see the event in aws-sam-cli issue
#2833 and AWS's "Working with AWS Lambda proxy integrations for HTTP APIs").
"""

from __future__ import annotations

from typing import Any


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_as_string(item) for item in value) + "]"
    return str(value)


def authorizer_claims(claims: dict[str, Any]) -> dict[str, str]:
    return {name: _as_string(value) for name, value in claims.items()}
