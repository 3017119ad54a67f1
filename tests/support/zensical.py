"""Zensical projects made from the fixtures (tests/fixtures/zensical-*): the fixture's config with
the `extra: intercom:` options changed, the fixture docs (and theme override) copied in — Zensical
builds only a docs_dir inside the project — then what a team runs: `mkdocs-intercom setup` and a
real `zensical build`. Beside each, its MkDocs twin: the same options under `plugins: - intercom`."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from mkdocs_intercom.cli import main
from mkdocs_intercom.devstack.sitebuild import build as mkdocs_build

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ZENSICAL = str(Path(sys.executable).with_name("zensical"))


def zensical_project(
    fixture: str, folder: Path, options: dict[str, Any] | None = None, **top: Any
) -> Path:
    """`folder/mkdocs.yml` (or `zensical.toml`, copied as it is): the fixture with its intercom
    options updated (None removes one) and top-level keys set, beside a copy of the docs."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURES / "docs", folder / "docs", dirs_exist_ok=True)
    toml = FIXTURES / f"zensical-{fixture}.toml"
    if toml.is_file():
        assert not options, "the TOML fixture is used as it is"
        assert not top, "the TOML fixture is used as it is"
        return Path(shutil.copy(toml, folder / "zensical.toml"))
    document = yaml.safe_load((FIXTURES / f"zensical-{fixture}.yml").read_text(encoding="utf-8"))
    custom_dir = document["theme"].get("custom_dir")
    if custom_dir:
        shutil.copytree(FIXTURES / custom_dir, folder / custom_dir, dirs_exist_ok=True)
    intercom = {**document["extra"]["intercom"], **(options or {})}
    document["extra"]["intercom"] = {k: v for k, v in intercom.items() if v is not None}
    document.update(top)
    config = folder / "mkdocs.yml"
    config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return config


def run_setup(config: Path) -> tuple[int, str]:
    """`mkdocs-intercom setup -f config`: its exit code and everything it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = main(["setup", "-f", str(config)])
    return code, printed.getvalue()


def zensical_build(config: Path) -> Path:
    """A real `zensical build` of the project; the site folder."""
    done = subprocess.run(
        [ZENSICAL, "build", "-f", str(config)], cwd=config.parent, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return config.parent / "site"


def zensical_builds(configs: list[Path]) -> list[Path]:
    """Real `zensical build`s of several projects, side by side: a build spends most of its time
    waiting rather than computing, so a session builds its fixture sites at once."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(zensical_build, configs))


def zensical_site(
    fixture: str, folder: Path, options: dict[str, Any] | None = None, **top: Any
) -> Path:
    """Project, setup, build: the Zensical counterpart of tests.support.sites.build_site."""
    config = zensical_project(fixture, folder, options, **top)
    code, printed = run_setup(config)
    assert code == 0, printed
    return zensical_build(config)


def mkdocs_twin(config: Path, folder: Path) -> Path:
    """The same project built by MkDocs with the plugin: `extra: intercom:` moved to
    `plugins: - intercom`, the theme override left out. The site folder."""
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    options = document["extra"].pop("intercom")
    document["theme"].pop("custom_dir", None)
    document["docs_dir"] = str(config.parent / document["docs_dir"])
    document["site_dir"] = str(folder / "site")
    document["plugins"] = [{"intercom": options}]
    folder.mkdir(parents=True, exist_ok=True)
    twin = folder / "mkdocs.yml"
    twin.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return mkdocs_build(twin)


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self._in_head = True
        elif self._in_head:
            self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False


Element = tuple[str, tuple[tuple[str, str | None], ...]]


def head_elements(page: Path, page_url: str) -> Counter[Element]:
    """The page's <head> elements, comparable across generators: URLs resolved against the
    page's address, the plugin's settings <meta> as canonical JSON."""
    parser = _Head()
    parser.feed(page.read_text(encoding="utf-8"))
    found: Counter[Element] = Counter()
    for tag, attributes in parser.elements:
        normal = dict(attributes)
        for name in ("src", "href"):
            if normal.get(name) is not None:
                normal[name] = urljoin(page_url, normal[name])
        if tag == "meta" and normal.get("name") == "mkdocs-intercom":
            normal["content"] = json.dumps(json.loads(normal["content"] or ""), sort_keys=True)
        found[(tag, tuple(sorted(normal.items())))] += 1
    return found


def injected(with_us: Path, without_us: Path, page: str, base_url: str) -> Counter[Element]:
    """What the Messenger adds to a page's <head>: its elements in a build with the intercom
    options enabled that a build with them disabled lacks."""
    address = urljoin(base_url, page.removesuffix("index.html"))
    return head_elements(with_us / page, address) - head_elements(without_us / page, address)


def settings_of(elements: Counter[Element]) -> dict[str, Any] | None:
    for tag, attributes in elements:
        found = dict(attributes)
        if tag == "meta" and found.get("name") == "mkdocs-intercom":
            settings: dict[str, Any] = json.loads(found["content"] or "")
            return settings
    return None
