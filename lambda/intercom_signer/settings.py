"""The signer's settings: parsed once from the environment into a frozen dataclass.

Every misconfiguration raises ConfigError with one line that names the variable
and the fix; the entry points print it and stop before serving anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

IdentityMode = Literal["jwt", "apigw-jwt", "alb"]
OutputMode = Literal["hmac", "jwt", "both"]
TokenSource = Literal["authorization", "cookie", "header"]

MIN_SECRET_LENGTH = 32
MAX_SECRET_AGE = 300  # a rotated secret must be in use within five minutes
MAX_FETCH_TIMEOUT = 5.0
MAX_SIGNED_FIELDS = 32
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_TOKEN_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$")  # RFC 9110 token
_ALB_ARN = re.compile(
    r"^arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer/.+$"
)
_ATTRIBUTE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,189}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Names SIGNER_ATTRIBUTES may not map, and why (the reason completes the error line).
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


@dataclass(frozen=True, slots=True)
class Variable:
    """One environment variable the signer reads. `_parse` takes its default and range from
    here, and the signer reference's table is generated from here, so neither drifts."""

    default: str  # as written in the environment; "" for none
    doc: str  # what it sets, in Markdown
    required: str = ""  # when it must be set, in words; "" when optional
    accepted: tuple[float, float] | None = None  # the range of a number


VARIABLES: dict[str, Variable] = {
    "SIGNER_IDENTITY": Variable(
        "jwt",
        "Where the reader's identity comes from. `jwt`: a login JWT the signer verifies itself. "
        "`apigw-jwt`: the claims API Gateway's HTTP API JWT authorizer verified, only inside such "
        "a Lambda event. `alb`: the ALB's `x-amzn-oidc-data` (ES256, key by `kid` from the ALB's "
        "key host, its `signer` must be `SIGNER_ALB_ARN`).",
    ),
    "SIGNER_TOKEN_FROM": Variable(
        "authorization",
        "Where `jwt` finds the login token: `authorization` (a Bearer token), `cookie:NAME` or "
        "`header:NAME`. It must match how your site's login travels: see the deploy recipes.",
    ),
    "SIGNER_OIDC_ISSUER": Variable(
        "",
        "The exact `iss` of the login tokens; their keys come from OIDC discovery unless "
        "`SIGNER_OIDC_JWKS_URL` is set. With `alb`: the IdP's issuer, checked when set.",
        required="with identity `jwt`",
    ),
    "SIGNER_OIDC_AUDIENCE": Variable(
        "",
        "Accepted `aud` values, comma-separated. A Cognito access token (`token_use: access`, no "
        "`aud`) is accepted when its `client_id` is listed. With `alb`: the header's `client`, "
        "checked when set.",
        required="with identity `jwt`",
    ),
    "SIGNER_OIDC_JWKS_URL": Variable(
        "", "The JWKS location, for issuers without OIDC discovery; overrides discovery."
    ),
    "SIGNER_USER_ID_CLAIM": Variable(
        "sub",
        "The claim that becomes Intercom's `user_id`. It must hold the id your product app sends "
        "to Intercom (see *Before you enforce*); a namespaced claim such as "
        "`https://example.com/user_id` works. An email here needs a verified email.",
    ),
    "SIGNER_EMAIL_CLAIM": Variable(
        "email",
        "The claim holding the reader's email; passed on and signed only when the provider "
        "marks it verified (`email_verified`).",
    ),
    "SIGNER_NAME_CLAIM": Variable("name", "The claim holding the reader's name."),
    "SIGNER_OUTPUT": Variable(
        "jwt",
        "What the signer returns: `jwt` (`intercom_user_jwt`, Intercom's recommended Messenger "
        "security), `hmac` (the deprecated `user_hash`, still supported) or `both` (while "
        "migrating).",
    ),
    "SIGNER_JWT_TTL": Variable(
        "3600",
        "Seconds an `intercom_user_jwt` lives at most; never past the login's own expiry.",
        accepted=(60, 86400),
    ),
    "SIGNER_ATTRIBUTES": Variable(
        "",
        "Signed fields: `attribute=claim` pairs, comma-separated, signed into the Intercom JWT "
        "only, e.g. `plan=plan,team_id=https://example.com/team`.",
    ),
    "SIGNER_TRUST_UNVERIFIED_EMAIL": Variable(
        "false",
        "`true` passes on and signs an email the provider did not mark verified: read the "
        "nOAuth risk first.",
    ),
    "SIGNER_ALLOWED_ORIGINS": Variable(
        "",
        "Exact origins allowed to call cross-origin, comma-separated; never `*`. Not needed when "
        "the signer is on the docs' own origin.",
    ),
    "SIGNER_SECRET_ARN": Variable(
        "",
        "On AWS: the Secrets Manager secret holding the Intercom secret (a string, or JSON with "
        "the key `secret`).",
        required="on AWS (or `SIGNER_SECRET`)",
    ),
    "SIGNER_SECRET": Variable(
        "",
        "Locally: the Intercom secret itself (development and tests only), at least "
        f"{MIN_SECRET_LENGTH} characters.",
        required="locally (or `SIGNER_SECRET_ARN`)",
    ),
    "SIGNER_SECRET_MAX_AGE": Variable(
        str(MAX_SECRET_AGE),
        "Seconds the secret is kept in process before it is read again, so a rotation is in use "
        "within that time.",
        accepted=(0, MAX_SECRET_AGE),
    ),
    "SIGNER_BASE_PATH": Variable(
        "", "A path prefix for the routes, e.g. `/api/intercom` on the docs' own domain."
    ),
    "SIGNER_ALB_ARN": Variable(
        "",
        "The load balancer whose `x-amzn-oidc-data` is accepted.",
        required="with identity `alb`",
    ),
    "SIGNER_ALB_KEYS_URL": Variable(
        "",
        "The ALB's key host. By default derived from `SIGNER_ALB_ARN`: "
        "`https://public-keys.auth.elb.REGION.amazonaws.com`, or in AWS GovCloud (US) "
        "`https://s3-REGION.amazonaws.com/aws-elb-public-keys-prod-REGION`, as AWS's ALB guide "
        "documents.",
        required="with identity `alb`, outside the `aws` and `aws-us-gov` partitions",
    ),
    "SIGNER_FETCH_TIMEOUT": Variable(
        "3",
        "One total deadline, in seconds, for each key, discovery or secret fetch.",
        accepted=(0.1, MAX_FETCH_TIMEOUT),
    ),
    "SIGNER_JWKS_MAX_AGE": Variable(
        "300",
        "Seconds JWKS and ALB keys are used before they are fetched again: a key the provider "
        "withdrew stops verifying then.",
        accepted=(60, 86400),
    ),
    "SIGNER_JWKS_COOLDOWN": Variable(
        "30",
        "Seconds a `kid` no fetch found is remembered, and nothing is fetched after a failed fetch.",
        accepted=(0, 3600),
    ),
    "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": Variable(
        "2773",
        "The port of AWS's Parameters and Secrets Lambda extension (set by the extension).",
        accepted=(1, 65535),
    ),
}


