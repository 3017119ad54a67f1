"""Time to a verified Messenger, in Chromium: a server-rendered page (the identity inline and
Intercom's documented snippet, the widget started at the load event) against the plugin's
`eager`, `idle` and `interaction` pages, on one material site, with the signer and the
widget host as far away as a warm Lambda and a CDN (delays are parameters).

The clock: from the document's navigation start (`performance.timeOrigin`) to the moment the
sandbox Messenger receives a boot whose signature verifies, both read on this machine's
clock. Fresh tabs (a new browser context each: nothing cached) in rounds, the variants in a
shuffled order within each round; the ratio is the median of each round's ratio to the
server-rendered page, so that the machine's drifting load cancels out."""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jwt
import yaml
from playwright.sync_api import Browser, sync_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from intercom_signer.app import create_app
from intercom_signer.settings import Settings
from mkdocs_intercom.devstack.browser import CHROMIUM_FLAGS, chromium_path
from mkdocs_intercom.devstack.idp import COOKIE, DevIssuer, idp_routes
from mkdocs_intercom.devstack.sandbox import SandboxMessenger
from mkdocs_intercom.devstack.server import LoopbackServer
from mkdocs_intercom.devstack.sitebuild import build
from tests.support.stack import Delay

APP_ID = "benchapp"
SECRET = "bench-intercom-secret-0123456789abcdef"
MODES = ("eager", "idle", "interaction")
PAGE = "\n\n".join(
    f"## Part {k}\n\nSome prose about part {k}, with `code`, a list:\n\n- one\n- two\n\n"
    "```python\nprint('hello')\n```"
    for k in range(8)
)
# Intercom's documented installation snippet: the widget is requested at the load event;
# the boot waits in its queue until the widget has loaded.
SNIPPET = (
    "(function(){var w=window;var ic=w.Intercom;if(typeof ic==='function'){ic('reattach_activator');"
    "ic('update',w.intercomSettings);}else{var d=document;var i=function(){i.c(arguments);};"
    "i.q=[];i.c=function(args){i.q.push(args);};w.Intercom=i;var l=function(){"
    "var s=d.createElement('script');s.type='text/javascript';s.async=true;s.src=WIDGET;"
    "var x=d.getElementsByTagName('script')[0];x.parentNode.insertBefore(s,x);};"
    "if(document.readyState==='complete'){l();}else{w.addEventListener('load',l,false);}}})();"
    "window.Intercom('boot', window.intercomSettings);"
)


