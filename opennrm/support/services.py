"""The public face of the support package for the other steps of the mechanism."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases import hooks
from opennrm.cases.enums import FileItem
from opennrm.cases.models import Case, CaseEvent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import User
from opennrm.core.timeframes import add_days
from opennrm.profiles.loader import active_profile
from opennrm.support.models import ImmediateNeeds, ReflectionPeriod, SupportRecord


def open_protection(case: Case, *, actor: Actor) -> SupportRecord:
    """Protection starts at presumed victim: support record and reflection period, at once."""
    profile = active_profile()
    today = timezone.localdate()
    with transaction.atomic():
        support, created = SupportRecord.objects.get_or_create(
            case=case, defaults={"opened_on": today, "opened_by": actor.signed_in_user()}
        )
        if not case.reflection_periods.exists():
            basis = next((b for b in profile.legal_bases if b.code == "reflection_period"), None)
            period = ReflectionPeriod.objects.create(
                case=case,
                starts_on=today,
                ends_on=add_days(today, profile.reflection_period_days, "calendar"),
                legal_basis=basis.reference if basis else "",
            )
            CaseEvent.log(
                case,
                "protection.reflection_period",
                actor=actor,
                details={"ends_on": period.ends_on.isoformat()},
            )
        if created:
            CaseEvent.log(case, "support.opened", actor=actor)
            record("support.open", target=support, actor=actor, details={"case": case.pk})
    return support


def record_immediate_needs(case: Case, *, actor: Actor, **values: Any) -> ImmediateNeeds:
    """What the person needs at once. Never conditional on cooperation, residence or status."""
    membership = actor.membership
    user = actor.user
    if membership is None or not isinstance(user, User):
        raise TransitionError(_("You act for no organisation."))
    with transaction.atomic():
        needs = ImmediateNeeds(
            case=case, recorded_by=user, organisation=membership.organisation, **values
        )
        needs.full_clean()
        needs.save()
        CaseEvent.log(
            case,
            "protection.immediate_needs",
            actor=actor,
            details={"urgency": needs.urgency, "safety_risk": needs.safety_risk},
        )
        record(
            "immediate_needs.record",
            target=needs,
            actor=actor,
            details={"case": case.pk, "urgency": needs.urgency},
        )
        hooks.file_changed(case, FileItem.NEEDS, actor)
    return needs
