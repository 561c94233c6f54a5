"""Every route of the site, plus the bench's minimal views (config/settings/bench.py only).

The minimal views run behind the same middleware as every page (session, sign-in, membership,
MFA, CSRF, security headers) and do nothing else: what a page costs beyond them is its own.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as site_patterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def minimal(request: HttpRequest) -> HttpResponse:
    """Signed in: the baseline of every staff page."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def minimal_public(request: HttpRequest) -> HttpResponse:
    """Anonymous, CSRF-checked POST answered with a redirect: the baseline of the report form."""
    if request.method == "POST":
        return redirect("/bench/minimal/public/")
    get_token(request)  # the CSRF cookie, as a page with a form sets it
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/minimal/public/", minimal_public),
    *site_patterns,
]
