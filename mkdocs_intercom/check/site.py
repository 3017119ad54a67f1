"""The built site and the options it is built from: the loader on every page but the excluded
ones, the very loader the installed package ships, a consent form that offers the Messenger, no
secret anywhere — and a site Zensical built while ignoring the plugin."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import REGIONS
from ..pages import CONSENT_COOKIE, LOADER_PATH, LOADER_SOURCE, META_NAME, files_containing
from ..project import Options
from ..validation import validate_options
from .result import Result, failed, passed, skipped

ZENSICAL_GENERATOR = "zensical"  # <meta name="generator" content="zensical-0.0.73">


class PageTags(HTMLParser):
    """What the checks read from a page: the loader settings, a CSP <meta>, the generator and
    the choices of the cookie consent form."""

    def __init__(self) -> None:
        super().__init__()
        self.settings: dict[str, Any] | None = None
        self.csp: str | None = None
        self.generator = ""
        self.consent_choices: list[str] | None = None  # None: no consent form
        self._in_consent = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "meta":
            name = attributes.get("name")
            if name == META_NAME:
                self.settings = json.loads(attributes.get("content") or "{}")
            elif name == "generator":
                self.generator = attributes.get("content", "")
            elif attributes.get("http-equiv", "").lower() == "content-security-policy":
                self.csp = attributes.get("content")
        elif tag == "form" and attributes.get("name") == "consent":
            self._in_consent = True
            self.consent_choices = []
        elif tag == "input" and self._in_consent and self.consent_choices is not None:
            self.consent_choices.append(attributes.get("name", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_consent = False


def read_page(html: str) -> PageTags:
    parser = PageTags()
    parser.feed(html)
    return parser


def home_page(site: Path) -> PageTags | None:
    index = site / "index.html"
    return read_page(index.read_text(encoding="utf-8")) if index.is_file() else None


def site_settings(site: Path) -> dict[str, Any] | None:
    """The loader settings of the site's home page."""
    home = home_page(site)
    return home.settings if home else None


def site_options(site: Path | None) -> dict[str, Any]:
    """The built site's loader settings, by option name."""
    settings = (site_settings(site) if site else None) or {}
    region = next((name for name, url in REGIONS.items() if url == settings.get("apiBase")), None)
    return {
        "verification": settings.get("verification"),
        "region": region,
        "signer_url": settings.get("signerUrl"),
    }


def built_with_zensical(site: Path) -> bool:
    home = home_page(site)
    return home is not None and home.generator.lower().startswith(ZENSICAL_GENERATOR)


def check_options(options: Options | None, config_file: Path | None) -> Iterator[Result]:
    """The intercom options pass the plugin's own rules: Zensical builds without checking them."""
    if options is None or config_file is None:
        return
    problems = validate_options(options.values, config_file).problems(options.where)
    for problem in problems:
        yield failed(f"{config_file.name}: {problem}", "correct it; the plugin's rules refuse it")
    if not problems:
        yield passed(f"the options in {config_file.name} ({options.where}) pass the plugin's rules")


def check_site(
    site: Path, options: Options | None, config_name: str = "mkdocs.yml"
) -> Iterator[Result]:
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    if not pages:
        yield failed(
            f"no pages in {site}", "build the site first (mkdocs build) or point --site at it"
        )
        return
    zensical = built_with_zensical(site)
    enabled: list[str] = []
    off: list[str] = []
    for page in pages:
        settings = read_page(page.read_text(encoding="utf-8")).settings
        (enabled if settings and settings.get("enabled") else off).append(
            str(page.relative_to(site))
        )
    loader = site / LOADER_PATH
    if not loader.is_file() or not enabled:
        yield failed(
            f"the loader is on none of {len(pages)} pages",
            _missing_loader_fix(zensical, options, config_name),
        )
    else:
        note = f" (not on: {', '.join(off[:5])}{'…' if len(off) > 5 else ''})" if off else ""
        yield passed(f"the loader is on {len(enabled)} of {len(pages)} pages{note}")
        yield _loader_version(loader, zensical)
    exclude = options.exclude() if options else []
    leaking = [
        page
        for page in enabled
        if any(fnmatch.fnmatchcase(_source_guess(page), g) for g in exclude)
    ]
    if exclude:
        if leaking:
            yield failed(
                f"excluded pages still load the Messenger: {', '.join(leaking[:5])}",
                f"rebuild the site with the current {config_name}",
            )
        else:
            yield passed(f"excluded pages ({', '.join(exclude)}) carry no Messenger")
    home = home_page(site)
    settings = (home.settings if home else None) or {}
    if settings and not settings.get("signerUrl") and not settings.get("visitors"):
        yield failed(
            "neither signer_url nor visitors is set: the Messenger never boots",
            "set signer_url to your signer's /identity URL",
        )
    if home and settings.get("consent") and home.consent_choices is not None:
        yield _consent(home.consent_choices, config_name)


def _missing_loader_fix(zensical: bool, options: Options | None, config_name: str) -> str:
    if zensical and options:
        return "built with Zensical, which ignores MkDocs plugins: run `mkdocs-intercom setup`, then `zensical build`"
    if zensical:
        return f"built with Zensical: add an `extra: intercom:` block (the plugin's options) to {config_name}, run `mkdocs-intercom setup`, then `zensical build`"
    return "add `- intercom` under `plugins:` in mkdocs.yml and rebuild"


def _loader_version(loader: Path, zensical: bool) -> Result:
    shipped = f"the one mkdocs-intercom {__version__} ships"
    if loader.read_bytes() == LOADER_SOURCE.read_bytes():
        return passed(f"the site's loader is {shipped}")
    return failed(
        f"the site's loader is not {shipped}: it was built with another version",
        "run `mkdocs-intercom setup` to refresh the loader in the theme override, then `zensical build`"
        if zensical
        else "rebuild the site with the installed mkdocs-intercom (mkdocs build)",
    )


def _consent(choices: list[str], config_name: str) -> Result:
    if CONSENT_COOKIE in choices:
        return passed("the cookie consent form lets readers accept the Messenger")
    return failed(
        "the cookie consent form has no `intercom` choice: no reader can accept the Messenger",
        f"add `intercom: Intercom Messenger` under extra.consent.cookies in {config_name} (`mkdocs-intercom setup` does), then rebuild",
    )


def _source_guess(page: str) -> str:
    """guide/setup/index.html → guide/setup.md (use_directory_urls), guide/setup.html → guide/setup.md."""
    stem = page.removesuffix("/index.html").removesuffix("index.html").removesuffix(".html")
    return f"{stem}.md" if stem else "index.md"


def check_secret(site: Path, secret: str | None, source: str) -> Result:
    """`source` says where the secret came from: "in $INTERCOM_SECRET", "from standard input"."""
    if not secret:
        return skipped(f"secret scan skipped: no secret {source}")
    leaked = files_containing(site, secret)
    if leaked:
        return failed(
            f"the secret {source} is in the site: {', '.join(leaked[:5])}",
            "remove it from docs and templates; the secret belongs in the signer only, then rotate it in Intercom",
        )
    return passed(f"the secret {source} appears nowhere in {site}")
