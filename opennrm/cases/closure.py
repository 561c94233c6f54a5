"""Closing a case that never reached support, and reopening it.

A case whose support opened is closed by support (opennrm.support.closure), and that closure
starts the retention clock. A case that ends before (not presumed a victim, the person withdrew
or was lost, transferred, a duplicate) is closed here, by the responsible organisation's field
staff — the same right that closes support — with a reason; the closure date starts the
retention clock of opennrm.privacy.retention. Reopening stops that clock; the closure stays on
record.
"""

import datetime

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases import hooks
from opennrm.cases.enums import IdentificationStatus
from opennrm.cases.models import Case, CaseClosure, CaseEvent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Membership
from opennrm.profiles.capabilities import Capability

# The statuses a case can close in without support: before presumed-victim status. From
# presumed victim on, protection and support are open and support's closure applies.
CLOSABLE_STATUSES = frozenset(
    {IdentificationStatus.PRELIMINARY_ASSESSMENT, IdentificationStatus.NOT_PRESUMED}
)


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


def may_close(actor: Actor, case: Case) -> bool:
    """The acting membership is the responsible organisation's field staff (as for support)."""
    membership = _membership(actor)
    return (
        membership is not None
        and membership.organisation_id == case.owner_id
        and membership.can(Capability.REPORT)
    )


def _check_right(actor: Actor, case: Case) -> None:
    if not may_close(actor, case):
        raise TransitionError(_("Your organisation cannot do this."))


def support_status(case: Case) -> str | None:
    """Support's status for the case ("open", "closed"), None when support never opened.

    Read through Django's app registry: the cases package does not import support."""
    try:
        support_record = apps.get_model("support", "SupportRecord")
    except LookupError:  # pragma: no cover - support is installed with OpenNRM
        return None
    status = support_record.objects.filter(case=case).values_list("status", flat=True).first()
    return str(status) if status is not None else None


def current_closure(case: Case) -> CaseClosure | None:
    return CaseClosure.objects.in_force().filter(case=case).first()


def closing_refusal(case: Case) -> str | None:
    """Why this case cannot be closed here, or None when it can."""
    status = support_status(case)
    if status == "open":
        return _("Support is open for this case: close it from the support plan.")
    if status is not None:
        return _("Support for this case is closed: its closure already counts.")
    if CaseClosure.objects.in_force().filter(case=case).exists():
        return _("This case is already closed.")
    if case.status not in CLOSABLE_STATUSES:
        return _("A case can be closed here only before the person is presumed a victim.")
    return None


def _closed_at(closed_on: datetime.date) -> datetime.datetime:
    """The moment recorded for the retention clock: now, or midday of an earlier day."""
    if closed_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(12, 0)))


def close_case(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    closed_on: datetime.date | None = None,
    note: str = "",
) -> CaseClosure:
    """Close a case support never opened: checked, logged, audited, retention clock started,
    in one transaction."""
    _check_right(actor, case)
    user = actor.signed_in_user()
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise TransitionError(_("The date cannot be in the future."))
    if closed_on < case.detected_on:
        raise TransitionError(_("A case cannot close before it was detected."))
    with transaction.atomic():
        current = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        refusal = closing_refusal(current)
        if refusal:
            raise TransitionError(refusal)
        closure = CaseClosure(
            case=current,
            reason=reason,
            closed_on=closed_on,
            note=note,
            closed_by=user,
            organisation=actor.organisation_acted_for(),
        )
        closure.full_clean()
        try:
            with transaction.atomic():
                closure.save()
        except IntegrityError as error:  # a closure in force already (a race lost)
            raise TransitionError(_("This case is already closed.")) from error
        CaseEvent.log(
            case,
            "case.closed",
            actor=actor,
            source=current.status,
            details={"reason": reason, "closure": closure.pk},
        )
        record(
            "case.close",
            target=case,
            actor=actor,
            details={
                "closure": closure.pk,
                "reason": reason,
                "status": current.status,
                "closed_on": closed_on.isoformat(),
            },
        )
        hooks.case_closed(case, _closed_at(closed_on), actor)  # retention clock (privacy)
    return closure


def reopening_refusal(case: Case) -> str | None:
    if current_closure(case) is None:
        return _("This case is not closed.")
    return None


def reopen_case(case: Case, *, actor: Actor, reason: str) -> CaseClosure:
    """The case goes on (the person comes back, new facts): the retention clock stops; the
    closure stays on record."""
    _check_right(actor, case)
    user = actor.signed_in_user()
    if not reason.strip():
        raise TransitionError(_("Say why the case is reopened."))
    with transaction.atomic():
        Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        closure = current_closure(case)
        if closure is None:
            raise TransitionError(_("This case is not closed."))
        now = timezone.now()
        CaseClosure.objects.filter(pk=closure.pk).update(
            reopened_at=now, reopened_by=user, reopen_reason=reason
        )
        closure.reopened_at, closure.reopened_by, closure.reopen_reason = now, user, reason
        cleared = hooks.case_reopened(case)
        CaseEvent.log(case, "case.reopened", actor=actor, details={"closure": closure.pk})
        record(
            "case.reopen",
            target=case,
            actor=actor,
            details={"closure": closure.pk, "retention_cleared": cleared},
        )
    return closure
