"""`mkdocs-intercom demo | check | csp | setup`."""

from __future__ import annotations

import argparse
import getpass
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from . import check, csp
from .config import REGIONS, IntercomConfig
from .project import Project, ProjectError, default_config_file

DEFAULT_SECRET_ENV = "INTERCOM_SECRET"  # noqa: S105  # a variable name, not a secret


def plugin_options(config_file: Path | None) -> dict[str, Any]:
    """The intercom options (unvalidated; !ENV resolved): the plugin's in mkdocs.yml, or the same
    block under `extra: intercom:` (mkdocs.yml or zensical.toml) for Zensical."""
    if config_file is None or not config_file.is_file():
        return {}
    try:
        options = Project.load(config_file).intercom_options()
    except ProjectError:
        return {}
    return dict(options.values) if options else {}


def _default(path: str) -> Path | None:
    return Path(path) if Path(path).exists() else None


def run_check(args: argparse.Namespace) -> int:
    config_file: Path | None = args.config_file
    try:
        options = Project.load(config_file).intercom_options() if config_file else None
        secret, secret_source = read_secret(args)
    except (ProjectError, SecretInputError) as error:
        print(f"mkdocs-intercom check: {error}", file=sys.stderr)
        return 2
    values = options.values if options else {}
    site: Path | None = args.site
    settings = (check.site_settings(site) if site else None) or {}
    results: list[check.Result] = [*check.check_options(options, config_file)]
    if site:
        config_name = config_file.name if config_file else "mkdocs.yml"
        results += check.check_site(site, options, config_name)
        results.append(check.check_secret(site, secret, secret_source))
    else:
        results.append(check.skipped("site folder not checked: pass --site (default ./site)"))

    verification = str(
        settings.get("verification")
        or values.get("verification")
        or IntercomConfig.verification.default
    )
    region = str(values.get("region") or _region_of(settings.get("apiBase")) or "us")
    signer_url = args.signer or values.get("signer_url") or settings.get("signerUrl")
    if signer_url and not csp.origin_of(signer_url):
        signer_url = f"{args.url.rstrip('/')}{signer_url}" if args.url else None
    origin = args.origin or csp.origin_of(args.url)
    token = args.token or (os.environ.get(args.token_env) if args.token_env else None)
    credential = check.Credential(token, args.token_from) if token else None
    if signer_url:
        results += check.check_signer(
            signer_url,
            site_origin=origin,
            verification=verification,
            credential=credential,
            secret=secret,
        )
    else:
        results.append(
            check.skipped(
                "signer not checked: pass --signer, or --url for a signer on the site's own origin"
            )
        )
    if args.url:
        results.append(check.check_csp(args.url, region, signer_url, credential))
    else:
        results.append(check.skipped("CSP not checked: pass --url with the site's address"))

    print("mkdocs-intercom check")
    for result in results:
        print(result.line())
    failures = sum(result.ok is False for result in results)
    print(f"{failures} failed" if failures else "all checks passed")
    return 1 if failures else 0


class SecretInputError(Exception):
    """--secret-stdin read nothing."""


def read_secret(args: argparse.Namespace) -> tuple[str | None, str]:
    """The Intercom secret and where it came from: standard input (a prompt that does not
    echo on a terminal, else the first line of a pipe), or the environment variable named.
    Never an argument, which would stay in the shell's history."""
    if not args.secret_stdin:
        return os.environ.get(args.secret_env), f"in ${args.secret_env}"
    if sys.stdin.isatty():
        value = getpass.getpass("Intercom secret (not shown): ")
    else:
        value = sys.stdin.readline()
    if not value.strip():
        raise SecretInputError("--secret-stdin: nothing read from standard input")
    return value.strip(), "from standard input"


def _region_of(api_base: object) -> str | None:
    return next((region for region, url in REGIONS.items() if url == api_base), None)


