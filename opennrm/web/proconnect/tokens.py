"""ProConnect's signed answers: the ID token and the userinfo JWT, checked against its JWKS.

ProConnect signs both with the algorithm chosen when the service registered (RS256 by default
here; ES256 is also accepted). Nothing is trusted before its signature, issuer, audience and
expiry are checked; the ID token's nonce must be the one this browser's login sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import jwt
from allauth.socialaccount.providers.oauth2.client import OAuth2Error

# Asymmetric algorithms only: a symmetric one would let anyone holding the client secret sign.
SUPPORTED_ALGORITHMS = ("RS256", "ES256")
# Clock skew tolerated between ProConnect and this server, in seconds.
LEEWAY_SECONDS = 60


class ProConnectTokenError(OAuth2Error):
    """A token ProConnect sent (or someone sent in its name) that cannot be trusted."""


def signing_key(token: str, jwks: Mapping[str, Any], algorithm: str) -> Any:
    """The public key of `jwks` that signed `token`, refusing any other algorithm."""
    if algorithm not in SUPPORTED_ALGORITHMS:
        raise ProConnectTokenError(f"Unsupported signing algorithm {algorithm!r}.")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise ProConnectTokenError("Malformed token.") from error
    if header.get("alg") != algorithm:
        raise ProConnectTokenError(f"Token signed with {header.get('alg')!r}, not {algorithm}.")
    candidates = [
        key
        for key in jwks.get("keys", [])
        if isinstance(key, dict)
        and key.get("use", "sig") == "sig"
        and (header.get("kid") is None or key.get("kid") == header.get("kid"))
    ]
    if not candidates:
        raise ProConnectTokenError("No key of the provider matches the token.")
    try:
        return jwt.PyJWK(candidates[0], algorithm=algorithm).key
    except jwt.PyJWTError as error:
        raise ProConnectTokenError("The provider's key cannot be read.") from error


def verify_id_token(
    token: str,
    *,
    jwks: Mapping[str, Any],
    algorithm: str,
    issuer: str,
    client_id: str,
    nonce: str | None,
) -> dict[str, Any]:
    """The ID token's claims, once its signature, issuer, audience, expiry and nonce hold."""
    if not nonce:
        raise ProConnectTokenError("No nonce was sent for this login.")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=signing_key(token, jwks, algorithm),
            algorithms=[algorithm],
            audience=client_id,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "sub", "exp", "iat", "nonce"]},
        )
    except jwt.PyJWTError as error:
        raise ProConnectTokenError(f"Invalid ID token: {error}") from error
    if claims["nonce"] != nonce:
        raise ProConnectTokenError("The ID token's nonce is not this login's.")
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise ProConnectTokenError("The ID token names several audiences but not us as azp.")
    return claims


def verify_userinfo(
    token: str,
    *,
    jwks: Mapping[str, Any],
    algorithm: str,
    issuer: str,
    client_id: str,
    subject: str,
) -> dict[str, Any]:
    """The userinfo claims from ProConnect's signed answer (`application/jwt`).

    Its `iss` and `aud` are checked when present (OpenID Connect Core 5.3.2 says they should
    be), and its `sub` must be the ID token's.
    """
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=signing_key(token, jwks, algorithm),
            algorithms=[algorithm],
            leeway=LEEWAY_SECONDS,
            options={"verify_aud": False, "verify_iss": False, "require": ["sub"]},
        )
    except jwt.PyJWTError as error:
        raise ProConnectTokenError(f"Invalid userinfo: {error}") from error
    if "iss" in claims and claims["iss"] != issuer:
        raise ProConnectTokenError("The userinfo answer comes from another issuer.")
    if "aud" in claims:
        audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if client_id not in audience:
            raise ProConnectTokenError("The userinfo answer is meant for another service.")
    if claims["sub"] != subject:
        raise ProConnectTokenError("The userinfo answer is about someone else.")
    return claims


def parse_jwks(body: bytes | str) -> dict[str, Any]:
    try:
        jwks = json.loads(body)
    except ValueError as error:
        raise ProConnectTokenError("The provider's JWKS is not JSON.") from error
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise ProConnectTokenError("The provider's JWKS holds no keys.")
    return jwks


def proves_mfa(
    claims: Mapping[str, Any], *, acr_values: Iterable[str], amr_values: Iterable[str]
) -> bool:
    """Whether the ID token says the person signed in with more than one factor: its `acr` is
    one of `acr_values`, or its `amr` holds one of `amr_values` (both from the profile)."""
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in set(acr_values):
        return True
    amr = claims.get("amr")
    if not isinstance(amr, list):
        return False
    return any(isinstance(method, str) and method in set(amr_values) for method in amr)
