"""AWS on loopback: moto's server for Secrets Manager, and a stand-in for the Parameters and
Secrets Lambda extension that answers its documented HTTP interface."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from mkdocs_intercom.devstack.server import LoopbackServer
from tests.support.waiting import free_port

SESSION_TOKEN = "session-token-for-tests"


class MotoSecretsManager:
    """moto's real server process-in-thread on a loopback port, stoppable and restartable."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self._factory = ThreadedMotoServer
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": self.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
        }
        self._server = self._factory(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def client(self):  # type: ignore[no-untyped-def]
        import boto3

        return boto3.client(
            "secretsmanager",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def create(self, name: str, value: str) -> str:
        return str(self.client().create_secret(Name=name, SecretString=value)["ARN"])

    def put(self, arn: str, value: str) -> None:
        self.client().put_secret_value(SecretId=arn, SecretString=value)

    def go_down(self) -> None:
        self._server.stop()

    def come_back(self) -> None:
        self._server = self._factory(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        self._server.stop()


class ExtensionStandIn:
    """GET /secretsmanager/get?secretId=… with X-Aws-Parameters-Secrets-Token, as AWS documents."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets
        self.requests = 0
        self._server = LoopbackServer()
        self.port = self._server.port
        self._server.start(Starlette(routes=[Route("/secretsmanager/get", self._get)]))

    async def _get(self, request: Request) -> Response:
        self.requests += 1
        if request.headers.get("x-aws-parameters-secrets-token") != SESSION_TOKEN:
            return PlainTextResponse("missing token", status_code=401)
        arn = request.query_params.get("secretId", "")
        if arn not in self.secrets:
            return PlainTextResponse("not found", status_code=400)
        return JSONResponse(
            {
                "ARN": arn,
                "Name": arn.rsplit(":", 1)[-1],
                "SecretString": self.secrets[arn],
                "VersionStages": ["AWSCURRENT"],
            }
        )

    def stop(self) -> None:
        self._server.stop()


SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:intercom-AbCdEf"


def stored_secret(arn: str = SECRET_ARN) -> dict[str, str]:
    """SIGNER_* settings that read the Intercom secret from Secrets Manager, none inline."""
    return {"SIGNER_SECRET": "", "SIGNER_SECRET_ARN": arn}


def sdk_environment(endpoint: str) -> dict[str, str]:
    """What the AWS SDK reads to call Secrets Manager at `endpoint` with test credentials."""
    return {
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
