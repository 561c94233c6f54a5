"""The public face of formal identification for the other steps: referrals, and the status's
entitlements (a function of status, age group and profile only, never of the route)."""

from collections.abc import Collection

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from opennrm.audit.trail import record
from opennrm.cases.enums import FileItem, ShareReason, all_file_items
from opennrm.cases.models import Case, CaseEvent, Consent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.core.timeframes import due_date
from opennrm.identification.entitlements import age_group_of, case_entitlements, entitlements
from opennrm.identification.models import PlatformMember, Referral, ReferralStatus, Route
from opennrm.identification.notifications import notify_new_referral
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

__all__ = [
    "age_group_of",
    "case_entitlements",
    "eligible_targets",
    "entitlements",
    "reads_referred_file",
    "refer",
]


def route_kinds(route: str) -> tuple[str, ...]:
    """The organisation types that receive referrals by this route, from the profile: those
    whose staff may identify on the judicial route (France: police, gendarmerie, labour
    inspection), or whose staff may chair the platform (France: the local coordination)."""
    capability = (
        Capability.JUDICIAL_IDENTIFICATION if route == Route.JUDICIAL else Capability.CHAIR_PLATFORM
    )
    profile = active_profile()
    kinds: list[str] = []
    for role in profile.roles:
        if capability in role.capabilities and role.organisation_types:
            kinds.extend(code for code in role.organisation_types if code not in kinds)
    return tuple(kinds)


def eligible_targets(case: Case, route: str) -> QuerySet[Organisation]:
    """Who may receive a referral by this route: bodies of the case's département."""
    kinds = route_kinds(route)
    return Organisation.objects.filter(kind__in=kinds, territories=case.territory).order_by("name")


def refer(
    case: Case,
    *,
    route: str,
    target: Organisation,
    consent: Consent | None,
    actor: Actor,
    items: Collection[str] | None = None,
    withheld_evidence: Collection[int] = (),
) -> Referral:
    """Send the case to formal identification. The file goes with it: no retelling. `items`
    are the parts of the file beyond the preliminary assessment the person agreed to share
    (`FileItem` codes; all of them when not said)."""
    from django.utils.translation import gettext as _

    shared = all_file_items() if items is None else [c for c in FileItem.values if c in items]
    if items is not None and set(items) - set(FileItem.values):
        raise TransitionError(_("Unknown part of the file."))

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
            territory_id=case.territory_id,
            route=route,
            target=target,
            consent=consent,
            referred_by=actor.signed_in_user(),
            referring_organisation=actor.organisation_acted_for(),
            decision_due=due_date(step, timezone.localdate(), case.territory),
            file_items=shared,
            withheld_evidence=sorted(set(withheld_evidence)),
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
            details={"case": case.pk, "route": route, "parts": shared},
        )
        notify_new_referral(referral)
    return referral


def reads_referred_file(actor: Actor, case: Case) -> bool:
    """Whether the acting membership decides on a referral of the case in force: a seat on
    the platform of the case's département (platform route), or the judicial service the case
    was referred to. A referral resting on a withdrawn consent is not in force. One query."""
    return _deciding(actor, case).exists()


def parts_read(actor: Actor, case: Case) -> tuple[frozenset[str], frozenset[int]]:
    """What of the case's file the acting membership reads through the referrals in force it
    decides on: the parts (FileItem codes) of any of them, and the documents withheld from all
    of them. Nothing for anyone else. One query."""
    parts: set[str] = set()
    withheld: set[int] | None = None
    for items, ids in _deciding(actor, case).values_list("file_items", "withheld_evidence"):
        parts.update(items or [])
        withheld = set(ids or []) if withheld is None else withheld & set(ids or [])
    return frozenset(parts), frozenset(withheld or ())


def _deciding(actor: Actor, case: Case) -> QuerySet[Referral]:
    membership = actor.membership
    if membership is None:
        return Referral.objects.none()
    deciding = Q(pk__in=[])
    if membership.can(Capability.JUDICIAL_IDENTIFICATION):
        deciding |= Q(route=Route.JUDICIAL, target_id=membership.organisation_id)
    if membership.can(Capability.SIT_ON_PLATFORM):
        seats = PlatformMember.objects.active().filter(membership=membership)
        deciding |= Q(
            route=Route.PLATFORM, case__territory_id__in=seats.values("platform__territory_id")
        )
    return Referral.objects.in_force().filter(deciding, case_id=case.pk)


def recipients_in_force(case: Case, item: str) -> list[Referral]:
    """The referrals in force of the case whose file includes this part."""
    return [
        referral
        for referral in Referral.objects.in_force().filter(case_id=case.pk).select_related("target")
        if item in (referral.file_items or [])
    ]


class _FileUpdates:
    """Tells the readers of a referred file that a part of it they receive changed."""

    def file_changed(self, case: Case, item: str, actor: Actor) -> None:
        from opennrm.identification.notifications import notify_file_updated

        for referral in recipients_in_force(case, item):
            notify_file_updated(referral, item)


FILE_UPDATES = _FileUpdates()
