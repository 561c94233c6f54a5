"""The support plan: needs answered by orientations to services, from presumed victim on.

An orientation moves proposed → (consented) → sent → accepted | declined → in progress →
completed, or is cancelled (table ORIENTATION_TRANSITIONS in support.models). An adult's data
goes to the provider only with their recorded, unwithdrawn consent to share with it: sending
calls `case.share_with(provider, "orientation", consent=…)`, and withdrawing the consent
revokes that access at once. If the person gives their consent again, the responsible
organisation may share again (`share_again`): the orientation continues. An orientation
consented to but not sent yet, whose consent was withdrawn, is sent on the person's current
consent to share with the provider, if they gave it again (`send`). A child's orientation
needs no consent. The provider sees only what the orientation needs (identity
only when the orientation says it is needed).

Lock order, to stay clear of deadlocks with the audit trail's global lock: rows first
(orientation, then service), audit entries last.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.enums import ConsentScope, ShareReason
from opennrm.cases.models import Case, CaseEvent, CaseShare, Consent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory
from opennrm.core.timeframes import due_date
from opennrm.profiles.capabilities import Capability
from opennrm.support import accommodation
from opennrm.support.actors import acting, acting_for
from opennrm.support.models import (
    LIVE_ORIENTATION,
    ImmediateNeeds,
    Need,
    Orientation,
    OrientationQuerySet,
    OrientationStatus,
    Service,
    ServiceType,
    SupportRecord,
    SupportStatus,
    Urgency,
)
from opennrm.support.notifications import notify_orientation_received

# What the immediate needs assessment asks, and the service that answers it.
IMMEDIATE_NEED_SERVICES = (
    ("shelter", ServiceType.ACCOMMODATION),
    ("medical", ServiceType.HEALTH),
    ("psychological", ServiceType.PSYCHOLOGICAL_CARE),
    ("interpreter", ServiceType.INTERPRETING),
)


def open_support(case: Case) -> SupportRecord:
    """The case's support record, open; refused before presumed victim or once closed."""
    support = SupportRecord.objects.filter(case=case).first()
    if support is None:
        raise TransitionError(
            _("Support opens when the preliminary assessment concludes: presumed victim.")
        )
    if support.status != SupportStatus.OPEN:
        raise TransitionError(_("Support for this case is closed: reopen it first."))
    return support


def _owner_staff(actor: Actor, case: Case) -> Any:
    return acting_for(actor, case.owner_id, Capability.REPORT)


# Needs -----------------------------------------------------------------------------------


def add_need(
    case: Case,
    *,
    service_type: str,
    description: str = "",
    actor: Actor,
    from_immediate_needs: ImmediateNeeds | None = None,
) -> Need:
    user = _owner_staff(actor, case)
    support = open_support(case)
    with transaction.atomic():
        need = Need(
            support=support,
            case=case,
            service_type=service_type,
            description=description,
            from_immediate_needs=from_immediate_needs,
            recorded_by=user,
            organisation=acting(actor)[1].organisation,
        )
        need.full_clean()
        need.save()
        CaseEvent.log(case, "support.need", actor=actor, details={"service_type": service_type})
        record(
            "need.record",
            target=need,
            actor=actor,
            details={"case": case.pk, "service_type": service_type},
        )
    return need


def needs_from_immediate(case: Case, *, actor: Actor) -> list[Need]:
    """The latest immediate needs become needs of the plan (those not in it already).
    A child's plan always has a child protection need."""
    _owner_staff(actor, case)
    open_support(case)
    latest = accommodation.latest_needs(case)
    wanted: list[str] = []
    if latest is not None:
        wanted = [service for flag, service in IMMEDIATE_NEED_SERVICES if getattr(latest, flag)]
    if case.child:
        wanted.append(ServiceType.CHILD_PROTECTION)
    present = set(Need.objects.filter(case=case).values_list("service_type", flat=True))
    created = []
    with transaction.atomic():
        for service_type in wanted:
            if service_type in present:
                continue
            created.append(
                add_need(
                    case,
                    service_type=service_type,
                    actor=actor,
                    from_immediate_needs=latest,
                )
            )
    return created


