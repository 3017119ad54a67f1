"""`mkdocs-intercom check`: is identity verification working? One line per check, ✓ or ✗, each
✗ with the fix. Three jobs over one HTTP helper: the built site (site.py), the live signer
(signer.py) and the site's Content-Security-Policy (csp.py); checklist.py runs them all from one
`CheckRequest`, for the command line and `demo --check` alike."""

from .checklist import CheckRequest, run
from .csp import check_csp
from .result import Result, failed, passed, skipped
from .signer import Credential, check_signer
from .site import built_with_zensical, check_options, check_secret, check_site, site_settings

__all__ = [
    "CheckRequest",
    "Credential",
    "Result",
    "built_with_zensical",
    "check_csp",
    "check_options",
    "check_secret",
    "check_signer",
    "check_site",
    "failed",
    "passed",
    "run",
    "site_settings",
    "skipped",
]
