"""The front doors the deploy recipes put before the docs and the signer, on loopback: each
answers a request without a login the way its own documentation says it does, and forwards a
request with one to the deployment behind it, the login moved to where that door hands it on.

- the ALB (`authenticate-oidc`): the site's rule redirects to the IdP; the `/api/intercom/*`
  rule has `OnUnauthenticatedRequest: deny` and answers 401 with its own HTML page; the
  health rule forwards unauthenticated;
- API Gateway's JWT authorizer: `401 {"message":"Unauthorized"}` with `www-authenticate`;
  its CORS configuration, not the function's, sets the CORS headers of every answer;
- Cloudflare Access: everything without its `CF_Authorization` cookie is redirected to the
  team's login page; with it, the token goes on in `Cf-Access-Jwt-Assertion`;
- CloudFront with the edge-authentication solution: pages without the `ID-TOKEN` cookie are
  redirected to Cognito's hosted UI; `/api/intercom/*` has no edge function, and its origin
  request policy forwards only that cookie and the `Origin` header.

What each door checks of the login itself (the ALB's session, Access's signature) is not
imitated: the signer behind it verifies the token it is handed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from mkdocs_intercom.devstack.server import LoopbackServer

# What a rule decides: a refusal the door answers itself, or the headers to forward.
Decision = Response | dict[str, str]
Rule = Callable[[Request], Decision]
_NOT_FORWARDED = {"host", "content-length", "connection", "transfer-encoding", "content-encoding"}

ALB_SESSION_COOKIE = "AWSELBAuthSessionCookie-0"
ALB_DENIED = (
    "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n"
    "<center><h1>401 Authorization Required</h1></center>\r\n</body>\r\n</html>\r\n"
)
IDP_AUTHORIZE = "https://login.example.com/oauth2/authorize"
ACCESS_TEAM = "https://docs-team.cloudflareaccess.com"
COGNITO_HOSTED_UI = "https://docs.auth.eu-west-1.amazoncognito.com/oauth2/authorize"


def _forwarded(request: Request, **extra: str) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k not in _NOT_FORWARDED}
    return {**headers, **extra}


def _cookie(request: Request, name: str) -> str:
    return request.cookies.get(name, "")


@dataclass
class FrontDoor:
    """An ASGI app: the door's rule first, then the deployment at `upstream`."""

    rule: Rule
    upstream: str = ""
    answer_headers: Callable[[Request, dict[str, str]], dict[str, str]] = field(
        default=lambda request, headers: headers
    )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        decision = self.rule(request)
        if isinstance(decision, Response):
            await decision(scope, receive, send)
            return
        url = f"{self.upstream}{request.url.path}"
        if request.url.query:
            url += f"?{request.url.query}"
        async with httpx.AsyncClient(follow_redirects=False) as client:
            upstream = await client.request(
                request.method, url, headers=decision, content=await request.body()
            )
        headers = {k: v for k, v in upstream.headers.items() if k not in _NOT_FORWARDED}
        response = Response(
            upstream.content, upstream.status_code, self.answer_headers(request, headers)
        )
        await response(scope, receive, send)


def alb(request: Request) -> Decision:
    path = request.url.path
    session = _cookie(request, ALB_SESSION_COOKIE)
    if path == "/api/intercom/healthz":
        return _forwarded(request)
    if not session:
        if path.startswith("/api/intercom/"):
            return HTMLResponse(ALB_DENIED, 401)  # OnUnauthenticatedRequest: deny
        return RedirectResponse(f"{IDP_AUTHORIZE}?client_id=docs&response_type=code", 302)
    return _forwarded(request, **{"x-amzn-oidc-data": session})


def cloudflare_access(request: Request) -> Decision:
    token = _cookie(request, "CF_Authorization")
    if not token:
        login = f"{ACCESS_TEAM}/cdn-cgi/access/login/{request.url.netloc}"
        return RedirectResponse(f"{login}?kid=aud-tag&redirect_url={request.url.path}", 302)
    return _forwarded(request, **{"cf-access-jwt-assertion": token})


def cloudfront_edge(request: Request) -> Decision:
    token = _cookie(request, "ID-TOKEN")
    if request.url.path.startswith("/api/intercom/"):
        # No edge function on this behavior; its origin request policy forwards the ID-TOKEN
        # cookie and the Origin header, and nothing else of the reader's.
        headers = {k: v for k, v in request.headers.items() if k in ("origin", "accept")}
        return {**headers, **({"cookie": f"ID-TOKEN={token}"} if token else {})}
    if not token:
        return RedirectResponse(f"{COGNITO_HOSTED_UI}?client_id=docs&response_type=code", 302)
    return _forwarded(request)


@dataclass
class JwtAuthorizer:
    """API Gateway's HTTP API with its JWT authorizer on `GET /identity` and CORS for
    `allowed_origins`; `GET /healthz` has no authorizer."""

    allowed_origins: list[str]

    def rule(self, request: Request) -> Decision:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if request.url.path == "/identity" and (scheme.lower() != "bearer" or not token):
            return JSONResponse(
                {"message": "Unauthorized"},
                401,
                headers={"www-authenticate": "Bearer", **self._cors(request.headers)},
            )
        return _forwarded(request)

    def answer_headers(self, request: Request, headers: dict[str, str]) -> dict[str, str]:
        """The integration's CORS headers are ignored; the API's configuration decides."""
        kept = {k: v for k, v in headers.items() if not k.startswith("access-control-")}
        return {**kept, **self._cors(request.headers)}

    def _cors(self, headers: Headers) -> dict[str, str]:
        origin = headers.get("origin")
        if origin not in self.allowed_origins:
            return {}
        return {
            "access-control-allow-origin": origin,
            "access-control-allow-credentials": "true",
        }


def open_door(rule: Rule, **kwargs: object) -> tuple[LoopbackServer, FrontDoor]:
    """A front door listening on loopback; point it at its deployment with `.upstream`."""
    door = FrontDoor(rule, **kwargs)  # type: ignore[arg-type]
    server = LoopbackServer()
    server.start(door)
    return server, door
