"""A service provider's orientations: what was sent to its organisation, need-to-know only.

The provider sees the case reference and pseudonym, the need, what the orientation says it
needs to know, and the identity only when the orientation needs it. Everything is fetched
through opennrm.support.access: an orientation the person withdrew consent for is not found.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.cases.access import get_identity
from opennrm.support import plans
from opennrm.support.access import get_orientation_for_provider, provider_orientations
from opennrm.support.models import Orientation, OrientationStatus
from opennrm.web.acting import ActingRequest
from opennrm.web.support.forms import DateForm, ReasonForm


def received(request: ActingRequest) -> HttpResponse:
    orientations = list(provider_orientations(request.actor).order_by("response_due", "pk"))
    today = timezone.localdate()
    return render(
        request,
        "web/support/received.html",
        {
            "waiting": [o for o in orientations if o.status == OrientationStatus.SENT],
            "current": [
                o
                for o in orientations
                if o.status in {OrientationStatus.ACCEPTED, OrientationStatus.IN_PROGRESS}
            ],
            "today": today,
        },
    )


def received_detail(request: ActingRequest, pk: int) -> HttpResponse:
    item = get_orientation_for_provider(request.actor, pk)
    person = get_identity(request.actor, item.case) if item.identity_needed else None
    return render(
        request,
        "web/support/received_detail.html",
        {
            "orientation": item,
            "person": person,
            "Status": OrientationStatus,
            "reason_form": ReasonForm(),
            "start_form": DateForm(prefix="start"),
            "end_form": DateForm(prefix="end"),
            "placement": getattr(item, "placement", None) if item.is_accommodation else None,
        },
    )


def _back(item: Orientation) -> HttpResponse:
    return redirect("web:orientation_received", pk=item.pk)


def _gone(request: ActingRequest) -> HttpResponse:
    """After an answer that ends the provider's access, back to the list."""
    return redirect("web:orientations_received")


@require_POST
def received_accept(request: ActingRequest, pk: int) -> HttpResponse:
    item = get_orientation_for_provider(request.actor, pk)
    try:
        plans.accept(item, actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if item.is_accommodation:
            messages.success(request, _("Orientation accepted: the place is reserved."))
        else:
            messages.success(request, _("Orientation accepted."))
    return _back(item)


@require_POST
def received_decline(request: ActingRequest, pk: int) -> HttpResponse:
    item = get_orientation_for_provider(request.actor, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the orientation is declined."))
        return _back(item)
    try:
        plans.decline(item, reason=form.cleaned_data["reason"], actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(item)
    messages.success(request, _("Orientation declined. The responsible organisation is told."))
    return _gone(request)


@require_POST
def received_start(request: ActingRequest, pk: int) -> HttpResponse:
    item = get_orientation_for_provider(request.actor, pk)
    form = DateForm(request.POST, prefix="start")
    if not form.is_valid():
        messages.error(request, _("Give a date that is not in the future."))
        return _back(item)
    try:
        plans.start(item, actor=request.actor, started_on=form.cleaned_data["day"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Service started."))
    return _back(item)


@require_POST
def received_complete(request: ActingRequest, pk: int) -> HttpResponse:
    item = get_orientation_for_provider(request.actor, pk)
    form = DateForm(request.POST, prefix="end")
    if not form.is_valid():
        messages.error(request, _("Give a date that is not in the future."))
        return _back(item)
    try:
        plans.complete(item, actor=request.actor, ended_on=form.cleaned_data["day"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(item)
    messages.success(request, _("Service completed."))
    return _gone(request)
