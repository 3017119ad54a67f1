# ruff: noqa: E402  # the clock starts before the imports it measures
"""One cold start: import a stack's handler and answer its first /identity. Prints seconds."""

import os
import sys
import time

started = time.perf_counter()
stack = sys.argv[1]
if stack == "reference":
    from bench.reference_stack import handler
else:
    from intercom_signer.handler import handler
from tests.support.events import FakeContext, http_api_v2  # timed from the first line

event = http_api_v2(headers={"authorization": f"Bearer {os.environ['BENCH_TOKEN']}"})
sys.stdout = open(os.devnull, "w")  # noqa: SIM115  # Powertools writes logs and metrics here
result = handler(event, FakeContext())
elapsed = time.perf_counter() - started
sys.stdout = sys.__stdout__
assert result["statusCode"] == 200, result
print(f"{elapsed:.6f}")
