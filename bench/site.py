"""Plugin figures: `mkdocs build` of a 1,000-page material site with and without the plugin,
and the loader's size as a reader's browser downloads it. Also the realistic documentation
the browser bench serves: a material page with the theme's own JS and CSS, web fonts served
by the site itself, a search index and images."""

from __future__ import annotations

import gzip
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import yaml

from mkdocs_intercom.pages import LOADER_PATH, LOADER_SOURCE
from tests.support.sites import build_site

LOADER_READABLE = LOADER_SOURCE.with_name("loader.js")

PAGES = 1000


def _generate(root: Path) -> None:
    docs = root / "docs"
    for n in range(PAGES):
        page = docs / f"section-{n // 50:02d}" / f"page-{n:04d}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"# Page {n}\n\n"
            + "\n\n".join(
                f"## Part {k}\n\nSome prose about topic {n}.{k}, with `code` and a [link](../index.md)."
                for k in range(5)
            )
        )
    (docs / "index.md").write_text("# Home\n")
    base = {
        "site_name": "Bench",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "site_url": "https://docs.example.com/",
    }
    (root / "without.yml").write_text(yaml.safe_dump({**base, "plugins": ["search"]}))
    plugin = {
        "intercom": {
            "app_id": "benchapp",
            "signer_url": "/api/intercom/identity",
            "exclude": ["section-19/*"],
        }
    }
    (root / "with.yml").write_text(yaml.safe_dump({**base, "plugins": ["search", plugin]}))


# A build in a fresh process: wall and CPU seconds, and the seconds spent in the plugin's own
# hooks (timed by wrapping them before MkDocs collects them).
_BUILD = """
import logging, resource, sys, time
logging.disable(logging.WARNING)
from mkdocs_intercom.plugin import IntercomPlugin
spent = [0.0]
def timed(hook):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return hook(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
    return wrapper
for name in ("on_config", "on_files", "on_post_page", "on_post_template", "on_post_build"):
    setattr(IntercomPlugin, name, timed(getattr(IntercomPlugin, name)))
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir="site-" + sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
build(config)
print(time.perf_counter() - wall, time.process_time() - cpu, spent[0])
"""


def _build(root: Path, config: str) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _BUILD, config], cwd=root, capture_output=True, text=True, check=True
    )
    wall, cpu, hooks = (float(x) for x in out.stdout.split())
    return wall, cpu, hooks


def build_time(rounds: int = 5) -> None:
    root = Path(tempfile.mkdtemp(prefix="mkdocs-intercom-bench-"))
    try:
        _generate(root)
        _build(root, "without.yml")  # warm caches for both alike
        without, with_plugin = [], []
        for _ in range(rounds):
            without.append(_build(root, "without.yml"))
            with_plugin.append(_build(root, "with.yml"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"mkdocs build, {PAGES}-page material site (median of {rounds} alternating builds)")
    for label, index in (("wall", 0), ("CPU", 1)):
        a = statistics.median(run[index] for run in without)
        b = statistics.median(run[index] for run in with_plugin)
        print(f"  {label:4s} without {a:.2f} s   with the plugin {b:.2f} s   ratio {b / a:.3f}x")
    hooks = statistics.median(run[2] for run in with_plugin)
    base = statistics.median(run[1] for run in without)
    print(
        f"  the plugin's hooks: {hooks * 1000:.0f} ms, {1 + hooks / base:.4f}x of the CPU time without it   budget <= 1.01x"
    )


def loader_size() -> None:
    """The loader as a built site ships it (minified), and its readable source for scale."""
    with tempfile.TemporaryDirectory(prefix="mkdocs-intercom-bench-") as root:
        shipped = (build_site("plain", Path(root)) / LOADER_PATH).read_bytes()
    source = LOADER_READABLE.read_bytes()
    print(
        f"loader.js as shipped in site/: {len(shipped)} bytes, {len(gzip.compress(shipped, 9))} bytes gzip"
        "   budget <= 4096 bytes gzip"
    )
    print(f"  (its readable source: {len(source)} bytes, {len(gzip.compress(source, 9))} gzip)")


# -- a realistic documentation site, for the browser bench -----------------------------------

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "assets"
# Chromium's own Debian dependency (fonts-liberation), so there wherever the bench can run.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
# Material's Roboto faces as the privacy plugin self-hosts them, stood in for by Liberation:
# (family, weight, file). Headings are set in 300, text in 400, bold in 700, code in mono.
FACES = (
    ("Roboto", 300, "LiberationSans-Regular"),
    ("Roboto", 400, "LiberationSans-Regular"),
    ("Roboto", 700, "LiberationSans-Bold"),
    ("Roboto Mono", 400, "LiberationMono-Regular"),
)
_WORDS = [
    "signer",
    "reader",
    "identity",
    "token",
    "verify",
    "browser",
    "page",
    "session",
    "cookie",
    "login",
    "header",
    "origin",
    "cache",
    "answer",
    "expiry",
    "secret",
    "lambda",
    "gateway",
    "messenger",
    "widget",
    "install",
    "deploy",
    "configure",
    "region",
    "audience",
    "issuer",
    "claim",
    "attribute",
    "request",
    "response",
    "policy",
    "timeout",
    "network",
    "domain",
    "build",
    "theme",
    "plugin",
    "navigation",
    "search",
    "index",
    "section",
    "guide",
    "example",
    "option",
    "default",
    "value",
]


# What a page in English shows: Basic Latin, Latin-1 and the typographic punctuation, the
# pilcrow of permalinks and an arrow (what the privacy plugin's "latin" subset covers, roughly).
LATIN = (*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2027), 0x20AC, 0x2192)


