"""The directory of services, and a provider's own services and capacity.

The directory holds no personal data; any signed-in member reads it. Providers (organisation
administrators, service providers) describe their services and keep their capacity current;
the national coordinator manages them all. Capacity not confirmed for a week is flagged.
"""

from functools import partial
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from opennrm.support import providers
from opennrm.support.access import (
    can_manage_all_services,
    directory_services,
    get_service_for_manager,
    manageable_organisations,
    managed_services,
)
from opennrm.support.models import STALE_CAPACITY_DAYS, Service, ServiceType
from opennrm.web.acting import ActingRequest
from opennrm.web.formtools import posted, submit, submit_button
from opennrm.web.support.forms import Audience, CapacityForm, ServiceFilterForm, ServiceForm


def services(request: ActingRequest) -> HttpResponse:
    found = directory_services(request.actor).prefetch_related("territories")
    filters = ServiceFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["service_type"]:
            found = found.of_type(data["service_type"])
        if data["territory"] is not None:
            found = found.serving(data["territory"])
        if data["audience"] == Audience.ADULTS:
            found = found.filter(accepts_adults=True)
        elif data["audience"] == Audience.FAMILIES:
            found = found.filter(accepts_families=True)
        elif data["audience"] == Audience.CHILDREN:
            found = found.filter(accepts_children=True)
        if data["free_places"]:
            found = found.of_type(ServiceType.ACCOMMODATION).with_free_places(1)
    today = timezone.localdate()
    rows = [(service, service.is_capacity_stale(today)) for service in found.order_by("name")]
    return render(
        request,
        "web/support/services.html",
        {
            "filters": filters,
            "rows": rows,
            "stale_days": STALE_CAPACITY_DAYS,
            "editable": set(manageable_organisations(request.actor).values_list("pk", flat=True)),
            "can_add": manageable_organisations(request.actor).exists(),
        },
    )


def services_mine(request: ActingRequest) -> HttpResponse:
    """The provider admin page: my organisation's services, capacity kept current here."""
    mine = managed_services(request.actor).prefetch_related("territories").order_by("name")
    today = timezone.localdate()
    rows = [
        (
            service,
            service.is_capacity_stale(today),
            CapacityForm(
                initial={
                    "places_total": service.places_total,
                    "places_free": service.places_free,
                },
                prefix=f"s{service.pk}",
            )
            if service.is_accommodation
            else None,
        )
        for service in mine
    ]
    return render(
        request,
        "web/support/services_mine.html",
        {
            "rows": rows,
            "stale_count": sum(1 for _service, is_stale, _form in rows if is_stale),
            "stale_days": STALE_CAPACITY_DAYS,
            "manage_all": can_manage_all_services(request.actor),
        },
    )


def _service_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in data.items()
        if key not in {"organisation", "territories", "places_total"}
    }


def service_create(request: ActingRequest) -> HttpResponse:
    organisations = manageable_organisations(request.actor)
    if not organisations.exists():
        raise Http404
    form = ServiceForm(posted(request), organisations=organisations)

    def create(**data: Any) -> Service:
        return providers.create_service(
            request.actor,
            organisation=data["organisation"],
            territories=data["territories"],
            places_total=data["places_total"],
            **_service_values(data),
        )

    if submit(request, form, create, _("Service added to the directory.")):
        return redirect("web:services_mine")
    return render(request, "web/support/service_form.html", {"form": form, "service": None})


def service_edit(request: ActingRequest, pk: int) -> HttpResponse:
    service = get_service_for_manager(request.actor, pk)
    initial = {field: getattr(service, field) for field in providers.DESCRIPTION_FIELDS} | {
        "territories": list(service.territories.all())
    }
    form = ServiceForm(
        posted(request),
        organisations=manageable_organisations(request.actor),
        editing=True,
        initial=initial,
    )

    def update(**data: Any) -> None:
        providers.update_service(
            service, request.actor, territories=data["territories"], **_service_values(data)
        )

    if submit(request, form, update, _("Service updated.")):
        return redirect("web:services_mine")
    return render(request, "web/support/service_form.html", {"form": form, "service": service})


@require_POST
def service_capacity(request: ActingRequest, pk: int) -> HttpResponse:
    service = get_service_for_manager(request.actor, pk)
    submit_button(
        request,
        CapacityForm(request.POST, prefix=f"s{service.pk}"),
        partial(providers.update_capacity, service, request.actor),
        # After the update: the service holds the new figures.
        lambda _updated: (
            ngettext(
                "Capacity confirmed for %(service)s: %(free)s free place of %(total)s.",
                "Capacity confirmed for %(service)s: %(free)s free places of %(total)s.",
                service.places_free or 0,
            )
            % {"service": service.name, "free": service.places_free, "total": service.places_total}
        ),
    )
    return redirect("web:services_mine")
