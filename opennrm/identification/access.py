"""The one way the web layer reaches formal identification. Outsiders get 404; reads audited.

Who sees what:

- a platform member (an active seat, acting with the membership that holds it) sees the cases
  put to the platform of their département — the file, not the person's identity — and
  nothing of another département's platform;
- the platform's chair (capability ``chair_platform`` in an organisation covering the
  département) manages its members and designates its deputy chairs;
- the judicial service a case was referred to (capability ``judicial_identification``) sees its
  judicial referrals;
- the referring organisation's field staff see the outcome of their referrals, answer the
  platform's questions, ask for reconsideration and print the documents for the person;
- the confidential procedure reference of a complaint is shown only to the judicial service and
  the referring organisation.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.audit.trail import record
from opennrm.cases.access import can_see_identity, get_case_for_member
from opennrm.cases.models import Case
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Notification, NotificationQuerySet, Territory
from opennrm.identification.actions import ensure_platform
from opennrm.identification.models import (
    IdentificationDecision,
    InformationRequest,
    Platform,
    PlatformMember,
    PlatformMemberQuerySet,
    Referral,
    ReferralQuerySet,
    Route,
)
from opennrm.profiles.capabilities import Capability

REFERRER_CAPABILITIES = (Capability.REPORT, Capability.TRIAGE)


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


def _require(actor: Actor, capability: Capability) -> Membership:
    membership = _membership(actor)
    if membership is None or not membership.can(capability):
        raise Http404
    return membership


def _is_referrer_staff(membership: Membership | None) -> bool:
    return membership is not None and any(membership.can(c) for c in REFERRER_CAPABILITIES)


# Platforms -------------------------------------------------------------------------------


def member_seats(actor: Actor) -> PlatformMemberQuerySet:
    """The acting membership's active seats (normally one: its département's platform)."""
    membership = _membership(actor)
    if membership is None or not membership.can(Capability.SIT_ON_PLATFORM):
        return PlatformMember.objects.none()
    return PlatformMember.objects.active().filter(membership=membership)


def can_use_platform_workspace(actor: Actor) -> bool:
    membership = _membership(actor)
    return membership is not None and membership.can(Capability.SIT_ON_PLATFORM)


def platform_referrals(actor: Actor) -> ReferralQuerySet:
    """Platform referrals of the départements where the user sits (404 without the role)."""
    if not can_use_platform_workspace(actor):
        raise Http404
    territories = member_seats(actor).values("platform__territory_id")
    return Referral.objects.in_force().filter(route=Route.PLATFORM, case__territory__in=territories)


def _pending_platform_referrals(actor: Actor) -> ReferralQuerySet:
    """`platform_referrals` for the deadline lists, which hold pending referrals only: selected
    on the referral's own département (that of its case while it is pending), without reading
    the cases."""
    # Read first (a few rows): a subquery would hide the départements from the planner, which
    # then reads every pending referral of the country.
    territories = list(member_seats(actor).values_list("platform__territory_id", flat=True))
    return Referral.objects.in_force().filter(route=Route.PLATFORM, territory__in=territories)


def get_platform_referral(actor: Actor, pk: int) -> tuple[Referral, PlatformMember]:
    """A case before the user's platform, with the user's seat; 404 otherwise. Audited."""
    referral = (
        platform_referrals(actor)
        .select_related("case", "case__territory", "target", "referring_organisation")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    seat = (
        member_seats(actor)
        .select_related("platform", "membership__organisation", "membership__user")
        .filter(platform__territory_id=referral.case.territory_id)
        .first()
    )
    if seat is None:  # pragma: no cover - platform_referrals already filtered on the seats
        raise Http404
    record(
        "platform.file_read",
        target=referral,
        actor=actor,
        details={"case": referral.case_id, "member": seat.pk},
    )
    return referral, seat


def chaired_territories(actor: Actor) -> QuerySet[Territory]:
    """Départements whose platform the acting membership chairs."""
    membership = _membership(actor)
    if membership is None or not membership.can(Capability.CHAIR_PLATFORM):
        return Territory.objects.none()
    return (
        Territory.objects.local_units()
        .filter(
            Q(pk__in=membership.organisation.territories.values("pk"))
            | Q(parent__in=membership.organisation.territories.values("pk"))
        )
        .order_by("code")
    )


def get_platform_for_chair(actor: Actor, territory_code: str | None = None) -> Platform:
    """The platform the user chairs (one of them, by département code); 404 otherwise."""
    territories = chaired_territories(actor)
    if territory_code:
        territories = territories.filter(code=territory_code)
    territory = territories.first()
    if territory is None:
        raise Http404
    return ensure_platform(territory)


def pending_cases_for_chair(actor: Actor, platform: Platform) -> ReferralQuerySet:
    """Cases pending before a platform the user chairs (references only: for the members
    page, which says which of them nobody can chair); 404 for anyone else."""
    if not chaired_territories(actor).filter(pk=platform.territory_id).exists():
        raise Http404
    return (
        Referral.objects.in_force()
        .pending()
        .filter(route=Route.PLATFORM, case__territory_id=platform.territory_id)
        .select_related("case")
        .order_by("decision_due", "pk")
    )


def get_member_for_chair(actor: Actor, pk: int) -> PlatformMember:
    member = (
        PlatformMember.objects.filter(
            pk=pk, removed_at__isnull=True, platform__territory__in=chaired_territories(actor)
        )
        .select_related("platform", "platform__territory", "membership__user")
        .first()
    )
    if member is None:
        raise Http404
    return member


# Judicial route --------------------------------------------------------------------------


def judicial_referrals(actor: Actor) -> ReferralQuerySet:
    """Judicial referrals received by the user's service (404 without the capability)."""
    membership = _require(actor, Capability.JUDICIAL_IDENTIFICATION)
    return Referral.objects.in_force().filter(route=Route.JUDICIAL, target=membership.organisation)


