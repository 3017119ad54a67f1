"""The deploy guide stays true to the template and the CLI: the parameter table is generated
from template.yaml, the recipes' CloudFormation passes cfn-lint, their parameters exist, and
each recipe ends with a `mkdocs-intercom check` line the CLI accepts."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from intercom_signer import deadlines
from mkdocs_intercom.cli import parser
from tests.support.cfn import ROOT, template
from tests.support.cfn import TEMPLATE as TEMPLATE_TEXT
from tests.support.markdown import blocks

DEPLOY = ROOT / "docs" / "deploy.md"


@pytest.fixture
def docs_hooks(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """docs/hooks.py, imported the way MkDocs loads it (its folder on sys.path)."""
    monkeypatch.syspath_prepend(str(ROOT / "docs"))
    import hooks

    return hooks


def recipes() -> dict[str, str]:
    section = DEPLOY.read_text().split("\n## Recipes\n", 1)[1].split("\n## ", 1)[0]
    parts = re.split(r"^### (.+)$", section, flags=re.M)[1:]
    return dict(zip(parts[::2], parts[1::2], strict=True))


def test_the_parameter_table_is_generated_from_the_template(docs_hooks: ModuleType) -> None:
    markdown = DEPLOY.read_text()
    assert markdown.count("<!-- template-parameters -->") == 1
    rendered = docs_hooks.on_page_markdown(markdown)
    section = rendered.split("\n## Parameters\n", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", section, flags=re.M)}
    parameters = template()["Parameters"]
    assert list(rows) == list(parameters)
    for name, spec in parameters.items():
        default = spec.get("Default")
        assert (
            f"| `{default}` |" if default else "| empty |" if default == "" else "| — |"
        ) in rows[name], name
    assert "| always |" in rows["OidcIssuer"]
    assert "required when IdentitySource is jwt or apigw-jwt" in rows["OidcAudience"]
    assert "required when FrontDoor is HttpApi" in rows["AllowedOrigins"]
    assert "must be HttpApi when IdentitySource is apigw-jwt" in rows["FrontDoor"]
    assert "| optional |" in rows["ReservedConcurrency"]


@pytest.mark.parametrize("name", ["cloudfront", "alb"])
def test_the_recipes_cloudformation_passes_cfn_lint(name: str, tmp_path: Path) -> None:
    markdown = DEPLOY.read_text()
    after = markdown.split(f"<!-- lint: {name} -->", 1)[1]
    (snippet,) = blocks(after, "yaml")[:1]
    path = tmp_path / f"{name}.yaml"
    path.write_text(snippet)
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(path)], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout


def test_the_recipes_name_only_parameters_the_template_has() -> None:
    parameters = template()["Parameters"]
    deploys = [b for b in blocks(DEPLOY.read_text(), "sh") if "--parameter-overrides" in b]
    assert len(deploys) == 4
    for block in deploys:
        words = shlex.split(re.sub(r"<[^>]*>", "PLACEHOLDER", block.replace("\\\n", " ")))
        pairs = words[words.index("--parameter-overrides") + 1 :]
        for pair in pairs:
            name, value = pair.split("=", 1)
            assert name in parameters, name
            allowed = parameters[name].get("AllowedValues")
            assert allowed is None or value in [str(v) for v in allowed], pair


def test_every_recipe_ends_with_a_check_line_the_cli_accepts() -> None:
    found = recipes()
    assert len(found) == 4
    for title, text in found.items():
        commands = [
            line
            for block in blocks(text, "sh")
            for line in block.splitlines()
            if line.startswith("mkdocs-intercom check ")
        ]
        assert commands, f"{title}: no check line"
        last = commands[-1]
        assert text.rstrip().endswith(f"{last}\n```"), f"{title}: the check line comes last"
        args = parser().parse_args(shlex.split(last)[1:])
        assert args.command == "check"
        assert args.url == "https://docs.example.com/", title
        assert args.token_env, f"{title}: the check proves a real reader's identity"


def test_the_worst_case_request_time_is_counted_by_deadlines_py(docs_hooks: ModuleType) -> None:
    rendered = docs_hooks.on_page_markdown(DEPLOY.read_text())
    variables = template()["Resources"]["SignerFunction"]["Properties"]["Environment"]
    fetch = float(variables["Variables"]["SIGNER_FETCH_TIMEOUT"])
    fetches = deadlines.IDENTITY_FETCHES + deadlines.EXTENSION_FETCHES + deadlines.SDK_FETCHES
    assert f"**{fetches}t = {deadlines.fetch_chain_bound(fetch):g} s**" in rendered
    assert f"t = {fetch:g} s" in rendered
    assert f"{deadlines.MAX_FETCH_CHAIN_SECONDS:g} s." in rendered
    comment = TEMPLATE_TEXT.read_text()
    assert f"{fetches}t = {deadlines.fetch_chain_bound(fetch):g} s" in comment
    assert "7t" not in rendered + comment


def test_the_pre_deploy_line_asks_for_the_layers_the_template_resolves() -> None:
    layers = template()["Resources"]["SignerFunction"]["Properties"]["Layers"]
    resolved = set(re.findall(r"\{\{resolve:ssm:([^}]+)\}\}", json.dumps(layers)))
    assert len(resolved) == 2
    runbook = (ROOT / "docs" / "runbook.md").read_text()
    section = runbook.split("\n## Before a deploy\n", 1)[1].split("\n## ", 1)[0]
    (block,) = blocks(section, "sh")
    asked = {shlex.split(line)[-1] for line in block.splitlines()}
    assert asked == resolved
    for line in block.splitlines():
        assert shlex.split(line)[:3] == ["aws", "ssm", "get-parameter"]


def test_the_runbook_says_what_each_dashboard_widget_answers() -> None:
    body = json.dumps(template()["Resources"]["SignerDashboard"]["Properties"]["DashboardBody"])
    titles = re.findall(r'\\"title\\": \\"([^"\\]+)\\"', body)
    runbook = (ROOT / "docs" / "runbook.md").read_text()
    section = runbook.split("\n## The dashboard\n", 1)[1].split("\n## ", 1)[0]
    widgets = re.findall(r"^\| \*\*(.+?)\*\* \| (.+?) \| (.+?) \|$", section, flags=re.M)
    assert [name for name, _, _ in widgets] == titles
    assert all("?" in answer for _, _, answer in widgets), "each answers a question"
