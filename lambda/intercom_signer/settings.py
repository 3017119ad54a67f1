"""The signer's settings: parsed once from the environment into a frozen dataclass.

One source of truth: each entry of the catalogue (`VARIABLES`) names the field it sets, its
default as an operator would write it, and the parser that turns the written value into the
typed one. The dataclass takes its defaults from the catalogue, through the same parsers;
the signer reference's table is generated from it. What involves several variables is a
short list of named checks (`CHECKS`), run after every variable parsed on its own.

Every misconfiguration raises ConfigError with one line that names the variable and the fix;
the entry points print it and stop before serving anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar, cast
from urllib.parse import urlsplit

IdentityMode = Literal["jwt", "apigw-jwt", "alb"]
OutputMode = Literal["hmac", "jwt", "both"]
TokenSource = Literal["authorization", "cookie", "header"]

T = TypeVar("T")

MIN_SECRET_LENGTH = 32
MAX_SECRET_AGE = 300  # a rotated secret must be in use within five minutes
MAX_FETCH_TIMEOUT = 5.0
MIN_COOLDOWN = 5.0  # below this, every junk kid costs a key fetch
MAX_SIGNED_FIELDS = 32
STANDARD_EMAIL_CLAIM = "email"
STANDARD_EMAIL_VERIFIED_CLAIM = "email_verified"  # OIDC Core 5.1: it vouches for `email` alone
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_TOKEN_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$")  # RFC 9110 token
_ALB_ARN = re.compile(
    r"^arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer/.+$"
)
_ATTRIBUTE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,189}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
_DEFAULT_PORTS = {"https": 443, "http": 80}

# Names SIGNER_ATTRIBUTES may not map, and why (the reason completes the error line). Compared
# without regard to case: Intercom's `Email` is not another attribute than `email`.
RESERVED_ATTRIBUTES = {
    **dict.fromkeys(
        ("user_id", "email", "name"),
        "set by SIGNER_USER_ID_CLAIM, SIGNER_EMAIL_CLAIM or SIGNER_NAME_CLAIM",
    ),
    **dict.fromkeys(
        (
            "user_hash",
            "intercom_user_jwt",
            "app_id",
            "api_base",
            "alignment",
            "horizontal_padding",
            "vertical_padding",
            "custom_launcher_selector",
            "hide_default_launcher",
            "session_duration",
            "action_color",
            "background_color",
            "z_index",
            "installation_type",
        ),
        "a Messenger setting, not a user attribute",
    ),
    **dict.fromkeys(
        ("iat", "exp", "nbf", "iss", "aud", "sub", "jti"),
        "a registered JWT claim the signer sets itself",
    ),
    **dict.fromkeys(
        ("company", "companies"),
        "Intercom does not document company data inside the Messenger JWT: map a user attribute such as company_id instead",
    ),
}


class ConfigError(ValueError):
    """A setting is missing or wrong; the message is one line naming it and the fix."""


# --- parsers: (variable name, value as written) → the typed value, or ConfigError ----------


def text(name: str, raw: str) -> str:
    return raw


class Choice:
    def __init__(self, *choices: str) -> None:
        self.choices = choices

    def __call__(self, name: str, raw: str) -> str:
        if raw not in self.choices:
            raise ConfigError(f"{name}={raw!r} is not valid: use one of {', '.join(self.choices)}")
        return raw


class Number:
    """A number in a documented range; `whole`: an integer."""

    def __init__(self, low: float, high: float, *, whole: bool = False) -> None:
        self.accepted = (low, high)
        self.whole = whole

    def __call__(self, name: str, raw: str) -> Any:  # int when whole, else float
        low, high = self.accepted
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a number: give {low:g} to {high:g}") from None
        if not low <= value <= high:
            raise ConfigError(f"{name}={raw} is out of range: give {low:g} to {high:g}")
        if self.whole:
            if value != int(value):
                raise ConfigError(f"{name}={raw} must be a whole number")
            return int(value)
        return value


def flag(name: str, raw: str) -> bool:
    value = raw.lower()
    if value not in ("true", "false"):
        raise ConfigError(f"{name}={value!r} is not valid: use true or false")
    return value == "true"


def url(name: str, raw: str) -> str:
    """An https URL, or http on loopback (local development and tests)."""
    if raw and not secure_url(raw):
        raise ConfigError(f"{name}={raw!r} must be an https:// URL")
    return raw


def names(name: str, raw: str) -> tuple[str, ...]:
    """A comma-separated list, blanks dropped."""
    return tuple(item.strip() for item in raw.split(",") if item.strip())


@dataclass(frozen=True, slots=True)
class TokenLocation:
    """Where the `jwt` identity source finds the login token."""

    source: TokenSource
    name: str = ""  # the cookie or header name


def token_location(name: str, raw: str) -> TokenLocation:
    source, _, where = raw.partition(":")
    if source == "authorization" and not where:
        return TokenLocation("authorization")
    if source in ("cookie", "header") and _TOKEN_NAME.match(where):
        return TokenLocation(
            cast(TokenSource, source), where.lower() if source == "header" else where
        )
    raise ConfigError(
        f"{name}: {raw!r} is not valid: use authorization, cookie:NAME or header:NAME"
    )


def attributes(name: str, raw: str) -> tuple[tuple[str, str], ...]:
    """`attribute=claim` pairs, comma-separated: e.g. plan=plan,team_id=https://example.com/team."""
    pairs: list[tuple[str, str]] = []
    for item in names(name, raw):
        attribute, equals, claim = (part.strip() for part in item.partition("="))
        if not equals or not attribute or not claim:
            raise ConfigError(f"{name}: {item!r} is not an attribute=claim pair, e.g. plan=plan")
        if not _ATTRIBUTE.match(attribute):
            raise ConfigError(
                f"{name}: {attribute!r} is not an attribute name: letters, digits, _ and -, starting with a letter or _"
            )
        if attribute.lower() in RESERVED_ATTRIBUTES:
            raise ConfigError(
                f"{name}: {attribute!r} cannot be mapped: {RESERVED_ATTRIBUTES[attribute.lower()]}"
            )
        if len(claim) > 256 or _CONTROL.search(claim):
            raise ConfigError(f"{name}: the claim name for {attribute!r} is not valid")
        if any(attribute.lower() == seen.lower() for seen, _ in pairs):
            raise ConfigError(
                f"{name}: {attribute!r} is mapped twice: keep one claim per attribute"
            )
        pairs.append((attribute, claim))
    if len(pairs) > MAX_SIGNED_FIELDS:
        raise ConfigError(f"{name}: {len(pairs)} attributes: sign at most {MAX_SIGNED_FIELDS}")
    return tuple(pairs)


