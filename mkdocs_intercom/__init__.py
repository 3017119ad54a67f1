"""The MkDocs plugin for a verified Intercom Messenger."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mkdocs-intercom")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
