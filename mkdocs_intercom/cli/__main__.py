"""`python -m mkdocs_intercom.cli`, the same as the `mkdocs-intercom` command."""

import sys

from .main import main

sys.exit(main())
