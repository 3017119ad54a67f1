"""The failures the signer answers, each mapped to one status and a generic body.

Refusal reasons and failure causes are types (`Reason`, `ProviderCause`, `SecretCause`): a
misspelt code is a type error under mypy --strict, never a new CloudWatch dimension. Each
type is spelt out once, in its table below (the Literal's arguments are the table's keys, a
test holds the two equal, and mypy holds every key to the Literal).
"""

from __future__ import annotations

from typing import Literal, TypeAlias

Reason: TypeAlias = Literal[
    "no_credential",
    "malformed",
    "token_too_large",
    "alg_not_allowed",
    "bad_kid",
    "unknown_kid",
    "key_mismatch",
    "bad_signature",
    "expired",
    "not_yet_valid",
    "bad_iat",
    "bad_time_claim",
    "wrong_issuer",
    "wrong_audience",
    "wrong_authorized_party",
    "missing_claim",
    "unknown_crit",
    "invalid_token",
    "no_user_id",
    "email_not_verified",
    "ambiguous_credential",
    "no_authorizer_claims",
    "wrong_signer",
    "origin_not_allowed",
    "preflight_without_origin",
    "method_not_allowed",
    "not_found",
]
ProviderCause: TypeAlias = Literal[
    "unreachable",
    "timeout",
    "http_status",
    "oversized",
    "redirect_refused",
    "bad_url",
    "not_json",
    "no_keys",
    "discovery_mismatch",
    "insecure_jwks_uri",
    "not_a_key",
    "busy",
]
SecretCause: TypeAlias = Literal[
    "empty",
    "not_found",
    "access_denied",
    "decrypt_failed",
    "throttled",
    "not_usable",
    "no_credentials",
    "unreachable",
    "timeout",
    "too_short",
    "not_json",
    "no_secret_key",
    "binary_secret",
    "store_error",
]


class Rejected(Exception):
    """The request names no identity we can vouch for → 401.

    `reason` is a short fixed code for logs and metrics; it never carries token content.
    """

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


class Unavailable(Exception):
    """Something the signer depends on failed → 503 with Retry-After.

    `cause` is a short fixed code for the log (unreachable, timeout, access_denied, empty…);
    it never carries a token or the secret.
    """

    error = "unavailable"

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class ProviderUnavailable(Unavailable):
    """The identity provider's keys cannot be fetched and none are usable."""

    error = "identity_provider_unavailable"

    def __init__(self, cause: ProviderCause) -> None:
        super().__init__(cause)


class SecretUnavailable(Unavailable):
    """The Intercom secret cannot be read; there is never a fallback secret."""

    error = "secret_unavailable"

    def __init__(self, cause: SecretCause) -> None:
        super().__init__(cause)


class NeedsFetch(Exception):
    """Identifying this request needs network I/O (a key fetch): retry it off the event loop."""


