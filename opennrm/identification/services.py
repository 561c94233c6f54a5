"""The public face of formal identification for the other steps: referrals, and the status's
entitlements (a function of status, age group and profile only, never of the route)."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from opennrm.audit.trail import record
from opennrm.cases.enums import ShareReason
from opennrm.cases.models import Case, CaseEvent, Consent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.core.timeframes import due_date
from opennrm.identification.entitlements import age_group_of, case_entitlements, entitlements
from opennrm.identification.models import PlatformMember, Referral, ReferralStatus, Route
from opennrm.identification.notifications import notify_new_referral
from opennrm.profiles.capabilities import Capability

__all__ = [
    "age_group_of",
    "case_entitlements",
    "eligible_targets",
    "entitlements",
    "reads_referred_file",
    "refer",
]

JUDICIAL_KINDS = ("police", "gendarmerie", "labour_inspection")
PLATFORM_KINDS = ("local_coordination",)


def eligible_targets(case: Case, route: str) -> QuerySet[Organisation]:
    """Who may receive a referral by this route: bodies of the case's département."""
    kinds = JUDICIAL_KINDS if route == Route.JUDICIAL else PLATFORM_KINDS
    return Organisation.objects.filter(kind__in=kinds, territories=case.territory).order_by("name")


def refer(
    case: Case,
    *,
    route: str,
    target: Organisation,
    consent: Consent | None,
    actor: Actor,
) -> Referral:
    """Send the case to formal identification. The file goes with it: no retelling."""
    from django.utils.translation import gettext as _

    if not case.is_presumed_or_identified:
        raise TransitionError(_("Only a presumed victim can be referred to formal identification."))
    if not eligible_targets(case, route).filter(pk=target.pk).exists():
        raise TransitionError(_("This organisation cannot receive referrals by this route here."))
    if not case.child and consent is None:
        raise TransitionError(_("An adult is referred only with their recorded consent."))
    if case.referrals.exclude(status=ReferralStatus.WITHDRAWN).filter(route=route).exists():
        raise TransitionError(_("The case was already referred by this route."))
    step = "judicial_decision" if route == Route.JUDICIAL else "platform_decision"
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            route=route,
            target=target,
            consent=consent,
            referred_by=actor.signed_in_user(),
            referring_organisation=actor.organisation_acted_for(),
            decision_due=due_date(step, timezone.localdate(), case.territory),
        )
        # The judicial route needs the identity (complaint, testimony); the platform does not.
        case.share_with(
            target,
            ShareReason.REFERRAL,
            actor=actor,
            consent=consent,
            identity=route == Route.JUDICIAL,
        )
        CaseEvent.log(
            case,
            f"referral.{route}",
            actor=actor,
            details={"referral": referral.pk, "target": target.pk},
        )
        record(
            "referral.create",
            target=referral,
            actor=actor,
            details={"case": case.pk, "route": route},
        )
        notify_new_referral(referral)
    return referral


def reads_referred_file(actor: Actor, case: Case) -> bool:
    """Whether the acting membership decides on a referral of the case in force: a seat on
    the platform of the case's département (platform route), or the judicial service the case
    was referred to. A referral resting on a withdrawn consent is not in force. One query."""
    membership = actor.membership
    if membership is None:
        return False
    deciding = Q(pk__in=[])
    if membership.can(Capability.JUDICIAL_IDENTIFICATION):
        deciding |= Q(route=Route.JUDICIAL, target_id=membership.organisation_id)
    if membership.can(Capability.SIT_ON_PLATFORM):
        seats = PlatformMember.objects.active().filter(membership=membership)
        deciding |= Q(
            route=Route.PLATFORM, case__territory_id__in=seats.values("platform__territory_id")
        )
    return Referral.objects.in_force().filter(deciding, case_id=case.pk).exists()
