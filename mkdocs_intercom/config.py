"""The plugin's options (`plugins: - intercom:` in mkdocs.yml), each documented where declared.

The bottom layer: the schema and the rules a single value obeys, no I/O and no import from
this package. Reading the config file (project.py), the rules across options
(validation.py), the hooks and the command line all sit on top of it."""

from __future__ import annotations

import re
from typing import cast
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
# The hosts where plain http is allowed (local development and tests). The signer keeps its own
# copy of this rule (it never imports mkdocs_intercom); this is the plugin side's only one.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# The rule for every URL option, said once: the plugin, `setup`, `check` and the plugin
# reference (the options' docstrings below say it in these words; a test holds them to it).
LOOPBACK_RULE = (
    "plain http:// only on a loopback host (127.0.0.1, localhost, [::1]), for local "
    "development, accepted there as https:// is"
)
# Intercom app ids are short workspace codes (8 lowercase letters and digits, as in
# widget.intercom.io/widget/abc12345); anything much longer is a secret pasted by mistake.
_APP_ID = re.compile(r"^[a-z0-9]{1,24}$")
_VARIABLE_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
APP_ID_EXAMPLE = "abc12345"
SIGNER_ONLY = (
    "the Intercom secret belongs in the signer only (SIGNER_SECRET_ARN on AWS, SIGNER_SECRET "
    "locally), never in mkdocs.yml or the built site"
)
# Keys that only the signer may hold: a secret, or a signature computed at build time.
SECRET_KEY = re.compile(
    r"secret|private[_-]?key|api[_-]?key|password|access[_-]?token|^user_hash$|^intercom_user_jwt$",
    re.I,
)
# Set by the loader from the signer's answer and the plugin's options, never by `settings`.
IDENTITY_KEYS = frozenset(
    {"user_id", "email", "name", "user_hash", "intercom_user_jwt", "app_id", "api_base"}
)


def https_or_loopback(url: str) -> bool:
    """An https URL with a host, or http on a loopback host (the host as parsed, so that
    `http://127.0.0.1@evil.example` is not loopback)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)


class AppId(BaseConfigOption[str]):
    def run_validation(self, value: object) -> str:
        if value is None or value == "":
            raise ValidationError(
                "required: your Intercom workspace id, e.g. `app_id: !ENV INTERCOM_APP_ID`"
            )
        if isinstance(value, str) and len(value) > 24:
            # Never echo it: it is probably the secret itself.
            raise ValidationError(
                f"a {len(value)}-character value is not an Intercom app id and looks like a secret: "
                f"app ids are short workspace codes such as {APP_ID_EXAMPLE} (Intercom → Settings → "
                f"Installation → Web); {SIGNER_ONLY}"
            )
        if isinstance(value, str) and _VARIABLE_NAME.match(value):
            raise ValidationError(
                f"{value!r} is the name of a variable, not an app id: `!ENV [A, B]` takes its last "
                f"item as the default value; write `app_id: !ENV {value}`"
            )
        if not isinstance(value, str) or not _APP_ID.match(value):
            raise ValidationError(
                f"{value!r} is not an Intercom app id: a short workspace code of letters and digits "
                f"such as {APP_ID_EXAMPLE} (Intercom → Settings → Installation → Web)"
            )
        return value


class SignerUrl(BaseConfigOption[str | None]):
    def run_validation(self, value: object) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValidationError("expected a URL or a site path such as /api/intercom/identity")
        if value.startswith("/") and not value.startswith("//"):
            return value
        if https_or_loopback(value):
            return value
        raise ValidationError(
            f"{value!r} must be an https:// URL or a site path starting with / (e.g."
            f" /api/intercom/identity); {LOOPBACK_RULE}"
        )


class FallbackUrl(BaseConfigOption[str | None]):
    """Becomes a link's href on every page: https:, mailto: or a path on the site, nothing else
    (a `javascript:` URL would run script in the reader's session)."""

    def run_validation(self, value: object) -> str | None:
        if value is None or value == "":
            return None
        text = str(value)
        parts = urlsplit(text)
        unsafe = any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text)
        site_path = text.startswith("/") and not text.startswith(("//", "/\\"))
        mailto = parts.scheme == "mailto" and "@" in parts.path
        web = https_or_loopback(text)
        if isinstance(value, str) and not unsafe and (site_path or web or mailto):
            return text
        raise ValidationError(
            f"{text!r} is not allowed: use an https:// URL, a mailto: address or a path on the site "
            "starting with / (e.g. fallback_url: /support/ or fallback_url: mailto:help@example.com);"
            f" {LOOPBACK_RULE}"
        )

    def post_validation(self, config: base.Config, key_name: str) -> None:
        if config[key_name] and config["load"] != "interaction":
            self.warnings.append(
                f"is used only with `load: interaction` (the light launcher links there when the "
                f"widget cannot load), but load is {config['load']!r}: set `load: interaction` "
                "or remove fallback_url"
            )


