"""Time to a verified Messenger, in Chromium: a server-rendered page (the identity inline and
Intercom's documented snippet, the widget started at the load event) against the plugin's
`eager`, `idle` and `interaction` pages, with the signer and the widget host as far away as a
warm Lambda and a CDN (delays are parameters). Two pages:

- the realistic page: a material page with the theme's own JS and CSS, web fonts served by the
  site, its search index and three screenshots, gzipped and cacheable as a CDN serves them,
  under Chromium's network emulation (40 ms round trip, 20 Mbit/s);
- the bare page: a short material page on loopback, no fonts, no images, no emulation.

Two views per tab: the first view (a fresh tab: nothing cached), then the next page, a full
load by a link click with the theme and the widget from the HTTP cache, which asks the signer
(the tab's storage is cleared first, so a loader that keeps an identity there asks too).

The clock: from the document's navigation start (`performance.timeOrigin`) to the moment the
sandbox Messenger receives a boot whose signature verifies, both read on this machine's
clock. Fresh tabs (a new browser context each) in rounds, the variants in a shuffled order
within each round; the ratio is the median of each round's ratio to the server-rendered page,
so that the machine's drifting load cancels out."""

from __future__ import annotations

import json
import mimetypes
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jwt
import yaml
from playwright.sync_api import Browser, sync_playwright
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bench.site import realistic_site
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
# The realistic page's network, as Chromium emulates it (DevTools protocol): a 40 ms round trip
# (Chromium holds each response until at least this long after its request) and 20 Mbit/s.
RTT_MS = 40
NETWORK = {
    "offline": False,
    "latency": RTT_MS,
    "downloadThroughput": 20e6 / 8,
    "uploadThroughput": 20e6 / 8,
}
SIGNER_PATH = "/api/intercom/identity"
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


class Headers:
    """In front of an app: response headers set by path and content type, as a CDN sets them."""

    def __init__(self, app: Any, choose: Callable[[str, str], dict[str, str]]) -> None:
        self.app = app
        self.choose = choose

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = {k.decode().lower(): v for k, v in message["headers"]}
                kind = headers.get("content-type", b"").decode()
                chosen = self.choose(scope["path"], kind)
                kept = [(k, v) for k, v in message["headers"] if k.decode().lower() not in chosen]
                message = {
                    **message,
                    "headers": kept + [(k.encode(), v.encode()) for k, v in chosen.items()],
                }
            await send(message)

        await self.app(scope, receive, with_headers)


def _site_headers(path: str, kind: str) -> dict[str, str]:
    """Pages are asked for again (the server-rendered one names its reader); the theme's
    assets, fonts, images and search index are cached, as a CDN serves a built site."""
    if path.startswith(SIGNER_PATH.rsplit("/", 1)[0]) or path.startswith("/idp"):
        return {}
    return {"cache-control": "private, no-cache" if "html" in kind else "public, max-age=3600"}


def _widget_headers(path: str, kind: str) -> dict[str, str]:
    """Intercom's widget is cacheable for minutes; timing visible to the page, so the bench can
    tell a download from a cache hit."""
    if "/widget/" not in path:
        return {}
    return {"cache-control": "public, max-age=300", "timing-allow-origin": "*"}


