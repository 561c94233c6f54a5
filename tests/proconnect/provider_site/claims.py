"""What the provider says about its fictional users (PROVIDER_USERS, a JSON file)."""

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from oidc_provider.lib.claims import ScopeClaims

FORGED_NONCE = "a-nonce-this-login-never-sent-0000000000"


@cache
def users() -> dict[str, dict[str, Any]]:
    with Path(os.environ["PROVIDER_USERS"]).open(encoding="utf-8") as handle:
        return dict(json.load(handle))


def profile(user: Any) -> dict[str, Any]:
    return users().get(user.username, {})


def subject(user: Any) -> str:
    return str(profile(user).get("sub") or user.username)


def standard_claims(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["email"] = user.email
    return claims


class ProConnectClaims(ScopeClaims):
    """ProConnect's scopes: one per claim."""

    def _claim(self, name: str) -> dict[str, Any]:
        return {name: profile(self.user).get(name)}

    def scope_given_name(self) -> dict[str, Any]:
        return self._claim("given_name")

    def scope_usual_name(self) -> dict[str, Any]:
        return self._claim("usual_name")

    def scope_uid(self) -> dict[str, Any]:
        return self._claim("uid")

    def scope_siret(self) -> dict[str, Any]:
        return self._claim("siret")

    def scope_idp_id(self) -> dict[str, Any]:
        return self._claim("idp_id")


def authentication_claims(id_token: dict[str, Any], user: Any, **kwargs: Any) -> dict[str, Any]:
    """How the user signed in (`acr`, `amr`), as ProConnect reports it in the ID token."""
    about = profile(user)
    id_token["acr"] = about.get("acr", "eidas1")
    id_token["amr"] = about.get("amr", ["pwd"])
    id_token["idp_id"] = about.get("idp_id", "fictional-idp")
    if about.get("forge_nonce"):
        id_token["nonce"] = FORGED_NONCE
    return id_token
