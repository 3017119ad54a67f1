"""`mkdocs-intercom serve`: the reader's own site on the local stack, before any deploy.

The site is built as it is, by MkDocs (`plugins: - intercom`) or by Zensical (`extra:
intercom:` after `mkdocs-intercom setup`), into a folder of its own; then every page's
settings <meta> is pointed at the local signer and the sandbox Messenger, and a small sign-in
bar is added, so that a sample reader can sign in on any theme. The options the site sets
itself (verification, load, visitors, consent, exclude, settings…) stay as they are.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .local import (
    STATE_FILE,
    LocalStackError,
    Messenger,
    Origin,
    choose_port,
    readers_banner,
    require_signer,
    serve,
)

SESSION_BAR = Path(__file__).parent / "static" / "session-bar.js"
SESSION_BAR_URL = "/_mkdocs-intercom/session-bar.js"  # written into the served copy only
_META = re.compile(r"""<meta name="mkdocs-intercom" content=(["'])(.*?)\1>""", re.S)
_BODY_END = re.compile(r"</body>", re.I)


@dataclass(frozen=True)
class ServeOptions:
    config_file: Path | None = None  # mkdocs.yml, else zensical.toml, in the current folder
    port: int | None = None  # 8000, or a free one
    check_command: str = "mkdocs-intercom serve --check"  # as the user can type it


@dataclass(frozen=True)
class Built:
    site: Path
    generator: str  # "MkDocs" or "Zensical"
    name: str  # the site's name, for the banner


def run_serve(options: ServeOptions) -> None:
    from ..project import Project, ProjectError, default_config_file
    from .stack import SIGNER_PATH

    config_file = options.config_file or default_config_file()
    if config_file is None or not config_file.is_file():
        raise LocalStackError(
            f"no {config_file or 'mkdocs.yml or zensical.toml'} here: run it in your project's"
            " folder, or name the file with -f"
        )
    try:
        project = Project.load(config_file)
    except ProjectError as error:
        raise LocalStackError(str(error)) from None
    require_signer("serve")
    origin = Origin(choose_port(options.port))
    messenger = Messenger.from_environment()
    # The site's `app_id: !ENV INTERCOM_APP_ID` needs a value to build; the pages get the
    # sandbox's below anyway (or the real one, when INTERCOM_SECRET is set as well).
    os.environ.setdefault("INTERCOM_APP_ID", messenger.app_id)
    zensical = project.is_toml or (
        project.extra_options() is not None and project.plugin_options() is None
    )

    def build(target: Path) -> Built:
        if zensical:
            built = _build_with_zensical(config_file, project.settings, target)
        else:
            built = _build_with_mkdocs(config_file, target)
        localize(built.site, origin, messenger)
        return built

    with _work_folder() as work:
        built = build(work / "site")
        settings = first_settings(built.site)
        verification = str(settings.get("verification") or "jwt")
        base = origin.base
        banner = (
            f"mkdocs-intercom serve: {built.name} ({config_file.name}, built with {built.generator}) on {base}/\n"
            f"  sign in at {base}/idp/login as one of\n{readers_banner()}\n"
            f"  signer: {base}{SIGNER_PATH}/identity · Messenger: {messenger.name} · verification: {verification}\n"
            "  (your signer_url and widget_url are replaced by these here, nowhere else)\n"
            f"  check it, in another terminal: {options.check_command}\n"
            "  It rebuilds when your docs change; Ctrl-C stops it."
        )
        watched = [
            config_file,
            project.docs_dir,
            *([project.custom_dir] if project.custom_dir else []),
        ]
        Rebuilder(watched, lambda: build(work / "next").site, built.site).start()
        serve(
            origin,
            built.site,
            messenger=messenger,
            verification=verification,
            banner=banner,
            state_file=work / STATE_FILE,
            # The check reads the options from the served pages: the config file names the
            # production signer, which the copy served here does not ask.
            state={"config": None},
        )


class Rebuilder(threading.Thread):
    """Rebuilds the site when a watched file changes, and puts the new build where the old one
    is served; a build that fails leaves the last one served and says why, in one line."""

    def __init__(self, watched: list[Path], rebuild: Callable[[], Path], served: Path) -> None:
        super().__init__(name="rebuild", daemon=True)
        self.watched, self.rebuild, self.served = watched, rebuild, served
        self.seen = _snapshot(watched)  # now, before the banner: any later edit counts

    def run(self) -> None:
        seen = self.seen
        while True:
            time.sleep(0.5)  # a poll, as mkdocs serve's own watcher falls back to
            now = _snapshot(self.watched)
            if now == seen:
                continue
            seen, started = now, time.monotonic()
            try:
                fresh = self.rebuild()
            except Exception as error:  # any build error: keep serving the last one
                reason = " ".join(str(error).split())
                print(f"  rebuild failed, still serving the last build: {reason}", flush=True)
                continue
            shutil.rmtree(self.served, ignore_errors=True)
            os.replace(fresh, self.served)
            print(f"  rebuilt after a change ({time.monotonic() - started:.1f} s)", flush=True)


def _snapshot(paths: list[Path]) -> dict[Path, int]:
    found: dict[Path, int] = {}
    for path in paths:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            with contextlib.suppress(OSError):  # removed while we looked
                found[file] = file.stat().st_mtime_ns
    return found


@contextmanager
def _work_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="mkdocs-intercom-serve-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _build_with_mkdocs(config_file: Path, target: Path) -> Built:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(str(config_file), site_dir=str(target))
        plugin = config.plugins.get("intercom")
        if plugin is None:
            raise LocalStackError(
                f"{config_file}: no intercom plugin: add `- intercom:` with `app_id: !ENV"
                " INTERCOM_APP_ID` under plugins (or, for Zensical, the options under extra:"
                " intercom: and run mkdocs-intercom setup)"
            )
        plugin.config["enabled"] = True  # a site that turns it off by default still shows it here
        build(config)
    except MkDocsException as error:
        raise LocalStackError(f"{config_file}: the MkDocs build failed: {error}") from None
    return Built(Path(config.site_dir), "MkDocs", str(config.site_name))


def _build_with_zensical(config_file: Path, settings: dict[str, Any], target: Path) -> Built:
    """`zensical build`, as the project builds, then a copy of its site to serve."""
    zensical = shutil.which("zensical") or shutil.which(
        "zensical", path=str(Path(sys.executable).parent)
    )
    if zensical is None:
        raise LocalStackError(
            f"{config_file} is a Zensical project and zensical is not installed here: pip install zensical"
        )
    result = subprocess.run(  # noqa: S603  # the project's own build, as its team runs it
        [zensical, "build", "-f", str(config_file)],
        cwd=config_file.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise LocalStackError(f"{config_file}: zensical build failed: {last[0]}")
    built = config_file.parent / str(settings.get("site_dir") or "site")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(built, target)
    return Built(target, "Zensical", str(settings.get("site_name") or config_file.parent.name))


def localize(site: Path, origin: Origin, messenger: Messenger) -> None:
    """Point every page's settings at the local signer and Messenger, and add the sign-in bar;
    LocalStackError when no page has the loader."""
    from .stack import SIGNER_PATH

    changes: dict[str, Any] = {"appId": messenger.app_id, "signerUrl": f"{SIGNER_PATH}/identity"}
    widget_url = origin.widget_url(messenger)
    tag = f'<script src="{SESSION_BAR_URL}" defer></script>'
    localized = 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = _META.search(text)
        if found is None:
            continue
        settings = json.loads(html.unescape(found.group(2)))
        settings.update(changes)
        if widget_url is None:
            settings.pop("widgetUrl", None)
        else:
            settings["widgetUrl"] = widget_url.replace("{app_id}", messenger.app_id)
        text = text.replace(found.group(0), settings_meta(settings), 1)
        ends = list(_BODY_END.finditer(text))
        if ends:
            at = ends[-1].start()
            text = text[:at] + tag + text[at:]
        page.write_text(text, encoding="utf-8")
        localized += 1
    if not localized:
        raise LocalStackError(
            f"no page of the built site has the mkdocs-intercom loader: under Zensical run"
            f" `mkdocs-intercom setup` first; under MkDocs add `- intercom` to plugins ({site})"
        )
    bar = site / SESSION_BAR_URL.lstrip("/")
    bar.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SESSION_BAR, bar)


def first_settings(site: Path) -> dict[str, Any]:
    """The loader settings of the site's first page that has them."""
    for page in sorted(site.rglob("*.html")):
        found = _META.search(page.read_text(encoding="utf-8"))
        if found:
            settings: dict[str, Any] = json.loads(html.unescape(found.group(2)))
            return settings
    return {}


def settings_meta(settings: dict[str, Any]) -> str:
    """The settings <meta>, written as the plugin writes it (pages.head_tags)."""
    from ..pages import META_NAME

    document = json.dumps(settings, separators=(",", ":"))
    content = html.escape(document.replace("/", "\\/"), quote=True)
    return f'<meta name="{META_NAME}" content="{content}">'
