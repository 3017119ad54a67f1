"""One precedence for every field the command line reads, in `check` and `csp` alike: the flag,
then the config file, then the built site, then the default. The answer says where the value
came from, so that what a command prints can name it (`region au (from mkdocs.yml)`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Origin(Enum):
    FLAG = "flag"
    CONFIG = "config file"
    SITE = "built site"
    DEFAULT = "default"


@dataclass(frozen=True)
class Resolved:
    value: Any
    origin: Origin
    where: str  # the flag (`--region`), the file (`mkdocs.yml`, `site/index.html`) or "default"

    def describe(self, shown: str) -> str:
        """`shown` with the value filled in, and where it came from: `region au (from mkdocs.yml)`."""
        text = shown.format(self.value)
        if self.origin is Origin.FLAG:
            return f"{text} ({self.where})"
        if self.origin is Origin.DEFAULT:
            return f"{text} (the default)"
        return f"{text} (from {self.where})"


@dataclass(frozen=True)
class Sources:
    """What a command was given besides its flags: the intercom options of the config file and
    the settings of the built site, both by option name, and how to name each in a message."""

    config: Mapping[str, Any] = field(default_factory=dict)
    config_name: str | None = None  # None: no config file was found or given
    site: Mapping[str, Any] = field(default_factory=dict)
    site_name: str | None = None  # None: no built site

    def resolve(
        self, name: str, flag: Any = None, *, flag_name: str = "", default: Any = None
    ) -> Resolved:
        """The value of option `name`: `flag` when given, else the config file's, else the
        built site's, else `default`. Empty values ("" and None) count as not given."""
        if flag not in (None, ""):
            return Resolved(flag, Origin.FLAG, flag_name or f"--{name.replace('_', '-')}")
        if self.config.get(name) not in (None, ""):
            return Resolved(self.config[name], Origin.CONFIG, self.config_name or "the config file")
        if self.site.get(name) not in (None, ""):
            return Resolved(self.site[name], Origin.SITE, self.site_name or "the built site")
        return Resolved(default, Origin.DEFAULT, "default")
