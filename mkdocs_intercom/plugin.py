"""`plugins: - intercom`: thin hooks over the plain functions in pages.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.base import ConfigErrors, ConfigWarnings
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .config import SIGNER_ONLY, IntercomConfig
from .pages import (
    CONSENT_COOKIE,
    CONSENT_LABEL,
    LOADER_PATH,
    LOADER_SOURCE,
    files_containing,
    head_tags,
    inject_head,
    loader_settings,
    page_enabled,
    preconnect_origins,
)
from .validation import validate_options

log = get_plugin_logger(__name__)
SECRET_VARIABLES = ("INTERCOM_SECRET", "SIGNER_SECRET")


class IntercomPlugin(BasePlugin[IntercomConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.settings: dict[str, Any] = {}
        self.preconnect: list[str] = []
        self.tags: dict[tuple[bool, str], str] = {}  # (enabled, loader URL) → head tags

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        validation = validate_options(options, config_file_path)
        self.config = validation.config
        return validation.errors, validation.warnings

    def on_config(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        material = config.theme.name == "material"
        consent = material and bool(config.extra.get("consent")) and self.config.consent == "auto"
        if consent:
            cookies = config.extra["consent"].setdefault("cookies", {})
            cookies.setdefault(CONSENT_COOKIE, CONSENT_LABEL)
        if not self.config.signer_url and not self.config.visitors:
            log.warning("neither signer_url nor visitors is set: the Messenger will never boot")
        self.settings = loader_settings(self.config, consent_required=consent)
        self.preconnect = preconnect_origins(self.config, consent_required=consent)
        self.tags = {}

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.config.enabled:
            stale = files.get_file_from_path(LOADER_PATH)  # e.g. a Zensical theme override's copy
            if stale is not None:
                files.remove(stale)
            files.append(File.generated(config, LOADER_PATH, abs_src_path=str(LOADER_SOURCE)))
        return files

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        # An excluded page gets the loader too, with no Messenger: its logout links still
        # shut the Messenger down in every other tab.
        enabled = page_enabled(page.file.src_uri, page.meta, self.config.exclude)
        loader_url = get_relative_url(LOADER_PATH, page.url)
        tags = self.tags.get((enabled, loader_url))
        if tags is None:  # the same for every page at one depth: made once per build
            tags = self.tags[(enabled, loader_url)] = head_tags(
                self.settings, enabled=enabled, loader_url=loader_url, preconnect=self.preconnect
            )
        return inject_head(output, tags)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if not self.config.enabled or template_name != "404.html":
            return output_content
        # The 404 page is served at any path, so it links the loader absolutely.
        base = urlsplit(config.site_url or "/").path.rstrip("/")
        return inject_head(
            output_content,
            head_tags(
                self.settings,
                enabled=True,
                loader_url=f"{base}/{LOADER_PATH}",
                preconnect=self.preconnect,
            ),
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        for variable in SECRET_VARIABLES:
            secret = os.environ.get(variable, "")
            if len(secret) >= 8:
                leaked = files_containing(site, secret)
                if leaked:
                    # Gone before anything can publish them, even a deploy step that ignores
                    # the exit code. Only these files: an emptied site_dir synced with --delete
                    # would take the live site down.
                    for name in leaked:
                        (site / name).unlink()
                    shown = ", ".join(leaked[:5]) + (
                        f" and {len(leaked) - 5} more" if len(leaked) > 5 else ""
                    )
                    raise PluginError(
                        f"the secret in ${variable} appears in the built site: {shown} removed "
                        f"from {site}, so that no deploy publishes them. Take the secret out of "
                        f"your docs and templates ({SIGNER_ONLY}); if it was ever published, "
                        "rotate it in Intercom"
                    )
