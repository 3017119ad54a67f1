"""Write a copy of an mkdocs.yml with changed plugin options, and build it in-process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def write_config(
    source: Path, folder: Path, plugin: dict[str, Any] | None = None, **top: Any
) -> Path:
    """`folder/mkdocs.yml`: `source` with docs_dir and custom_dir made absolute, the site in
    `folder/site`, the intercom plugin's options updated (None removes one) and top-level keys set."""
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    document["docs_dir"] = str(source.parent / document["docs_dir"])
    theme = document.get("theme")
    if isinstance(theme, dict) and "custom_dir" in theme:
        theme["custom_dir"] = str(source.parent / theme["custom_dir"])
    document["site_dir"] = str(folder / "site")
    for entry in document["plugins"]:
        if isinstance(entry, dict) and "intercom" in entry:
            options = {**entry["intercom"], **(plugin or {})}
            entry["intercom"] = {k: v for k, v in options.items() if v is not None}
    document.update(top)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def build(config_file: Path) -> Path:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    mkdocs_build(config)
    return Path(config.site_dir)
