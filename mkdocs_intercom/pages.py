"""Plain functions behind the plugin's hooks: what each page gets, and the secret scan."""

from __future__ import annotations

import fnmatch
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .config import REGIONS, IntercomConfig
from .csp import origin_of

LOADER_PATH = "assets/mkdocs-intercom/loader.js"
# The file every page loads: minified by `make loader` from assets/loader.js, the readable
# source (a test checks that it is exactly what the minifier makes of it).
LOADER_SOURCE = Path(__file__).parent / "assets" / "loader.min.js"
META_NAME = "mkdocs-intercom"
# The choice the plugin adds to mkdocs-material's cookie consent form (extra.consent.cookies):
# the loader waits for the reader to accept this cookie name.
CONSENT_COOKIE = "intercom"
CONSENT_LABEL = "Intercom Messenger"
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
        "widgetUrl": options.widget_url.replace("{app_id}", options.app_id),
    }
    if options.fallback_url:
        settings["fallbackUrl"] = options.fallback_url
    return settings


def preconnect_origins(options: IntercomConfig, *, consent_required: bool) -> list[str]:
    """Origins the browser may connect to while the page loads: a cross-origin signer, and
    Intercom's widget and API hosts where the page contacts Intercom without waiting for the
    reader (not with `load: interaction`, not before cookie consent)."""
    origins = [origin_of(options.signer_url)]
    if options.load != "interaction" and not consent_required:
        origins += [origin_of(options.widget_url), REGIONS[options.region]]
    return list(dict.fromkeys(origin for origin in origins if origin))


def page_enabled(src_uri: str, meta: Mapping[str, Any], exclude: Iterable[str]) -> bool:
    """Front matter `intercom: false` or a matching `exclude` glob turns a page off."""
    if meta.get("intercom") is False:
        return False
    return not any(fnmatch.fnmatchcase(src_uri, pattern) for pattern in exclude)


def head_tags(
    settings: Mapping[str, Any],
    *,
    enabled: bool,
    loader_url: str,
    preconnect: Sequence[str] = (),
) -> str:
    """Preconnect hints (on enabled pages), a <meta> with the settings (no inline script, so
    `script-src 'self'` works) and the loader, `async` so that it asks the signer while the
    page is still being parsed. Slashes in the settings are escaped
    so that no literal URL is left for mkdocs-material's privacy plugin to fetch; it removes
    preconnect hints to other hosts itself."""
    document = json.dumps({**settings, "enabled": enabled}, separators=(",", ":"))
    content = html.escape(document.replace("/", "\\/"), quote=True)
    hints = "".join(
        f'<link rel="preconnect" href="{html.escape(origin, quote=True)}">'
        for origin in (preconnect if enabled else ())
    )
    return (
        f'{hints}<meta name="{META_NAME}" content="{content}">'
        f'<script src="{html.escape(loader_url, quote=True)}" async></script>'
    )


def inject_head(output: str, tags: str) -> str:
    """Insert the tags before the first </head>; a page without one is left alone."""
    end = _HEAD_END.search(output)
    if end is None:
        return output
    # The first occurrence of the matched text is the match itself; str.replace writes the
    # page once, where slicing and joining copy a page with a 1,000-page nav three times.
    return output.replace(end.group(0), tags + end.group(0), 1)


def files_containing(site_dir: Path, secret: str) -> list[str]:
    """Site files that contain the secret, as paths relative to the site folder."""
    needle = secret.encode()
    return sorted(
        str(path.relative_to(site_dir))
        for path in site_dir.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    )
