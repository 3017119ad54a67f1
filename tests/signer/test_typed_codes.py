"""Refusal reasons and failure causes are types: a misspelt one is a type error under
mypy --strict, never a new CloudWatch dimension."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from mypy import api

import intercom_signer
from intercom_signer.errors import (
    PROVIDER_CAUSES,
    REASONS,
    SECRET_CAUSES,
    ProviderCause,
    Reason,
    SecretCause,
)

SPELT_RIGHT = """
from intercom_signer.errors import ProviderUnavailable, Rejected, SecretUnavailable
from intercom_signer.fetch import FetchError

def refuse() -> None:
    raise Rejected("unknown_kid")

def fail() -> None:
    raise ProviderUnavailable("timeout")

def fail_fetch() -> None:
    raise FetchError("not_json", "no JSON")

def fail_secret() -> None:
    raise SecretUnavailable("access_denied")
"""

SPELT_WRONG = """
from intercom_signer.errors import ProviderUnavailable, Rejected, SecretUnavailable
from intercom_signer.fetch import FetchError

def refuse() -> None:
    raise Rejected("unknwon_kid")

def fail() -> None:
    raise ProviderUnavailable("time_out")

def fail_fetch() -> None:
    raise FetchError("notjson", "no JSON")

def fail_secret() -> None:
    raise SecretUnavailable("no_secret")  # a provider's cause is not a secret's either
"""


def test_every_code_of_a_type_has_its_row_in_the_table() -> None:
    assert list(get_args(Reason)) == list(REASONS)
    assert list(get_args(ProviderCause)) == list(PROVIDER_CAUSES)
    assert list(get_args(SecretCause)) == list(SECRET_CAUSES)


def test_mypy_strict_catches_a_misspelt_reason_or_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "right.py").write_text(SPELT_RIGHT)
    (tmp_path / "wrong.py").write_text(SPELT_WRONG)
    monkeypatch.setenv("MYPYPATH", str(Path(intercom_signer.__file__).parents[1]))
    out, err, status = api.run(
        [
            "--strict",
            "--no-incremental",
            "--follow-imports=silent",
            "--config-file=",
            str(tmp_path / "right.py"),
            str(tmp_path / "wrong.py"),
        ]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, out + err
    assert not [line for line in errors if "right.py" in line], out
    flagged = {line.split(":")[1] for line in errors if "wrong.py" in line}
    assert flagged == {"6", "9", "12", "15"}, out
    assert "'unknwon_kid'" in out
