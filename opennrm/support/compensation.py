"""Compensation for all harm, including unpaid wages (CNCDH recommendation 10; ODIHR annex
point 7): claims before the compensation commission, as civil party in criminal proceedings,
or before the labour court; amounts claimed and awarded; legal aid; the stay of removal needed
to pursue them."""

import datetime
import decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.models import Case, CaseEvent, TransitionError
from opennrm.core.acting import Actor
from opennrm.profiles.capabilities import Capability
from opennrm.support.actors import acting_for
from opennrm.support.models import ClaimOutcome, CompensationClaim

UPDATABLE = (
    "body_name",
    "lodged_on",
    "amount_claimed",
    "legal_aid",
    "lawyer",
    "stay_of_removal_needed",
    "notes",
)


def lodge(case: Case, *, actor: Actor, **values: Any) -> CompensationClaim:
    user = acting_for(actor, case.owner_id, Capability.REPORT)
    with transaction.atomic():
        claim = CompensationClaim(
            case=case,
            recorded_by=user,
            organisation=actor.organisation_acted_for(),
            outcome=ClaimOutcome.PENDING,
            **values,
        )
        claim.full_clean()
        claim.save()
        CaseEvent.log(case, "compensation.lodged", actor=actor, details={"kind": claim.kind})
        record(
            "compensation.lodge",
            target=claim,
            actor=actor,
            details={
                "case": case.pk,
                "kind": claim.kind,
                "stay_of_removal_needed": claim.stay_of_removal_needed,
            },
        )
    return claim


def update(claim: CompensationClaim, *, actor: Actor, **values: Any) -> CompensationClaim:
    """Correct or complete a pending claim (amount, legal aid, stay of removal…)."""
    acting_for(actor, claim.case.owner_id, Capability.REPORT)
    if set(values) - set(UPDATABLE):
        raise TransitionError(_("These fields cannot be changed here."))
    with transaction.atomic():
        current = CompensationClaim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
        changed = sorted(
            field for field, value in values.items() if getattr(current, field) != value
        )
        for field, value in values.items():
            setattr(current, field, value)
        current.full_clean()
        current.save()
        record(
            "compensation.update",
            target=current,
            actor=actor,
            details={"case": current.case_id, "changed": changed},
        )
    claim.refresh_from_db()
    return claim


def decide(
    claim: CompensationClaim,
    *,
    actor: Actor,
    outcome: str,
    decided_on: datetime.date,
    amount_awarded: decimal.Decimal | None = None,
) -> CompensationClaim:
    acting_for(actor, claim.case.owner_id, Capability.REPORT)
    if outcome == ClaimOutcome.PENDING:
        raise TransitionError(_("Choose the outcome."))
    with transaction.atomic():
        current = CompensationClaim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
        if current.outcome != ClaimOutcome.PENDING:
            raise TransitionError(_("The outcome of this claim is already recorded."))
        current.outcome = outcome
        current.decided_on = decided_on
        current.amount_awarded = (
            amount_awarded if outcome in {ClaimOutcome.AWARDED, ClaimOutcome.SETTLED} else None
        )
        current.full_clean()
        current.save()
        CaseEvent.log(
            current.case,
            f"compensation.{outcome}",
            actor=actor,
            details={"kind": current.kind},
        )
        record(
            "compensation.decide",
            target=current,
            actor=actor,
            details={"case": current.case_id, "outcome": outcome},
        )
    claim.refresh_from_db()
    return claim
