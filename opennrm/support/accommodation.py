"""Accommodation matched to the person's situation and choices, and places taken atomically.

CNCDH recommendations 19–21: accommodation is never conditioned by legal residence or by
cooperation with the authorities, and cannot wait for formal identification. The matching
therefore takes no such input at all: `Situation` and `Preferences` below are everything it
knows. Adults and children are not accommodated together, except parents with their children.
The person chooses between distance from the place of exploitation and familiar surroundings.

A placement takes its places with one conditional UPDATE (`… WHERE places_free >= n`): two
placements at the same moment cannot both take the last place, and the database's check
constraint refuses a negative count anyway.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.cases.enums import ConsentScope, Sex
from opennrm.cases.models import Case, TransitionError
from opennrm.core.models import Territory
from opennrm.support.models import (
    GenderPolicy,
    ImmediateNeeds,
    Orientation,
    Placement,
    SafetyRisk,
    Service,
    ServiceType,
)


class Location:
    """Where the person wants to live, relative to the place of exploitation."""

    EITHER = "either"
    DISTANCE = "distance"
    FAMILIAR = "familiar"
    choices = (
        (EITHER, gettext_lazy("No preference")),
        (DISTANCE, gettext_lazy("Away from the place of exploitation")),
        (FAMILIAR, gettext_lazy("In familiar surroundings, near the place of exploitation")),
    )


class Setting:
    """A facility for victims of trafficking only, or a general one."""

    EITHER = "either"
    SPECIALISED = "specialised"
    GENERAL = "general"
    choices = (
        (EITHER, gettext_lazy("No preference")),
        (SPECIALISED, gettext_lazy("Specialised in victims of trafficking")),
        (GENERAL, gettext_lazy("General or multipurpose")),
    )


@dataclass(frozen=True)
class Situation:
    """What the matching knows of the person. Deliberately nothing about residence rights,
    cooperation with the authorities or identification status."""

    child: bool
    accompanying_children: int = 0
    sex: str = Sex.UNKNOWN
    area: Territory | None = None  # the place of exploitation (the case's département)
    safety_risk: str = SafetyRisk.LOW


@dataclass(frozen=True)
class Preferences:
    """What the person chose, with their consent."""

    location: str = Location.EITHER
    setting: str = Setting.EITHER
    secure: bool = False


@dataclass
class Candidate:
    service: Service
    score: int
    reasons: list[str] = field(default_factory=list)
    stale: bool = False
    consented: bool = False
    local: bool = False


def latest_needs(case: Case) -> ImmediateNeeds | None:
    return ImmediateNeeds.objects.filter(case=case).order_by("-recorded_at", "-pk").first()


def situation_of(
    case: Case, *, accompanying_children: int | None = None, area: Territory | None = None
) -> Situation:
    """The person's situation from the case and the latest immediate needs assessment."""
    needs = latest_needs(case)
    if accompanying_children is None:
        accompanying_children = needs.accompanying_children if needs is not None else 0
    return Situation(
        child=case.child,
        accompanying_children=accompanying_children,
        sex=case.person.sex,
        area=area or case.territory,
        safety_risk=needs.safety_risk if needs is not None else SafetyRisk.LOW,
    )


def places_needed(situation: Situation) -> int:
    return 1 + situation.accompanying_children


def _genders(sex: str) -> list[str]:
    if sex == Sex.FEMALE:
        return [GenderPolicy.ANY, GenderPolicy.WOMEN]
    if sex == Sex.MALE:
        return [GenderPolicy.ANY, GenderPolicy.MEN]
    return [GenderPolicy.ANY]


def audience_filter(situation: Situation) -> Q:
    """Facilities that may take this person: children only with children, adults only in
    facilities that take no unaccompanied child, parents with their children only where
    families are taken."""
    if situation.child:
        audience = Q(accepts_children=True, accepts_adults=False, accepts_families=False)
    elif situation.accompanying_children:
        audience = Q(accepts_families=True, accepts_children=False)
    else:
        audience = Q(accepts_adults=True, accepts_children=False)
    return audience & Q(gender_policy__in=_genders(situation.sex))


def accepts(service: Service, situation: Situation) -> bool:
    """The same rule as `audience_filter`, for one service (checked again at placement)."""
    return (
        Service.objects.filter(pk=service.pk).filter(audience_filter(situation)).exists()
        and service.service_type == ServiceType.ACCOMMODATION
    )


