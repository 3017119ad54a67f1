"""`python -m intercom_signer` serves the same app locally over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.aws import free_port
from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, signer_env


def test_python_m_intercom_signer_answers_over_http(issuer: IssuerUnderTest) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNER_")} | signer_env(
        issuer.url
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "intercom_signer", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "signer did not start"
                time.sleep(0.1)
        token = issuer.token(sub="subprocess-reader")
        response = httpx.get(f"{url}/identity", headers={"Authorization": f"Bearer {token}"})
        assert response.json()["user_id"] == "subprocess-reader"
        assert httpx.get(f"{url}/identity").status_code == 401
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert '"reason":"no_credential"' in output, "structured JSON logs on stdout"
    assert SECRET not in output
    assert token not in output


def test_without_the_signer_extra_one_line_says_what_to_install() -> None:
    # -S: no site-packages at all, as after `pip install mkdocs-intercom` without [signer].
    lambda_dir = Path(__file__).resolve().parents[2] / "lambda"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNER_")}
    env["PYTHONPATH"] = str(lambda_dir)
    result = subprocess.run(
        [sys.executable, "-S", "-m", "intercom_signer"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "pip install 'mkdocs-intercom[signer]'" in result.stderr
