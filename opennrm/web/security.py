"""Security headers and idle session expiry (see docs/adr/0009-security-headers.md).

`SecurityHeadersMiddleware` adds what Django's own SecurityMiddleware does not send: the
Content-Security-Policy and the Permissions-Policy. Both come from settings (`OPENNRM_CSP`,
`OPENNRM_PERMISSIONS_POLICY`) and are the same for every page: there is no inline script or
style anywhere, so no nonce is needed.

`IdleTimeoutMiddleware` signs out a user who has not made a request for
`SESSION_IDLE_TIMEOUT` seconds, and audits it as `auth.idle_logout`.
"""

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.web.acting import actor_from_request

CSP_HEADER = "Content-Security-Policy"
CSP_REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"
PERMISSIONS_POLICY_HEADER = "Permissions-Policy"
# Session key holding the time (seconds since the epoch) of the user's last request.
LAST_ACTIVITY_KEY = "opennrm_last_activity"
# The stamp is rewritten at most this often, so that not every request writes the session.
ACTIVITY_RESOLUTION = 60


def build_csp(policy: Mapping[str, Sequence[str]]) -> str:
    """`{"default-src": ["'self'"], ...}` → `default-src 'self'; ...` (a directive without
    sources, such as `upgrade-insecure-requests`, is written alone)."""
    directives = []
    for directive, sources in policy.items():
        directives.append(" ".join([directive, *sources]) if sources else directive)
    return "; ".join(directives)


def build_permissions_policy(policy: Mapping[str, Sequence[str]]) -> str:
    """`{"camera": []}` → `camera=()`; `{"fullscreen": ["self"]}` → `fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


def _private(request: HttpRequest) -> bool:
    """What a shared computer's browser must not keep: every answer to a signed-in person, every
    API answer, and the account pages (sign-in, sign-out, MFA); not the static files."""
    if request.path.startswith(settings.STATIC_URL or "/static/"):
        return False
    if request.path.startswith(("/api/", "/accounts/")):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response that lacks them, and
    `Cache-Control: no-store` on every private answer (`_private`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = build_csp(settings.OPENNRM_CSP)
        self.csp_header = CSP_REPORT_ONLY_HEADER if settings.OPENNRM_CSP_REPORT_ONLY else CSP_HEADER
        self.permissions_policy = build_permissions_policy(settings.OPENNRM_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.csp:
            response.headers.setdefault(self.csp_header, self.csp)
        if self.permissions_policy:
            response.headers.setdefault(PERMISSIONS_POLICY_HEADER, self.permissions_policy)
        if _private(request) and "no-store" not in response.headers.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


def stamp_activity_at_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A login is activity: stamped with the login, the session needs no write on the next
    request (connected to `user_logged_in` in WebConfig.ready)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_ACTIVITY_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Sign out a user after `SESSION_IDLE_TIMEOUT` seconds without a request (0 turns it off).

    Placed right after AuthenticationMiddleware: what follows (membership, MFA, the login
    requirement) already sees an anonymous visitor, so a protected page sends to the login page.
    The session is flushed rather than passed to `logout()`, so the audit trail gets one
    `auth.idle_logout` entry instead of an ordinary `auth.logout`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0) or 0)
        if timeout > 0 and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int) and now - last > timeout:
                self._sign_out(request, idle_seconds=now - last, timeout=timeout)
            elif not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest, *, idle_seconds: int, timeout: int) -> None:
        user = request.user
        record(
            "auth.idle_logout",
            actor=actor_from_request(request),
            target=user,  # type: ignore[arg-type]
            details={"idle_seconds": idle_seconds, "timeout": timeout},
        )
        request.session.flush()
        request.user = AnonymousUser()
        messages.info(
            request,
            _("You were signed out after %(minutes)d minutes without activity.")
            % {"minutes": max(1, timeout // 60)},
            fail_silently=True,
        )