def origins(name: str, raw: str) -> frozenset[str]:
    return frozenset(browser_origin(name, item) for item in names(name, raw))


def browser_origin(name: str, item: str) -> str:
    """The origin exactly as a browser sends it in `Origin` (RFC 6454 serialization): the
    scheme and host in lower case, no default port, no trailing slash. What no browser can
    send (a path, a user, a Unicode host, `*`, http off loopback) is refused with the fix."""

    def refused(fix: str) -> ConfigError:
        return ConfigError(f"{name}: {item!r} is not an origin a browser sends: {fix}")

    example = "list exact origins like https://docs.example.com"
    if item == "*":
        raise refused(f"{example}, never *")
    try:
        parts = urlsplit(item)
        port = parts.port
    except ValueError:
        raise refused(example) from None
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme not in _DEFAULT_PORTS or not host:
        raise refused(example)
    if parts.username is not None or parts.password is not None:
        raise refused(f"no user or password: {scheme}://{host}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in item or "#" in item:
        raise refused(f"no path: {scheme}://{host}")
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise refused(example) from None
        raise refused(f"write the host as browsers send it, in punycode: {scheme}://{ascii_host}")
    if ":" not in host and not _HOST.match(host):
        raise refused(example)
    if scheme == "http" and host not in LOOPBACK_HOSTS:
        raise refused(f"http:// only on loopback: use https://{host}")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    return f"{scheme}://{netloc}"


def base_path(name: str, raw: str) -> str:
    path = raw.rstrip("/")
    if path and (not path.startswith("/") or "//" in path or "?" in path or "#" in path):
        raise ConfigError(f"{name}: {path!r} must be a path such as /api/intercom")
    return path


# --- the catalogue ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Variable(Generic[T]):
    """One environment variable the signer reads: the Settings field it sets, its default as
    written in the environment, and the parser that makes the typed value of both."""

    field: str
    default: str  # as written in the environment; "" for none
    parse: Callable[[str, str], T]
    doc: str  # what it sets, in Markdown
    required: str = ""  # when it must be set, in words; "" when optional

    @property
    def accepted(self) -> tuple[float, float] | None:
        """The range of a number."""
        return self.parse.accepted if isinstance(self.parse, Number) else None

    def value(self, name: str, written: str) -> T:
        """The typed value of `written` (blank: the default)."""
        return self.parse(name, written.strip() or self.default)


VARIABLES: dict[str, Variable[Any]] = {
    "SIGNER_IDENTITY": Variable(
        "identity",
        "jwt",
        Choice("jwt", "apigw-jwt", "alb"),
        "Where the reader's identity comes from. `jwt`: a login JWT the signer verifies itself. "
        "`apigw-jwt`: the claims API Gateway's HTTP API JWT authorizer verified, only inside such "
        "a Lambda event. `alb`: the ALB's `x-amzn-oidc-data` (ES256, key by `kid` from the ALB's "
        "key host, its `signer` must be `SIGNER_ALB_ARN`).",
    ),
    "SIGNER_TOKEN_FROM": Variable(
        "token_from",
        "authorization",
        token_location,
        "Where `jwt` finds the login token: `authorization` (a Bearer token), `cookie:NAME` or "
        "`header:NAME`. It must match how your site's login travels: see the deploy recipes.",
    ),
    "SIGNER_OIDC_ISSUER": Variable(
        "oidc_issuer",
        "",
        url,
        "The exact `iss` of the login tokens; their keys come from OIDC discovery unless "
        "`SIGNER_OIDC_JWKS_URL` is set. With `alb`: the IdP's issuer, checked when set.",
        required="with identity `jwt`",
    ),
    "SIGNER_OIDC_AUDIENCE": Variable(
        "oidc_audience",
        "",
        names,
        "Accepted `aud` values, comma-separated. A Cognito access token (`token_use: access`, no "
        "`aud`) is accepted when its `client_id` is listed. An ID token with several `aud` values "
        "and an `azp` is accepted only when its `azp` is listed too. With `alb`: the header's "
        "`client`, checked when set.",
        required="with identity `jwt`",
    ),
    "SIGNER_OIDC_JWKS_URL": Variable(
        "oidc_jwks_url",
        "",
        url,
        "The JWKS location, for issuers without OIDC discovery; overrides discovery.",
    ),
    "SIGNER_USER_ID_CLAIM": Variable(
        "user_id_claim",
        "sub",
        text,
        "The claim that becomes Intercom's `user_id`. It must hold the id your product app sends "
        "to Intercom (see *Before you enforce*); a namespaced claim such as "
        "`https://example.com/user_id` works. An email here needs a verified email.",
    ),
    "SIGNER_EMAIL_CLAIM": Variable(
        "email_claim",
        STANDARD_EMAIL_CLAIM,
        text,
        "The claim holding the reader's email; passed on and signed only when the claim "
        "`SIGNER_EMAIL_VERIFIED_CLAIM` names is true.",
    ),
    "SIGNER_EMAIL_VERIFIED_CLAIM": Variable(
        "email_verified_claim",
        STANDARD_EMAIL_VERIFIED_CLAIM,
        text,
        "The claim that must be `true` for the email to be passed on. `email_verified` vouches "
        "for `email` alone (OIDC Core 5.1): with another `SIGNER_EMAIL_CLAIM` name the claim "
        "your provider sets for that one (e.g. `https://example.com/email_verified`), or opt in "
        "with `SIGNER_TRUST_UNVERIFIED_EMAIL`; the signer refuses to start otherwise.",
    ),
    "SIGNER_NAME_CLAIM": Variable(
        "name_claim", "name", text, "The claim holding the reader's name."
    ),
    "SIGNER_OUTPUT": Variable(
        "output",
        "jwt",
        Choice("jwt", "hmac", "both"),
        "What the signer returns: `jwt` (`intercom_user_jwt`, Intercom's recommended Messenger "
        "security), `hmac` (the deprecated `user_hash`, still supported) or `both` (while "
        "migrating).",
    ),
    "SIGNER_JWT_TTL": Variable(
        "jwt_ttl",
        "3600",
        Number(60, 86400, whole=True),
        "Seconds an `intercom_user_jwt` lives at most; never past the login's own expiry.",
    ),
    "SIGNER_ATTRIBUTES": Variable(
        "attributes",
        "",
        attributes,
        "Signed fields: `attribute=claim` pairs, comma-separated, signed into the Intercom JWT "
        "only, e.g. `plan=plan,team_id=https://example.com/team`. Reserved names are refused "
        "in any case (`Email`, `USER_ID`).",
    ),
    "SIGNER_TRUST_UNVERIFIED_EMAIL": Variable(
        "trust_unverified_email",
        "false",
        flag,
        "`true` passes on and signs an email the provider did not mark verified, from whichever "
        "claim `SIGNER_EMAIL_CLAIM` names: read the nOAuth risk first.",
    ),
    "SIGNER_ALLOWED_ORIGINS": Variable(
        "allowed_origins",
        "",
        origins,
        "Exact origins allowed to call cross-origin, comma-separated; never `*`. Written as "
        "browsers send them (a capital letter, the default port or a trailing slash is "
        "normalised away; a path, a user, a Unicode host or `http://` off loopback is refused). "
        "Not needed when the signer is on the docs' own origin.",
    ),
    "SIGNER_SECRET_ARN": Variable(
        "secret_arn",
        "",
        text,
        "On AWS: the Secrets Manager secret holding the Intercom secret (a string, or JSON with "
        "the key `secret`).",
        required="on AWS (or `SIGNER_SECRET`)",
    ),
    "SIGNER_SECRET": Variable(
        "secret",
        "",
        text,
        "Locally: the Intercom secret itself (development and tests only), at least "
        f"{MIN_SECRET_LENGTH} characters.",
        required="locally (or `SIGNER_SECRET_ARN`)",
    ),
    "SIGNER_SECRET_MAX_AGE": Variable(
        "secret_max_age",
        str(MAX_SECRET_AGE),
        Number(0, MAX_SECRET_AGE, whole=True),
        "Seconds the secret is kept in process before it is read again, so a rotation is in use "
        "within that time.",
    ),
    "SIGNER_BASE_PATH": Variable(
        "base_path",
        "",
        base_path,
        "A path prefix for the routes, e.g. `/api/intercom` on the docs' own domain.",
    ),
    "SIGNER_ALB_ARN": Variable(
        "alb_arn",
        "",
        text,
        "The load balancer whose `x-amzn-oidc-data` is accepted.",
        required="with identity `alb`",
    ),
    "SIGNER_ALB_KEYS_URL": Variable(
        "alb_keys_url",
        "",
        url,
        "The ALB's key host. By default derived from `SIGNER_ALB_ARN`: "
        "`https://public-keys.auth.elb.REGION.amazonaws.com`, or in AWS GovCloud (US) "
        "`https://s3-REGION.amazonaws.com/aws-elb-public-keys-prod-REGION`, as AWS's ALB guide "
        "documents.",
        required="with identity `alb`, outside the `aws` and `aws-us-gov` partitions",
    ),
    "SIGNER_FETCH_TIMEOUT": Variable(
        "fetch_timeout",
        "3",
        Number(0.1, MAX_FETCH_TIMEOUT),
        "One total deadline, in seconds, for each key, discovery or secret fetch.",
    ),
    "SIGNER_JWKS_MAX_AGE": Variable(
        "jwks_max_age",
        "300",
        Number(60, 86400, whole=True),
        "Seconds JWKS and ALB keys are used before they are fetched again: a key the provider "
        "withdrew stops verifying then.",
    ),
    "SIGNER_JWKS_COOLDOWN": Variable(
        "jwks_cooldown",
        "30",
        Number(MIN_COOLDOWN, 3600),
        "Seconds a `kid` no fetch found is remembered, and nothing is fetched again for what a "
        f"fetch failed on (the JWKS, or one ALB `kid`). At least {MIN_COOLDOWN:g}: below that, "
        "every junk `kid` would cost a fetch.",
    ),
    "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": Variable(
        "extension_port",
        "2773",
        Number(1, 65535, whole=True),
        "The port of AWS's Parameters and Secrets Lambda extension (set by the extension).",
    ),
}

# Set by Lambda itself, not by operators: read, never documented as settings.
RUNTIME_VARIABLES = ("AWS_SESSION_TOKEN", "AWS_LAMBDA_FUNCTION_NAME")


def _default(name: str) -> Any:
    """The typed default of a catalogue entry, for the dataclass below."""
    return VARIABLES[name].value(name, "")


@dataclass(frozen=True, slots=True)
class Settings:
    identity: IdentityMode = _default("SIGNER_IDENTITY")  # noqa: RUF009  # immutable
    token_from: TokenLocation = _default("SIGNER_TOKEN_FROM")  # noqa: RUF009  # immutable
    oidc_issuer: str = _default("SIGNER_OIDC_ISSUER")
    oidc_audience: tuple[str, ...] = _default("SIGNER_OIDC_AUDIENCE")
    oidc_jwks_url: str = _default("SIGNER_OIDC_JWKS_URL")
    user_id_claim: str = _default("SIGNER_USER_ID_CLAIM")
    email_claim: str = _default("SIGNER_EMAIL_CLAIM")
    email_verified_claim: str = _default("SIGNER_EMAIL_VERIFIED_CLAIM")
    name_claim: str = _default("SIGNER_NAME_CLAIM")
    output: OutputMode = _default("SIGNER_OUTPUT")  # noqa: RUF009  # immutable
    jwt_ttl: int = _default("SIGNER_JWT_TTL")
    trust_unverified_email: bool = _default("SIGNER_TRUST_UNVERIFIED_EMAIL")
    attributes: tuple[tuple[str, str], ...] = _default("SIGNER_ATTRIBUTES")  # (attribute, claim)
    allowed_origins: frozenset[str] = _default("SIGNER_ALLOWED_ORIGINS")
    secret_arn: str = _default("SIGNER_SECRET_ARN")
    secret: str = field(default=_default("SIGNER_SECRET"), repr=False)
    secret_max_age: int = _default("SIGNER_SECRET_MAX_AGE")
    base_path: str = _default("SIGNER_BASE_PATH")
    alb_arn: str = _default("SIGNER_ALB_ARN")
    alb_keys_url: str = _default("SIGNER_ALB_KEYS_URL")
    fetch_timeout: float = _default("SIGNER_FETCH_TIMEOUT")
    jwks_max_age: int = _default("SIGNER_JWKS_MAX_AGE")
    jwks_cooldown: float = _default("SIGNER_JWKS_COOLDOWN")
    extension_port: int = _default("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT")
    session_token: str = field(default="", repr=False)  # AWS_SESSION_TOKEN
    on_lambda: bool = False  # AWS_LAMBDA_FUNCTION_NAME is set

    @property
    def signs_hmac(self) -> bool:
        return self.output in ("hmac", "both")

    @property
    def signs_jwt(self) -> bool:
        return self.output in ("jwt", "both")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Parse and validate the variables of the catalogue, then run the checks."""
        values = {
            variable.field: variable.value(name, env.get(name, ""))
            for name, variable in VARIABLES.items()
        }
        settings = cls(
            **values,
            session_token=env.get("AWS_SESSION_TOKEN", "").strip(),
            on_lambda=bool(env.get("AWS_LAMBDA_FUNCTION_NAME", "").strip()),
        )
        for check in CHECKS:
            settings = check(settings)
        return settings


def secure_url(address: str) -> bool:
    """https, or http on a loopback host — the host as parsed, so that
    http://localhost.attacker.example is not mistaken for http://localhost. A URL that cannot
    be parsed (a bad port, an unclosed `[`) is not one."""
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018  # raises on a port that is no number
    except ValueError:
        return False
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)


def alb_keys_url(arn_partition: str, region: str) -> str | None:
    """Where the ALB publishes its signing keys, per AWS partition (None: not documented).

    Commercial regions: public-keys.auth.elb.REGION.amazonaws.com. AWS GovCloud (US): an S3
    bucket per region, as AWS's ALB guide documents and aws-jwt-verify's README repeats.
    """
    if arn_partition == "aws":
        return f"https://public-keys.auth.elb.{region}.amazonaws.com"
    if arn_partition == "aws-us-gov":
        return f"https://s3-{region}.amazonaws.com/aws-elb-public-keys-prod-{region}"
    return None


# --- the checks across variables, in the order they run ----------------------------------

Check = Callable[[Settings], Settings]


def jwt_needs_issuer_and_audience(settings: Settings) -> Settings:
    if settings.identity == "jwt":
        if not settings.oidc_issuer:
            raise ConfigError(
                "SIGNER_OIDC_ISSUER: required with SIGNER_IDENTITY=jwt: set the exact `iss` of your login tokens"
            )
        if not settings.oidc_audience:
            raise ConfigError(
                "SIGNER_OIDC_AUDIENCE: required with SIGNER_IDENTITY=jwt: set the accepted `aud` values, comma-separated"
            )
    return settings


def apigw_jwt_needs_lambda(settings: Settings) -> Settings:
    if settings.identity == "apigw-jwt" and not settings.on_lambda:
        raise ConfigError(
            "SIGNER_IDENTITY: apigw-jwt takes claims from API Gateway's JWT authorizer and only works on Lambda: use jwt to run locally"
        )
    return settings


def alb_needs_its_arn_and_key_host(settings: Settings) -> Settings:
    """With `alb`: a load balancer ARN, and the key host its partition documents (or one set)."""
    if settings.identity != "alb":
        return settings
    match = _ALB_ARN.match(settings.alb_arn)
    if not match:
        raise ConfigError(
            "SIGNER_ALB_ARN: required with SIGNER_IDENTITY=alb: set your load balancer's ARN (arn:aws:elasticloadbalancing:…)"
        )
    keys_url = settings.alb_keys_url or alb_keys_url(*match.groups())
    if not keys_url:
        raise ConfigError(
            f"SIGNER_ALB_KEYS_URL: AWS documents no ALB key host for the {match.group(1)} partition: set the URL your load balancer's keys are published under"
        )
    return replace(settings, alb_keys_url=keys_url)


def one_secret_source(settings: Settings) -> Settings:
    if settings.secret and settings.secret_arn:
        raise ConfigError(
            "SIGNER_SECRET: set either SIGNER_SECRET (local only) or SIGNER_SECRET_ARN, not both"
        )
    if not settings.secret and not settings.secret_arn:
        raise ConfigError(
            "SIGNER_SECRET_ARN: no secret source: on AWS set SIGNER_SECRET_ARN to the Secrets Manager secret holding the Intercom secret; locally set SIGNER_SECRET to the secret itself"
        )
    return settings


def signed_fields_need_jwt(settings: Settings) -> Settings:
    if settings.attributes and settings.output == "hmac":
        raise ConfigError(
            "SIGNER_ATTRIBUTES: signed fields travel only inside the Intercom JWT: set SIGNER_OUTPUT=jwt (or both), or remove SIGNER_ATTRIBUTES"
        )
    return settings


def secret_long_enough(settings: Settings) -> Settings:
    if settings.secret and len(settings.secret) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"SIGNER_SECRET: shorter than {MIN_SECRET_LENGTH} characters: use the identity verification secret from Intercom's Messenger security settings"
        )
    return settings


def email_claim_has_its_own_vouch(settings: Settings) -> Settings:
    """`email_verified` vouches for `email` alone: another email claim needs the claim that
    vouches for it, or the operator's knowing opt-in."""
    custom = settings.email_claim != STANDARD_EMAIL_CLAIM
    vouched_by_the_standard_claim = settings.email_verified_claim == STANDARD_EMAIL_VERIFIED_CLAIM
    if custom and vouched_by_the_standard_claim and not settings.trust_unverified_email:
        raise ConfigError(
            f"SIGNER_EMAIL_CLAIM={settings.email_claim}: `email_verified` vouches for `email` alone: set SIGNER_EMAIL_VERIFIED_CLAIM to the claim your provider sets true for this one, or SIGNER_TRUST_UNVERIFIED_EMAIL=true if every value it holds is verified"
        )
    return settings


CHECKS: tuple[Check, ...] = (
    jwt_needs_issuer_and_audience,
    apigw_jwt_needs_lambda,
    alb_needs_its_arn_and_key_host,
    one_secret_source,
    signed_fields_need_jwt,
    secret_long_enough,
    email_claim_has_its_own_vouch,
)
