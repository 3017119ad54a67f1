"""The project's config file read as MkDocs and Zensical read it — mkdocs.yml (YAML with `!ENV`
and `INHERIT`) or zensical.toml (its `[project]` table) — and where the intercom options sit:
`plugins: - intercom:` for MkDocs, `extra: intercom:` for Zensical, which runs no MkDocs plugin.

Above the schema (config.py), below the rules across options (validation.py), the hooks and
the command line: it reads files and never imports the plugin."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag
from mkdocs.config.base import ValidationError

from .config import Globs

CONFIG_FILES = ("mkdocs.yml", "zensical.toml")
PLUGIN = "plugins.intercom"
EXTRA = "extra.intercom"


class ProjectError(Exception):
    """A config file that cannot be read: one line naming the file and what is wrong."""


class ConfigLoader(yaml.SafeLoader):
    """Resolves `!ENV` as MkDocs and Zensical do; any other tag (`!!python/name:…`,
    `!relative`) is read as plain data, so reading a config never imports a Markdown extension."""


def _untagged(loader: yaml.SafeLoader, tag: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return f"{tag} {node.value}"


ConfigLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
ConfigLoader.add_multi_constructor("", _untagged)


class EnvVariables(tuple[str, ...]):
    """An `!ENV` value left unresolved: the variables it reads (a list's last item, its
    default, left out)."""


class UnresolvedEnvLoader(ConfigLoader):
    """ConfigLoader, but `!ENV` reads as the variables it names: to say which one is unset."""


def _env_variables(loader: yaml.SafeLoader, node: yaml.Node) -> EnvVariables:
    if isinstance(node, yaml.ScalarNode):
        return EnvVariables([str(node.value)])
    children = node.value if isinstance(node, yaml.SequenceNode) else []
    names = children[:-1] if len(children) > 1 else children
    return EnvVariables(str(child.value) for child in names)


UnresolvedEnvLoader.add_constructor("!ENV", _env_variables)


def parse_yaml(text: str, loader: type[ConfigLoader] = ConfigLoader) -> Any:
    return yaml.load(text, Loader=loader)  # noqa: S506  # a SafeLoader subclass


def parse_toml(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


def default_config_file(folder: Path = Path()) -> Path | None:
    """mkdocs.yml, else zensical.toml, in `folder` (as `-f` defaults for mkdocs and zensical)."""
    return next((folder / name for name in CONFIG_FILES if (folder / name).is_file()), None)


@dataclass(frozen=True)
class Options:
    """The intercom options as written, and where: `plugins.intercom` or `extra.intercom`."""

    where: str
    values: dict[str, Any]

    def exclude(self) -> list[str]:
        """The `exclude` globs as the plugin reads them (one string is one glob); none when the
        plugin would refuse them (check_options reports that)."""
        try:
            return Globs().run_validation(self.values.get("exclude"))
        except ValidationError:
            return []


@dataclass(frozen=True)
class Project:
    path: Path
    settings: dict[str, Any]  # mkdocs.yml, or the [project] table of zensical.toml
    toml_project_table: bool = False  # zensical.toml keeps its settings under [project]

    @classmethod
    def load(cls, path: Path, *, resolve_env: bool = True) -> Project:
        """`resolve_env=False` leaves each `!ENV` as the EnvVariables it names."""
        loader = ConfigLoader if resolve_env else UnresolvedEnvLoader
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ProjectError(f"{path}: cannot be read ({error.strerror})") from None
        try:
            if path.suffix == ".toml":
                document = parse_toml(text)
                table = isinstance(document.get("project"), dict)
                return cls(path, document["project"] if table else document, table)
            return cls(path, _with_parents(path, parse_yaml(text, loader), loader))
        except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as error:
            message = " ".join(str(error).split())
            language = "TOML" if path.suffix == ".toml" else "YAML"
            raise ProjectError(f"{path}: not valid {language}: {message}") from None

    @property
    def is_toml(self) -> bool:
        return self.path.suffix == ".toml"

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def docs_dir(self) -> Path:
        return self.root / str(self.settings.get("docs_dir") or "docs")

    @property
    def theme(self) -> dict[str, Any]:
        theme = self.settings.get("theme")
        if isinstance(theme, str):
            return {"name": theme}
        return theme if isinstance(theme, dict) else {}

    @property
    def custom_dir(self) -> Path | None:
        custom = self.theme.get("custom_dir")
        return self.root / custom if isinstance(custom, str) and custom else None

    @property
    def extra(self) -> dict[str, Any]:
        extra = self.settings.get("extra")
        return extra if isinstance(extra, dict) else {}

    def plugin_options(self) -> dict[str, Any] | None:
        """The `intercom` entry of `plugins`, as a list (mkdocs.yml) or a table (zensical.toml)."""
        plugins = self.settings.get("plugins")
        entries = [plugins] if isinstance(plugins, dict) else plugins or []
        for entry in entries if isinstance(entries, list) else []:
            named = entry if isinstance(entry, dict) else {entry: None}
            if "intercom" in named:
                options = named["intercom"]
                return dict(options) if isinstance(options, Mapping) else {}
        return None

    def extra_options(self) -> dict[str, Any] | None:
        options = self.extra.get("intercom")
        return dict(options) if isinstance(options, Mapping) else None

    def intercom_options(self) -> Options | None:
        """Zensical's `extra.intercom` first (Zensical ignores the plugin), else the plugin's."""
        extra, plugin = self.extra_options(), self.plugin_options()
        if extra is not None:
            return Options(EXTRA, extra)
        return Options(PLUGIN, plugin) if plugin is not None else None


def _with_parents(path: Path, document: Any, loader: type[ConfigLoader]) -> dict[str, Any]:
    """MkDocs' `INHERIT`: the parent file's settings, deep-merged under this file's."""
    if not isinstance(document, dict):
        return {}
    parent = document.pop("INHERIT", None)
    if not isinstance(parent, str):
        return document
    parent_path = path.parent / parent
    try:
        parent_text = parent_path.read_text(encoding="utf-8")
        base = _with_parents(parent_path, parse_yaml(parent_text, loader), loader)
    except OSError as error:
        raise ProjectError(f"{path}: INHERIT {parent}: cannot be read ({error.strerror})") from None
    return _merge(base, document)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        merged[key] = (
            _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
        )
    return merged
