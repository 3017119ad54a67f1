"""What the suite needs beyond the dev environment, prepared by `make test` itself (`make node`,
`make aws-samples`, `make lambda-package`). Under a bare `pytest` a missing one skips its tests
and names the make target; under `make test`, which sets REQUIRED, it fails them loudly."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

# `make test` sets MKDOCS_INTERCOM_PREREQUISITES=required.
VARIABLE = "MKDOCS_INTERCOM_PREREQUISITES"
REQUIRED = "required"


def missing(what: str, fix: str) -> NoReturn:
    """Skip (or, under `make test`, fail) the test: `what` is missing, `fix` prepares it."""
    message = f"{what} is missing: {fix}"
    if os.environ.get(VARIABLE) == REQUIRED:
        pytest.fail(f"{message} (make test needs every prerequisite)")
    pytest.skip(message)
