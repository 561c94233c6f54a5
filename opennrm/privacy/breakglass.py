"""Exceptional access ("break-glass") to a case for the national coordinator and the data
protection officer: a stated reason, a time limit, an audit entry at opening and on every read,
and a notice to the organisation responsible for the case.

`opennrm.cases.access` asks this module which cases a request may see beyond its own, and
whether a read relies on a grant (the read's audit entry then says so).
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.models import Case, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, User
from opennrm.privacy.models import (
    REASON_MIN_LENGTH,
    BreakGlassGrant,
    BreakGlassQuerySet,
)
from opennrm.profiles.capabilities import Capability

# Who may open an exceptional access: the national level's oversight and the DPO.
EXCEPTIONAL_CAPABILITIES = (Capability.NATIONAL_OVERSIGHT, Capability.READ_AUDIT)
DEFAULT_HOURS = 4
MAX_HOURS = 24
HOUR_CHOICES = (1, 2, 4, 8, 12, 24)
# How long an ended access stays in the owner's notices on the dashboard.
NOTICE_DAYS = 7


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


def may_break_glass(membership: Membership | None) -> bool:
    if membership is None:
        return False
    return any(membership.can(capability) for capability in EXCEPTIONAL_CAPABILITIES)


def default_hours() -> int:
    """The duration first offered (OPENNRM_BREAK_GLASS_HOURS, in the environment), 1 to 24 h."""
    configured = int(getattr(settings, "OPENNRM_BREAK_GLASS_HOURS", DEFAULT_HOURS))
    return min(max(configured, 1), MAX_HOURS)


def hour_choices() -> tuple[int, ...]:
    return tuple(sorted({*HOUR_CHOICES, default_hours()}))


def own_grants(actor: Actor) -> BreakGlassQuerySet:
    """The grants of the user acting for the current organisation (any state)."""
    membership = _membership(actor)
    user = actor.user
    if membership is None or not may_break_glass(membership) or not isinstance(user, User):
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(user=user, organisation_id=membership.organisation_id)


def granted_case_ids(actor: Actor) -> "QuerySet[BreakGlassGrant, Any] | None":
    """A subquery of the cases the request may read under a grant in force; None (and no query)
    for those who may not open exceptional access."""
    membership = _membership(actor)
    if not may_break_glass(membership):
        return None
    return own_grants(actor).active().values("case_id")


def active_grant(actor: Actor, case: Case) -> BreakGlassGrant | None:
    """The grant in force that opens this case to the request, if any (no query for others)."""
    if not may_break_glass(_membership(actor)):
        return None
    return own_grants(actor).active().filter(case_id=case.pk).order_by("-expires_at").first()


def read_details(actor: Actor, case: Case) -> dict[str, Any]:
    """Extra audit details for a read: the grant it relies on, if any."""
    grant = active_grant(actor, case)
    return {} if grant is None else {"break_glass": grant.pk}


def allows_identity(actor: Actor, case: Case) -> bool:
    grant = active_grant(actor, case)
    return grant is not None and grant.identity


def find_case(reference: str) -> Case | None:
    """A case by its reference, for opening exceptional access (whatever its owner)."""
    return Case.objects.filter(reference=reference.strip().upper()).first()


def open_grant(
    actor: Actor, *, case: Case, reason: str, hours: int, identity: bool
) -> BreakGlassGrant:
    """Open exceptional access to `case`. Checked, audited (`breakglass.open`)."""
    membership = _membership(actor)
    user = actor.user
    if membership is None or not may_break_glass(membership) or not isinstance(user, User):
        raise TransitionError(
            _(
                "Only the national coordinator and the data protection officer may open "
                "exceptional access."
            )
        )
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise TransitionError(
            _("State the reason in %(count)d characters at least.") % {"count": REASON_MIN_LENGTH}
        )
    if not 1 <= hours <= MAX_HOURS:
        raise TransitionError(
            _("Exceptional access lasts %(max)d hours at most.") % {"max": MAX_HOURS}
        )
    now = timezone.now()
    with transaction.atomic():
        if own_grants(actor).active(now).filter(case=case).exists():
            raise TransitionError(_("You already have exceptional access to this case."))
        grant = BreakGlassGrant(
            case=case,
            user=user,
            organisation=membership.organisation,
            reason=reason,
            identity=identity,
            opened_at=now,
            expires_at=now + datetime.timedelta(hours=hours),
        )
        grant.full_clean()
        grant.save()
        record(
            "breakglass.open",
            target=grant,
            actor=actor,
            details={
                "case": case.pk,
                "owner": case.owner_id,
                "hours": hours,
                "identity": identity,
            },
        )
    return grant


def may_revoke(actor: Actor, grant: BreakGlassGrant) -> bool:
    """The holder closes their own access early; the DPO may close anyone's."""
    membership = _membership(actor)
    if membership is None:
        return False
    if membership.can(Capability.READ_AUDIT):
        return True
    return grant.user_id == actor.user_id and grant.organisation_id == membership.organisation_id


def revoke_grant(actor: Actor, grant: BreakGlassGrant) -> None:
    """Close a grant before it expires. Audited (`breakglass.revoke`)."""
    if not may_revoke(actor, grant):
        raise TransitionError(_("You cannot close this exceptional access."))
    user = actor.user if isinstance(actor.user, User) else None
    with transaction.atomic():
        now = timezone.now()
        updated = BreakGlassGrant.objects.filter(
            pk=grant.pk, revoked_at__isnull=True, expires_at__gt=now
        ).update(revoked_at=now, revoked_by=user)
        if not updated:
            raise TransitionError(_("This exceptional access has already ended."))
        grant.revoked_at = now
        grant.revoked_by = user
        record(
            "breakglass.revoke",
            target=grant,
            actor=actor,
            details={"case": grant.case_id, "holder": grant.user_id},
        )


def owner_notices(membership: Membership | None) -> list[BreakGlassGrant]:
    """Exceptional accesses to the organisation's cases, in force or ended in the last days,
    for the dashboard of its members. National bodies own no case: no query for them."""
    if membership is None or membership.organisation.national:
        return []
    since = timezone.now() - datetime.timedelta(days=NOTICE_DAYS)
    return list(
        BreakGlassGrant.objects.of_owner(membership.organisation)
        .filter(expires_at__gt=since)
        .select_related("case", "user", "organisation")
        .order_by("-opened_at")[:10]
    )
