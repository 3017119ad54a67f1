"""The deploy guide's worst-case request time, counted by the signer's own deadlines.py and
the fetch timeout template.yaml sets: the sentence cannot drift from the code."""

from __future__ import annotations

from template_parameters import function_environment

from intercom_signer.deadlines import (
    EXTENSION_FETCHES,
    IDENTITY_FETCHES,
    SDK_FETCHES,
    fetch_chain_bound,
)
from intercom_signer.settings import MAX_FETCH_TIMEOUT


def _times(count: int) -> str:
    return "t" if count == 1 else f"{count}t"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def template_fetch_timeout() -> float:
    environment, _ = function_environment()
    return float(environment["SIGNER_FETCH_TIMEOUT"])


def markdown_table() -> str:
    fetch = template_fetch_timeout()
    total = IDENTITY_FETCHES + EXTENSION_FETCHES + SDK_FETCHES
    rows = [
        (
            "the login's keys: OIDC discovery, then the JWKS (`jwt`); a free fetch slot, then "
            "one ELB key (`alb`); none (`apigw-jwt`)",
            _times(IDENTITY_FETCHES),
        ),
        ("the secret through the Parameters and Secrets extension", _times(EXTENSION_FETCHES)),
        (
            "then through boto3: its attempts and the backoff between them, within one deadline",
            _times(SDK_FETCHES),
        ),
        (
            f"**together, with the template's t = {_seconds(fetch)}**",
            f"**{total}t = {_seconds(fetch_chain_bound(fetch))}**",
        ),
    ]
    lines = ["| step | worst case |", "|---|---|"]
    lines += [f"| {step} | {bound} |" for step, bound in rows]
    lines.append("")
    lines.append(
        f"At the most the signer accepts (`SIGNER_FETCH_TIMEOUT` = "
        f"{_seconds(MAX_FETCH_TIMEOUT)}) that is {_seconds(fetch_chain_bound(MAX_FETCH_TIMEOUT))}."
    )
    return "\n".join(lines)
