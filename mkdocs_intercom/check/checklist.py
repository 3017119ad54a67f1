"""The whole checklist from one request: what the command line and `demo --check` hand over,
with no environment and no argv. Each input follows the one precedence (precedence.py): the
flag, then the config file, then the built site, then the default."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .. import csp
from ..config import IntercomConfig
from ..precedence import Resolved, Sources
from ..project import Options, Project, ProjectError
from .csp import check_csp
from .result import Result, skipped
from .signer import Credential, check_signer
from .site import check_options, check_secret, check_site, site_options


@dataclass(frozen=True)
class CheckRequest:
    """What to check, as given: every path and value already read (a secret from standard input
    or an environment variable, a login token), none looked up by the check itself."""

    site: Path | None = None  # the built site folder
    config_file: Path | None = None  # mkdocs.yml or zensical.toml
    url: str | None = None  # the live site
    signer: str | None = None  # --signer: the signer's /identity URL
    origin: str | None = None  # --origin: the docs origin for the CORS checks
    credential: Credential | None = None  # a reader's login token and how it travels
    secret: str | None = None
    secret_source: str = "given"  # noqa: S105  # where the secret came from, as a line says it


class CheckInputError(Exception):
    """An input that cannot be read: one line naming it."""


@dataclass(frozen=True)
class Inputs:
    """The fields the checks need, each resolved with where it came from."""

    verification: Resolved
    region: Resolved
    signer_url: Resolved

    def line(self) -> str:
        signer = (
            self.signer_url.describe("the signer at {}")
            if self.signer_url.value
            else "no signer URL"
        )
        return (
            f"using {self.verification.describe('verification {}')}, "
            f"{self.region.describe('region {}')}, {signer}"
        )


def resolve_inputs(request: CheckRequest, options: Options | None) -> Inputs:
    sources = Sources(
        config=options.values if options else {},
        config_name=request.config_file.name if request.config_file else None,
        site=site_options(request.site),
        site_name=str(request.site / "index.html") if request.site else None,
    )
    return Inputs(
        verification=sources.resolve("verification", default=IntercomConfig.verification.default),
        region=sources.resolve("region", default=IntercomConfig.region.default),
        signer_url=sources.resolve("signer_url", request.signer, flag_name="--signer"),
    )


def results(request: CheckRequest) -> tuple[Inputs, list[Result]]:
    """Every line of the checklist, in order; CheckInputError when the config file cannot be read."""
    config_file = request.config_file
    try:
        options = Project.load(config_file).intercom_options() if config_file else None
    except ProjectError as error:
        raise CheckInputError(str(error)) from None
    inputs = resolve_inputs(request, options)
    lines: list[Result] = [*check_options(options, config_file)]
    site = request.site
    if site:
        config_name = config_file.name if config_file else "mkdocs.yml"
        lines += check_site(site, options, config_name)
        lines.append(check_secret(site, request.secret, request.secret_source))
    else:
        lines.append(skipped("site folder not checked: pass --site (default ./site)"))

    signer_url = inputs.signer_url.value
    if signer_url and not csp.origin_of(signer_url):  # a site path: on the site's own origin
        signer_url = f"{request.url.rstrip('/')}{signer_url}" if request.url else None
    origin = request.origin or csp.origin_of(request.url)
    if signer_url:
        lines += check_signer(
            signer_url,
            site_origin=origin,
            verification=str(inputs.verification.value),
            credential=request.credential,
            secret=request.secret,
        )
    else:
        lines.append(
            skipped(
                "signer not checked: pass --signer, or --url for a signer on the site's own origin"
            )
        )
    if request.url:
        lines.append(
            check_csp(request.url, str(inputs.region.value), signer_url, request.credential)
        )
    else:
        lines.append(skipped("CSP not checked: pass --url with the site's address"))
    return inputs, lines


def run(request: CheckRequest, out: TextIO | None = None) -> int:
    """Print the checklist; the exit status: 0 nothing failed, 1 a ✗, 2 an input unreadable."""
    stream = out or sys.stdout
    try:
        inputs, lines = results(request)
    except CheckInputError as error:
        print(f"mkdocs-intercom check: {error}", file=sys.stderr)
        return 2
    print("mkdocs-intercom check", file=stream)
    print(f"  {inputs.line()}", file=stream)
    for result in lines:
        print(result.line(), file=stream)
    failures = sum(result.ok is False for result in lines)
    print(f"{failures} failed" if failures else "all checks passed", file=stream)
    return 1 if failures else 0