def _tables(font: bytes) -> tuple[int, dict[bytes, bytes]]:
    flavor, count = struct.unpack(">IH", font[:6])
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", font[12 + 16 * index : 28 + 16 * index])
        tables[tag] = font[offset : offset + length]
    return flavor, tables


def _glyph_ids(cmap: bytes, codepoints: tuple[int, ...]) -> set[int]:
    """The glyphs a Windows Unicode (3, 1) format 4 cmap maps `codepoints` to."""
    (count,) = struct.unpack(">H", cmap[2:4])
    for index in range(count):
        platform, encoding, offset = struct.unpack(">HHI", cmap[4 + 8 * index : 12 + 8 * index])
        if (platform, encoding) == (3, 1) and cmap[offset : offset + 2] == b"\0\4":
            break
    else:
        raise ValueError("no (3, 1) format 4 cmap")
    segments = struct.unpack(">H", cmap[offset + 6 : offset + 8])[0] // 2
    arrays = offset + 14
    ends = struct.unpack(f">{segments}H", cmap[arrays : arrays + 2 * segments])
    starts_at = arrays + 2 * segments + 2
    starts = struct.unpack(f">{segments}H", cmap[starts_at : starts_at + 2 * segments])
    deltas = struct.unpack(
        f">{segments}h", cmap[starts_at + 2 * segments : starts_at + 4 * segments]
    )
    ranges_at = starts_at + 4 * segments
    ranges = struct.unpack(f">{segments}H", cmap[ranges_at : ranges_at + 2 * segments])
    glyphs = {0}
    for codepoint in codepoints:
        k = next(k for k, end in enumerate(ends) if end >= codepoint)
        if starts[k] > codepoint:
            continue
        if ranges[k] == 0:
            glyphs.add((codepoint + deltas[k]) & 0xFFFF)
            continue
        at = ranges_at + 2 * k + ranges[k] + 2 * (codepoint - starts[k])
        (glyph,) = struct.unpack(">H", cmap[at : at + 2])
        if glyph:
            glyphs.add((glyph + deltas[k]) & 0xFFFF)
    return glyphs


def _components(glyph: bytes) -> list[int]:
    """The glyphs a composite glyph is made of."""
    if len(glyph) < 10 or struct.unpack(">h", glyph[:2])[0] >= 0:
        return []
    found, at, more = [], 10, True
    while more:
        flags, component = struct.unpack(">HH", glyph[at : at + 4])
        found.append(component)
        at += 4 + (4 if flags & 0x0001 else 2)
        at += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0
        more = bool(flags & 0x0020)
    return found


