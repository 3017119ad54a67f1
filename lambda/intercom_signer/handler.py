"""The Lambda entry point (`intercom_signer.handler.handler`): the function built once, at
init, from the environment, so a misconfiguration fails the init rather than a request."""

from __future__ import annotations

import os

from .function import build_handler

handler = build_handler(os.environ)