# Orientations ----------------------------------------------------------------------------


def propose(
    need: Need,
    service: Service,
    *,
    actor: Actor,
    brief: str = "",
    identity_needed: bool = False,
    best_interests: str = "",
    urgency: str | None = None,
    accompanying_children: int | None = None,
) -> Orientation:
    """Propose a service for a need. Nothing reaches the provider yet."""
    case = need.case
    user, membership = acting(actor)
    _owner_staff(actor, case)
    open_support(case)
    if not service.active:
        raise TransitionError(_("This service is no longer active."))
    latest = accommodation.latest_needs(case)
    if accompanying_children is None:
        accompanying_children = latest.accompanying_children if latest is not None else 0
    orientation = Orientation(
        case=case,
        need=need,
        service=service,
        provider=service.organisation,
        responsible=membership.organisation,
        brief=brief,
        identity_needed=identity_needed,
        child=case.child,
        accompanying_children=accompanying_children,
        interpreter_needed=bool(latest and latest.interpreter),
        urgency=urgency or (latest.urgency if latest is not None else Urgency.URGENT),
        best_interests=best_interests,
        proposed_by=user,
    )
    if service.is_accommodation:
        situation = accommodation.situation_of(case, accompanying_children=accompanying_children)
        if not accommodation.accepts(service, situation):
            raise TransitionError(
                _(
                    "This accommodation does not take this person: adults and children are not "
                    "accommodated together, except parents with their children."
                )
            )
    with transaction.atomic():
        orientation.full_clean()
        orientation.save()
        CaseEvent.log(
            case,
            "orientation.proposed",
            actor=actor,
            target=OrientationStatus.PROPOSED,
            details={"orientation": orientation.pk, "service_type": need.service_type},
        )
        record(
            "orientation.propose",
            target=orientation,
            actor=actor,
            details={"case": case.pk, "service": service.pk, "provider": service.organisation_id},
        )
    return orientation


def share_consent(case: Case, organisation: Organisation) -> Consent | None:
    """The person's active consent to share their data with this very organisation."""
    return (
        case.consents.filter(
            scope=ConsentScope.SHARE, organisation=organisation, withdrawn_at__isnull=True
        )
        .order_by("-given_on", "-pk")
        .first()
    )


def consent_to_orientation(orientation: Orientation, *, method: str, actor: Actor) -> Consent:
    """Record the person's consent to share their data with the provider, for this orientation,
    and move the orientation on. Nothing is shared yet: `send` shares only what the
    orientation needs. The consent is withdrawn like any other (case consents page)."""
    _owner_staff(actor, orientation.case)
    with transaction.atomic():
        consent = _share_consent_for(orientation, method=method, actor=actor)
        record_consent(orientation, consent, actor=actor)
    return consent


def _share_consent_for(orientation: Orientation, *, method: str, actor: Actor) -> Consent:
    """The person's active consent to share with the orientation's provider; recorded now
    (nothing shared) when there is none. The caller checks the acting user and the state."""
    case = orientation.case
    consent = share_consent(case, orientation.provider)
    if consent is not None:
        return consent
    consent = Consent(
        case=case,
        scope=ConsentScope.SHARE,
        method=method,
        organisation=orientation.provider,
        recorded_by=acting(actor)[0],
        recorded_for=acting(actor)[1].organisation,
    )
    consent.full_clean()
    consent.save()
    CaseEvent.log(
        case,
        "consent.share",
        actor=actor,
        details={"organisation": orientation.provider_id, "orientation": orientation.pk},
    )
    record(
        "consent.record",
        target=consent,
        actor=actor,
        details={"case": case.pk, "scope": ConsentScope.SHARE},
    )
    return consent


def record_consent(orientation: Orientation, consent: Consent, *, actor: Actor) -> None:
    """The person agreed to the orientation and to sharing with the provider."""
    _owner_staff(actor, orientation.case)
    if orientation.child:
        raise TransitionError(_("A child's orientation needs no consent: send it."))
    if (
        consent.case_id != orientation.case_id
        or consent.scope != ConsentScope.SHARE
        or consent.organisation_id != orientation.provider_id
        or not consent.is_active
    ):
        raise TransitionError(
            _("Record the person's consent to share their data with this provider first.")
        )
    orientation.transition(
        OrientationStatus.CONSENTED, actor=actor, changes={"consent_id": consent.pk}
    )


