"""`make bench`: every figure of DESIGN.md's budget table, measured side by side in one run."""

from __future__ import annotations

import argparse
import importlib

from bench.record import recorded

SECTIONS = {
    "cold": ("bench.signer", "cold_start"),
    "warm": ("bench.signer", "warm"),
    "loopback": ("bench.signer", "loopback"),
    "build": ("bench.site", "build_time"),
    "loader": ("bench.site", "loader_size"),
    "package": ("bench.package", "package"),
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "only", nargs="*", choices=[*SECTIONS, []], help="sections to run (default all)"
    )
    names = parser.parse_args().only or list(SECTIONS)
    for name in names:
        module, function = SECTIONS[name]
        with recorded(name):
            getattr(importlib.import_module(module), function)()
        print()


if __name__ == "__main__":
    main()