def get_judicial_referral(actor: Actor, pk: int) -> Referral:
    referral = (
        judicial_referrals(actor)
        .select_related("case", "case__territory", "target", "referring_organisation")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    record(
        "judicial.referral_read",
        target=referral,
        actor=actor,
        details={"case": referral.case_id},
    )
    return referral


def can_see_procedure_reference(actor: Actor, referral: Referral) -> bool:
    """The judicial service that received the case, and the referring organisation's staff."""
    membership = _membership(actor)
    if membership is None or referral.route != Route.JUDICIAL:
        return False
    if membership.organisation_id == referral.target_id:
        return membership.can(Capability.JUDICIAL_IDENTIFICATION)
    if membership.organisation_id == referral.referring_organisation_id:
        return _is_referrer_staff(membership)
    return False


# The referring organisation -------------------------------------------------------------


def referrals_made(actor: Actor) -> ReferralQuerySet:
    membership = _membership(actor)
    if not _is_referrer_staff(membership):
        raise Http404
    assert membership is not None  # noqa: S101 (checked above)
    return Referral.objects.filter(referring_organisation=membership.organisation)


def get_case_for_referrer(actor: Actor, reference: str) -> Case:
    """A case the user's organisation referred to formal identification; 404 otherwise."""
    membership = _membership(actor)
    if not _is_referrer_staff(membership):
        raise Http404
    assert membership is not None  # noqa: S101 (checked above)
    case = get_case_for_member(actor, reference)  # audited read, 404 if not visible
    if not (
        case.owner_id == membership.organisation_id
        or case.referrals.filter(referring_organisation=membership.organisation).exists()
    ):
        raise Http404
    return case


def get_question_for_referrer(actor: Actor, pk: int) -> InformationRequest:
    info = (
        InformationRequest.objects.filter(pk=pk, referral__in=referrals_made(actor))
        .select_related("referral", "referral__case", "referral__case__territory")
        .first()
    )
    if info is None:
        raise Http404
    record(
        "platform.question_read",
        target=info.referral,
        actor=actor,
        details={"case": info.referral.case_id, "question": info.pk},
    )
    return info


def get_decision_for_referrer(actor: Actor, pk: int) -> IdentificationDecision:
    decision = (
        IdentificationDecision.objects.filter(pk=pk, referral__in=referrals_made(actor))
        .select_related("case", "case__territory", "case__person", "referral", "organisation")
        .first()
    )
    if decision is None:
        raise Http404
    record(
        "identification.decision_read",
        target=decision,
        actor=actor,
        details={"case": decision.case_id},
    )
    return decision


def can_print_for_person(actor: Actor, case: Case) -> bool:
    """Documents addressed to the person name them: for those who may see the identity."""
    return can_see_identity(actor, case)


# Deadlines and notifications --------------------------------------------------------------


@dataclass
class DeadlineScope:
    """Which deadline lists the user gets."""

    platform: ReferralQuerySet | None = None  # cases before the user's platform(s)
    coordination: ReferralQuerySet | None = None  # platform cases of the coordinator's units
    coordination_all: ReferralQuerySet | None = None  # both routes there: for counts only
    judicial: ReferralQuerySet | None = None  # referrals received by the judicial service
    national: bool = False  # counts per département only
    territories: list[Territory] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        lists = (self.platform, self.coordination, self.judicial)
        return all(item is None for item in lists) and not self.national


def deadline_scope(actor: Actor) -> DeadlineScope:
    """The deadline lists of the acting membership; 404 for a role that decides nothing."""
    membership = _membership(actor)
    if membership is None:
        raise Http404
    scope = DeadlineScope()
    if membership.can(Capability.SIT_ON_PLATFORM):
        scope.platform = _pending_platform_referrals(actor)
    if membership.can(Capability.TRIAGE) or membership.can(Capability.CHAIR_PLATFORM):
        units = Territory.objects.local_units().filter(
            Q(pk__in=membership.organisation.territories.values("pk"))
            | Q(parent__in=membership.organisation.territories.values("pk"))
        )
        scope.territories = list(units.order_by("code"))
        # Pending referrals only are listed or counted from here: see Referral.territory.
        scope.coordination_all = Referral.objects.filter(territory__in=scope.territories)
        scope.coordination = scope.coordination_all.filter(route=Route.PLATFORM)
    if membership.can(Capability.JUDICIAL_IDENTIFICATION):
        scope.judicial = judicial_referrals(actor)
    if membership.can(Capability.NATIONAL_OVERSIGHT):
        scope.national = True
    if scope.empty:
        raise Http404
    return scope


def my_notifications(actor: Actor) -> NotificationQuerySet:
    if not actor.is_authenticated:
        raise Http404
    return Notification.objects.filter(recipient_id=actor.user_id)
