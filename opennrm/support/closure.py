"""Closing support with a reason, following up, and reopening.

Closing ends what is still running: orientations accepted or in progress are completed (the
accommodation's places are freed), the others are cancelled, and providers lose access to the
case. The identification status is not touched: support and identification move apart.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.enums import ShareReason
from opennrm.cases.models import Case, CaseEvent, CaseShare, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.profiles.capabilities import Capability
from opennrm.support import accommodation
from opennrm.support.actors import acting_for
from opennrm.support.models import (
    OPEN_ORIENTATION,
    ClosureReason,
    Orientation,
    OrientationStatus,
    SupportClosure,
    SupportRecord,
    SupportStatus,
)


def current_closure(case: Case) -> SupportClosure | None:
    return SupportClosure.objects.filter(case=case).in_force().order_by("-closed_at").first()


def close_support(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    closed_on: datetime.date | None = None,
    follow_up_on: datetime.date | None = None,
    note: str = "",
    best_interests: str = "",
    transferred_to: Organisation | None = None,
) -> SupportClosure:
    user = acting_for(actor, case.owner_id, Capability.REPORT)
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise TransitionError(_("The date cannot be in the future."))
    if transferred_to is not None and reason != ClosureReason.TRANSFERRED:
        raise TransitionError(_("Name an organisation only when the person is transferred."))
    with transaction.atomic():
        # Rows first (support, orientations, services, shares), audit entries last.
        support = SupportRecord.objects.select_for_update(of=("self",)).filter(case=case).first()
        if support is None:
            raise TransitionError(_("There is no support to close for this case."))
        if support.status != SupportStatus.OPEN:
            raise TransitionError(_("Support for this case is already closed."))
        closure = SupportClosure(
            support=support,
            case=case,
            reason=reason,
            closed_on=closed_on,
            follow_up_on=follow_up_on,
            note=note,
            best_interests=best_interests,
            transferred_to=transferred_to,
            closed_by=user,
            organisation=actor.organisation_acted_for(),
        )
        closure.full_clean()
        running = list(
            Orientation.objects.select_for_update(of=("self",))
            .filter(case=case, status__in=OPEN_ORIENTATION)
            .select_related("need", "case")
            .order_by("pk")
        )
        ended = [
            (orientation, accommodation.end_placement(orientation, closed_on))
            for orientation in running
        ]
        revoked = CaseShare.objects.filter(
            case=case, reason=ShareReason.ORIENTATION, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        SupportRecord.objects.filter(pk=support.pk).update(status=SupportStatus.CLOSED)
        closure.save()
        closing_note = str(
            _("Support closed: %(reason)s") % {"reason": closure.get_reason_display()}
        )
        for orientation, placement in ended:
            if orientation.status in {OrientationStatus.ACCEPTED, OrientationStatus.IN_PROGRESS}:
                orientation.transition(
                    OrientationStatus.COMPLETED,
                    actor=actor,
                    note=closing_note,
                    changes={"completed_on": closed_on},
                )
            else:
                orientation.transition(
                    OrientationStatus.CANCELLED,
                    actor=actor,
                    note=closing_note,
                    changes={"completed_on": closed_on, "cancel_reason": closing_note},
                )
            if placement is not None:
                CaseEvent.log(
                    case,
                    "placement.ended",
                    actor=actor,
                    details={"orientation": orientation.pk, "places": placement.places},
                )
                record(
                    "placement.end",
                    target=placement,
                    actor=actor,
                    details={"case": case.pk, "service": placement.service_id},
                )
        CaseEvent.log(
            case,
            "support.closed",
            actor=actor,
            details={"reason": reason, "shares_revoked": revoked},
        )
        record(
            "support.close",
            target=closure,
            actor=actor,
            details={"case": case.pk, "reason": reason, "orientations_ended": len(ended)},
        )
    return closure


def reopen_support(case: Case, *, actor: Actor, reason: str) -> SupportRecord:
    """The person comes back: support opens again; the closure stays on record."""
    user = acting_for(actor, case.owner_id, Capability.REPORT)
    if not reason.strip():
        raise TransitionError(_("Say why support is reopened."))
    with transaction.atomic():
        support = SupportRecord.objects.select_for_update(of=("self",)).filter(case=case).first()
        if support is None or support.status != SupportStatus.CLOSED:
            raise TransitionError(_("Support for this case is not closed."))
        closure = current_closure(case)
        now = timezone.now()
        if closure is not None:
            SupportClosure.objects.filter(pk=closure.pk).update(
                reopened_at=now, reopened_by=user, reopen_reason=reason
            )
        SupportRecord.objects.filter(pk=support.pk).update(status=SupportStatus.OPEN)
        support.status = SupportStatus.OPEN
        CaseEvent.log(case, "support.reopened", actor=actor)
        record(
            "support.reopen",
            target=support,
            actor=actor,
            details={"case": case.pk, "closure": closure.pk if closure else None},
        )
    return support


def record_follow_up(
    closure: SupportClosure, *, actor: Actor, followed_up_on: datetime.date
) -> None:
    """The follow-up after closure took place."""
    acting_for(actor, closure.case.owner_id, Capability.REPORT)
    if followed_up_on > timezone.localdate():
        raise TransitionError(_("The date cannot be in the future."))
    if followed_up_on < closure.closed_on:
        raise TransitionError(_("The follow-up comes after the closure."))
    with transaction.atomic():
        updated = SupportClosure.objects.filter(
            pk=closure.pk, reopened_at__isnull=True, followed_up_on__isnull=True
        ).update(followed_up_on=followed_up_on)
        if not updated:
            raise TransitionError(_("The follow-up of this closure is already recorded."))
        closure.followed_up_on = followed_up_on
        CaseEvent.log(closure.case, "support.followed_up", actor=actor)
        record(
            "support.follow_up",
            target=closure,
            actor=actor,
            details={"case": closure.case_id},
        )
