"""`mkdocs-intercom check`: the flags read into one `CheckRequest` (the secret and the login
token read here, from standard input or the environment), then the checklist runs."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from .. import check
from . import files

DEFAULT_SECRET_ENV = "INTERCOM_SECRET"  # noqa: S105  # a variable name, not a secret


class SecretInputError(Exception):
    """--secret-stdin read nothing."""


def run(args: argparse.Namespace) -> int:
    try:
        secret, secret_source = read_secret(args)
    except SecretInputError as error:
        print(f"mkdocs-intercom check: {error}", file=sys.stderr)
        return 2
    token = args.token or (os.environ.get(args.token_env) if args.token_env else None)
    request = check.CheckRequest(
        site=files.site_folder(args.site),
        config_file=files.config_file(args.config_file),
        url=args.url,
        signer=args.signer,
        origin=args.origin,
        credential=check.Credential(token, args.token_from) if token else None,
        secret=secret,
        secret_source=secret_source,
    )
    return check.run(request)


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


def add_parser(commands: Any) -> None:
    checker = commands.add_parser(
        "check",
        help="is identity verification working? a checklist with fixes",
        description="Is identity verification working? Checks the options, the built site, the "
        "live signer as the loader and a stranger would ask it, and the site's "
        "Content-Security-Policy: one line per check, ✓, ✗ with its fix, or - when skipped. "
        "Each setting it needs (verification, region, the signer's URL) comes from the flag, "
        "then the config file, then the built site, then the default; the second line says "
        "which. Exit status: 0 when nothing failed, 1 on any ✗, 2 when the input cannot be read.",
        epilog="A reader's login token: sign in to the docs and copy the credential the signer "
        "reads — a cookie from the browser's developer tools (Application → Cookies), or, where "
        "the site hands the loader a bearer token, the value of `await "
        "window.mkdocsIntercomAuth()` in the console. Keep it and the secret out of the shell's "
        "history: `read -rs READER_TOKEN && export READER_TOKEN`, then --token-env READER_TOKEN; "
        "and --secret-stdin, which prompts for the secret without showing it.",
    )
    files.add_site(checker)
    files.add_config_file(checker)
    checker.add_argument(
        "--url",
        help="the live site, e.g. https://docs.example.com/ (CSP, and a signer on the same origin)",
    )
    checker.add_argument(
        "--signer",
        help="the signer's /identity URL (default: signer_url from the config file, else from "
        "the built site)",
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
    checker.set_defaults(run=run)
