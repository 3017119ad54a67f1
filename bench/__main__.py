"""`make bench`: every figure of DESIGN.md's budget table, measured side by side in one run.

`python -m bench [section ...] [--signer-ms N] [--widget-ms N] [--tabs N]`"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from bench.record import recorded

SECTIONS = {
    "cold": ("bench.signer", "cold_start"),
    "warm": ("bench.signer", "warm"),
    "loopback": ("bench.signer", "loopback"),
    "build": ("bench.site", "build_time"),
    "loader": ("bench.site", "loader_size"),
    "browser": ("bench.browser", "time_to_messenger"),
    "package": ("bench.package", "package"),
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "only", nargs="*", choices=[*SECTIONS, []], help="sections to run (default all)"
    )
    parser.add_argument("--signer-ms", type=float, default=150, help="the signer's distance")
    parser.add_argument("--widget-ms", type=float, default=300, help="the widget host's distance")
    parser.add_argument("--tabs", type=int, default=11, help="fresh tabs per browser figure")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    for name in args.only or list(SECTIONS):
        module, function = SECTIONS[name]
        run = getattr(importlib.import_module(module), function)
        if name == "browser" and "cold" not in figures:
            # the cold-signer variant adds the signer's measured cold start (printed, not kept)
            figures["cold"] = importlib.import_module("bench.signer").cold_start(3)
            print()
        with recorded(name):
            if name == "browser":
                cold = figures["cold"]
                figures[name] = run(
                    signer_ms=args.signer_ms,
                    widget_ms=args.widget_ms,
                    tabs=args.tabs,
                    cold_start_ms=cold["ours (extension)"] * 1000,
                )
            else:
                figures[name] = run()
        print()


if __name__ == "__main__":
    main()