def _unhinted(glyph: bytes) -> bytes:
    """The glyph without its TrueType instructions (web-font subsets usually drop hinting)."""
    if len(glyph) < 10:
        return glyph
    (contours,) = struct.unpack(">h", glyph[:2])
    if contours >= 0:
        at = 10 + 2 * contours
        (length,) = struct.unpack(">H", glyph[at : at + 2])
        return glyph[:at] + b"\0\0" + glyph[at + 2 + length :]
    at, more, flags_at = 10, True, 10
    while more:
        flags_at = at
        (flags,) = struct.unpack(">H", glyph[at : at + 2])
        at += 4 + (4 if flags & 0x0001 else 2)
        at += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0
        more = bool(flags & 0x0020)
    cleared = struct.pack(">H", flags & ~0x0100)
    return glyph[:flags_at] + cleared + glyph[flags_at + 2 : at]


def subset(ttf: bytes, codepoints: tuple[int, ...] = LATIN) -> dict[bytes, bytes]:
    """The font's tables with every glyph outside `codepoints` emptied and no hinting: glyph ids
    stay as they are, so no other table changes; about what a subsetter leaves to download."""
    _, tables = _tables(ttf)
    long_offsets = struct.unpack(">h", tables[b"head"][50:52])[0] == 1
    (glyph_count,) = struct.unpack(">H", tables[b"maxp"][4:6])
    loca = tables[b"loca"]
    offsets = (
        struct.unpack(f">{glyph_count + 1}I", loca[: 4 * (glyph_count + 1)])
        if long_offsets
        else tuple(
            2 * o for o in struct.unpack(f">{glyph_count + 1}H", loca[: 2 * (glyph_count + 1)])
        )
    )
    glyphs = [tables[b"glyf"][offsets[g] : offsets[g + 1]] for g in range(glyph_count)]
    keep = _glyph_ids(tables[b"cmap"], codepoints)
    pending = list(keep)
    while pending:
        for component in _components(glyphs[pending.pop()]):
            if component not in keep:
                keep.add(component)
                pending.append(component)
    glyf, new_offsets = b"", []
    for glyph_id, glyph in enumerate(glyphs):
        new_offsets.append(len(glyf))
        if glyph_id in keep:
            glyph = _unhinted(glyph)
            glyf += glyph + b"\0" * (-len(glyph) % 4)
    new_offsets.append(len(glyf))
    head = bytearray(tables[b"head"])
    head[8:12] = b"\0\0\0\0"  # checksumAdjustment: not checked by browsers
    head[50:52] = struct.pack(">h", 1)
    hinting = (b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX")
    return {tag: table for tag, table in tables.items() if tag not in hinting} | {
        b"glyf": glyf,
        b"loca": struct.pack(f">{len(new_offsets)}I", *new_offsets),
        b"head": bytes(head),
    }


def _checksum(table: bytes) -> int:
    padded = table + b"\0" * (-len(table) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def woff(ttf: bytes) -> bytes:
    """A TrueType font subset to `LATIN` and packed as WOFF 1.0, each table zlib-compressed:
    close in bytes to the WOFF2 latin subsets a material site self-hosts (every browser reads
    WOFF; WOFF2's Brotli is not at hand here)."""
    flavor, _ = _tables(ttf)
    tables = sorted(subset(ttf).items())
    offset = 44 + 20 * len(tables)
    directory, body = b"", b""
    for tag, data in tables:
        packed = zlib.compress(data, 9)
        stored = packed if len(packed) < len(data) else data
        directory += struct.pack(
            ">4sIIII", tag, offset + len(body), len(stored), len(data), _checksum(data)
        )
        body += stored + b"\0" * (-len(stored) % 4)
    sfnt_size = 12 + 16 * len(tables) + sum(len(d) + (-len(d) % 4) for _, d in tables)
    header = struct.pack(
        ">IIIHHIHHIIIII", 0x774F4646, flavor, offset + len(body), len(tables), 0, sfnt_size,
        1, 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    return header + directory + body


def _font(name: str) -> bytes:
    for folder in FONT_DIRS:
        if (folder / f"{name}.ttf").exists():
            return (folder / f"{name}.ttf").read_bytes()
    raise SystemExit(
        f"{name}.ttf is missing: apt-get install fonts-liberation (Chromium depends on it)"
    )


def _prose(rng: random.Random, sentences: int) -> str:
    return " ".join(
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
        for _ in range(sentences)
    )


def _page(rng: random.Random, title: str, links: str, images: tuple[str, ...] = ()) -> str:
    parts = [f"# {title}\n\n{links}\n\n{_prose(rng, 4)}"]
    for k in range(6):
        parts.append(f"## Part {k + 1}\n\n{_prose(rng, 5)}")
        if k < len(images):
            parts.append(f"![{images[k]}](img/{images[k]}.png)")
        if k % 2 == 0:
            parts.append(
                f"```python\nsettings = load('{rng.choice(_WORDS)}')\nprint(settings)\n```"
            )
        if k == 1:
            parts.append(f'!!! note "{rng.choice(_WORDS).capitalize()}"\n\n    {_prose(rng, 2)}')
        if k == 3:
            rows = "\n".join(f"| `{rng.choice(_WORDS)}` | {_prose(rng, 1)} |" for _ in range(5))
            parts.append(f"| option | meaning |\n|---|---|\n{rows}")
    return "\n\n".join(parts) + "\n"


def realistic_site(folder: Path, plugin: dict[str, Any] | None, site_url: str) -> Path:
    """A material site of 40 pages whose home and next page are what a reader opens: the
    theme's own bundle and stylesheets, four web-font faces served by the site (as the privacy
    plugin self-hosts them), its search index and three screenshots per page. Returns its
    mkdocs.yml."""
    rng = random.Random(20261206)
    docs = folder / "docs"
    (docs / "img").mkdir(parents=True)
    (docs / "fonts").mkdir()
    images = ("sign-in", "verified", "messenger")
    for name, source in zip(
        images, ("demo-sign-in", "demo-verified", "demo-verified"), strict=True
    ):
        shutil.copy(SCREENSHOTS / f"{source}.png", docs / "img" / f"{name}.png")
    faces = []
    for family, weight, name in FACES:
        (docs / "fonts" / f"{name}.woff").write_bytes(woff(_font(name)))
        faces.append(
            f"@font-face{{font-family:'{family}';font-style:normal;font-weight:{weight};"
            f"font-display:fallback;src:url(../fonts/{name}.woff) format('woff')}}"
        )
    (docs / "stylesheets").mkdir()
    (docs / "stylesheets" / "fonts.css").write_text(
        "\n".join(faces) + "\n:root{--md-text-font:'Roboto';--md-code-font:'Roboto Mono'}\n"
    )
    (docs / "index.md").write_text(_page(rng, "Home", "[Next page](next.md)", images))
    (docs / "next.md").write_text(_page(rng, "Next", "[Home](index.md)", images))
    for n in range(38):
        page = docs / f"guide-{n // 10}" / f"page-{n:02d}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(_page(rng, f"Guide {n}", "[Home](../index.md)"))
    config: dict[str, Any] = {
        "site_name": "Bench",
        "site_url": site_url,
        "docs_dir": "docs",
        "site_dir": str(folder / "site"),
        "theme": {
            "name": "material",
            "font": False,
            "features": [
                "navigation.sections",
                "navigation.top",
                "search.suggest",
                "search.highlight",
                "content.code.copy",
            ],
        },
        "extra_css": ["stylesheets/fonts.css"],
        "markdown_extensions": [
            "admonition",
            "tables",
            "attr_list",
            "pymdownx.highlight",
            "pymdownx.superfences",
            {"toc": {"permalink": True}},
        ],
        "plugins": ["search", *([{"intercom": plugin}] if plugin else [])],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return folder / "mkdocs.yml"