# The fixed vocabulary of refusals: each `reason` the log and the RejectionsByReason metric
# carry, with its status and what it means. Fixed, so the metric's dimension cannot multiply;
# a test holds the code to it, and the signer reference's table is generated from it.
REASONS: dict[Reason, tuple[int, str]] = {
    "no_credential": (401, "no login token where `SIGNER_TOKEN_FROM` looks (or no ALB header)"),
    "malformed": (401, "not a three-part JWS of JSON objects, or a key repeated in one of them"),
    "token_too_large": (401, "a token over 8 KB, or a `Cookie` header too long to read"),
    "alg_not_allowed": (401, "an `alg` not on the asymmetric allow-list (`none`, `HS256`, …)"),
    "bad_kid": (401, "no `kid`, or one that is not a string of sensible length"),
    "unknown_kid": (401, "a `kid` the issuer's keys do not have (remembered for the cooldown)"),
    "key_mismatch": (401, "the key does not fit the `alg` (type, curve, the `alg` it pins)"),
    "bad_signature": (401, "the signature does not verify"),
    "expired": (401, "`exp` has passed (30 s of leeway), or nothing is left to vouch for"),
    "not_yet_valid": (401, "`nbf` is in the future"),
    "bad_iat": (401, "`iat` is in the future"),
    "bad_time_claim": (401, "`exp`, `nbf` or `iat` is not a number"),
    "wrong_issuer": (401, "`iss` is not exactly `SIGNER_OIDC_ISSUER`"),
    "wrong_audience": (401, "`aud` (or a Cognito access token's `client_id`) is not listed"),
    "wrong_authorized_party": (
        401,
        "an ID token with several `aud` values whose `azp` is not one of ours (OIDC Core 3.1.3.7)",
    ),
    "missing_claim": (401, "a required claim is missing: `exp`, `iss`, `aud`"),
    "unknown_crit": (401, "the header names a critical extension (`crit`)"),
    "invalid_token": (401, "any other verification failure"),
    "no_user_id": (401, "no usable value in the `SIGNER_USER_ID_CLAIM` claim"),
    "email_not_verified": (401, "the user id is the email, and the email is not verified"),
    "ambiguous_credential": (401, "cookies of the token's name verify as two different readers"),
    "no_authorizer_claims": (
        401,
        "`apigw-jwt`: the request is not an API Gateway event with the JWT authorizer's claims",
    ),
    "wrong_signer": (401, "`alb`: the header was signed for another load balancer"),
    "origin_not_allowed": (403, "an `Origin` not in `SIGNER_ALLOWED_ORIGINS`"),
    "preflight_without_origin": (403, "an `OPTIONS` preflight without an `Origin`"),
    "method_not_allowed": (405, "anything but `GET` and `OPTIONS`"),
    "not_found": (404, "a path other than the two routes"),
}

# What each 5xx `error` logs as its `cause` (an `internal` error logs the exception's type).
PROVIDER_CAUSES: dict[ProviderCause, str] = {
    "unreachable": "the issuer's host cannot be reached",
    "timeout": "no complete answer within `SIGNER_FETCH_TIMEOUT`, or a shared fetch did not finish",
    "http_status": "the host answered an error status",
    "oversized": "the answer is over 256 KB",
    "redirect_refused": "a redirect to another scheme or host, a malformed one, or too many",
    "bad_url": "a URL the signer was given or sent to cannot be parsed (a bad port, an unclosed `[`)",
    "not_json": "the answer is not a JSON object",
    "no_keys": "the JWKS has no usable signing key",
    "discovery_mismatch": "the discovery document names another issuer",
    "insecure_jwks_uri": "discovery names a `jwks_uri` that is not an https URL",
    "not_a_key": "the ALB key host answered something other than a key",
    "busy": "every fetch slot stayed taken",
}
SECRET_CAUSES: dict[SecretCause, str] = {
    "empty": "the secret has no value yet, as a fresh stack's",
    "not_found": "no such secret",
    "access_denied": "the role may not read it (or decrypt it with its KMS key)",
    "decrypt_failed": "KMS could not decrypt it",
    "throttled": "Secrets Manager throttled the read",
    "not_usable": "the secret cannot be read now (e.g. scheduled for deletion)",
    "no_credentials": "the function has no AWS credentials",
    "unreachable": "Secrets Manager cannot be reached",
    "timeout": "no answer in time",
    "too_short": "the value is too short to be Intercom's secret",
    "not_json": "the value starts with `{` but is not JSON",
    "no_secret_key": "JSON without a non-empty `secret` key",
    "binary_secret": "a binary secret, not a string",
    "store_error": "any other error from Secrets Manager",
}
CAUSES: dict[str, dict[str, str]] = {
    ProviderUnavailable.error: {cause: text for cause, text in PROVIDER_CAUSES.items()},
    SecretUnavailable.error: {cause: text for cause, text in SECRET_CAUSES.items()},
}
