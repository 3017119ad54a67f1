"""The function package as `sam build` ships it: size unzipped (no boto3: the runtime has it),
what Powertools weighs in it, and a cold start and peak memory measured from that folder."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.aws import SESSION_TOKEN, ExtensionStandIn
from tests.support.issuer import IssuerUnderTest
from tests.support.package import LAMBDA_PLATFORM, ROOT, build_package, size_of

SECRET = "bench-intercom-secret-0123456789abcdef"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:intercom-AbCdEf"
CHILD = """
import time; started = time.perf_counter()
import os, sys
sys.path[:0] = [os.environ["PACKAGE"], os.environ["LAYER"], os.environ["REPO"]]
from intercom_signer.handler import handler
from tests.support.events import FakeContext, http_api_v2
event = http_api_v2(headers={"authorization": "Bearer " + os.environ["TOKEN"]})
sys.stdout = open(os.devnull, "w")
result = handler(event, FakeContext())
elapsed = time.perf_counter() - started
sys.stdout = sys.__stdout__
assert result["statusCode"] == 200, result
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, from the parent that forked us.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(elapsed, peak_kb)
"""


def package(rounds: int = 7) -> None:
    folder = Path(tempfile.mkdtemp(prefix="signer-package-"))
    issuer = IssuerUnderTest()
    extension = ExtensionStandIn({ARN: SECRET})
    try:
        function, layer = build_package(folder)
        local = size_of(function)
        lambda_function, lambda_layer = build_package(folder / "arm64", LAMBDA_PLATFORM)
        total = size_of(lambda_function)
        crypto = size_of(lambda_function / "cryptography")
        powertools = size_of(lambda_layer / "aws_lambda_powertools")
        env = {
            "PATH": os.environ["PATH"],
            "PACKAGE": str(function),
            "LAYER": str(layer),
            "REPO": str(ROOT),
            "TOKEN": issuer.token(),
            "AWS_LAMBDA_FUNCTION_NAME": "intercom-signer",
            "SIGNER_OIDC_ISSUER": issuer.url,
            "SIGNER_OIDC_JWKS_URL": f"{issuer.url}/jwks.json",
            "SIGNER_OIDC_AUDIENCE": "docs",
            "SIGNER_SECRET_ARN": ARN,
            "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(extension.port),
            "AWS_SESSION_TOKEN": SESSION_TOKEN,
        }
        runs = []
        for _ in range(rounds + 1):
            out = subprocess.run(
                [sys.executable, "-S", "-c", CHILD],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            seconds, rss_kb = out.split()
            runs.append((float(seconds), int(rss_kb)))
        runs = runs[1:]  # the first run warms the file cache
    finally:
        extension.stop()
        issuer.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(
        "function package (lambda/requirements.txt + intercom_signer; boto3: the runtime's; Powertools: its layer)"
    )
    print(
        f"  arm64/Python 3.13 as deployed: {total / 1e6:.1f} MB unzipped, cryptography {crypto / 1e6:.1f} MB of it   budget <= 15 MB"
    )
    print(f"  with this machine's wheels (run below): {local / 1e6:.1f} MB")
    print(f"  Powertools in the package instead of its layer would add {powertools / 1e6:.1f} MB")
    cold = statistics.median(r[0] for r in runs)
    print(
        f"  cold start from the folder (import + first /identity via the extension): {cold * 1000:.0f} ms median of {rounds}"
    )
    print(f"  peak RSS {max(r[1] for r in runs) / 1024:.0f} MB")