@dataclass(frozen=True, slots=True)
class TokenLocation:
    """Where the `jwt` identity source finds the login token."""

    source: TokenSource
    name: str = ""  # the cookie or header name


@dataclass(frozen=True, slots=True)
class Settings:
    identity: IdentityMode = "jwt"
    token_from: TokenLocation = TokenLocation("authorization")
    oidc_issuer: str = ""
    oidc_audience: tuple[str, ...] = ()
    oidc_jwks_url: str = ""
    user_id_claim: str = "sub"
    email_claim: str = "email"
    name_claim: str = "name"
    output: OutputMode = "jwt"
    jwt_ttl: int = 3600
    trust_unverified_email: bool = False
    attributes: tuple[tuple[str, str], ...] = ()  # (Intercom attribute, login claim)
    allowed_origins: frozenset[str] = frozenset()
    secret_arn: str = ""
    secret: str = field(default="", repr=False)
    secret_max_age: int = MAX_SECRET_AGE
    base_path: str = ""
    alb_arn: str = ""
    alb_keys_url: str = ""
    fetch_timeout: float = 3.0
    jwks_max_age: int = 300
    jwks_cooldown: float = 30.0
    leeway: int = 30
    extension_port: int = 2773
    session_token: str = field(default="", repr=False)

    @property
    def signs_hmac(self) -> bool:
        return self.output in ("hmac", "both")

    @property
    def signs_jwt(self) -> bool:
        return self.output in ("jwt", "both")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Parse and validate the SIGNER_* variables (see the README's table)."""
        return _parse(_Env(env))


class _Env:
    """Reads variables, treating blank values as unset, and raises ConfigError by name."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def get(self, name: str) -> str:
        """The value, else the variable's documented default (VARIABLES)."""
        default = VARIABLES[name].default if name in VARIABLES else ""
        return self._env.get(name, "").strip() or default

    def has(self, name: str) -> bool:
        return bool(self.get(name))

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        value = self.get(name)
        if value not in choices:
            raise ConfigError(f"{name}={value!r} is not valid: use one of {', '.join(choices)}")
        return value

    def number(self, name: str) -> float:
        raw = self.get(name)
        accepted = VARIABLES[name].accepted
        assert accepted is not None, f"{name} has no range in VARIABLES"
        low, high = accepted
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a number: give {low:g} to {high:g}") from None
        if not low <= value <= high:
            raise ConfigError(f"{name}={raw} is out of range: give {low:g} to {high:g}")
        return value

    def integer(self, name: str) -> int:
        value = self.number(name)
        if value != int(value):
            raise ConfigError(f"{name}={self.get(name)} must be a whole number")
        return int(value)

    def flag(self, name: str) -> bool:
        value = self.get(name).lower()
        if value not in ("true", "false"):
            raise ConfigError(f"{name}={value!r} is not valid: use true or false")
        return value == "true"

    def url(self, name: str) -> str:
        """An https URL, or http on loopback (local development and tests)."""
        value = self.get(name)
        if value and not secure_url(value):
            raise ConfigError(f"{name}={value!r} must be an https:// URL")
        return value

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(f"{name}: {problem}")


def secure_url(url: str) -> bool:
    """https, or http on a loopback host — the host as parsed, so that
    http://localhost.attacker.example is not mistaken for http://localhost."""
    parts = urlsplit(url)
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


def _parse(env: _Env) -> Settings:
    identity = env.choice("SIGNER_IDENTITY", ("jwt", "apigw-jwt", "alb"))
    token_from = _token_location(env)
    issuer = env.url("SIGNER_OIDC_ISSUER")
    audience = tuple(a.strip() for a in env.get("SIGNER_OIDC_AUDIENCE").split(",") if a.strip())
    jwks_url = env.url("SIGNER_OIDC_JWKS_URL")
    alb_arn = env.get("SIGNER_ALB_ARN")

    if identity == "jwt":
        if not issuer:
            raise env.fail(
                "SIGNER_OIDC_ISSUER",
                "required with SIGNER_IDENTITY=jwt: set the exact `iss` of your login tokens",
            )
        if not audience:
            raise env.fail(
                "SIGNER_OIDC_AUDIENCE",
                "required with SIGNER_IDENTITY=jwt: set the accepted `aud` values, comma-separated",
            )
    if identity == "apigw-jwt" and not env.has("AWS_LAMBDA_FUNCTION_NAME"):
        raise env.fail(
            "SIGNER_IDENTITY",
            "apigw-jwt takes claims from API Gateway's JWT authorizer and only works on Lambda: use jwt to run locally",
        )
    keys_url = env.url("SIGNER_ALB_KEYS_URL")
    if identity == "alb":
        match = _ALB_ARN.match(alb_arn)
        if not match:
            raise env.fail(
                "SIGNER_ALB_ARN",
                "required with SIGNER_IDENTITY=alb: set your load balancer's ARN (arn:aws:elasticloadbalancing:…)",
            )
        keys_url = keys_url or alb_keys_url(*match.groups()) or ""
        if not keys_url:
            raise env.fail(
                "SIGNER_ALB_KEYS_URL",
                f"AWS documents no ALB key host for the {match.group(1)} partition: set the URL your load balancer's keys are published under",
            )

    secret, secret_arn = env.get("SIGNER_SECRET"), env.get("SIGNER_SECRET_ARN")
    if secret and secret_arn:
        raise env.fail(
            "SIGNER_SECRET", "set either SIGNER_SECRET (local only) or SIGNER_SECRET_ARN, not both"
        )
    if not secret and not secret_arn:
        raise env.fail(
            "SIGNER_SECRET_ARN",
            "no secret source: on AWS set SIGNER_SECRET_ARN to the Secrets Manager secret holding the Intercom secret; locally set SIGNER_SECRET to the secret itself",
        )
    output = env.choice("SIGNER_OUTPUT", ("jwt", "hmac", "both"))
    attributes = _attributes(env)
    if attributes and output == "hmac":
        raise env.fail(
            "SIGNER_ATTRIBUTES",
            "signed fields travel only inside the Intercom JWT: set SIGNER_OUTPUT=jwt (or both), or remove SIGNER_ATTRIBUTES",
        )
    if secret and len(secret) < MIN_SECRET_LENGTH:
        raise env.fail(
            "SIGNER_SECRET",
            f"shorter than {MIN_SECRET_LENGTH} characters: use the identity verification secret from Intercom's Messenger security settings",
        )

    return Settings(
        identity=identity,  # type: ignore[arg-type]  # validated by choice()
        token_from=token_from,
        oidc_issuer=issuer,
        oidc_audience=audience,
        oidc_jwks_url=jwks_url,
        user_id_claim=env.get("SIGNER_USER_ID_CLAIM"),
        email_claim=env.get("SIGNER_EMAIL_CLAIM"),
        name_claim=env.get("SIGNER_NAME_CLAIM"),
        output=output,  # type: ignore[arg-type]  # validated by choice()
        jwt_ttl=env.integer("SIGNER_JWT_TTL"),
        trust_unverified_email=env.flag("SIGNER_TRUST_UNVERIFIED_EMAIL"),
        attributes=attributes,
        allowed_origins=_origins(env),
        secret_arn=secret_arn,
        secret=secret,
        secret_max_age=env.integer("SIGNER_SECRET_MAX_AGE"),
        base_path=_base_path(env),
        alb_arn=alb_arn,
        alb_keys_url=keys_url,
        fetch_timeout=env.number("SIGNER_FETCH_TIMEOUT"),
        jwks_max_age=env.integer("SIGNER_JWKS_MAX_AGE"),
        jwks_cooldown=env.number("SIGNER_JWKS_COOLDOWN"),
        extension_port=env.integer("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"),
        session_token=env.get("AWS_SESSION_TOKEN"),
    )


def _token_location(env: _Env) -> TokenLocation:
    raw = env.get("SIGNER_TOKEN_FROM")
    source, _, name = raw.partition(":")
    if source == "authorization" and not name:
        return TokenLocation("authorization")
    if source in ("cookie", "header") and _TOKEN_NAME.match(name):
        return TokenLocation(source, name.lower() if source == "header" else name)  # type: ignore[arg-type]
    raise env.fail(
        "SIGNER_TOKEN_FROM", f"{raw!r} is not valid: use authorization, cookie:NAME or header:NAME"
    )


def _attributes(env: _Env) -> tuple[tuple[str, str], ...]:
    """`attribute=claim` pairs, comma-separated: e.g. plan=plan,team_id=https://example.com/team."""
    pairs: list[tuple[str, str]] = []
    for raw in env.get("SIGNER_ATTRIBUTES").split(","):
        item = raw.strip()
        if not item:
            continue
        attribute, equals, claim = (part.strip() for part in item.partition("="))
        if not equals or not attribute or not claim:
            raise env.fail(
                "SIGNER_ATTRIBUTES", f"{item!r} is not an attribute=claim pair, e.g. plan=plan"
            )
        if not _ATTRIBUTE.match(attribute):
            raise env.fail(
                "SIGNER_ATTRIBUTES",
                f"{attribute!r} is not an attribute name: letters, digits, _ and -, starting with a letter or _",
            )
        if attribute in RESERVED_ATTRIBUTES:
            raise env.fail(
                "SIGNER_ATTRIBUTES",
                f"{attribute!r} cannot be mapped: {RESERVED_ATTRIBUTES[attribute]}",
            )
        if len(claim) > 256 or _CONTROL.search(claim):
            raise env.fail("SIGNER_ATTRIBUTES", f"the claim name for {attribute!r} is not valid")
        if any(attribute == seen for seen, _ in pairs):
            raise env.fail(
                "SIGNER_ATTRIBUTES", f"{attribute!r} is mapped twice: keep one claim per attribute"
            )
        pairs.append((attribute, claim))
    if len(pairs) > MAX_SIGNED_FIELDS:
        raise env.fail(
            "SIGNER_ATTRIBUTES", f"{len(pairs)} attributes: sign at most {MAX_SIGNED_FIELDS}"
        )
    return tuple(pairs)


def _origins(env: _Env) -> frozenset[str]:
    origins = set()
    for raw in env.get("SIGNER_ALLOWED_ORIGINS").split(","):
        origin = raw.strip()
        if not origin:
            continue
        parts = urlsplit(origin)
        exact = f"{parts.scheme}://{parts.netloc}"
        if (
            origin == "*"
            or parts.scheme not in ("https", "http")
            or not parts.hostname
            or origin != exact
        ):
            raise env.fail(
                "SIGNER_ALLOWED_ORIGINS",
                f"{origin!r} is not an exact origin: list them like https://docs.example.com, no path, no wildcard",
            )
        origins.add(origin)
    return frozenset(origins)


def _base_path(env: _Env) -> str:
    path = env.get("SIGNER_BASE_PATH").rstrip("/")
    if path and (not path.startswith("/") or "//" in path or "?" in path or "#" in path):
        raise env.fail("SIGNER_BASE_PATH", f"{path!r} must be a path such as /api/intercom")
    return path
