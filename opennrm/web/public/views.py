"""Public pages: no account needed. They show nothing about any person. The error pages work
for anyone, signed in or not (config/urls.py: handler400, handler403, handler404, handler500;
settings.CSRF_FAILURE_VIEW), in the visitor's language, with the quick exit."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from opennrm.directory.models import ContactEntry
from opennrm.profiles.loader import active_profile
from opennrm.web.public.forms import DirectorySearchForm


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    from opennrm.documents.leaflets import leaflets

    # French and English first (the interface's languages), then the others by code.
    ordered = sorted(
        leaflets().values(), key=lambda item: (item.code not in ("fr", "en"), item.code)
    )
    return render(request, "web/home.html", {"public_page": True, "leaflets": ordered})


@login_not_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    entries = ContactEntry.objects.published().for_display()
    territory = None
    if form.is_valid() and form.cleaned_data["territory"]:
        territory = form.cleaned_data["territory"]
        entries = entries.filter(territory=territory)
    return render(
        request,
        "web/directory/public.html",
        {"form": form, "entries": entries, "territory": territory, "public_page": True},
    )


def _publisher() -> dict[str, str]:
    """Who publishes, directs, hosts and controls this instance (settings, from the
    environment: config/settings/base.py)."""
    return {
        "publisher": settings.OPENNRM_PUBLISHER,
        "publisher_address": settings.OPENNRM_PUBLISHER_ADDRESS,
        "publisher_email": settings.OPENNRM_PUBLISHER_EMAIL,
        "director": settings.OPENNRM_PUBLICATION_DIRECTOR,
        "host_name": settings.OPENNRM_HOST_NAME,
        "host_address": settings.OPENNRM_HOST_ADDRESS,
        "controller": settings.OPENNRM_DATA_CONTROLLER or settings.OPENNRM_PUBLISHER,
        "dpo_email": settings.OPENNRM_DPO_EMAIL,
    }


@login_not_required
@require_GET
def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal.html", {"public_page": True, **_publisher()})


@login_not_required
@require_GET
def personal_data(request: HttpRequest) -> HttpResponse:
    retention = active_profile().retention
    return render(
        request,
        "web/personal_data.html",
        {"public_page": True, "retention": retention, **_publisher()},
    )


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/accessibility.html",
        {
            "public_page": True,
            "statement_date": datetime.date.fromisoformat(settings.OPENNRM_ACCESSIBILITY_DATE),
            "contact": settings.OPENNRM_ACCESSIBILITY_CONTACT,
            **_publisher(),
        },
    )


# Error pages ----------------------------------------------------------------------------------


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request that cannot be read: a body too large (RequestDataTooBig), too many fields
    (TooManyFieldsSent), another SuspiciousOperation. Nothing was recorded."""
    return render(request, "400.html", {"public_page": True}, status=400)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (an expired page or session, refused cookies).
    The public report comes back filled with what was typed; any other form says what to do."""
    from opennrm.web.concerns.views import report_after_csrf_failure

    if request.method == "POST" and request.path_info == reverse("web:report"):
        return report_after_csrf_failure(request)
    return render(request, "403_csrf.html", {"public_page": True}, status=403)


@login_not_required
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
