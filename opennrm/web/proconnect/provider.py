"""ProConnect as a django-allauth provider: OpenID Connect as ProConnect speaks it.

Compared with allauth's generic OpenID Connect provider: a nonce is sent and checked, the
userinfo answer is a signed JWT, scopes are ProConnect's own (one per claim), the `amr` claim is
asked for, and the person's name is `given_name` + `usual_name`. Scope and parameters are fixed:
ProConnect refuses any parameter it does not know.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from opennrm.web.proconnect.session import PROVIDER_ID
from opennrm.web.proconnect.views import ProConnectAdapter, navigate_to

SCOPES = ("openid", "email", "given_name", "usual_name", "uid", "siret", "idp_id")
# The ID token states how the person signed in only if asked (its `amr` claim).
CLAIMS_REQUEST = {"id_token": {"amr": {"essential": True}}}


class ProConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self) -> str:
        data = self.get_user_data() or {}
        return str(data.get("email") or super().to_str())


class ProConnectProvider(OpenIDConnectProvider):
    id = PROVIDER_ID
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectAdapter

    @property
    def server_url(self) -> str:
        url = str(
            self.app.settings.get("server_url") or settings.PROCONNECT_INTEGRATION_ISSUER
        ).rstrip("/")
        return str(self.wk_server_url(url))

    @property
    def signing_algorithm(self) -> str:
        return str(self.app.settings.get("signing_algorithm") or "RS256")

    def get_login_url(self, request: HttpRequest, **kwargs: Any) -> str:
        url = reverse("proconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return reverse("proconnect_callback")

    def get_oauth2_adapter(self, request: HttpRequest) -> ProConnectAdapter:
        return ProConnectAdapter(request)

    def get_default_scope(self) -> list[str]:
        return list(SCOPES)

    def get_scope_from_request(self, request: HttpRequest) -> list[str]:
        return [str(scope) for scope in self.get_scope()]  # none added from the query string

    def get_auth_params(self) -> dict[str, Any]:
        return {"claims": json.dumps(CLAIMS_REQUEST, separators=(",", ":"))}

    def get_auth_params_from_request(self, request: HttpRequest, action: Any) -> dict[str, Any]:
        return self.get_auth_params()  # no parameter added from the query string

    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> Any:
        """To ProConnect's authorization endpoint with a fresh nonce, kept in the login's state
        (with the PKCE verifier) until the callback checks the ID token against it. ProConnect
        wants state and nonce of 32 characters at least (allauth's state has 16)."""
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None) or self.get_auth_params()
        auth_params["nonce"] = nonce
        kwargs.setdefault("state_id", secrets.token_urlsafe(32))
        response = super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )
        if isinstance(response, HttpResponseRedirect):
            return navigate_to(request, response["Location"], _("Signing in with ProConnect"))
        return response

    def extract_uid(self, data: dict[str, Any]) -> str:
        return str(data["id_token"]["sub"])

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        userinfo = data.get("userinfo") or {}
        return {
            "email": userinfo.get("email"),
            "first_name": userinfo.get("given_name"),
            "last_name": userinfo.get("usual_name"),
        }


provider_classes = [ProConnectProvider]
