"""Where the provider answers as ProConnect rather than as django-oidc-provider does."""

import json
import os
import secrets
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from oidc_provider.lib.claims import StandardScopeClaims
from oidc_provider.lib.utils.common import get_issuer
from oidc_provider.lib.utils.oauth2 import protected_resource_view
from oidc_provider.models import Client, RSAKey
from oidc_provider.views import AuthorizeView, EndSessionView

from tests.proconnect.provider_site.claims import ProConnectClaims, profile

# The parameters ProConnect's authorization endpoint knows; any other is refused (Y000400).
AUTHORIZE_PARAMETERS = {
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "claims",
    "state",
    "nonce",
    "prompt",
    "idp_hint",
    "login_hint",
    "acr_values",
    "code_challenge",
    "code_challenge_method",
}
MINIMUM_RANDOM = 32  # characters of state and nonce


class ProConnectAuthorizeView(AuthorizeView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unknown = sorted(set(request.GET) - AUTHORIZE_PARAMETERS)
        if unknown:
            return HttpResponseBadRequest(f"Y000400 unknown parameter(s): {', '.join(unknown)}")
        for name in ("state", "nonce"):
            if len(request.GET.get(name, "")) < MINIMUM_RANDOM:
                return HttpResponseBadRequest(f"{name} missing or shorter than {MINIMUM_RANDOM}")
        if "claims" in request.GET:
            try:
                json.loads(request.GET["claims"])
            except ValueError:
                return HttpResponseBadRequest("claims is not JSON")
        return super().get(request, *args, **kwargs)  # type: ignore[no-any-return]


def _private_key() -> tuple[Any, str]:
    rsakey = RSAKey.objects.order_by("id").first()
    assert rsakey is not None
    return serialization.load_pem_private_key(rsakey.key.encode(), password=None), rsakey.kid


@csrf_exempt
@require_http_methods(["GET", "POST"])
@protected_resource_view(["openid"])
def signed_userinfo(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The userinfo answer as a JWT signed with the provider's key (RS256)."""
    token = kwargs["token"]
    claims: dict[str, Any] = {"sub": token.id_token.get("sub")}
    claims.update(StandardScopeClaims(token).create_response_dic())
    claims.update(ProConnectClaims(token).create_response_dic())
    now = int(time.time())
    claims.update(iss=get_issuer(request=request), aud=token.client.client_id, iat=now)
    key, kid = _private_key()
    if profile(token.user).get("forge_userinfo"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # not published
    body = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
    response = HttpResponse(body, content_type="application/jwt")
    response["Cache-Control"] = "no-store"
    return response


class ProConnectEndSessionView(EndSessionView):
    """ProConnect's end-session endpoint requires the ID token as hint and a state."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for name in ("id_token_hint", "state", "post_logout_redirect_uri"):
            if not request.GET.get(name):
                return HttpResponseBadRequest(f"{name} is required")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]


@csrf_exempt
def register_client_uris(request: HttpRequest) -> HttpResponse:
    """Test control: add redirect and post-logout URIs to the client (the live server's port is
    known only once the tests run). Guarded by the control token the tests gave the process."""
    expected = os.environ["PROVIDER_CONTROL_TOKEN"]
    if request.method != "POST" or not secrets.compare_digest(
        request.headers.get("X-Control-Token", ""), expected
    ):
        return HttpResponse(status=403)
    data = json.loads(request.body)
    client = Client.objects.get(client_id=data["client_id"])
    client.redirect_uris = sorted(set(client.redirect_uris) | set(data.get("redirect_uris", [])))
    client.post_logout_redirect_uris = sorted(
        set(client.post_logout_redirect_uris) | set(data.get("post_logout_redirect_uris", []))
    )
    client.save()
    return JsonResponse({"redirect_uris": client.redirect_uris})
