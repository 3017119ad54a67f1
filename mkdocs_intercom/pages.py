"""Plain functions behind the plugin's hooks: what each page gets, and the secret scan."""

from __future__ import annotations

import fnmatch
import html
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .config import DEFAULT_WIDGET_URL, REGIONS, IntercomConfig

LOADER_PATH = "assets/mkdocs-intercom/loader.js"
LOADER_SOURCE = Path(__file__).parent / "assets" / "loader.js"
META_NAME = "mkdocs-intercom"
_HEAD_END = re.compile(r"</head\s*>", re.I)


def loader_settings(options: IntercomConfig, *, consent_required: bool) -> dict[str, Any]:
    """What the loader needs, the same on every page (per page only `enabled` changes)."""
    settings: dict[str, Any] = {
        "appId": options.app_id,
        "signerUrl": options.signer_url,
        "verification": options.verification,
        "apiBase": REGIONS[options.region],
        "visitors": options.visitors,
        "load": options.load,
        "consent": consent_required,
        "settings": options.settings,
        "timeout": options.timeout,
    }
    if options.widget_url != DEFAULT_WIDGET_URL:
        settings["widgetUrl"] = options.widget_url.replace("{app_id}", options.app_id)
    if options.fallback_url:
        settings["fallbackUrl"] = options.fallback_url
    return settings


def page_enabled(src_uri: str, meta: Mapping[str, Any], exclude: Iterable[str]) -> bool:
    """Front matter `intercom: false` or a matching `exclude` glob turns a page off."""
    if meta.get("intercom") is False:
        return False
    return not any(fnmatch.fnmatchcase(src_uri, pattern) for pattern in exclude)


def head_tags(settings: Mapping[str, Any], *, enabled: bool, loader_url: str) -> str:
    """A <meta> with the settings (no inline script, so `script-src 'self'` works) and the
    deferred loader. Slashes are escaped so that no literal URL is left in the HTML for
    mkdocs-material's privacy plugin to fetch."""
    document = json.dumps({**settings, "enabled": enabled}, separators=(",", ":"))
    content = html.escape(document.replace("/", "\\/"), quote=True)
    return (
        f'<meta name="{META_NAME}" content="{content}">'
        f'<script src="{html.escape(loader_url, quote=True)}" defer></script>'
    )


def inject_head(output: str, tags: str) -> str:
    """Insert the tags before the first </head>; a page without one is left alone."""
    return _HEAD_END.sub(lambda end: tags + end.group(0), output, count=1)


def files_containing(site_dir: Path, secret: str) -> list[str]:
    """Site files that contain the secret, as paths relative to the site folder."""
    needle = secret.encode()
    return sorted(
        str(path.relative_to(site_dir))
        for path in site_dir.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    )