def identity_for(orientation: Orientation) -> bool:
    """The provider sees the identity if any of its live orientations on the case needs it."""
    return (
        orientation.identity_needed
        or Orientation.objects.filter(
            case=orientation.case_id,
            provider=orientation.provider_id,
            status__in=LIVE_ORIENTATION,
            identity_needed=True,
        )
        .exclude(pk=orientation.pk)
        .exists()
    )


def awaits_consent_again(orientation: Orientation) -> bool:
    """An adult orientation consented to and not sent yet, whose consent was withdrawn since:
    it cannot be sent until the person gives their consent to share with the provider again."""
    return (
        not orientation.child
        and orientation.status == OrientationStatus.CONSENTED
        and (orientation.consent is None or not orientation.consent.is_active)
    )


def _current_consent_locked(case: Case, provider_id: int) -> Consent | None:
    """The person's current consent to share with the provider, locked: a withdrawal at the
    same moment waits, then revokes what the caller shares on it (or the caller finds none)."""
    return (
        Consent.objects.select_for_update(of=("self",))
        .filter(
            case=case,
            scope=ConsentScope.SHARE,
            organisation=provider_id,
            withdrawn_at__isnull=True,
        )
        .order_by("-given_on", "-pk")
        .first()
    )


def _lock_with_live(orientation: Orientation) -> None:
    """Lock the orientation and every live orientation of its provider on the case, in one
    order (by id) and before the consent: sending and sharing again move them all onto the
    consent the provider's access rests on (`_rest_on`), so both take their locks alike."""
    list(
        Orientation.objects.select_for_update(of=("self",))
        .filter(case=orientation.case_id, provider=orientation.provider_id)
        .filter(Q(pk=orientation.pk) | Q(status__in=LIVE_ORIENTATION))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _rest_on(case: Case, provider_id: int, consent: Consent) -> list[int]:
    """Every live adult orientation of this provider on the case now rests on `consent`, the
    one the provider's access rests on. Rows only; returns the orientations moved."""
    moved = list(
        Orientation.objects.filter(
            case=case, provider=provider_id, status__in=LIVE_ORIENTATION, child=False
        )
        .exclude(consent=consent)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if moved:
        Orientation.objects.filter(pk__in=moved).update(consent=consent, updated_at=timezone.now())
    return moved


def send(orientation: Orientation, *, actor: Actor) -> None:
    """Send to the provider: it now sees what the orientation needs, and must answer in time.
    An adult's orientation is sent on the consent it was consented with while it lasts; once
    withdrawn, on the person's current consent to share with the provider (given again), and
    the orientation then rests on that consent. Refused when there is none."""
    case = orientation.case
    _owner_staff(actor, case)
    open_support(case)
    needs_consent = _("An adult's orientation needs their consent to share with the provider.")
    if not orientation.child and (
        orientation.status != OrientationStatus.CONSENTED or orientation.consent_id is None
    ):
        raise TransitionError(needs_consent)
    today = timezone.localdate()
    with transaction.atomic():
        # Rows first: the orientations, then the consent (a withdrawal at the same moment
        # waits, then revokes this share too); audit entries last.
        _lock_with_live(orientation)
        current = _lock(orientation, OrientationStatus.PROPOSED, OrientationStatus.CONSENTED)
        consent: Consent | None = None
        moved: list[int] = []
        if not current.child:
            if current.status != OrientationStatus.CONSENTED or current.consent_id is None:
                raise TransitionError(needs_consent)
            consent = (
                Consent.objects.select_for_update(of=("self",))
                .filter(
                    pk=current.consent_id,
                    case=case,
                    scope=ConsentScope.SHARE,
                    organisation=current.provider_id,
                    withdrawn_at__isnull=True,
                )
                .first()
            ) or _current_consent_locked(case, current.provider_id)
            if consent is None:
                raise TransitionError(
                    _("The person withdrew their consent: the orientation cannot be sent.")
                )
            moved = _rest_on(case, current.provider_id, consent)
        changes: dict[str, Any] = {
            "sent_on": today,
            "response_due": due_date("orientation_response", today, case.territory),
        }
        if consent is not None and consent.pk != current.consent_id:
            changes["consent_id"] = consent.pk
        case.share_with(
            orientation.provider,
            ShareReason.ORIENTATION,
            actor=actor,
            consent=consent,
            identity=identity_for(orientation),
        )
        orientation.transition(OrientationStatus.SENT, actor=actor, changes=changes)
        # In the sending's transaction: the provider is told (urgent ones marked urgent, and
        # e-mailed at once) exactly when the orientation reaches it.
        notify_orientation_received(orientation)
        if consent is not None and "consent_id" in changes:
            moved = sorted([orientation.pk, *moved])
        if consent is not None and moved:
            # Sent on the consent given again: the orientations that now rest on it, ids only.
            record(
                "orientation.consent_moved",
                target=orientation,
                actor=actor,
                details={
                    "case": case.pk,
                    "provider": orientation.provider_id,
                    "consent": consent.pk,
                    "orientations": moved,
                },
            )


def provider_has_access(orientation: Orientation) -> bool:
    """The provider's access to the case for orientations: granted and not revoked."""
    return CaseShare.objects.filter(
        case=orientation.case_id,
        organisation=orientation.provider_id,
        reason=ShareReason.ORIENTATION,
        revoked_at__isnull=True,
    ).exists()


# Sharing again, after the person gives their consent again -------------------------------
#
# Withdrawing the consent revokes the provider's access at once; the orientation keeps its
# status (sent, accepted, in progress) but the provider can neither see nor act on it. When
# the person gives their consent again, nothing is shared by itself: the responsible
# organisation shares again, deliberately (`share_again`), and the orientation continues where
# it was. An orientation that has ended (declined, completed, cancelled) is not shared again:
# propose a new one.


def lost_access(orientation: Orientation) -> bool:
    """A live adult orientation whose provider no longer has access to the case."""
    return (
        not orientation.child
        and orientation.status in LIVE_ORIENTATION
        and not provider_has_access(orientation)
    )


def may_share_again(orientation: Orientation) -> bool:
    """The provider lost access and the person's consent now allows sharing with it again."""
    return lost_access(orientation) and (
        share_consent(orientation.case, orientation.provider) is not None
    )


def consent_again(orientation: Orientation, *, method: str, actor: Actor) -> Consent:
    """The person gives their consent to share with the provider again. Recorded only: the
    provider gets nothing until the responsible organisation shares again (an orientation
    that had reached it) or sends the orientation (one consented to but not sent yet)."""
    case = orientation.case
    _owner_staff(actor, case)
    open_support(case)
    if awaits_consent_again(orientation):
        with transaction.atomic():
            return _share_consent_for(orientation, method=method, actor=actor)
    if not lost_access(orientation):
        raise TransitionError(_("The provider has not lost its access to this orientation."))
    with transaction.atomic():
        return _share_consent_for(orientation, method=method, actor=actor)


def share_again(orientation: Orientation, *, actor: Actor) -> None:
    """Give the provider its access to the case back, on the person's current consent to share
    with it: the orientation continues in its status (nothing in its transition log changes).
    Every live orientation of that provider on the case now rests on the current consent; a
    sent orientation's answer is due again from today, never earlier than before (the provider
    could not answer while cut off). Refused without that consent."""
    case = orientation.case
    _owner_staff(actor, case)
    open_support(case)
    if orientation.child:
        raise TransitionError(
            _(
                "A child's orientation needs no consent: the provider's access does not "
                "depend on it."
            )
        )
    ended = _("This orientation has ended: propose a new one to share with this provider again.")
    if orientation.status not in LIVE_ORIENTATION:
        raise TransitionError(ended)
    today = timezone.localdate()
    with transaction.atomic():
        # Rows first: the orientations, then the consent (a withdrawal at the same moment
        # waits, then revokes this share too); audit entries last.
        _lock_with_live(orientation)
        current = Orientation.objects.select_for_update(of=("self",)).get(pk=orientation.pk)
        if current.status not in LIVE_ORIENTATION:
            raise TransitionError(ended)
        if provider_has_access(current):
            raise TransitionError(_("The provider already has access to this case."))
        consent = _current_consent_locked(case, current.provider_id)
        if consent is None:
            raise TransitionError(
                _(
                    "The person has not given their consent to share with this provider again: "
                    "record it first."
                )
            )
        _rest_on(case, current.provider_id, consent)
        restarted = None
        if current.status == OrientationStatus.SENT:
            due = due_date("orientation_response", today, case.territory)
            if current.response_due is None or due > current.response_due:
                Orientation.objects.filter(pk=current.pk).update(response_due=due)
                restarted = due
        case.share_with(
            current.provider,
            ShareReason.ORIENTATION,
            actor=actor,
            consent=consent,
            identity=identity_for(current),
        )
        CaseEvent.log(
            case,
            "orientation.shared_again",
            actor=actor,
            details={"orientation": current.pk, "organisation": current.provider_id},
        )
        record(
            "orientation.share_again",
            target=current,
            actor=actor,
            details={
                "case": case.pk,
                "provider": current.provider_id,
                "consent": consent.pk,
                "status": current.status,
                "response_due_restarted": restarted is not None,
            },
        )
    orientation.refresh_from_db()


def _require_provider(actor: Actor, orientation: Orientation) -> None:
    acting_for(actor, orientation.provider_id, Capability.PROVIDE_SERVICES)
    if not provider_has_access(orientation):
        raise TransitionError(_("The person withdrew their consent to share with you."))


def _revoke_if_done(orientation: Orientation) -> int:
    """No live orientation left with this provider: its access to the case ends. Rows only:
    the caller writes the audit entry (see `_log_revoked`) after its other row locks."""
    still_live = (
        Orientation.objects.filter(
            case=orientation.case_id, provider=orientation.provider_id, status__in=LIVE_ORIENTATION
        )
        .exclude(pk=orientation.pk)
        .exists()
    )
    if still_live:
        return 0
    return CaseShare.objects.filter(
        case=orientation.case_id,
        organisation=orientation.provider_id,
        reason=ShareReason.ORIENTATION,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())


def _log_revoked(orientation: Orientation, revoked: int, actor: Actor) -> None:
    if not revoked:
        return
    details = {"organisation": orientation.provider_id, "reason": ShareReason.ORIENTATION}
    CaseEvent.log(orientation.case, "share.revoked", actor=actor, details=details)
    record("case.share_revoke", target=orientation.case, actor=actor, details=details)


def _lock(orientation: Orientation, *allowed_from: str) -> Orientation:
    current = Orientation.objects.select_for_update(of=("self",)).get(pk=orientation.pk)
    if current.status not in allowed_from:
        raise TransitionError(
            _("This orientation is “%(status)s”: it cannot change that way.")
            % {"status": current.get_status_display()}
        )
    return current


def accept(orientation: Orientation, *, actor: Actor) -> None:
    """The provider accepts. For accommodation, the places are taken now, atomically."""
    _require_provider(actor, orientation)
    today = timezone.localdate()
    with transaction.atomic():
        _lock(orientation, OrientationStatus.SENT)
        if not provider_has_access(orientation):
            raise TransitionError(_("The person withdrew their consent to share with you."))
        placement = None
        if orientation.is_accommodation:
            placement = accommodation.start_placement(orientation, today)
        orientation.transition(
            OrientationStatus.ACCEPTED, actor=actor, changes={"responded_at": timezone.now()}
        )
        if placement is not None:
            CaseEvent.log(
                orientation.case,
                "placement.started",
                actor=actor,
                details={"orientation": orientation.pk, "places": placement.places},
            )
            record(
                "placement.start",
                target=placement,
                actor=actor,
                details={
                    "case": orientation.case_id,
                    "service": orientation.service_id,
                    "places": placement.places,
                },
            )


def decline(orientation: Orientation, *, reason: str, actor: Actor) -> None:
    """The provider declines, and says why; its access to the case ends."""
    _require_provider(actor, orientation)
    if not reason.strip():
        raise TransitionError(_("Say why the orientation is declined."))
    with transaction.atomic():
        _lock(orientation, OrientationStatus.SENT)
        revoked = _revoke_if_done(orientation)
        orientation.transition(
            OrientationStatus.DECLINED,
            actor=actor,
            note=reason,
            changes={"responded_at": timezone.now(), "decline_reason": reason},
        )
        _log_revoked(orientation, revoked, actor)


def start(
    orientation: Orientation, *, actor: Actor, started_on: datetime.date | None = None
) -> None:
    """The provider reports that the service has started (the person arrived, first visit)."""
    _require_provider(actor, orientation)
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise TransitionError(_("The date cannot be in the future."))
    orientation.transition(
        OrientationStatus.IN_PROGRESS, actor=actor, changes={"started_on": started_on}
    )


def _end(
    orientation: Orientation,
    target: str,
    *,
    actor: Actor,
    ended_on: datetime.date,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    with transaction.atomic():
        _lock(orientation, *ORIENTATION_SOURCES[target])
        placement = accommodation.end_placement(orientation, ended_on)  # rows before audit
        revoked = _revoke_if_done(orientation)
        orientation.transition(target, actor=actor, note=note, changes=changes)
        if placement is not None:
            CaseEvent.log(
                orientation.case,
                "placement.ended",
                actor=actor,
                details={"orientation": orientation.pk, "places": placement.places},
            )
            record(
                "placement.end",
                target=placement,
                actor=actor,
                details={"case": orientation.case_id, "service": orientation.service_id},
            )
        _log_revoked(orientation, revoked, actor)


ORIENTATION_SOURCES: dict[str, tuple[str, ...]] = {
    OrientationStatus.COMPLETED: (OrientationStatus.ACCEPTED, OrientationStatus.IN_PROGRESS),
    OrientationStatus.CANCELLED: (
        OrientationStatus.PROPOSED,
        OrientationStatus.CONSENTED,
        OrientationStatus.SENT,
        OrientationStatus.ACCEPTED,
        OrientationStatus.IN_PROGRESS,
    ),
}


def complete(
    orientation: Orientation, *, actor: Actor, ended_on: datetime.date | None = None
) -> None:
    """The service is over (for accommodation: the stay ended, its places are free again).
    Reported by the provider or by the responsible organisation."""
    _user, membership = acting(actor)
    if membership.organisation_id == orientation.provider_id:
        _require_provider(actor, orientation)
    else:
        _owner_staff(actor, orientation.case)
    ended_on = ended_on or timezone.localdate()
    if ended_on > timezone.localdate():
        raise TransitionError(_("The date cannot be in the future."))
    _end(
        orientation,
        OrientationStatus.COMPLETED,
        actor=actor,
        ended_on=ended_on,
        changes={"completed_on": ended_on},
    )


def cancel(orientation: Orientation, *, reason: str, actor: Actor) -> None:
    """The responsible organisation cancels (the person changed their mind, moved…)."""
    _owner_staff(actor, orientation.case)
    if not reason.strip():
        raise TransitionError(_("Say why the orientation is cancelled."))
    today = timezone.localdate()
    _end(
        orientation,
        OrientationStatus.CANCELLED,
        actor=actor,
        ended_on=today,
        note=reason,
        changes={"cancel_reason": reason, "completed_on": today},
    )


# Overdue ---------------------------------------------------------------------------------


def orientations_overdue(
    *,
    organisation: Organisation | None = None,
    territories: "QuerySet[Territory] | None" = None,
    today: datetime.date | None = None,
) -> OrientationQuerySet:
    """Orientations whose provider has not answered in time: for an organisation (as provider
    or as responsible), for départements, or everywhere."""
    orientations = Orientation.objects.overdue(today)
    if organisation is not None:
        orientations = orientations.for_organisation(organisation)
    if territories is not None:
        orientations = orientations.in_territories(territories)
    return orientations.select_related("case", "provider", "responsible", "need").order_by(
        "response_due", "pk"
    )