class Timeout(c.Type[float]):  # a number, as the option reference reads it
    LOW, HIGH = 0.5, 60

    def __init__(self, default: float) -> None:
        super().__init__((int, float), default=default)

    def run_validation(self, value: object) -> float:
        in_range = (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and self.LOW <= value <= self.HIGH
        )
        if not in_range:
            raise ValidationError(
                f"{value!r} is out of range: give the seconds the loader waits for the signer, "
                f"from {self.LOW:g} to {self.HIGH:g} (e.g. timeout: {self.default:g})"
            )
        return cast(float, value)  # as written: 5 stays 5 in the page settings


class Globs(c.ListOfItems[str]):
    """A list of globs, or one glob written as a plain string."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default=[])

    def run_validation(self, value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if value is None or (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            return list(value or [])
        raise ValidationError(
            f'{value!r} is not a list of page globs: write e.g. exclude: ["internal/*", "drafts/*"]'
        )


class Consent(c.Choice[str]):
    """`auto` or `off`. YAML 1.1 (which MkDocs reads) turns a bare `off` into false and `on`
    into true, so those mean `off` and `auto`."""

    def __init__(self) -> None:
        super().__init__(("auto", "off"), default="auto")

    def run_validation(self, value: object) -> str:
        if value is False:
            return "off"
        if value is True:
            return "auto"
        if value in self.choices:
            return str(value)
        raise ValidationError(f"{value!r} is not valid: use consent: auto or consent: off")


class WidgetUrl(BaseConfigOption[str]):
    def __init__(self) -> None:
        super().__init__()
        self.default = DEFAULT_WIDGET_URL

    def run_validation(self, value: object) -> str:
        if value is None:
            return DEFAULT_WIDGET_URL
        if not https_or_loopback(str(value)):
            raise ValidationError(f"{value!r} must be an https:// URL; {LOOPBACK_RULE}")
        return str(value)


class IntercomConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs' __init_subclass__
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it, e.g. `enabled: !ENV [INTERCOM_ENABLED, true]`."""

    app_id = AppId()
    """Your Intercom workspace id (required). Not a secret: it is visible on every page."""

    signer_url = SignerUrl()
    """Where the loader asks who the reader is: an https:// URL, or a path on the site's own
    origin such as `/api/intercom/identity`; plain http:// only on a loopback host (127.0.0.1,
    localhost, [::1]), for local development, accepted there as https:// is. Omit it for a
    visitors-only Messenger."""

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

    consent = Consent()
    """`auto`: with mkdocs-material's cookie consent configured, load nothing from Intercom until
    the reader accepts the `intercom` cookie; `off`: ignore the consent form."""

    exclude = Globs()
    """Page globs without the Messenger, matched against source paths (e.g. `private/*`); one
    glob may be written as a plain string."""

    settings = c.Type(dict, default={})
    """Messenger settings passed through to `Intercom('boot')` (alignment, horizontal_padding,
    hide_default_launcher, custom_launcher_selector, …)."""

    widget_url = WidgetUrl()
    """The Messenger script, `{app_id}` replaced: change it for a proxy. An https:// URL; plain
    http:// only on a loopback host (127.0.0.1, localhost, [::1]), for local development,
    accepted there as https:// is (the sandbox Messenger of `mkdocs-intercom serve` and `demo`,
    Intercom's stand-in on this machine, is served so)."""

    timeout = Timeout(default=5)
    """Seconds (0.5 to 60) the loader waits for the signer before retrying (twice) and giving up."""

    fallback_url = FallbackUrl()
    """With `load: interaction`: where the launcher sends readers if the widget does not load:
    an https:// URL, a `mailto:` address or a path on the site such as `/support/`; plain
    http:// only on a loopback host (127.0.0.1, localhost, [::1]), for local development,
    accepted there as https:// is."""
