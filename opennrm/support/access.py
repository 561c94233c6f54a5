"""The one way the web layer reaches the support step's records. Outsiders get 404.

- The responsible organisation's field staff (capability `report`) reach the support plan,
  residence, non-punishment, compensation and closure of their cases.
- A provider (capability `provide_services`) reaches only the orientations sent to its
  organisation, and only while its access to the case for orientations stands: withdrawing
  the person's consent revokes it, and the orientation is then "not found" at once.
- Organisation administrators and providers manage their own services; the national
  coordinator (capability `manage_directory`) manages every service.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from opennrm.audit.trail import record
from opennrm.cases.access import get_case_for_owner
from opennrm.cases.enums import ShareReason
from opennrm.cases.models import Case, CaseShare, SafeContact
from opennrm.cases.safe_contact import SafeContactNotice
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Organisation, Territory
from opennrm.profiles.capabilities import Capability
from opennrm.support.models import (
    CompensationClaim,
    NonPunishmentRecord,
    Orientation,
    OrientationQuerySet,
    OrientationStatus,
    ResidenceApplication,
    Service,
    ServiceQuerySet,
)

# What a provider sees: never a proposal the person has not agreed to.
SEEN_BY_PROVIDER = (
    OrientationStatus.SENT,
    OrientationStatus.ACCEPTED,
    OrientationStatus.DECLINED,
    OrientationStatus.IN_PROGRESS,
    OrientationStatus.COMPLETED,
    OrientationStatus.CANCELLED,
)


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


# Cases -----------------------------------------------------------------------------------


def get_case_for_support(actor: Actor, reference: str) -> Case:
    """A case of the user's organisation, for its field staff; 404 for anyone else."""
    case = get_case_for_owner(actor, reference)
    membership = _membership(actor)
    if membership is None or not membership.can(Capability.REPORT):
        raise Http404
    return case


def get_orientation_for_owner(actor: Actor, case: Case, pk: int) -> Orientation:
    orientation = (
        Orientation.objects.filter(case=case, pk=pk)
        .select_related("need", "service", "provider", "responsible", "consent", "case")
        .first()
    )
    if orientation is None:
        raise Http404
    return orientation


def get_residence_application(actor: Actor, case: Case, pk: int) -> ResidenceApplication:
    application = (
        ResidenceApplication.objects.filter(case=case, pk=pk)
        .select_related("prefecture", "case", "renewal_of")
        .first()
    )
    if application is None:
        raise Http404
    record("residence.read", target=application, actor=actor, details={"case": case.pk})
    return application


def get_non_punishment_record(actor: Actor, case: Case, pk: int) -> NonPunishmentRecord:
    entry = (
        NonPunishmentRecord.objects.filter(case=case, pk=pk)
        .select_related("prosecutor", "case")
        .first()
    )
    if entry is None:
        raise Http404
    record("non_punishment.read", target=entry, actor=actor, details={"case": case.pk})
    return entry


def get_compensation_claim(actor: Actor, case: Case, pk: int) -> CompensationClaim:
    claim = CompensationClaim.objects.filter(case=case, pk=pk).select_related("case").first()
    if claim is None:
        raise Http404
    record("compensation.read", target=claim, actor=actor, details={"case": case.pk})
    return claim


# Providers -------------------------------------------------------------------------------


def _provider_membership(actor: Actor) -> Membership:
    membership = _membership(actor)
    if membership is None or not membership.can(Capability.PROVIDE_SERVICES):
        raise Http404
    return membership


def provider_orientations(actor: Actor) -> OrientationQuerySet:
    """Orientations sent to the user's organisation, while it has access to the case."""
    membership = _provider_membership(actor)
    access = CaseShare.objects.filter(
        case=OuterRef("case"),
        organisation=membership.organisation,
        reason=ShareReason.ORIENTATION,
        revoked_at__isnull=True,
    )
    return (
        Orientation.objects.filter(provider=membership.organisation, status__in=SEEN_BY_PROVIDER)
        .filter(Exists(access))
        .select_related("case", "case__person", "need", "service", "responsible")
    )


