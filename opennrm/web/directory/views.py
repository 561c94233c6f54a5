"""Managing the directory of contact persons (national coordinator and the bodies themselves)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.directory.access import (
    can_create_entries,
    can_manage_directory,
    editable_entries,
    get_entry_for_edit,
)
from opennrm.directory.models import ContactEntry, coverage, stale_before
from opennrm.profiles.capabilities import Capability
from opennrm.web.acting import ActingRequest
from opennrm.web.directory.forms import ContactEntryForm
from opennrm.web.formtools import already_sent, run_once


def _membership(request: ActingRequest):  # type: ignore[no-untyped-def]
    return getattr(request, "membership", None)


def _organisations_allowed(request: ActingRequest) -> list[int] | None:
    """None: any body (directory manager); else the user's own organisation only."""
    membership = _membership(request)
    if membership is not None and membership.can(Capability.MANAGE_DIRECTORY):
        return None
    return [membership.organisation_id] if membership is not None else []


def manage(request: ActingRequest) -> HttpResponse:
    membership = _membership(request)
    if not can_manage_directory(membership):
        raise Http404
    entries = editable_entries(membership).for_display()
    only_stale = request.GET.get("stale") == "1"
    if only_stale:
        entries = entries.stale()
    return render(
        request,
        "web/directory/manage.html",
        {
            "entries": entries,
            "only_stale": only_stale,
            "stale_before": stale_before(),
            "can_create": can_create_entries(membership),
        },
    )


def create(request: ActingRequest) -> HttpResponse:
    if not can_create_entries(_membership(request)):
        raise Http404
    form = ContactEntryForm(request.POST or None, organisations=_organisations_allowed(request))
    if request.method == "POST" and already_sent(request, form) is not None:
        return redirect("web:directory_manage")
    if request.method == "POST" and form.is_valid():
        sent = run_once(
            request, form, lambda **values: ContactEntry.create(actor=request.actor, **values)
        )
        if not sent.resent:
            messages.success(request, _("Directory entry created."))
        return redirect("web:directory_manage")
    return render(request, "web/directory/edit.html", {"form": form, "entry": None})


def edit(request: ActingRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_edit(_membership(request), pk)
    form = ContactEntryForm(
        request.POST or None, instance=entry, organisations=_organisations_allowed(request)
    )
    if request.method == "POST" and form.is_valid():
        entry.update(actor=request.actor, changed=form.changed_data)
        messages.success(request, _("Directory entry updated and confirmed."))
        return redirect("web:directory_manage")
    return render(request, "web/directory/edit.html", {"form": form, "entry": entry})


@require_POST
def confirm(request: ActingRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_edit(_membership(request), pk)
    entry.confirm(actor=request.actor)
    messages.success(
        request, _("Entry confirmed as up to date on %(day)s.") % {"day": timezone.localdate()}
    )
    return redirect("web:directory_manage")


def unpublish(request: ActingRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_edit(_membership(request), pk)
    if request.method == "POST":
        entry.unpublish(actor=request.actor)
        messages.success(request, _("Entry removed from the public directory."))
        return redirect("web:directory_manage")
    return render(request, "web/directory/unpublish.html", {"entry": entry})


def coverage_view(request: ActingRequest) -> HttpResponse:
    membership = _membership(request)
    if membership is None or not (
        membership.can(Capability.MANAGE_DIRECTORY) or membership.can(Capability.NATIONAL_OVERSIGHT)
    ):
        raise Http404
    from opennrm.profiles.loader import active_profile

    rows = coverage()
    return render(
        request,
        "web/directory/coverage.html",
        {
            "rows": rows,
            "bodies": active_profile().contact_bodies,
            "missing": sum(1 for row in rows if not row["complete"]),
        },
    )
