"""The Content-Security-Policy a site with the Messenger needs: Intercom's documented hosts
per directive (regional ones only for the configured region), the loader and the signer."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

_INTERCOM: dict[str, tuple[str, ...]] = {
    "script-src": (
        "https://app.intercom.io",
        "https://widget.intercom.io",
        "https://js.intercomcdn.com",
    ),
    "connect-src": (
        "https://via.intercom.io",
        "https://api-ping.intercom.io",
        "https://*.intercom-messenger.com",
        "wss://*.intercom-messenger.com",
        "https://uploads.intercomusercontent.com",
    ),
    "frame-src": (
        "https://intercom-sheets.com",
        "https://www.intercom-reporting.com",
        "https://www.youtube.com",
        "https://player.vimeo.com",
        "https://fast.wistia.net",
    ),
    "font-src": ("https://js.intercomcdn.com", "https://fonts.intercomcdn.com"),
    "form-action": ("https://intercom.help",),
    "media-src": ("https://js.intercomcdn.com",),
    "img-src": (
        "blob:",
        "data:",
        "https://js.intercomcdn.com",
        "https://static.intercomassets.com",
        "https://downloads.intercomcdn.com",
        "https://uploads.intercomusercontent.com",
        "https://gifs.intercomcdn.com",
        "https://video-messages.intercomcdn.com",
        "https://messenger-apps.intercom.io",
        "https://*.intercom-attachments-5.com",
        "https://*.intercom-attachments-6.com",
        "https://*.intercom-attachments-9.com",
    ),
    "style-src": ("'unsafe-inline'",),
}
_REGIONAL: dict[str, dict[str, tuple[str, ...]]] = {
    "us": {
        "connect-src": (
            "https://api.intercom.io",
            "https://api-iam.intercom.io",
            "https://nexus-websocket-a.intercom.io",
            "wss://nexus-websocket-a.intercom.io",
            "https://nexus-websocket-b.intercom.io",
            "wss://nexus-websocket-b.intercom.io",
            "https://uploads.intercomcdn.com",
        ),
        "form-action": ("https://api-iam.intercom.io",),
    },
    "eu": {
        "connect-src": (
            "https://api.eu.intercom.io",
            "https://api-iam.eu.intercom.io",
            "https://nexus-europe-websocket.intercom.io",
            "wss://nexus-europe-websocket.intercom.io",
            "https://uploads.intercomcdn.eu",
            "https://uploads.eu.intercomcdn.com",
        ),
        "form-action": ("https://api-iam.eu.intercom.io",),
    },
    "au": {
        "connect-src": (
            "https://api.au.intercom.io",
            "https://api-iam.au.intercom.io",
            "https://nexus-australia-websocket.intercom.io",
            "wss://nexus-australia-websocket.intercom.io",
            "https://uploads.au.intercomcdn.com",
        ),
        "form-action": ("https://api-iam.au.intercom.io",),
    },
}
# What the Messenger cannot work without: checked by `mkdocs-intercom check`.
ESSENTIAL = {"script-src": ("https://widget.intercom.io", "https://js.intercomcdn.com")}
ESSENTIAL_REGIONAL = {
    region: {"connect-src": hosts["connect-src"][:2]} for region, hosts in _REGIONAL.items()
}


def origin_of(url: str | None) -> str | None:
    """The origin of an absolute URL; None for a site path (same origin)."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def policy(
    region: str, signer_url: str | None, widget_url: str | None = None
) -> dict[str, list[str]]:
    """Directive → sources, with 'self' for the loader and a same-origin signer."""
    directives: dict[str, list[str]] = {"default-src": ["'self'"]}
    for table in (_INTERCOM, _REGIONAL[region]):
        for directive, sources in table.items():
            directives.setdefault(directive, ["'self'"])
            directives[directive].extend(s for s in sources if s not in directives[directive])
    for directive, url in (("connect-src", signer_url), ("script-src", widget_url)):
        extra = origin_of(url)
        if extra and extra not in directives[directive]:
            directives[directive].append(extra)
    directives["child-src"] = list(directives["frame-src"])  # CSP level 2 browsers read child-src
    directives["object-src"] = ["'none'"]
    directives["base-uri"] = ["'self'"]
    return directives


def render(directives: Mapping[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def parse(header: str) -> dict[str, list[str]]:
    """A policy string → directive → sources (first occurrence wins, as browsers do)."""
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens and tokens[0].lower() not in directives:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def allows(directives: Mapping[str, list[str]], directive: str, source: str) -> bool:
    """Whether a directive (or default-src in its place) lets `source` (a URL origin) in."""
    sources = directives.get(directive, directives.get("default-src"))
    if sources is None:
        return True
    scheme = source.split(":", 1)[0] + ":"
    host = urlsplit(source).hostname or ""
    for allowed in sources:
        if allowed in ("*", scheme, source) or allowed.rstrip("/") == source:
            return True
        if allowed == "'strict-dynamic'" and directive == "script-src":
            return True  # trust flows from the site's nonced scripts
        parts = urlsplit(allowed if "://" in allowed else f"{scheme}//{allowed}")
        pattern = parts.hostname or ""
        same_scheme = parts.scheme + ":" == scheme
        if same_scheme and pattern.startswith("*.") and host.endswith(pattern[1:]):
            return True
    return False