def get_orientation_for_provider(actor: Actor, pk: int) -> Orientation:
    """One orientation sent to the user's organisation; 404 once consent is withdrawn."""
    orientation = provider_orientations(actor).filter(pk=pk).first()
    if orientation is None:
        raise Http404
    record(
        "orientation.read",
        target=orientation,
        actor=actor,
        details={"case": orientation.case_id},
    )
    return orientation


def safe_contact_for_provider(actor: Actor, orientation: Orientation) -> SafeContactNotice | None:
    """How to reach the person safely, for the provider of an orientation it may read
    (`get_orientation_for_provider`): the precautions, the language, the safe times and the
    organisation to go through; the telephone and the address only when the orientation
    needs the person's identity. None while nothing is recorded. Audited."""
    membership = _provider_membership(actor)
    if orientation.provider_id != membership.organisation_id:
        raise Http404
    contact = (
        SafeContact.objects.filter(case_id=orientation.case_id)
        .select_related("contact_organisation", "organisation")
        .first()
    )
    if contact is None:
        return None
    record(
        "safe_contact.read",
        target=contact,
        actor=actor,
        details={
            "case": orientation.case_id,
            "via": "orientation",
            "orientation": orientation.pk,
            "coordinates": orientation.identity_needed,
        },
    )
    return SafeContactNotice.of(contact, coordinates=orientation.identity_needed)


# Services --------------------------------------------------------------------------------


def directory_services(actor: Actor) -> ServiceQuerySet:
    """Every active service, for any signed-in member (no personal data in it)."""
    if _membership(actor) is None:
        raise Http404
    return Service.objects.active().select_related("organisation")


def can_manage_all_services(actor: Actor) -> bool:
    membership = _membership(actor)
    return membership is not None and membership.can(Capability.MANAGE_DIRECTORY)


def can_manage_own_services(actor: Actor) -> bool:
    membership = _membership(actor)
    return membership is not None and (
        membership.can(Capability.ADMINISTER_ORGANISATION)
        or membership.can(Capability.PROVIDE_SERVICES)
    )


def manageable_organisations(actor: Actor) -> QuerySet[Organisation]:
    """Organisations whose services the user may create or edit."""
    membership = _membership(actor)
    if membership is None:
        return Organisation.objects.none()
    if can_manage_all_services(actor):
        return Organisation.objects.all().order_by("name")
    if can_manage_own_services(actor):
        return Organisation.objects.filter(pk=membership.organisation_id)
    return Organisation.objects.none()


def managed_services(actor: Actor) -> ServiceQuerySet:
    """The services of the user's organisation (all of them for the national coordinator)."""
    membership = _membership(actor)
    if membership is None or not (can_manage_own_services(actor) or can_manage_all_services(actor)):
        raise Http404
    services = Service.objects.select_related("organisation", "capacity_updated_by")
    return services.filter(organisation=membership.organisation)


def get_service_for_manager(actor: Actor, pk: int) -> Service:
    """A service the user may edit and keep current; 404 otherwise."""
    organisations = manageable_organisations(actor)
    service = (
        Service.objects.filter(pk=pk, organisation__in=organisations)
        .select_related("organisation")
        .first()
    )
    if service is None:
        raise Http404
    return service


# Monitoring ------------------------------------------------------------------------------


def monitoring_territories(actor: Actor) -> QuerySet[Territory] | None:
    """Territories whose residence outcomes the user may see: None for the whole country
    (national oversight), the organisation's départements for a local coordinator; 404
    otherwise. Counts only."""
    membership = _membership(actor)
    if membership is None:
        raise Http404
    if membership.can(Capability.NATIONAL_OVERSIGHT):
        return None
    if membership.can(Capability.TRIAGE):
        return membership.organisation.territories.all()
    raise Http404
