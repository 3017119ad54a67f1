"""The reference the cold-start budget compares against: the usual way to write this
function (FastAPI + Mangum + Powertools Parameters + PyJWT's JWKS client)."""

from __future__ import annotations

import hashlib
import hmac
import os

import jwt
from aws_lambda_powertools.utilities import parameters
from fastapi import FastAPI, Header, HTTPException
from mangum import Mangum

app = FastAPI()
jwks = jwt.PyJWKClient(os.environ["SIGNER_OIDC_JWKS_URL"])


@app.get("/identity")
def identity(authorization: str = Header("")) -> dict[str, str]:
    token = authorization.removeprefix("Bearer ")
    try:
        key = jwks.get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience="docs",
            issuer=os.environ["SIGNER_OIDC_ISSUER"],
        )
    except jwt.PyJWTError:
        raise HTTPException(401) from None
    secret = parameters.get_secret(os.environ["SIGNER_SECRET_ARN"], max_age=300)
    user_id = str(claims["sub"])
    return {
        "user_id": user_id,
        "user_hash": hmac.new(str(secret).encode(), user_id.encode(), hashlib.sha256).hexdigest(),
    }


handler = Mangum(app, lifespan="off")
