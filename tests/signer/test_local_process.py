"""`python -m intercom_signer` serves the same app locally over HTTP."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

from tests.support.issuer import IssuerUnderTest
from tests.support.signer import SECRET, module_env, run_signer_module, signer_env
from tests.support.waiting import eventually, free_port, start_reading


def healthy(url: str) -> bool:
    """Whether the signer at `url` answers its health check (False while nothing listens)."""
    try:
        return bool(httpx.get(f"{url}/healthz").json() == {"status": "ok"})
    except httpx.TransportError:
        return False


def test_python_m_intercom_signer_answers_over_http(issuer: IssuerUnderTest) -> None:
    port = free_port()
    process = start_reading(
        [sys.executable, "-m", "intercom_signer", "--host", "127.0.0.1", "--port", str(port)],
        env=module_env(**signer_env(issuer.url)),
    )
    try:
        url = f"http://127.0.0.1:{port}"
        eventually(lambda: healthy(url), timeout=20)
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
    result = run_signer_module(env={"PYTHONPATH": str(lambda_dir)}, interpreter=("-S",))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "pip install 'mkdocs-intercom[signer]'" in result.stderr
