"""Request-wide context: the membership a user acts with, and MFA enforcement."""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from opennrm.core.models import Membership
from opennrm.profiles.loader import active_profile
from opennrm.web.acting import actor_from_request
from opennrm.web.proconnect.session import mfa_proven_by_provider

SESSION_KEY = "opennrm_membership_id"


class CurrentMembershipMiddleware:
    """Sets request.memberships, request.membership (the one the user acts with) and
    request.actor, who acts, as the domain knows it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.memberships = []  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.active()
                .filter(user=request.user)
                .select_related("organisation")
                .order_by("organisation__name", "role")
            )
            chosen = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.pk == chosen), None)
            request.memberships = memberships  # type: ignore[attr-defined]
            request.membership = current or (memberships[0] if memberships else None)  # type: ignore[attr-defined]
        request.actor = actor_from_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)


# Paths a user without MFA may still reach: setting MFA up, logging out, switching language.
MFA_EXEMPT_PREFIXES = (
    "/accounts/",
    "/i18n/",
    "/static/",
    "/directory/",
    "/legal/",
    "/report/",
    "/leaflet/",
    "/health/",
)


class RequireMfaMiddleware:
    """Outside demo mode, every staff account must set up MFA before doing anything else, unless
    this session's sign-in already proved a second factor at the identity provider (ProConnect,
    with an acr/amr the profile accepts: opennrm.web.proconnect)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.OPENNRM_REQUIRE_MFA
            and request.user.is_authenticated
            and request.path != "/"
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and not is_mfa_enabled(request.user)
            and not mfa_proven_by_provider(request)
        ):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def switch_membership(request: HttpRequest, membership_id: int) -> bool:
    """Act with another of the user's memberships; False if it is not theirs."""
    memberships = getattr(request, "memberships", [])
    if any(m.pk == membership_id for m in memberships):
        request.session[SESSION_KEY] = membership_id
        return True
    return False


class ProfileLanguageMiddleware:
    """The profile's default language for everyone, unless they chose another (cookie).

    The browser's Accept-Language is ignored on purpose: staff of a French instance work in
    French whatever their browser says, and switch explicitly if they prefer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        available = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in available else active_profile().default_language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
