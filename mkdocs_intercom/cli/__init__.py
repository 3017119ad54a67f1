"""`mkdocs-intercom demo | check | csp | setup`: one module per subcommand, each with its
`add_parser` and `run`; main.py puts them together. The top layer: nothing imports it."""

from .main import main, parser

__all__ = ["main", "parser"]
