"""The residence pathway (France: reflection period receipt, L.425-1, L.425-3, L.425-4; asylum
as a separate path): applications, outcomes with the reasons for refusal, renewals, and the
outcomes per authority for monitoring (CNCDH recommendation 22).

Support never depends on any of this: nothing in support.plans or support.accommodation reads
a residence application.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.models import Case, CaseEvent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory
from opennrm.profiles.capabilities import Capability
from opennrm.support.actors import acting_for
from opennrm.support.models import (
    ResidenceApplication,
    ResidenceOutcome,
    residence_authority_kinds,
)

RENEWAL_NOTICE_DAYS = 60  # renewal reminders start this many days before the end of validity


def prefectures(case: Case | None = None) -> QuerySet[Organisation]:
    """The residence authorities in OpenNRM: organisations of the types the profile lists in
    `support.residence_authorities` (France: prefectures). Those of the case's local unit
    only, when it has any."""
    found = Organisation.objects.filter(kind__in=residence_authority_kinds()).order_by("name")
    if case is not None:
        local = found.filter(territories=case.territory)
        if local.exists():
            return local
    return found


def apply(case: Case, *, actor: Actor, **values: Any) -> ResidenceApplication:
    """Record an application lodged with a residence authority (or the asylum authority)."""
    user = acting_for(actor, case.owner_id, Capability.REPORT)
    with transaction.atomic():
        application = ResidenceApplication(
            case=case,
            recorded_by=user,
            organisation=actor.organisation_acted_for(),
            outcome=ResidenceOutcome.PENDING,
            **values,
        )
        application.full_clean()
        application.save()
        CaseEvent.log(case, "residence.applied", actor=actor, details={"basis": application.basis})
        record(
            "residence.apply",
            target=application,
            actor=actor,
            details={"case": case.pk, "basis": application.basis},
        )
    return application


def record_receipt(
    application: ResidenceApplication, *, actor: Actor, receipt_on: datetime.date
) -> None:
    acting_for(actor, application.case.owner_id, Capability.REPORT)
    with transaction.atomic():
        current = ResidenceApplication.objects.select_for_update(of=("self",)).get(
            pk=application.pk
        )
        current.receipt_on = receipt_on
        current.full_clean()
        current.save(update_fields=["receipt_on"])
        application.receipt_on = receipt_on
        record(
            "residence.receipt",
            target=application,
            actor=actor,
            details={"case": application.case_id},
        )


def decide(
    application: ResidenceApplication,
    *,
    actor: Actor,
    outcome: str,
    decided_on: datetime.date,
    refusal_reason: str = "",
    refusal_details: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> ResidenceApplication:
    """The authority's decision, recorded once: granted (with validity), refused (with the
    reason given) or withdrawn."""
    acting_for(actor, application.case.owner_id, Capability.REPORT)
    if outcome == ResidenceOutcome.PENDING:
        raise TransitionError(_("Choose the outcome."))
    with transaction.atomic():
        current = ResidenceApplication.objects.select_for_update(of=("self",)).get(
            pk=application.pk
        )
        if current.outcome != ResidenceOutcome.PENDING:
            raise TransitionError(_("The outcome of this application is already recorded."))
        current.outcome = outcome
        current.decided_on = decided_on
        current.refusal_reason = refusal_reason if outcome == ResidenceOutcome.REFUSED else ""
        current.refusal_details = refusal_details if outcome == ResidenceOutcome.REFUSED else ""
        current.valid_from = valid_from if outcome == ResidenceOutcome.GRANTED else None
        current.valid_until = valid_until if outcome == ResidenceOutcome.GRANTED else None
        current.full_clean()
        current.save()
        CaseEvent.log(
            current.case,
            f"residence.{outcome}",
            actor=actor,
            details={"basis": current.basis},
        )
        record(
            "residence.decide",
            target=current,
            actor=actor,
            details={
                "case": current.case_id,
                "outcome": outcome,
                "refusal_reason": current.refusal_reason,
            },
        )
    application.refresh_from_db()
    return application


def renew(
    application: ResidenceApplication, *, actor: Actor, applied_on: datetime.date
) -> ResidenceApplication:
    """Apply to renew a permit granted: same basis and authority, a new application."""
    if application.outcome != ResidenceOutcome.GRANTED:
        raise TransitionError(_("Only a permit granted can be renewed."))
    if application.renewals.exists():
        raise TransitionError(_("A renewal of this permit is already recorded."))
    return apply(
        application.case,
        actor=actor,
        basis=application.basis,
        prefecture=application.prefecture,
        authority_name=application.authority_name,
        applied_on=applied_on,
        renewal_of=application,
    )


def outcomes_by_authority(
    *,
    territories: "QuerySet[Territory] | None" = None,
    since: datetime.date | None = None,
    by_territory: bool = False,
) -> list[dict[str, Any]]:
    """Counts per authority (in OpenNRM or named in words), legal basis and outcome, for
    monitoring; with `by_territory`, per département of the case too (key "territory").
    Counts only: no case, no person."""
    applications = ResidenceApplication.objects.all()
    if territories is not None:
        applications = applications.filter(case__territory__in=territories)
    if since is not None:
        applications = applications.filter(applied_on__gte=since)
    keys = ["prefecture", "prefecture__name", "authority_name", "basis", "outcome"]
    if by_territory:
        keys.append("case__territory")
    rows = (
        applications.values(*keys)
        .annotate(count=Count("pk"))
        .order_by("prefecture__name", "authority_name", "basis", "outcome")
    )
    return [
        {
            "prefecture": row["prefecture"],
            "authority": row["prefecture__name"] or row["authority_name"],
            "basis": row["basis"],
            "outcome": row["outcome"],
            "count": row["count"],
            **({"territory": row["case__territory"]} if by_territory else {}),
        }
        for row in rows
    ]


def refusal_reasons_by_authority(
    *, territories: "QuerySet[Territory] | None" = None, by_territory: bool = False
) -> list[dict[str, Any]]:
    """Reasons given for refusals, per authority: where practices differ (CNCDH rec. 22); with
    `by_territory`, per département of the case too (key "territory")."""
    applications = ResidenceApplication.objects.filter(outcome=ResidenceOutcome.REFUSED)
    if territories is not None:
        applications = applications.filter(case__territory__in=territories)
    keys = ["prefecture__name", "authority_name", "refusal_reason"]
    if by_territory:
        keys.append("case__territory")
    rows = (
        applications.values(*keys)
        .annotate(count=Count("pk"))
        .order_by("prefecture__name", "authority_name", "refusal_reason")
    )
    return [
        {
            "authority": row["prefecture__name"] or row["authority_name"],
            "refusal_reason": row["refusal_reason"],
            "count": row["count"],
            **({"territory": row["case__territory"]} if by_territory else {}),
        }
        for row in rows
    ]
