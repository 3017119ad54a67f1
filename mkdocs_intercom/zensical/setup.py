"""`mkdocs-intercom setup`: make a project ready for `zensical build`. The options under
`extra: intercom:` are checked by the plugin's own rules; then the theme override (theme.custom_dir,
`overrides` unless set) gets the partial, the loader and the line in main.html that includes the
partial, and the config file gets what is missing: `custom_dir`, and with a cookie consent form
the `intercom` choice the plugin adds under MkDocs. Everything is planned first: on any error
nothing is written; a step that cannot be done safely is left to the user, with the line to add."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..pages import CONSENT_COOKIE, CONSENT_LABEL, LOADER_PATH, LOADER_SOURCE
from ..project import EXTRA, Project, ProjectError
from ..validation import validate_options
from . import config_edit, override

CUSTOM_DIR = "overrides"


class SetupError(Exception):
    """What stops setup, one line each with the fix; nothing has been written."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Change:
    path: Path
    content: bytes
    note: str = ""


@dataclass
class Plan:
    project: Project
    custom_dir: Path
    changes: list[Change] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)  # steps left to the user, with the line to add


def plan(config_file: Path) -> Plan:
    """Everything setup would write, or SetupError with every reason it cannot."""
    try:
        project = Project.load(config_file)
    except ProjectError as error:
        raise SetupError([str(error)]) from None
    values = project.extra_options()
    if values is None:
        raise SetupError([_no_extra_block(project)])
    validation = validate_options(values, config_file)
    problems = validation.problems(EXTRA)
    if problems:
        raise SetupError([f"{config_file.name}: {problem}" for problem in problems])
    config = validation.config
    custom_dir = project.custom_dir or project.root / CUSTOM_DIR
    if project.custom_dir is None and custom_dir.exists():
        raise SetupError(
            [
                f"{config_file.name}: theme.custom_dir is not set, but {CUSTOM_DIR}/ exists: set `custom_dir: {CUSTOM_DIR}` under `theme:` if it is your theme override (or move it), then rerun"
            ]
        )
    result = Plan(project, custom_dir)
    result.changes += _override(result)
    result.changes += _config_edits(result, consent=config.consent == "auto")
    return result


def _override(plan: Plan) -> list[Change]:
    """The partial and the loader (ours: rewritten), and main.html including the partial."""
    partial = plan.custom_dir / override.PARTIAL
    if partial.exists() and not override.is_ours(partial.read_text(encoding="utf-8")):
        raise SetupError(
            [
                f"{_shown(plan.project, partial)} exists and was not written by mkdocs-intercom: move it aside, then rerun"
            ]
        )
    changes = [
        Change(partial, override.partial().encode()),
        Change(
            plan.custom_dir / LOADER_PATH,
            LOADER_SOURCE.read_bytes(),
            f"the loader of mkdocs-intercom {__version__}",
        ),
    ]
    main = plan.custom_dir / "main.html"
    if not main.exists():
        return [*changes, Change(main, override.MAIN_HTML.encode())]
    merged = override.with_include(main.read_text(encoding="utf-8"))
    if merged is None:
        plan.todo.append(
            f"add this line inside `{{% block extrahead %}}` of {_shown(plan.project, main)}: {override.INCLUDE}"
        )
        return changes
    return [*changes, Change(main, merged.encode(), "the partial included")]


def _config_edits(plan: Plan, *, consent: bool) -> list[Change]:
    """theme.custom_dir when unset; with a consent form, the `intercom` choice when missing."""
    project = plan.project
    text = project.path.read_text(encoding="utf-8")
    added: list[str] = []
    if project.custom_dir is None:
        text = _add(plan, text, ("theme",), "custom_dir", CUSTOM_DIR, added)
    if consent and _consent_lacks_choice(project):
        cookies = ("extra", "consent", "cookies")
        text = _add(plan, text, cookies, CONSENT_COOKIE, CONSENT_LABEL, added)
    return [Change(project.path, text.encode(), ", ".join(added))] if added else []


def apply(plan: Plan) -> list[str]:
    """Write what changed (the config file last); one report line per file."""
    report = []
    for change in plan.changes:
        shown = _shown(plan.project, change.path)
        note = f" ({change.note})" if change.note else ""
        if change.path.is_file() and change.path.read_bytes() == change.content:
            report.append(f"up to date: {shown}")
            continue
        change.path.parent.mkdir(parents=True, exist_ok=True)
        change.path.write_bytes(change.content)
        report.append(f"wrote {shown}{note}")
    return report


def _add(
    plan: Plan, text: str, path: tuple[str, ...], key: str, value: str, added: list[str]
) -> str:
    project = plan.project
    full_path = ("project", *path) if project.toml_project_table else path
    edited = config_edit.add_setting(text, project.is_toml, full_path, key, value)
    if edited is None:
        line = config_edit.line_to_add(project.is_toml, full_path, key, value)
        plan.todo.append(f"add {line} in {project.path.name}")
        return text
    added.append(f"{'.'.join((*path, key))}: {value}")
    return edited


def _consent_lacks_choice(project: Project) -> bool:
    """A consent form (Material's, so Zensical's) without the choice the plugin would add."""
    consent = project.extra.get("consent")
    if not consent or project.theme.get("name") not in ("material", None):
        return False
    cookies = consent.get("cookies") if isinstance(consent, dict) else None
    return not (isinstance(cookies, dict) and CONSENT_COOKIE in cookies)


def _no_extra_block(project: Project) -> str:
    block = "[project.extra.intercom]" if project.is_toml else "`extra: intercom:`"
    if project.plugin_options() is not None:
        return f"{project.path.name}: Zensical ignores MkDocs plugins: move the options of `intercom` under `plugins` to {block} (same names), then rerun"
    return f"{project.path.name}: no {block} block: add one with the plugin's options (app_id at least), then rerun"


def _shown(project: Project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)
