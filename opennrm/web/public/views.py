"""Public pages: no account needed. They show nothing about any person. The error pages work
for anyone, signed in or not (config/urls.py: handler403, handler404, handler500)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opennrm.directory.models import ContactEntry
from opennrm.web.public.forms import DirectorySearchForm


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"public_page": True})


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


@login_not_required
@require_GET
def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal.html", {"public_page": True})


# Error pages ----------------------------------------------------------------------------------


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