class Bench:
    """The site built once per variant on one origin with its signer and identity provider, and
    the sandbox Messenger on an origin of its own as Intercom's widget host is; the signer's
    and the widget's delays adjustable between runs. `realistic`: the realistic page under
    network emulation; otherwise the bare page."""

    def __init__(self, root: Path, *, realistic: bool) -> None:
        self.realistic = realistic
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
        self.clock = BootClock(Headers(self.widget, _widget_headers))
        self.widget_url = f"{self.widget_server.url}/widget/{APP_ID}"
        self.modes = ("eager", "idle") if realistic else MODES
        sites = {name: self._build(root, name) for name in ("reference", *self.modes)}
        routes = [
            Route("/reference/{path:path}", self._server_rendered(sites["reference"])),
            Mount("/api/intercom", app=self.signer),
            Mount("/idp", routes=idp_routes(self.issuer)),
            *(
                Mount(f"/{mode}", app=StaticFiles(directory=sites[mode], html=True))
                for mode in self.modes
            ),
        ]
        self.server.start(Headers(GZipMiddleware(Starlette(routes=routes)), _site_headers))
        self.widget_server.start(self.clock)

    def _build(self, root: Path, name: str) -> Path:
        plugin = None
        if name != "reference":
            plugin = {
                "app_id": APP_ID,
                "signer_url": SIGNER_PATH,
                "widget_url": self.widget_url,
                "load": name,
            }
        site_url = f"{self.url}/{name}/"
        if self.realistic:
            return build(realistic_site(root / name, plugin, site_url))
        docs = root / name / "docs"
        docs.mkdir(parents=True)
        (docs / "index.md").write_text(f"# Home\n\n[Next page](next.md)\n\n{PAGE}\n")
        (docs / "next.md").write_text(f"# Next\n\n[Home](index.md)\n\n{PAGE}\n")
        config = {
            "site_name": "Bench",
            "site_url": site_url,
            "docs_dir": "docs",
            "site_dir": str(root / name / "site"),
            "theme": {"name": "material", "font": False},
            "plugins": ["search", *([{"intercom": plugin}] if plugin else [])],
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
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# When the page asked for the widget (ms since navigation start), and whether it came from
# the HTTP cache (no bytes over the wire; the widget host allows the timing to be seen).
WIDGET_ASKED = (
    "() => { const e = performance.getEntriesByType('resource')"
    ".find((e) => e.name.includes('/widget/')); return [e.startTime, e.transferSize === 0]; }"
)
# The page's load event, and the bytes its document and resources took over the wire.
PAGE_LOAD = (
    "() => { const [n] = performance.getEntriesByType('navigation');"
    " const bytes = performance.getEntriesByType('resource')"
    ".reduce((sum, e) => sum + e.transferSize, n.transferSize);"
    " return [n.loadEventStart, bytes, document.fonts.status,"
    " [...document.fonts].filter((f) => f.status === 'loaded').length]; }"
)
CLICK_CLOCK = (
    "addEventListener('pointerdown', () => { window.__clickedAt ="
    " performance.timeOrigin + performance.now(); }, true);"
)


def _sample(
    bench: Bench,
    browser: Browser,
    variant: str,
    views: tuple[str, ...] = ("first view", "next page"),
) -> dict[str, float]:
    """One fresh tab: the first view, then the next page by a link click (a full load)."""
    context = browser.new_context()
    try:
        token = bench.issuer.mint({"sub": "alice", "email_verified": True}, lifetime=3600)
        context.add_cookies([{"name": COOKIE, "value": token, "url": bench.url}])
        page = context.new_page()
        if bench.realistic:
            network = context.new_cdp_session(page)
            network.send("Network.enable")
            network.send("Network.emulateNetworkConditions", NETWORK)
        asked: list[str] = []
        page.on("request", lambda request: SIGNER_PATH in request.url and asked.append(request.url))
        page.add_init_script(CLICK_CLOCK)
        page.goto(f"{bench.url}/{variant}/", wait_until="commit")
        if variant == "interaction":
            return _interaction(bench, page)
        figures: dict[str, float] = {}
        for view in views:
            started = page.evaluate("() => performance.timeOrigin")
            figures[view] = bench.verified_boot_at(started) - started
            # The reader reads on: everything the page asked for has arrived.
            page.wait_for_load_state("networkidle")
            figures[f"{view}: widget asked"], cached = page.evaluate(WIDGET_ASKED)
            load, figures[f"{view}: bytes"], fonts, faces = page.evaluate(PAGE_LOAD)
            figures[f"{view}: load event"] = load
            if bench.realistic and (fonts != "loaded" or faces < 3):
                raise RuntimeError(f"the page's web fonts did not load: {fonts}, {faces} faces")
            if view == "first view" and len(views) > 1:
                page.evaluate("() => sessionStorage.clear()")  # the next page asks the signer
                before = len(asked)
                page.click(".md-content a:text-is('Next page')")
                page.wait_for_url("**/next/", wait_until="commit")
            elif view == "next page":
                figures["next page: signer requests"] = len(asked) - before
                if not cached:
                    raise RuntimeError("the next page downloaded the widget again")
                if variant != "reference" and len(asked) == before:
                    raise RuntimeError("the next page did not ask the signer")
        return figures
    finally:
        context.close()


def _interaction(bench: Bench, page: Any) -> dict[str, float]:
    """Hover (the identity is fetched), then click: click → verified boot, and the widget's own
    download as the browser timed it."""
    launcher = page.locator(".mkdocs-intercom-launcher")
    with page.expect_response(f"**{SIGNER_PATH}"):
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
# The budgets (DESIGN.md), on the realistic page: (first view, next page) against the
# server-rendered page.
GOALS = {"eager": (0.8, 1.0), "idle": (0.9, 1.0)}


def _rounds(
    bench: Bench,
    browser: Browser,
    variants: tuple[str, ...],
    tabs: int,
    views: tuple[str, ...] = VIEWS,
) -> Runs:
    """`tabs` rounds, each one fresh tab per variant in a shuffled order, so that the machine's
    drifting load falls on the variants of a round alike."""
    order = random.Random(20261124)
    runs: Runs = {variant: [] for variant in variants}
    for variant in variants:  # warm the server and the browser alike
        _sample(bench, browser, variant, views)
    for _ in range(tabs):
        for variant in order.sample(variants, len(variants)):
            runs[variant].append(_sample(bench, browser, variant, views))
    return runs


def _median(samples: list[dict[str, float]], key: str) -> float:
    return statistics.median(sample[key] for sample in samples)


def _table(runs: Runs, goals: dict[str, tuple[float, float]]) -> None:
    """Median times, the median of the ratios to the server-rendered page of the same round,
    when each page asked for the widget (what decides the race on a first view: its download
    dominates), the first view's load event, and the signer requests of the next page."""
    reference = runs["reference"]
    print(
        f"  {'':16s} {'first view':>20s} {'next page':>20s}"
        "   widget asked (first, next)  load event  signer asked (next)"
    )
    if "next page" not in reference[0]:
        return _first_views(runs)
    for variant, samples in runs.items():
        ratios = [
            statistics.median(s[view] / r[view] for s, r in zip(samples, reference, strict=True))
            for view in VIEWS
        ]
        cells = [
            f"{_median(samples, view):6.0f} ms {ratio:5.2f}x"
            for view, ratio in zip(VIEWS, ratios, strict=True)
        ]
        asked = [_median(samples, f"{view}: widget asked") for view in VIEWS]
        load = _median(samples, "first view: load event")
        signer = _median(samples, "next page: signer requests")
        goal = goals.get(variant)
        verdict = ""
        if goal is not None:
            met = all(ratio <= limit for ratio, limit in zip(ratios, goal, strict=True))
            verdict = f"   goal <= {goal[0]:.2f}x, {goal[1]:.2f}x: {'met' if met else 'MISSED'}"
        name = "server-rendered" if variant == "reference" else variant
        print(
            f"  {name:16s} {cells[0]:>20s} {cells[1]:>20s}"
            f"   {asked[0]:6.0f} ms, {asked[1]:4.0f} ms  {load:7.0f} ms  {signer:5.0f}{verdict}"
        )


def _first_views(runs: Runs) -> None:
    """The first view alone (a cold signer: a next page finds it warm)."""
    reference = runs["reference"]
    for variant, samples in runs.items():
        ratio = statistics.median(
            s["first view"] / r["first view"] for s, r in zip(samples, reference, strict=True)
        )
        asked = _median(samples, "first view: widget asked")
        load = _median(samples, "first view: load event")
        name = "server-rendered" if variant == "reference" else variant
        cell = f"{_median(samples, 'first view'):6.0f} ms {ratio:5.2f}x"
        print(f"  {name:16s} {cell:>20s} {'':>20s}   {asked:6.0f} ms{'':8s}  {load:7.0f} ms")


def time_to_messenger(
    signer_ms: float = 150,
    widget_ms: float = 300,
    tabs: int = 11,
    cold_start_ms: float | None = None,
) -> None:
    """Print the medians and ratios on the realistic page, then on the bare page (with the
    `interaction` figure, and with `cold_start_ms` the same with a cold signer)."""
    with (
        tempfile.TemporaryDirectory(prefix="mkdocs-intercom-bench-") as root,
        _chromium() as browser,
    ):
        realistic = Bench(Path(root) / "realistic", realistic=True)
        try:
            # Chromium holds each response at least one round trip: the servers' own delay
            # makes up the rest of each distance.
            realistic.delays(signer_ms, widget_ms)
            runs = _rounds(realistic, browser, ("reference", "eager", "idle"), tabs)
            weight = _median(runs["reference"], "first view: bytes") / 1000
            print(
                f"time to a verified Messenger, Chromium, the realistic page (median of {tabs}"
                f" fresh tabs; {RTT_MS} ms round trip, 20 Mbit/s; signer {signer_ms:.0f} ms,"
                f" widget {widget_ms:.0f} ms away)"
            )
            print(
                f"  a material page of {weight:.0f} kB over the wire: the theme's JS and CSS,"
                " 3 web-font faces, the search index, 3 screenshots"
            )
            _table(runs, GOALS)
        finally:
            realistic.stop()
        bare = Bench(Path(root) / "bare", realistic=False)
        try:
            print(
                f"the bare page, for comparison (median of {tabs} fresh tabs; loopback, no"
                f" emulation; signer {signer_ms:.0f} ms, widget {widget_ms:.0f} ms away)"
            )
            bare.delays(signer_ms, widget_ms)
            _table(_rounds(bare, browser, ("reference", "eager", "idle"), tabs), {})
            clicks = _rounds(bare, browser, ("interaction",), tabs)["interaction"]
            extra = statistics.median(s["click to verified"] - s["widget download"] for s in clicks)
            print(
                f"  interaction: hover, then click → verified {_median(clicks, 'click to verified'):.0f} ms;"
                f" the widget's own download {_median(clicks, 'widget download'):.0f} ms;"
                f" {extra:+.0f} ms   goal <= +50 ms: {'met' if extra <= 50 else 'MISSED'}"
            )
            if cold_start_ms is not None:
                print(
                    f"the bare page with a cold signer: {signer_ms:.0f} ms + the measured cold"
                    f" start {cold_start_ms:.0f} ms (first view: the next page finds it warm)"
                )
                bare.delays(signer_ms + cold_start_ms, widget_ms)
                variants = ("reference", "eager", "idle")
                _table(_rounds(bare, browser, variants, tabs, ("first view",)), {})
        finally:
            bare.stop()
