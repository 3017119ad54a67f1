"""`serve` rewrites each page's settings <meta> exactly as the plugin writes it, whichever
generator wrote the page, and leaves the site's own options alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_intercom.devstack.local import LocalStackError, Messenger, Origin
from mkdocs_intercom.devstack.localsite import (
    SESSION_BAR_URL,
    first_settings,
    localize,
    settings_meta,
)
from mkdocs_intercom.pages import head_tags

SITE_OWN = {
    "appId": "abc12345",
    "signerUrl": "https://docs.example.com/api/intercom/identity",
    "verification": "hmac",
    "visitors": True,
    "load": "interaction",
    "settings": {"alignment": "left"},
}
SANDBOX = Messenger("sandbox", "s" * 40, real=False)


def test_the_meta_is_written_as_the_plugin_writes_it() -> None:
    settings = {**SITE_OWN, "enabled": True}
    tags = head_tags(SITE_OWN, enabled=True, loader_url="loader.js")
    assert settings_meta(settings) in tags


@pytest.mark.parametrize(
    "meta",
    [
        head_tags(SITE_OWN, enabled=False, loader_url="x.js"),  # MkDocs, an excluded page
        # Zensical's partial: single quotes around JSON that escapes ' and < itself
        """<meta name="mkdocs-intercom" content='{"appId":"abc12345","signerUrl":"https:\\/\\/docs.example.com\\/api\\/intercom\\/identity","verification":"hmac","visitors":true,"load":"interaction","settings":{"alignment":"left"},"note":"it\\u0027s","enabled":false}'>""",
    ],
)
def test_pages_point_at_the_local_signer_and_sandbox_and_keep_their_own_options(
    meta: str, tmp_path: Path
) -> None:
    page = tmp_path / "guide" / "index.html"
    page.parent.mkdir()
    page.write_text(f"<html><head>{meta}</head><body><p>x</p></body></html>", encoding="utf-8")
    origin = Origin(8123)
    found = first_settings(tmp_path)
    localize(tmp_path, origin, SANDBOX)
    assert found["signerUrl"] == SITE_OWN["signerUrl"], "the site's own, as built"
    text = page.read_text(encoding="utf-8")
    expected = {
        **found,
        "appId": "sandbox",
        "signerUrl": "/api/intercom/identity",
        "widgetUrl": "http://127.0.0.1:8123/sandbox/widget/sandbox",
    }
    assert settings_meta(expected) in text
    assert expected["enabled"] is False
    assert expected["load"] == "interaction"
    assert text.endswith(f'<script src="{SESSION_BAR_URL}" defer></script></body></html>')
    assert (tmp_path / SESSION_BAR_URL.lstrip("/")).is_file()


def test_with_the_real_widget_the_sandbox_url_is_left_out(tmp_path: Path) -> None:
    tags = head_tags(
        {**SITE_OWN, "widgetUrl": "https://proxy.example.com/w"}, enabled=True, loader_url="x.js"
    )
    (tmp_path / "index.html").write_text(f"<head>{tags}</head><body></body>", encoding="utf-8")
    localize(tmp_path, Origin(8123), Messenger("abc12345", "s" * 40, real=True))
    assert '"widgetUrl"' not in (tmp_path / "index.html").read_text(encoding="utf-8").replace(
        "&quot;", '"'
    )


def test_a_site_without_the_loader_is_one_line_naming_setup(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<head></head><body></body>", encoding="utf-8")
    with pytest.raises(LocalStackError, match="mkdocs-intercom setup"):
        localize(tmp_path, Origin(8123), SANDBOX)