class BootClock:
    """In front of the sandbox's API: when each Intercom(...) call arrived (ms since the epoch),
    by the document that made it (performance.timeOrigin) and its sequence number."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.arrived: dict[tuple[float, int], float] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        at = time.time() * 1000
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        call = json.loads(body)
        with self._lock:
            self.arrived[(call["pageStarted"], call["seq"])] = at
        sent = False

        async def replay() -> Any:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class Bench:
    """The site built four ways on one origin with its signer and identity provider, and the
    sandbox Messenger on an origin of its own as Intercom's widget host is; the signer's and
    the widget's delays adjustable between runs."""

    def __init__(self, root: Path) -> None:
        self.server = LoopbackServer()
        self.widget_server = LoopbackServer()
        self.url = self.server.url
        self.issuer = DevIssuer(f"{self.url}/idp", audience="docs")
        self.sandbox = SandboxMessenger(SECRET, APP_ID)
        self.signer = Delay(
            create_app(
                Settings.from_env(
                    {
                        "SIGNER_OIDC_ISSUER": self.issuer.issuer,
                        "SIGNER_OIDC_AUDIENCE": "docs",
                        "SIGNER_TOKEN_FROM": f"cookie:{COOKIE}",
                        "SIGNER_SECRET": SECRET,
                        "SIGNER_OUTPUT": "jwt",
                        "SIGNER_ALLOWED_ORIGINS": self.url,
                    }
                )
            ),
            "/identity",
            0,
        )
        self.widget = Delay(Starlette(routes=self.sandbox.routes()), "/widget/", 0)
        self.clock = BootClock(self.widget)
        self.widget_url = f"{self.widget_server.url}/widget/{APP_ID}"
        sites = {name: self._build(root, name) for name in ("reference", *MODES)}
        routes = [
            Route("/reference/{path:path}", self._server_rendered(sites["reference"])),
            Mount("/api/intercom", app=self.signer),
            Mount("/idp", routes=idp_routes(self.issuer)),
            *(
                Mount(f"/{mode}", app=StaticFiles(directory=sites[mode], html=True))
                for mode in MODES
            ),
        ]
        self.server.start(Starlette(routes=routes))
        self.widget_server.start(self.clock)

    def _build(self, root: Path, name: str) -> Path:
        docs = root / name / "docs"
        docs.mkdir(parents=True)
        (docs / "index.md").write_text(f"# Home\n\n[Next page](next.md)\n\n{PAGE}\n")
        (docs / "next.md").write_text(f"# Next\n\n[Home](index.md)\n\n{PAGE}\n")
        plugins: list[Any] = ["search"]
        if name != "reference":
            plugins.append(
                {
                    "intercom": {
                        "app_id": APP_ID,
                        "signer_url": "/api/intercom/identity",
                        "widget_url": self.widget_url,
                        "load": name,
                    }
                }
            )
        config = {
            "site_name": "Bench",
            "site_url": f"{self.url}/{name}/",
            "docs_dir": "docs",
            "site_dir": str(root / name / "site"),
            "theme": {"name": "material", "font": False},
            "plugins": plugins,
        }
        (root / name / "mkdocs.yml").write_text(yaml.safe_dump(config))
        return build(root / name / "mkdocs.yml")

    def _server_rendered(self, site: Path) -> Any:
        """A server that knows its reader (from the login cookie, verified) and renders the
        signed identity into each page, as intercom-rails or Intercom's own guide do."""
        public = self.issuer.keys[self.issuer.rsa_kid][0].public_key()

        async def page(request: Request) -> Response:
            path = site / request.path_params["path"]
            if path.is_dir() or not path.suffix:
                path = path / "index.html"
            if path.suffix != ".html":
                return Response(path.read_bytes(), media_type=_media_type(path))
            claims = jwt.decode(
                request.cookies[COOKIE], public, algorithms=["RS256"], audience="docs"
            )
            now = int(time.time())
            token = jwt.encode(
                {"user_id": claims["sub"], "iat": now, "exp": now + 3600}, SECRET, "HS256"
            )
            settings = {"app_id": APP_ID, "intercom_user_jwt": token}
            inline = (
                f"<script>window.intercomSettings = {json.dumps(settings)};</script>"
                f"<script>{SNIPPET.replace('WIDGET', json.dumps(self.widget_url))}</script>"
            )
            return HTMLResponse(path.read_text().replace("</head>", inline + "</head>", 1))

        return page

    def delays(self, signer_ms: float, widget_ms: float) -> None:
        self.signer.seconds = signer_ms / 1000
        self.widget.seconds = widget_ms / 1000

    def verified_boot_at(self, page_started: float, timeout: float = 15) -> float:
        """When the verified boot of the document started at `page_started` arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.sandbox.calls:
                if call["pageStarted"] == page_started and call.get("verified") is True:
                    return self.clock.arrived[(page_started, call["seq"])]
            time.sleep(0.005)
        raise RuntimeError("no verified boot")

    def stop(self) -> None:
        self.server.stop()
        self.widget_server.stop()


def _media_type(path: Path) -> str:
    return {".css": "text/css", ".js": "text/javascript", ".json": "application/json"}.get(
        path.suffix, "application/octet-stream"
    )


# When the page asked for the widget, and when it had loaded (ms since navigation start).
WIDGET_ASKED = (
    "() => performance.getEntriesByType('resource')"
    ".find((e) => e.name.includes('/widget/')).startTime"
)
CLICK_CLOCK = (
    "addEventListener('pointerdown', () => { window.__clickedAt ="
    " performance.timeOrigin + performance.now(); }, true);"
)


def _sample(bench: Bench, browser: Browser, variant: str) -> dict[str, float]:
    """One fresh tab: the first view, then the next page by a link click."""
    context = browser.new_context()
    try:
        token = bench.issuer.mint({"sub": "alice", "email_verified": True}, lifetime=3600)
        context.add_cookies([{"name": COOKIE, "value": token, "url": bench.url}])
        page = context.new_page()
        page.add_init_script(CLICK_CLOCK)
        page.goto(f"{bench.url}/{variant}/", wait_until="commit")
        if variant == "interaction":
            return _interaction(bench, page)
        figures = {}
        for view in VIEWS:
            started = page.evaluate("() => performance.timeOrigin")
            figures[view] = bench.verified_boot_at(started) - started
            figures[f"{view}: widget asked"] = page.evaluate(WIDGET_ASKED)
            if view == "first view":
                page.click("text=Next page")
                page.wait_for_url("**/next/", wait_until="commit")
        return figures
    finally:
        context.close()


def _interaction(bench: Bench, page: Any) -> dict[str, float]:
    """Hover (the identity is fetched), then click: click → verified boot, and the widget's own
    download as the browser timed it."""
    launcher = page.locator(".mkdocs-intercom-launcher")
    with page.expect_response("**/api/intercom/identity"):
        launcher.hover()
    launcher.click()
    started = page.evaluate("() => performance.timeOrigin")
    verified = bench.verified_boot_at(started)
    clicked = page.evaluate("() => window.__clickedAt")
    widget = page.evaluate(
        "() => { const [e] = performance.getEntriesByType('resource')"
        ".filter((e) => e.name.includes('/widget/')); return e.responseEnd - e.startTime; }"
    )
    return {"click to verified": verified - clicked, "widget download": widget}


@contextmanager
def _chromium() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        raise SystemExit("Debian's chromium is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_FLAGS))
        try:
            yield browser
        finally:
            browser.close()


Runs = dict[str, list[dict[str, float]]]
VIEWS = ("first view", "next page")


def _rounds(bench: Bench, browser: Browser, variants: tuple[str, ...], tabs: int) -> Runs:
    """`tabs` rounds, each one fresh tab per variant in a shuffled order, so that the machine's
    drifting load falls on the variants of a round alike."""
    order = random.Random(20261124)
    runs: Runs = {variant: [] for variant in variants}
    for variant in variants:  # warm the server and the browser alike
        _sample(bench, browser, variant)
    for _ in range(tabs):
        for variant in order.sample(variants, len(variants)):
            runs[variant].append(_sample(bench, browser, variant))
    return runs


def _table(runs: Runs, goals: dict[str, float]) -> None:
    """Median times, the median of the ratios to the server-rendered page of the same round,
    and when each page asked for the widget (what decides the race: its download dominates)."""
    reference = runs["reference"]
    print(f"  {'':16s} {'first view':>20s} {'next page':>20s}   widget asked at (first, next)")
    for variant, samples in runs.items():
        ratios = {
            view: statistics.median(
                s[view] / r[view] for s, r in zip(samples, reference, strict=True)
            )
            for view in VIEWS
        }
        cells = [
            f"{statistics.median(s[view] for s in samples):6.0f} ms {ratios[view]:5.2f}x"
            for view in VIEWS
        ]
        asked = [statistics.median(s[f"{view}: widget asked"] for s in samples) for view in VIEWS]
        goal = goals.get(variant)
        verdict = ""
        if goal is not None:
            met = max(ratios.values()) <= goal
            verdict = f"   goal <= {goal:.2f}x: {'met' if met else 'MISSED'}"
        name = "server-rendered" if variant == "reference" else variant
        print(
            f"  {name:16s} {cells[0]:>20s} {cells[1]:>20s}   {asked[0]:4.0f} ms, {asked[1]:4.0f} ms"
            f"{verdict}"
        )


def time_to_messenger(
    signer_ms: float = 150,
    widget_ms: float = 300,
    tabs: int = 11,
    cold_start_ms: float | None = None,
) -> None:
    """Print the medians and ratios; with `cold_start_ms`, the same with a cold signer."""
    goals = {"eager": 0.9, "idle": 1.0}
    with (
        tempfile.TemporaryDirectory(prefix="mkdocs-intercom-bench-") as root,
        _chromium() as browser,
    ):
        bench = Bench(Path(root))
        try:
            print(
                f"time to a verified Messenger, Chromium (median of {tabs} fresh tabs;"
                f" signer {signer_ms:.0f} ms, widget {widget_ms:.0f} ms away)"
            )
            bench.delays(signer_ms, widget_ms)
            _table(_rounds(bench, browser, ("reference", "eager", "idle"), tabs), goals)
            clicks = _rounds(bench, browser, ("interaction",), tabs)["interaction"]
            interaction = {
                key: statistics.median(sample[key] for sample in clicks) for key in clicks[0]
            }
            extra = statistics.median(s["click to verified"] - s["widget download"] for s in clicks)
            print(
                f"  interaction: hover, then click → verified {interaction['click to verified']:.0f} ms;"
                f" the widget's own download {interaction['widget download']:.0f} ms;"
                f" {extra:+.0f} ms   goal <= +50 ms: {'met' if extra <= 50 else 'MISSED'}"
            )
            if cold_start_ms is not None:
                print(
                    f"with a cold signer: {signer_ms:.0f} ms + the measured cold start"
                    f" {cold_start_ms:.0f} ms"
                )
                bench.delays(signer_ms + cold_start_ms, widget_ms)
                _table(_rounds(bench, browser, ("reference", "eager", "idle"), tabs), goals)
        finally:
            bench.stop()