def run_setup(args: argparse.Namespace) -> int:
    from .zensical import setup

    config_file: Path | None = args.config_file
    if config_file is None:
        print(
            "mkdocs-intercom setup: no mkdocs.yml or zensical.toml here: pass -f with the project's config file",
            file=sys.stderr,
        )
        return 2
    try:
        plan = setup.plan(config_file)
    except setup.SetupError as error:
        for problem in error.problems:
            print(f"mkdocs-intercom setup: {problem}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 2
    print(f"mkdocs-intercom setup: {config_file}, theme override in {plan.custom_dir}")
    for line in setup.apply(plan):
        print(f"  {line}")
    if plan.todo:
        for step in plan.todo:
            print(f"to do: {step}")
        return 1
    print("ready: zensical build (or zensical serve)")
    return 0


def run_csp(args: argparse.Namespace) -> int:
    options = plugin_options(args.config_file)
    region = args.region or options.get("region") or "us"
    if region not in REGIONS:
        print(
            f"mkdocs-intercom csp: region {region!r} is not one of {', '.join(REGIONS)}",
            file=sys.stderr,
        )
        return 2
    signer_url = args.signer_url or options.get("signer_url")
    widget_url = options.get("widget_url")
    policy = csp.render(csp.policy(region, signer_url, widget_url))
    # On stderr, so that the two lines on stdout can be pasted or piped as they are.
    print(f"mkdocs-intercom csp: {_csp_basis(args, options)}", file=sys.stderr)
    print(f"Content-Security-Policy: {policy}")
    print(f'<meta http-equiv="Content-Security-Policy" content="{policy}">')
    return 0


def _csp_basis(args: argparse.Namespace, options: dict[str, Any]) -> str:
    """Which region and signer the policy is for, and where each came from."""
    source = args.config_file
    region = _basis(
        args.region,
        "--region",
        options,
        "region",
        source,
        shown="region {}",
        unset=f"region us (the default: {source} sets none)",
        assumed="assumed region us (--region changes it)",
    )
    signer = _basis(
        args.signer_url,
        "--signer-url",
        options,
        "signer_url",
        source,
        shown="the signer at {}",
        unset=f"no signer ({source} sets no signer_url)",
        assumed="assumed no signer on another origin (--signer-url adds one)",
    )
    if options or (args.region and args.signer_url):
        return f"policy for {region} and {signer}"
    missing = (
        "no mkdocs.yml here (-f names one)"
        if source is None
        else f"{source} has no intercom plugin"
    )
    return f"{missing}: {region} and {signer}"


def _basis(
    given: str | None,
    flag: str,
    options: dict[str, Any],
    key: str,
    source: Path | None,
    *,
    shown: str,
    unset: str,
    assumed: str,
) -> str:
    """One setting of the policy and where it came from: the flag, the config file, the
    config file's silence (the default), or no config file at all (an assumption)."""
    if given:
        return f"{shown.format(given)} ({flag})"
    if options.get(key):
        return f"{shown.format(options[key])} (from {source})"
    return unset if options else assumed


def run_demo(args: argparse.Namespace) -> int:
    from .devstack.demo import DEFAULT_BUILD_DIR, DemoError, DemoOptions, check_demo
    from .devstack.demo import run_demo as serve

    try:
        if args.check:
            return check_demo(args.build_dir)
        in_make = "MAKELEVEL" in os.environ and args.build_dir == DEFAULT_BUILD_DIR
        build_dir = (
            ""
            if args.build_dir == DEFAULT_BUILD_DIR
            else f" --build-dir {shlex.quote(str(args.build_dir))}"
        )
        check_command = "make check" if in_make else f"{own_command()} demo --check{build_dir}"
        serve(
            DemoOptions(
                args.port,
                args.verification,
                args.visitors,
                args.load,
                args.build_dir,
                check_command,
            )
        )
    except DemoError as error:
        print(f"mkdocs-intercom demo: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def own_command() -> str:
    """This program as it can be typed again in the same shell: its bare name when that is
    what PATH finds, else its path (e.g. .venv/bin/mkdocs-intercom after `make demo`)."""
    script = Path(sys.argv[0])
    if script.name != "mkdocs-intercom":  # python -m mkdocs_intercom.cli
        return f"{shlex.quote(_shortest(Path(sys.executable)))} -m mkdocs_intercom.cli"
    on_path = shutil.which("mkdocs-intercom")
    if on_path and Path(on_path).resolve() == script.resolve():
        return "mkdocs-intercom"
    return shlex.quote(_shortest(script))


def _shortest(path: Path) -> str:
    """A path relative to the working directory when it lies below it, else absolute."""
    absolute = path.absolute()
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return str(absolute)
    return str(relative) if len(relative.parts) > 1 else f"./{relative}"


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="mkdocs-intercom", description="A verified Intercom Messenger for MkDocs sites."
    )
    commands = main.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo",
        help="run the whole product locally (site, identity provider, signer, sandbox Messenger)",
    )
    demo.add_argument("--port", type=int, help="port on 127.0.0.1 (default 8000, or a free one)")
    demo.add_argument(
        "--verification",
        choices=("jwt", "hmac"),
        default="jwt",
        help="the signed field that boots the Messenger (default jwt, Intercom's recommended one)",
    )
    demo.add_argument(
        "--visitors", action="store_true", help="anonymous Messenger for signed-out readers"
    )
    demo.add_argument("--load", choices=("eager", "idle", "interaction"), default="idle")
    demo.add_argument(
        "--build-dir",
        type=Path,
        default=Path(".demo"),
        help="where the demo site is built (default .demo)",
    )
    demo.add_argument(
        "--check",
        action="store_true",
        help="check the demo running from --build-dir: `mkdocs-intercom check` as a sample reader, with the demo's secret",
    )
    demo.set_defaults(run=run_demo)

    checker = commands.add_parser(
        "check",
        help="is identity verification working? a checklist with fixes",
        description="Is identity verification working? Checks the options, the built site, the "
        "live signer as the loader and a stranger would ask it, and the site's "
        "Content-Security-Policy: one line per check, ✓, ✗ with its fix, or - when skipped. "
        "Exit status: 0 when nothing failed, 1 on any ✗, 2 when the input cannot be read.",
        epilog="A reader's login token: sign in to the docs and copy the credential the signer "
        "reads — a cookie from the browser's developer tools (Application → Cookies), or, where "
        "the site hands the loader a bearer token, the value of `await "
        "window.mkdocsIntercomAuth()` in the console. Keep it and the secret out of the shell's "
        "history: `read -rs READER_TOKEN && export READER_TOKEN`, then --token-env READER_TOKEN; "
        "and --secret-stdin, which prompts for the secret without showing it.",
    )
    checker.add_argument(
        "--site", type=Path, default=_default("site"), help="the built site folder (default ./site)"
    )
    checker.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=default_config_file(),
        help="mkdocs.yml or zensical.toml (default: the one in this folder)",
    )
    checker.add_argument(
        "--url",
        help="the live site, e.g. https://docs.example.com/ (CSP, and a signer on the same origin)",
    )
    checker.add_argument(
        "--signer", help="the signer's /identity URL (default: signer_url from the site)"
    )
    checker.add_argument(
        "--origin", help="the docs origin for the CORS checks (default: from --url)"
    )
    checker.add_argument(
        "--token-env",
        metavar="VARIABLE",
        help="the environment variable holding a reader's login token, to check the signed identity",
    )
    checker.add_argument(
        "--token",
        help="the login token itself (it stays in the shell's history: prefer --token-env)",
    )
    checker.add_argument(
        "--token-from",
        default="authorization",
        metavar="WHERE",
        help="how the token travels, as the front door and SIGNER_TOKEN_FROM take it: "
        "authorization (a Bearer header), cookie:NAME or header:NAME (default %(default)s)",
    )
    checker.add_argument(
        "--secret-env",
        default=DEFAULT_SECRET_ENV,
        metavar="VARIABLE",
        help="the environment variable holding the Intercom secret, to verify the signature and "
        "scan the site for it (default %(default)s)",
    )
    checker.add_argument(
        "--secret-stdin",
        action="store_true",
        help="read the Intercom secret from standard input instead: a prompt that does not show "
        "it, or the first line of a pipe",
    )
    checker.set_defaults(run=run_check)

    setup = commands.add_parser(
        "setup",
        help="make a Zensical project ready: the theme override and the loader, from `extra: intercom:`",
        description="Zensical runs no MkDocs plugin: check the options under `extra: intercom:` by the "
        "plugin's rules and write what gives every page the plugin's tags (rerun after upgrading). "
        "Exit status: 0 ready, 1 a step is left to you (printed), 2 an error (nothing written).",
    )
    setup.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=default_config_file(),
        help="mkdocs.yml or zensical.toml (default: the one in this folder)",
    )
    setup.set_defaults(run=run_setup)

    policy = commands.add_parser("csp", help="print the Content-Security-Policy the site needs")
    policy.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=_default("mkdocs.yml"),
        help="mkdocs.yml (default ./mkdocs.yml)",
    )
    policy.add_argument("--region", help="us, eu or au (default: from mkdocs.yml, else us)")
    policy.add_argument("--signer-url", help="the signer's URL (default: from mkdocs.yml)")
    policy.set_defaults(run=run_csp)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
