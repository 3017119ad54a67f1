"""The plugin's rules over the intercom options as written, with no plugin instance: the
schema's own checks (config.py), then what the schema cannot say of one value — a secret among
the options, keys only the signer sets, and which variable an empty `!ENV` names (read from the
config file by project.py). The plugin's `load_config`, `check` and `setup` all call
`validate_options`, so the three refuse exactly the same things."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.base import ValidationError

from .config import APP_ID_EXAMPLE, IDENTITY_KEYS, SECRET_KEY, SIGNER_ONLY, IntercomConfig
from .project import EnvVariables, Project, ProjectError

IDENTITY_KEY_MESSAGE = (
    "is set by mkdocs-intercom itself: the reader's identity comes from the signer only, "
    "app_id and api_base from app_id and region"
)


@dataclass(frozen=True)
class Validation:
    """The options as the plugin reads them, and what it refuses: mkdocs' own shapes
    (`ConfigErrors`, `ConfigWarnings`), so that the plugin hands them to MkDocs as they are."""

    config: IntercomConfig
    errors: list[tuple[str, Exception]]
    warnings: list[tuple[str, str]]

    def problems(self, where: str) -> list[str]:
        """One line per refusal, `where` (e.g. `plugins.intercom`) before each key; unknown
        names count too, as under `mkdocs build --strict`."""
        known = ", ".join(name for name, _ in IntercomConfig._schema)
        refused = {key for key, _ in self.errors}
        return [f"{where}.{key}: {error}" for key, error in self.errors] + [
            f"{where}.{key}: not an option of mkdocs-intercom (they are: {known})"
            if warning.startswith("Unrecognised")
            else f"{where}.{key}: {warning}"
            for key, warning in self.warnings
            if key not in refused
        ]


def validate_options(values: Mapping[str, Any], config_file: str | Path | None) -> Validation:
    """`values` checked by every rule of the plugin; `config_file` (may be None) only serves to
    say which variable an empty `app_id: !ENV …` reads."""
    path = str(config_file) if config_file is not None else None
    config = IntercomConfig(config_file_path=path)
    config.load_dict(dict(values))
    errors, warnings = config.validate()
    errors = list(errors)
    if not values.get("app_id"):
        unset = unset_variable_message(path, "app_id")
        if unset:
            errors = [(k, ValidationError(unset) if k == "app_id" else e) for k, e in errors]
    for key in secret_keys(values):
        errors.append((key, ValidationError(f"looks like a secret; {SIGNER_ONLY}")))
    for key in identity_keys(values):
        errors.append((f"settings.{key}", ValidationError(IDENTITY_KEY_MESSAGE)))
    return Validation(config, errors, list(warnings))


def identity_keys(options: Mapping[str, Any]) -> list[str]:
    settings = options.get("settings")
    return sorted(IDENTITY_KEYS & set(settings)) if isinstance(settings, Mapping) else []


def secret_keys(options: Mapping[str, Any], path: str = "") -> Iterator[str]:
    """Every key in the plugin's options (nested too) that looks like it holds a secret."""
    for key, value in options.items():
        where = f"{path}.{key}" if path else str(key)
        if SECRET_KEY.search(str(key)):
            yield where
        if isinstance(value, Mapping):
            yield from secret_keys(value, where)


def unset_variable_message(config_file: str | None, option: str) -> str | None:
    """Why `option` is empty when mkdocs.yml sets it with `!ENV`: which variable is not set."""
    names = env_tag_variables(config_file, option) if config_file else ()
    if not names:
        return None
    example = APP_ID_EXAMPLE if option == "app_id" else "…"
    if len(names) == 1:
        return (
            f"`{option}: !ENV {names[0]}` but the environment variable {names[0]} is not set: "
            f"export {names[0]}={example} before building"
        )
    return (
        f"`{option}: !ENV [{', '.join(names)}]` but none of these environment variables is set: "
        f"export {names[0]}={example} before building"
    )


def env_tag_variables(config_file: str, option: str) -> tuple[str, ...]:
    """The variables named by `option: !ENV …` in the intercom plugin's block of `config_file`
    (INHERIT followed), or () when the option is not set that way or the file cannot be read."""
    try:
        options = Project.load(Path(config_file), resolve_env=False).plugin_options() or {}
    except ProjectError:
        return ()
    value = options.get(option)
    return tuple(value) if isinstance(value, EnvVariables) else ()
