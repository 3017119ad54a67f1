"""`mkdocs-intercom csp`: the Content-Security-Policy the site needs, for the region and the
signer resolved as `check` resolves them: the flag, then the config file, then the built site,
then the default."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import csp
from ..check.site import site_options
from ..config import REGIONS, IntercomConfig
from ..precedence import Origin, Resolved, Sources
from ..project import Project, ProjectError
from . import files


def run(args: argparse.Namespace) -> int:
    config_file = files.config_file(args.config_file)
    site = files.site_folder(args.site)
    try:
        options = Project.load(config_file).intercom_options() if config_file else None
    except ProjectError as error:
        print(f"mkdocs-intercom csp: {error}", file=sys.stderr)
        return 2
    values = options.values if options else {}
    sources = Sources(
        config=values,
        config_name=config_file.name if config_file else None,
        site=site_options(site),
        site_name=str(site / "index.html") if site else None,
    )
    region = sources.resolve("region", args.region, default=IntercomConfig.region.default)
    signer = sources.resolve("signer_url", args.signer_url)
    if region.value not in REGIONS:
        print(
            f"mkdocs-intercom csp: region {region.value!r} ({region.where}) is not one of "
            f"{', '.join(REGIONS)}",
            file=sys.stderr,
        )
        return 2
    policy = csp.render(csp.policy(region.value, signer.value, values.get("widget_url")))
    # On stderr, so that the two lines on stdout can be pasted or piped as they are.
    print(
        f"mkdocs-intercom csp: {basis(region, signer, config_file, bool(options))}", file=sys.stderr
    )
    print(f"Content-Security-Policy: {policy}")
    print(f'<meta http-equiv="Content-Security-Policy" content="{policy}">')
    return 0


def basis(region: Resolved, signer: Resolved, config_file: Path | None, has_options: bool) -> str:
    """Which region and signer the policy is for, and where each came from; a default is an
    assumption when no config file with intercom options stood behind it."""
    source = config_file.name if config_file else None
    if region.origin is not Origin.DEFAULT:
        region_text = region.describe("region {}")
    elif has_options:
        region_text = f"region {region.value} (the default: {source} sets none)"
    else:
        region_text = f"assumed region {region.value} (--region changes it)"
    if signer.origin is not Origin.DEFAULT:
        signer_text = signer.describe("the signer at {}")
    elif has_options:
        signer_text = f"no signer ({source} sets no signer_url)"
    else:
        signer_text = "assumed no signer on another origin (--signer-url adds one)"
    if has_options or (region.origin is not Origin.DEFAULT and signer.origin is not Origin.DEFAULT):
        return f"policy for {region_text} and {signer_text}"
    missing = (
        "no mkdocs.yml or zensical.toml here (-f names one)"
        if config_file is None
        else f"{source} has no intercom options"
    )
    return f"{missing}: {region_text} and {signer_text}"


def add_parser(commands: Any) -> None:
    policy = commands.add_parser(
        "csp",
        help="print the Content-Security-Policy the site needs",
        description="Print the Content-Security-Policy the site needs. The region and the "
        "signer come from the flag, then the config file, then the built site, then the "
        "default; a line on standard error says which.",
    )
    files.add_config_file(policy)
    files.add_site(policy)
    policy.add_argument(
        "--region", help="us, eu or au (default: from the config file, else the site, else us)"
    )
    policy.add_argument(
        "--signer-url",
        help="the signer's URL (default: from the config file, else the site)",
    )
    policy.set_defaults(run=run)
