"""The directory of services: providers describe their services and keep their capacity current.

Capacity is the provider's own count; placements made through OpenNRM change it atomically
(see support.accommodation). A capacity nobody confirmed for STALE_CAPACITY_DAYS is flagged.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.models import TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory
from opennrm.support.actors import acting
from opennrm.support.models import Service, ServiceType

# What a provider describes (capacity apart: see update_capacity).
DESCRIPTION_FIELDS = (
    "name",
    "service_type",
    "description",
    "national",
    "accepts_adults",
    "accepts_children",
    "accepts_families",
    "gender_policy",
    "languages",
    "specialised",
    "secure",
    "distancing_network",
    "trained_staff",
    "active",
)


def _check_territories(
    national: bool, territories: "QuerySet[Territory] | list[Territory]"
) -> None:
    if not national and not list(territories):
        raise TransitionError(_("Say which territories the service serves."))


def create_service(
    actor: Actor,
    *,
    organisation: Organisation,
    territories: "QuerySet[Territory] | list[Territory]",
    **values: Any,
) -> Service:
    """A new service of `organisation` in the directory (the view checked who may)."""
    user, _membership = acting(actor)
    _check_territories(bool(values.get("national")), territories)
    with transaction.atomic():
        service = Service(organisation=organisation, **values)
        if service.is_accommodation:
            if service.places_free is None:
                service.places_free = service.places_total
            service.capacity_updated_at = timezone.now()
            service.capacity_updated_by = user
        else:
            service.places_total = service.places_free = None
        service.full_clean()
        service.save()
        service.territories.set(territories)
        record(
            "service.create",
            target=service,
            actor=actor,
            details={"organisation": organisation.pk, "service_type": service.service_type},
        )
    return service


def update_service(
    service: Service,
    actor: Actor,
    *,
    territories: "QuerySet[Territory] | list[Territory]",
    **values: Any,
) -> Service:
    """Change how a service describes itself. Capacity is changed by update_capacity."""
    acting(actor)
    unknown = set(values) - set(DESCRIPTION_FIELDS)
    if unknown:
        raise TransitionError(_("These fields are not part of a service's description."))
    _check_territories(bool(values.get("national", service.national)), territories)
    with transaction.atomic():
        current = Service.objects.select_for_update(of=("self",)).get(pk=service.pk)
        changed = sorted(
            field for field, value in values.items() if getattr(current, field) != value
        )
        for field, value in values.items():
            setattr(current, field, value)
        if current.service_type != ServiceType.ACCOMMODATION:
            current.places_total = current.places_free = None
        elif current.places_total is None:
            raise TransitionError(_("Give the number of places on the capacity form."))
        current.full_clean()
        current.save()
        current.territories.set(territories)
        record(
            "service.update",
            target=current,
            actor=actor,
            details={"changed": changed},
        )
    service.refresh_from_db()
    return service


def update_capacity(
    service: Service, actor: Actor, *, places_total: int, places_free: int
) -> Service:
    """The provider's count of its places: confirmed today, even when unchanged."""
    user, _membership = acting(actor)
    if not service.is_accommodation:
        raise TransitionError(_("Only accommodation has places."))
    if places_total < 0 or places_free < 0:
        raise TransitionError(_("A number of places cannot be negative."))
    if places_free > places_total:
        raise TransitionError(_("There cannot be more free places than places."))
    with transaction.atomic():
        # The row lock comes first, the audit (a global lock) after: placements do the same.
        current = Service.objects.select_for_update(of=("self",)).get(pk=service.pk)
        now = timezone.now()
        Service.objects.filter(pk=service.pk).update(
            places_total=places_total,
            places_free=places_free,
            capacity_updated_at=now,
            capacity_updated_by=user,
        )
        record(
            "service.capacity",
            target=current,
            actor=actor,
            details={
                "places_total": places_total,
                "places_free": places_free,
                "before": [current.places_total, current.places_free],
            },
        )
    service.refresh_from_db()
    return service
