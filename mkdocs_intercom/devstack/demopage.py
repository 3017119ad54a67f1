"""Build hook of the demo site: the running demo's address, check command and verification
method in its pages."""

from __future__ import annotations

from typing import Any

# What the Messenger's panel shows under each verification method.
VERIFIED = {
    "jwt": (
        "how the identity was verified (a JWT and when it expires), and the *signed fields* it"
        " carries (the reader's plan and company, taken from the login token, that nobody can"
        " change from the browser)"
    ),
    "hmac": (
        "how the identity was verified (a `user_hash`: the HMAC of the user id with the"
        " workspace's secret, which does not expire). Signed fields travel only inside a JWT:"
        " start the demo with `--verification jwt` to see them"
    ),
}


def on_page_markdown(markdown: str, /, *, config: Any, **kwargs: Any) -> str:
    demo = config.extra.get("demo") or {}
    values = {
        "url": str(demo.get("url", "")),
        "check": str(demo.get("check", "")),
        "verified": VERIFIED[str(demo.get("verification", "jwt"))],
    }
    for name, value in values.items():
        markdown = markdown.replace(f"{{{{ demo.{name} }}}}", value)
    return markdown
