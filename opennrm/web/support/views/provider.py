"""A service provider's orientations: what was sent to its organisation, need-to-know only.

The provider sees the case reference and pseudonym, the need, what the orientation says it
needs to know, and the identity only when the orientation needs it. Everything is fetched
through opennrm.support.access: an orientation the person withdrew consent for is not found.
"""

from functools import partial

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.cases.access import get_identity
from opennrm.support import plans
from opennrm.support.access import (
    get_orientation_for_provider,
    provider_orientations,
    safe_contact_for_provider,
)
from opennrm.support.models import Orientation, OrientationStatus
from opennrm.web.acting import ActingRequest
from opennrm.web.formtools import submit_button
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
            "safe_contact": safe_contact_for_provider(request.actor, item),
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
    submit_button(
        request,
        None,
        partial(plans.accept, item, actor=request.actor),
        lambda _accepted: (
            _("Orientation accepted: the place is reserved.")
            if item.is_accommodation
            else _("Orientation accepted.")
        ),
    )
    return _back(item)


@require_POST
def received_decline(request: ActingRequest, pk: int) -> HttpResponse:
    item = get_orientation_for_provider(request.actor, pk)
    declined = submit_button(
        request,
        ReasonForm(request.POST),
        partial(plans.decline, item, actor=request.actor),
        _("Orientation declined. The responsible organisation is told."),
        invalid=_("Say why the orientation is declined."),
    )
    return _gone(request) if declined else _back(item)


@require_POST
def received_start(request: ActingRequest, pk: int) -> HttpResponse:
    item = get_orientation_for_provider(request.actor, pk)
    submit_button(
        request,
        DateForm(request.POST, prefix="start"),
        lambda day: plans.start(item, actor=request.actor, started_on=day),
        _("Service started."),
        invalid=_("Give a date that is not in the future."),
    )
    return _back(item)


@require_POST
def received_complete(request: ActingRequest, pk: int) -> HttpResponse:
    item = get_orientation_for_provider(request.actor, pk)
    completed = submit_button(
        request,
        DateForm(request.POST, prefix="end"),
        lambda day: plans.complete(item, actor=request.actor, ended_on=day),
        _("Service completed."),
        invalid=_("Give a date that is not in the future."),
    )
    return _gone(request) if completed else _back(item)
