"""The providers the suite meets, each built in its real token and document shape."""

from __future__ import annotations

from tests.providers.shapes.alb import Alb
from tests.providers.shapes.auth0 import Auth0
from tests.providers.shapes.base import Provider
from tests.providers.shapes.cloudflare_access import CloudflareAccess
from tests.providers.shapes.cognito import Cognito
from tests.providers.shapes.entra import Entra
from tests.providers.shapes.google_iap import GoogleIap
from tests.providers.shapes.keycloak import Keycloak
from tests.providers.shapes.okta import Okta, OktaCustomServer

# Every shape, by name: the parametrized tests run over all of them.
SHAPES: dict[str, type[Provider]] = {
    shape.name: shape
    for shape in (
        Cognito,
        Auth0,
        Okta,
        OktaCustomServer,
        Entra,
        GoogleIap,
        CloudflareAccess,
        Keycloak,
        Alb,
    )
}
