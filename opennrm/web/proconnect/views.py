"""ProConnect's login, callback and post-logout views (under /accounts/proconnect/)."""

from __future__ import annotations

import logging
from typing import Any

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp, SocialToken
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from opennrm.profiles.loader import active_profile
from opennrm.web.proconnect import session
from opennrm.web.proconnect.tokens import (
    ProConnectTokenError,
    parse_jwks,
    proves_mfa,
    verify_id_token,
    verify_userinfo,
)

JWT_CONTENT_TYPE = "application/jwt"
logger = logging.getLogger(__name__)


class ProConnectAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, with ProConnect's checks on what comes back."""

    expected_nonce: str | None = None

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, session.PROVIDER_ID)

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        return str(build_absolute_uri(request, reverse("proconnect_callback")))

    def _jwks(self) -> dict[str, Any]:
        if not hasattr(self, "_jwks_cache"):
            with get_adapter().get_requests_session() as http:
                response = http.get(self.openid_config["jwks_uri"])
                response.raise_for_status()
            self._jwks_cache = parse_jwks(response.content)
        return self._jwks_cache

    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: Any
    ) -> Any:
        try:
            return self._complete_login(request, app, token, kwargs["response"])
        except ProConnectTokenError as error:
            # What was wrong, for the operator: no claim and no token in the message.
            logger.warning("ProConnect sign-in refused: %s", error)
            raise

    def _complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, response: dict[str, Any]
    ) -> Any:
        provider = self.get_provider()
        raw_id_token = response.get("id_token")
        if not raw_id_token:
            raise ProConnectTokenError("ProConnect sent no ID token.")
        issuer = self.openid_config["issuer"]
        id_claims = verify_id_token(
            raw_id_token,
            jwks=self._jwks(),
            algorithm=provider.signing_algorithm,
            issuer=issuer,
            client_id=app.client_id,
            nonce=self.expected_nonce,
        )
        userinfo = verify_userinfo(
            self._fetch_signed_userinfo(token.token),
            jwks=self._jwks(),
            algorithm=provider.signing_algorithm,
            issuer=issuer,
            client_id=app.client_id,
            subject=str(id_claims["sub"]),
        )
        rules = active_profile().proconnect
        session.keep_pending(
            request,
            subject=str(id_claims["sub"]),
            id_token=raw_id_token,
            mfa=proves_mfa(
                id_claims, acr_values=rules.mfa_acr_values, amr_values=rules.mfa_amr_values
            ),
            end_session=str(self.openid_config.get("end_session_endpoint") or ""),
        )
        return provider.sociallogin_from_response(
            request, {"userinfo": userinfo, "id_token": id_claims}
        )

    def _fetch_signed_userinfo(self, access_token: str) -> str:
        with get_adapter().get_requests_session() as http:
            response = http.get(
                self.profile_url,
                headers={"Authorization": f"Bearer {access_token}", "Accept": JWT_CONTENT_TYPE},
            )
            response.raise_for_status()
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != JWT_CONTENT_TYPE:
            raise ProConnectTokenError(f"Userinfo answered {content_type!r}, not a signed JWT.")
        return str(response.text).strip()


class ProConnectCallbackView(OAuth2CallbackView):
    """allauth's callback, handing the adapter the nonce this login's state holds."""

    def _get_state(self, request: HttpRequest, provider: Any) -> Any:
        state, response = super()._get_state(request, provider)
        if state is not None and isinstance(self.adapter, ProConnectAdapter):
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


@login_not_required
def login(request: HttpRequest) -> HttpResponse:
    try:
        view = OAuth2LoginView.adapter_view(ProConnectAdapter(request))
        return view(request)  # type: ignore[no-any-return]
    except SocialApp.DoesNotExist as error:
        raise Http404 from error


@login_not_required
def callback(request: HttpRequest) -> HttpResponse:
    try:
        view = ProConnectCallbackView.adapter_view(ProConnectAdapter(request))
        return view(request)  # type: ignore[no-any-return]
    except SocialApp.DoesNotExist as error:
        raise Http404 from error
    except requests.RequestException as error:
        # The discovery document is read before allauth's own guard: the page says the
        # sign-in failed, as for any other error of the provider.
        provider = get_adapter().get_provider(request, session.PROVIDER_ID)
        return render_authentication_error(request, provider, exception=error)  # type: ignore[no-any-return]


def navigate_to(request: HttpRequest, url: str, heading: str) -> HttpResponse:
    """A page that sends the browser on to ProConnect (meta refresh, and a button)."""
    return render(
        request, "socialaccount/proconnect_redirect.html", {"url": url, "heading": heading}
    )


@login_not_required
def logout(request: HttpRequest) -> HttpResponse:
    """After the local logout: on to ProConnect's end_session_endpoint, if this browser's
    session was opened through ProConnect (the address waits in the new session)."""
    url = session.take_end_session_url(request)
    if not url:
        return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
    return navigate_to(request, url, _("Signing out of ProConnect"))


@login_not_required
def logout_callback(request: HttpRequest) -> HttpResponse:
    """Where ProConnect sends the browser back after its own logout (post_logout_redirect_uri).
    The local session ended before; the state proves the round trip started here."""
    if session.check_logout_state(request, request.GET.get("state", "")):
        messages.info(request, _("Your ProConnect session is closed too."))
    return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
