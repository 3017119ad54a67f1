"""The plugin's options (`plugins: - intercom:` in mkdocs.yml), each documented where declared."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

DEFAULT_WIDGET_URL = "https://widget.intercom.io/widget/{app_id}"
REGIONS = {
    "us": "https://api-iam.intercom.io",
    "eu": "https://api-iam.eu.intercom.io",
    "au": "https://api-iam.au.intercom.io",
}
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_APP_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Keys that only the signer may hold: a secret, or a signature computed at build time.
_SECRET_KEY = re.compile(
    r"secret|private[_-]?key|api[_-]?key|password|access[_-]?token|^user_hash$|^intercom_user_jwt$",
    re.I,
)


class AppId(BaseConfigOption[str]):
    def run_validation(self, value: object) -> str:
        if value is None or value == "":
            raise ValidationError(
                "required: your Intercom workspace id, e.g. `app_id: !ENV INTERCOM_APP_ID`"
            )
        if not isinstance(value, str) or not _APP_ID.match(value):
            raise ValidationError(
                f"{value!r} is not an Intercom app id (letters and digits, as in Settings → Installation)"
            )
        return value


class SignerUrl(BaseConfigOption[str | None]):
    def run_validation(self, value: object) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValidationError("expected a URL or a site path such as /api/intercom/identity")
        parts = urlsplit(value)
        if value.startswith("/") and not value.startswith("//"):
            return value
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK
        if (parts.scheme == "https" or loopback) and parts.hostname:
            return value
        raise ValidationError(
            f"{value!r} must be an https:// URL or a site path starting with / (e.g. /api/intercom/identity)"
        )


class WidgetUrl(BaseConfigOption[str]):
    def __init__(self) -> None:
        super().__init__()
        self.default = DEFAULT_WIDGET_URL

    def run_validation(self, value: object) -> str:
        if value is None:
            return DEFAULT_WIDGET_URL
        parts = urlsplit(str(value))
        if not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)):
            raise ValidationError(
                f"{value!r} must be an https:// URL (http only on loopback, for tests)"
            )
        return str(value)


class IntercomConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs' __init_subclass__
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it, e.g. `enabled: !ENV [INTERCOM_ENABLED, true]`."""

    app_id = AppId()
    """Your Intercom workspace id (required). Not a secret: it is visible on every page."""

    signer_url = SignerUrl()
    """Where the loader asks who the reader is: an https:// URL, or a path on the site's own
    origin such as `/api/intercom/identity`. Omit it for a visitors-only Messenger."""

    verification = c.Choice(("hmac", "jwt"), default="jwt")
    """Which signed field boots the Messenger: `hmac` (`user_hash`) or `jwt` (`intercom_user_jwt`)."""

    region = c.Choice(tuple(REGIONS), default="us")
    """Where your Intercom workspace is hosted (`us`, `eu`, `au`); sets the Messenger's `api_base`."""

    visitors = c.Type(bool, default=False)
    """Boot an anonymous visitor Messenger for readers who are not logged in."""

    load = c.Choice(("eager", "idle", "interaction"), default="idle")
    """When to load Intercom's widget: `eager` (at once, while the page loads), `idle` (once the
    page is parsed; the signer is asked at once), or `interaction` (a light launcher; nothing
    from Intercom loads until it is clicked)."""

    consent = c.Choice(("auto", "off"), default="auto")
    """`auto`: with mkdocs-material's cookie consent configured, load nothing from Intercom until
    the reader accepts the `intercom` cookie; `off`: ignore the consent form."""

    exclude = c.ListOfItems(c.Type(str), default=[])
    """Page globs without the Messenger, matched against source paths (e.g. `private/*`)."""

    settings = c.Type(dict, default={})
    """Messenger settings passed through to `Intercom('boot')` (alignment, horizontal_padding,
    hide_default_launcher, custom_launcher_selector, …)."""

    widget_url = WidgetUrl()
    """The Messenger script, `{app_id}` replaced; change it for a proxy or a test stand-in."""

    timeout = c.Type((int, float), default=5)
    """Seconds the loader waits for the signer before retrying (twice) and giving up."""

    fallback_url = c.Optional(c.Type(str))
    """With `load: interaction`: where the launcher sends readers if the widget does not load
    (a support page or a `mailto:` address)."""


# Set by the loader from the signer's answer and the plugin's options, never by `settings`.
IDENTITY_KEYS = frozenset(
    {"user_id", "email", "name", "user_hash", "intercom_user_jwt", "app_id", "api_base"}
)


def identity_keys(options: Mapping[str, Any]) -> list[str]:
    settings = options.get("settings")
    return sorted(IDENTITY_KEYS & set(settings)) if isinstance(settings, Mapping) else []


def secret_keys(options: Mapping[str, Any], path: str = "") -> Iterator[str]:
    """Every key in the plugin's options (nested too) that looks like it holds a secret."""
    for key, value in options.items():
        where = f"{path}.{key}" if path else str(key)
        if _SECRET_KEY.search(str(key)):
            yield where
        if isinstance(value, Mapping):
            yield from secret_keys(value, where)
