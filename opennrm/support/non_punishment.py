"""Non-punishment of victims for offences they were compelled to commit (CNCDH
recommendations 23–24; ODIHR annex point 2): the offences and the constraint, a note to the
prosecutor's office contact person citing the profile's legal bases, the outcome, and the flag
that these offences must not be held against a claim for international protection."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.models import Case, CaseEvent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.profiles.capabilities import Capability
from opennrm.support.actors import acting_for
from opennrm.support.models import (
    NonPunishmentOutcome,
    NonPunishmentRecord,
    non_punishment_recipient_kinds,
)

NOTE_BASES = ("non_punishment", "thb_offence")  # the profile's legal bases the note cites


def prosecutors(case: Case | None = None) -> QuerySet[Organisation]:
    """The recipients of the note in OpenNRM: organisations of the types the profile lists in
    `support.non_punishment_recipients` (France: prosecutors' offices). Those of the case's
    local unit only, when it has any."""
    found = Organisation.objects.filter(kind__in=non_punishment_recipient_kinds()).order_by("name")
    if case is not None:
        local = found.filter(territories=case.territory)
        if local.exists():
            return local
    return found


def record_offences(case: Case, *, actor: Actor, **values: Any) -> NonPunishmentRecord:
    user = acting_for(actor, case.owner_id, Capability.REPORT)
    with transaction.atomic():
        entry = NonPunishmentRecord(
            case=case,
            recorded_by=user,
            organisation=actor.organisation_acted_for(),
            outcome=NonPunishmentOutcome.PENDING,
            **values,
        )
        entry.full_clean()
        entry.save()
        CaseEvent.log(case, "non_punishment.recorded", actor=actor)
        record(
            "non_punishment.record",
            target=entry,
            actor=actor,
            details={"case": case.pk, "factors": entry.factors},
        )
    return entry


def mark_note_sent(entry: NonPunishmentRecord, *, actor: Actor, sent_on: datetime.date) -> None:
    acting_for(actor, entry.case.owner_id, Capability.REPORT)
    with transaction.atomic():
        updated = NonPunishmentRecord.objects.filter(pk=entry.pk).update(note_sent_on=sent_on)
        if not updated:
            raise TransitionError(_("This record no longer exists."))
        entry.note_sent_on = sent_on
        CaseEvent.log(entry.case, "non_punishment.note_sent", actor=actor)
        record(
            "non_punishment.note_sent",
            target=entry,
            actor=actor,
            details={"case": entry.case_id},
        )


def record_outcome(
    entry: NonPunishmentRecord,
    *,
    actor: Actor,
    outcome: str,
    outcome_on: datetime.date,
    outcome_details: str = "",
) -> NonPunishmentRecord:
    acting_for(actor, entry.case.owner_id, Capability.REPORT)
    if outcome == NonPunishmentOutcome.PENDING:
        raise TransitionError(_("Choose the outcome."))
    with transaction.atomic():
        current = NonPunishmentRecord.objects.select_for_update(of=("self",)).get(pk=entry.pk)
        if current.outcome != NonPunishmentOutcome.PENDING:
            raise TransitionError(_("The outcome is already recorded."))
        current.outcome = outcome
        current.outcome_on = outcome_on
        current.outcome_details = outcome_details
        current.full_clean()
        current.save()
        CaseEvent.log(
            current.case, "non_punishment.outcome", actor=actor, details={"outcome": outcome}
        )
        record(
            "non_punishment.outcome",
            target=current,
            actor=actor,
            details={"case": current.case_id, "outcome": outcome},
        )
    entry.refresh_from_db()
    return entry