def _location_filter(situation: Situation, preferences: Preferences) -> Q:
    area = situation.area
    if area is None or preferences.location == Location.EITHER:
        return Q()
    if preferences.location == Location.DISTANCE:
        # The national distancing network, or a facility outside the area of exploitation.
        return Q(distancing_network=True) | ~Q(
            pk__in=Service.objects.filter(territories=area).values("pk")
        )
    return Q(territories=area, distancing_network=False)


def _setting_filter(preferences: Preferences) -> Q:
    if preferences.setting == Setting.SPECIALISED:
        return Q(specialised=True)
    if preferences.setting == Setting.GENERAL:
        return Q(specialised=False)
    return Q()


def candidates(
    situation: Situation,
    preferences: Preferences,
    *,
    case: Case | None = None,
    exclude: tuple[int, ...] = (),
    today: datetime.date | None = None,
) -> list[Candidate]:
    """Accommodation with room that fits the person's situation and choices, best first.

    Ranked by: staff trained on trafficking, secure when the safety risk is high, capacity
    confirmed recently; then more free places; then name. `case` only tells which providers the
    person already consented to share data with (shown, not filtered)."""
    today = today or timezone.localdate()
    needed = places_needed(situation)
    services = (
        Service.objects.active()
        .of_type(ServiceType.ACCOMMODATION)
        .with_free_places(needed)
        .filter(audience_filter(situation))
        .filter(_location_filter(situation, preferences))
        .filter(_setting_filter(preferences))
        .exclude(pk__in=exclude)
        .select_related("organisation")
        .prefetch_related("territories")
        .distinct()
    )
    if preferences.secure:
        services = services.filter(secure=True)
    consented: set[int] = set()
    if case is not None and not case.child:
        consented = set(
            case.consents.filter(scope=ConsentScope.SHARE, withdrawn_at__isnull=True).values_list(
                "organisation_id", flat=True
            )
        )
    ranked = []
    for service in services:
        score, reasons = 0, []
        if service.trained_staff:
            score += 3
            reasons.append(_("Staff trained on trafficking"))
        if service.secure:
            if situation.safety_risk == SafetyRisk.HIGH:
                score += 3
            reasons.append(_("Secure"))
        if service.distancing_network:
            reasons.append(_("National distancing network"))
        if service.specialised:
            reasons.append(_("Specialised in victims of trafficking"))
        stale = service.is_capacity_stale(today)
        if stale:
            reasons.append(_("Capacity not confirmed for a week or more"))
        else:
            score += 2
        local = situation.area is not None and any(
            territory.pk == situation.area.pk for territory in service.territories.all()
        )
        ranked.append(
            Candidate(
                service=service,
                score=score,
                reasons=reasons,
                stale=stale,
                consented=service.organisation_id in consented or (case is not None and case.child),
                local=local,
            )
        )
    ranked.sort(
        key=lambda c: (-c.score, -(c.service.places_free or 0), c.service.name, c.service.pk)
    )
    return ranked


# Places ----------------------------------------------------------------------------------


def take_places(service: Service, places: int) -> None:
    """Take `places` places at once, or none: a conditional UPDATE, never read-then-write."""
    taken = Service.objects.filter(pk=service.pk, active=True, places_free__gte=places).update(
        places_free=F("places_free") - places
    )
    if not taken:
        raise TransitionError(
            _("No free place left in this accommodation: the placement was not made.")
        )


def release_places(service: Service, places: int) -> None:
    """Give the places back (never above the number of places the provider declared)."""
    Service.objects.filter(pk=service.pk, places_free__isnull=False).update(
        places_free=Least(F("places_free") + places, F("places_total"))
    )


def start_placement(orientation: Orientation, started_on: datetime.date) -> Placement:
    """Inside the caller's transaction, before any audit entry (row lock first)."""
    service = orientation.service
    situation = Situation(
        child=orientation.child,
        accompanying_children=orientation.accompanying_children,
        sex=orientation.case.person.sex,
    )
    if not accepts(service, situation):
        raise TransitionError(
            _(
                "This accommodation does not take this person: adults and children are not "
                "accommodated together, except parents with their children."
            )
        )
    take_places(service, orientation.places_needed)
    return Placement.objects.create(
        orientation=orientation,
        service=service,
        case=orientation.case,
        places=orientation.places_needed,
        started_on=started_on,
    )


def end_placement(orientation: Orientation, ended_on: datetime.date) -> Placement | None:
    """Inside the caller's transaction: the stay ends and its places are free again."""
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .filter(orientation=orientation)
        .current()
        .first()
    )
    if placement is None:
        return None
    updated = Placement.objects.filter(pk=placement.pk, ended_on__isnull=True).update(
        ended_on=ended_on
    )
    if updated:
        release_places(placement.service, placement.places)
        placement.ended_on = ended_on
    return placement
