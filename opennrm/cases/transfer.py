"""Transferring a case to another organisation or département (issue #12, point 7).

A case changes hands when the person is moved away for safety (a national distancing network),
moves, or is better supported by another association. Modelled on Primero's transfer and
transfer request:

- the responsible organisation's coordinator **proposes** a transfer to a named organisation,
  or the coordinator of an organisation already linked to the case (a share in force) **asks**
  to take it;
- the other side's coordinator **accepts** (after a confirmation) or **declines** with a reason;
  both organisations have agreed once it is accepted (asking counts as agreeing); the side that
  asked may **withdraw** it while it waits;
- the responsible organisation records the person's agreement: for an adult, their consent to
  the transfer (a `Consent` of scope "transfer" naming the receiving organisation) and whether
  the former organisation keeps read-only access (a `Consent` to share naming it, on which the
  read-only `CaseShare` rests: withdrawing it ends that access at once); for a child, no consent
  is needed but the guardian or ad hoc administrator must be recorded and consulted;
- on acceptance the receiving organisation becomes responsible for the case (and the case
  moves to the département chosen, which the receiving organisation covers); the timeline,
  transition log and every record stay with the case; the former organisation's access ends or
  stays read only (pseudonymised, revocable by either side); the local coordination's share of
  the old département ends when the département changes.

Every change checks the actor's right, writes the timeline, the audit entry and the in-app
notifications in one transaction; two decisions on one transfer cannot both succeed (the row is
locked and its status checked), and a case has at most one pending transfer (a constraint).

"Coordinator" of an organisation: an active member marked administrator whose role does case
work there (field staff who report, or a local coordinator who triages).
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opennrm.audit.trail import record
from opennrm.cases.enums import (
    ConsentMethod,
    ConsentScope,
    FormerOwnerAccess,
    ShareReason,
    TransferKind,
    TransferReason,
    TransferStatus,
)
from opennrm.cases.models import (
    Case,
    CaseEvent,
    CaseShare,
    CaseTransfer,
    Consent,
    TransitionError,
)
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Notification, Organisation, Territory, User
from opennrm.core.notifying import app_path
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

# In-app notifications: English sources translated when shown; the case reference only.
PROPOSED = gettext_noop(
    "A transfer of case %(reference)s to your organisation is proposed: accept or decline it."
)
REQUESTED = gettext_noop(
    "Another organisation asks to take case %(reference)s: accept or decline the transfer."
)
ACCEPTED = gettext_noop("The transfer of case %(reference)s was accepted.")
DECLINED = gettext_noop("The transfer of case %(reference)s was declined.")
WITHDRAWN = gettext_noop("The transfer of case %(reference)s was withdrawn.")
RECEIVED = gettext_noop("Case %(reference)s is now your organisation's responsibility.")

CASE_WORK = (Capability.REPORT, Capability.TRIAGE)


class TransferError(TransitionError):
    """A transfer the rules refuse; the message says why, for the user."""


# Who ---------------------------------------------------------------------------------------


def is_coordinator(membership: Membership | None) -> bool:
    """An administrator of the organisation who does its case work."""
    return (
        membership is not None
        and membership.can(Capability.ADMINISTER_ORGANISATION)
        and any(membership.can(capability) for capability in CASE_WORK)
    )


def _case_work_roles() -> list[str]:
    return [
        role.code
        for role in active_profile().roles
        if any(capability in role.capabilities for capability in CASE_WORK)
    ]


def _coordinating_memberships() -> "QuerySet[Membership]":
    return Membership.objects.active().filter(is_admin=True, role__in=_case_work_roles())


def coordinators(organisation: Organisation) -> QuerySet[User]:
    """The organisation's coordinators: who decide on its transfers and are told of them."""
    memberships = _coordinating_memberships().filter(organisation=organisation)
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("pk")


def case_staff(organisation: Organisation) -> QuerySet[User]:
    """Everyone who does the organisation's case work (told when it receives a case)."""
    memberships = Membership.objects.active().filter(
        organisation=organisation, role__in=_case_work_roles()
    )
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("pk")


def receiving_candidates(case: Case) -> QuerySet[Organisation]:
    """Organisations that can take the case: those with a coordinator, but its own."""
    return (
        Organisation.objects.filter(pk__in=_coordinating_memberships().values("organisation_id"))
        .exclude(pk=case.owner_id)
        .order_by("name")
    )


def may_propose(actor: Actor, case: Case) -> bool:
    """The responsible organisation's coordinator proposes a transfer."""
    membership: Membership | None = actor.membership
    return (
        is_coordinator(membership)
        and membership is not None
        and (membership.organisation_id == case.owner_id)
    )


def linked(case: Case, organisation_id: int) -> bool:
    """The organisation sees the case through a share in force (not an orientation's)."""
    return (
        CaseShare.objects.filter(
            case_id=case.pk, organisation_id=organisation_id, revoked_at__isnull=True
        )
        .exclude(reason=ShareReason.ORIENTATION)
        .exists()
    )


def may_request(actor: Actor, case: Case) -> bool:
    """The coordinator of an organisation linked to the case asks to take it."""
    membership: Membership | None = actor.membership
    return (
        is_coordinator(membership)
        and membership is not None
        and membership.organisation_id != case.owner_id
        and linked(case, membership.organisation_id)
    )


def covers(organisation: Organisation, territory: Territory) -> bool:
    if organisation.national:
        return True
    return organisation.territories.filter(Q(pk=territory.pk) | Q(pk=territory.parent_id)).exists()


def territory_choices(organisation: Organisation | None = None) -> QuerySet[Territory]:
    """The départements a case may move to (those the organisation covers, when named)."""
    units = Territory.objects.local_units().order_by("code")
    if organisation is None or organisation.national:
        return units
    return units.filter(
        Q(pk__in=organisation.territories.values("pk"))
        | Q(parent__in=organisation.territories.values("pk"))
    )


def default_territory(case: Case, organisation: Organisation) -> Territory:
    """The case keeps its département when the organisation covers it; otherwise the one
    département the organisation covers, if it covers only one."""
    if covers(organisation, case.territory):
        return case.territory
    units = list(territory_choices(organisation)[:2])
    return units[0] if len(units) == 1 else case.territory


# What stands in the way --------------------------------------------------------------------


def _referrals(case: Case) -> "QuerySet[Any, Any]":
    """The case's referrals in force, read through the app registry (cases sits below
    identification)."""
    referral = apps.get_model("identification", "Referral")
    queryset: QuerySet[Any, Any] = referral.objects.in_force().filter(case_id=case.pk)
    return queryset


def transfer_refusal(case: Case) -> str | None:
    """Why this case cannot be transferred now, or None when it can."""
    if case.is_closed:
        return _("This case is closed: reopen it first.")
    if CaseTransfer.objects.pending().filter(case_id=case.pk).exists():
        return _("A transfer of this case is already waiting for a decision.")
    if _referrals(case).filter(status__in=["sent", "received"]).exists():
        return _(
            "The case awaits a formal identification decision: transfer it once the decision "
            "is taken, or once the referral is withdrawn."
        )
    return None


def _territory_refusal(case: Case, organisation: Organisation, territory: Territory) -> str | None:
    if territory.level not in active_profile().local_unit_levels:
        return _("Choose a département.")
    if not covers(organisation, territory):
        return _("%(organisation)s does not cover this département: choose one it covers.") % {
            "organisation": organisation.name
        }
    if territory.pk != case.territory_id and _referrals(case).filter(route="platform").exists():
        return _(
            "The platform of the case's département examined it: the case keeps its "
            "département, and the receiving organisation becomes responsible for it there."
        )
    return None


def _has_guardian(case: Case) -> bool:
    guardian = apps.get_model("detection", "Guardian")
    return bool(guardian.objects.filter(case_id=case.pk).exists())


@dataclass(frozen=True)
class Agreement:
    """What the responsible organisation records of the person's agreement."""

    former_access: str = FormerOwnerAccess.END
    person_consents: bool = False  # an adult: consents to the transfer
    method: str = ""  # how the adult consented (ConsentMethod)
    guardian_consulted: bool = False  # a child: the guardian or ad hoc administrator

    def check(self, case: Case) -> None:
        if self.former_access not in FormerOwnerAccess.values:
            raise TransferError(_("Say whether your organisation keeps read-only access."))
        if case.child:
            if not _has_guardian(case):
                raise TransferError(
                    _("Record the child's guardian or ad hoc administrator before a transfer.")
                )
            if not self.guardian_consulted:
                raise TransferError(
                    _("The guardian or ad hoc administrator must be consulted on the transfer.")
                )
            return
        if not self.person_consents:
            raise TransferError(_("An adult's case is transferred only with the person's consent."))
        if self.method not in ConsentMethod.values:
            raise TransferError(_("Say how the person gave their consent."))


def _record_consent(
    case: Case, scope: str, organisation: Organisation, method: str, actor: Actor
) -> Consent:
    consent = Consent(
        case=case,
        scope=scope,
        organisation=organisation,
        method=method,
        recorded_by=actor.signed_in_user(),
        recorded_for=actor.organisation_acted_for(),
    )
    consent.full_clean()
    consent.save()
    CaseEvent.log(case, f"consent.{scope}", actor=actor, details={"organisation": organisation.pk})
    record("consent.record", target=consent, actor=actor, details={"case": case.pk, "scope": scope})
    return consent


def _apply_agreement(
    transfer: CaseTransfer, case: Case, agreement: Agreement, actor: Actor
) -> None:
    """Record the person's agreement on the transfer (inside the caller's transaction)."""
    agreement.check(case)
    transfer.former_access = agreement.former_access
    if case.child:
        transfer.guardian_consulted = True
        return
    transfer.consent = _record_consent(
        case, ConsentScope.TRANSFER, transfer.to_organisation, agreement.method, actor
    )
    if agreement.former_access == FormerOwnerAccess.READ_ONLY:
        transfer.former_access_consent = _record_consent(
            case, ConsentScope.SHARE, transfer.from_organisation, agreement.method, actor
        )


# Notifications ---------------------------------------------------------------------------------


def _notify(
    users: QuerySet[User], message: str, transfer: CaseTransfer, kind: str, path: str
) -> int:
    return Notification.send(
        list(users),
        kind=kind,
        message=message,
        params={"reference": transfer.case.reference},
        link=path,
    )


# Asking --------------------------------------------------------------------------------------


def _create(case: Case, values: dict[str, object], actor: Actor) -> CaseTransfer:
    transfer = CaseTransfer(case=case, asked_by=actor.signed_in_user(), **values)
    # The one-pending-transfer constraint is left to the database (the race below).
    transfer.full_clean(
        exclude=["consent", "former_access_consent", "former_share"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as error:  # a pending transfer already (a race lost)
        raise TransferError(
            _("A transfer of this case is already waiting for a decision.")
        ) from error
    return transfer


def _check_reason(reason: str, explanation: str) -> None:
    if reason not in TransferReason.values:
        raise TransferError(_("Choose why the case is transferred."))
    if reason == TransferReason.OTHER and not explanation.strip():
        raise TransferError(_("Say why the case is transferred."))


def propose_transfer(
    case: Case,
    *,
    actor: Actor,
    to_organisation: Organisation,
    to_territory: Territory,
    reason: str,
    explanation: str = "",
    agreement: Agreement,
) -> CaseTransfer:
    """The responsible organisation's coordinator proposes to hand the case over, with the
    person's agreement recorded; the receiving organisation's coordinators are told."""
    if not may_propose(actor, case):
        raise TransferError(
            _("Only the responsible organisation's coordinator proposes a transfer.")
        )
    _check_reason(reason, explanation)
    with transaction.atomic():
        current = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        refusal = transfer_refusal(current)
        if refusal:
            raise TransferError(refusal)
        if not receiving_candidates(current).filter(pk=to_organisation.pk).exists():
            raise TransferError(_("This organisation cannot take a case."))
        refusal = _territory_refusal(current, to_organisation, to_territory)
        if refusal:
            raise TransferError(refusal)
        transfer = _create(
            current,
            {
                "kind": TransferKind.PROPOSAL,
                "from_organisation_id": current.owner_id,
                "to_organisation": to_organisation,
                "from_territory_id": current.territory_id,
                "to_territory": to_territory,
                "reason": reason,
                "explanation": explanation,
            },
            actor,
        )
        transfer.case = current
        _apply_agreement(transfer, current, agreement, actor)
        transfer.save(
            update_fields=[
                "former_access",
                "consent",
                "former_access_consent",
                "guardian_consulted",
            ]
        )
        _asked(transfer, current, actor, "transfer.proposed", "transfer.propose")
        _notify(
            coordinators(to_organisation),
            PROPOSED,
            transfer,
            "transfer.proposed",
            app_path("web:transfer", transfer.pk),
        )
    return transfer


def request_transfer(
    case: Case,
    *,
    actor: Actor,
    to_territory: Territory,
    reason: str,
    explanation: str = "",
) -> CaseTransfer:
    """The coordinator of an organisation linked to the case asks to take it; the responsible
    organisation's coordinators are told, and record the person's agreement if they accept."""
    if not may_request(actor, case):
        raise TransferError(_("Only a linked organisation's coordinator asks to take a case."))
    _check_reason(reason, explanation)
    organisation = actor.organisation_acted_for()
    with transaction.atomic():
        current = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        refusal = transfer_refusal(current) or _territory_refusal(
            current, organisation, to_territory
        )
        if refusal:
            raise TransferError(refusal)
        transfer = _create(
            current,
            {
                "kind": TransferKind.REQUEST,
                "from_organisation_id": current.owner_id,
                "to_organisation": organisation,
                "from_territory_id": current.territory_id,
                "to_territory": to_territory,
                "reason": reason,
                "explanation": explanation,
            },
            actor,
        )
        transfer.case = current
        _asked(transfer, current, actor, "transfer.requested", "transfer.request")
        _notify(
            coordinators(current.owner),
            REQUESTED,
            transfer,
            "transfer.requested",
            app_path("web:transfer", transfer.pk),
        )
    return transfer


def _asked(transfer: CaseTransfer, case: Case, actor: Actor, event: str, action: str) -> None:
    details = _details(transfer)
    CaseEvent.log(case, event, actor=actor, details=details)
    record(action, target=transfer, actor=actor, details={"case": case.pk, **details})


def _details(transfer: CaseTransfer) -> dict[str, object]:
    """Ids and codes only (timeline, audit)."""
    return {
        "transfer": transfer.pk,
        "from": transfer.from_organisation_id,
        "to": transfer.to_organisation_id,
        "territory_from": transfer.from_territory_id,
        "territory_to": transfer.to_territory_id,
        "reason": transfer.reason,
        "former_access": transfer.former_access,
    }


# Deciding --------------------------------------------------------------------------------------


def _lock(transfer: CaseTransfer) -> CaseTransfer:
    locked = (
        CaseTransfer.objects.select_for_update(of=("self",))
        .select_related("from_organisation", "to_organisation", "to_territory")
        .get(pk=transfer.pk)
    )
    if locked.status != TransferStatus.PENDING:
        raise TransferError(_("This transfer was already decided or withdrawn."))
    return locked


def may_decide(actor: Actor, transfer: CaseTransfer) -> bool:
    membership: Membership | None = actor.membership
    return (
        is_coordinator(membership)
        and membership is not None
        and membership.organisation_id == transfer.deciding_organisation_id
    )


def may_withdraw(actor: Actor, transfer: CaseTransfer) -> bool:
    membership: Membership | None = actor.membership
    return (
        is_coordinator(membership)
        and membership is not None
        and membership.organisation_id == transfer.asking_organisation_id
    )


def accept_transfer(
    transfer: CaseTransfer, *, actor: Actor, agreement: Agreement | None = None
) -> CaseTransfer:
    """The side that did not ask accepts: the receiving organisation becomes responsible for
    the case, in the département chosen; the former organisation keeps read-only access or
    not, as agreed. For a request, the responsible organisation records the person's agreement
    now (`agreement`)."""
    if not may_decide(actor, transfer):
        raise TransferError(
            _("Only the other organisation's coordinator decides on this transfer.")
        )
    with transaction.atomic():
        locked = _lock(transfer)
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("territory")
            .get(pk=locked.case_id)
        )
        locked.case = case
        if case.owner_id != locked.from_organisation_id:
            raise TransferError(
                _("The case changed hands meanwhile: this transfer no longer applies.")
            )
        if case.is_closed:
            raise TransferError(_("This case is closed: reopen it first."))
        if _referrals(case).filter(status__in=["sent", "received"]).exists():
            raise TransferError(
                _(
                    "The case awaits a formal identification decision: transfer it once the "
                    "decision is taken, or once the referral is withdrawn."
                )
            )
        refusal = _territory_refusal(case, locked.to_organisation, locked.to_territory)
        if refusal:
            raise TransferError(refusal)
        if locked.kind == TransferKind.REQUEST:
            if agreement is None:
                raise TransferError(_("Record the person's agreement to the transfer."))
            _apply_agreement(locked, case, agreement, actor)
        _check_agreement_in_force(locked, case)
        moved = locked.moves_territory
        now = timezone.now()
        Case.objects.filter(pk=case.pk).update(
            owner=locked.to_organisation, territory=locked.to_territory
        )
        case.owner, case.territory = locked.to_organisation, locked.to_territory
        coordination_revoked = 0
        if moved:  # the old département's local coordination no longer coordinates it
            coordination_revoked = (
                CaseShare.objects.filter(
                    case_id=case.pk, reason=ShareReason.COORDINATION, revoked_at__isnull=True
                )
                .exclude(organisation=locked.to_organisation)
                .update(revoked_at=now)
            )
        if locked.former_access == FormerOwnerAccess.READ_ONLY:
            locked.former_share = case.share_with(
                locked.from_organisation,
                ShareReason.FORMER_OWNER,
                actor=actor,
                consent=locked.former_access_consent,
                identity=False,
            )
        locked.status = TransferStatus.ACCEPTED
        locked.decided_by = actor.signed_in_user()
        locked.decided_at = now
        locked.save()
        details = {**_details(locked), "coordination_shares_revoked": coordination_revoked}
        CaseEvent.log(case, "transfer.accepted", actor=actor, details=details)
        record("transfer.accept", target=locked, actor=actor, details={"case": case.pk, **details})
        asking = (
            locked.from_organisation
            if locked.kind == TransferKind.PROPOSAL
            else locked.to_organisation
        )
        _notify(
            coordinators(asking),
            ACCEPTED,
            locked,
            "transfer.accepted",
            app_path("web:transfer", locked.pk),
        )
        _notify(
            case_staff(locked.to_organisation).exclude(pk=actor.user_id or 0),
            RECEIVED,
            locked,
            "transfer.received",
            app_path("web:case", case.reference),
        )
    transfer.refresh_from_db()
    return transfer


def _check_agreement_in_force(transfer: CaseTransfer, case: Case) -> None:
    """The person's agreement still holds at the moment of the transfer."""
    if case.child:
        if not (transfer.guardian_consulted and _has_guardian(case)):
            raise TransferError(
                _("The guardian or ad hoc administrator must be consulted on the transfer.")
            )
        return
    consent = transfer.consent_id and Consent.objects.filter(pk=transfer.consent_id).first()
    if not consent or consent.withdrawn_at is not None:
        raise TransferError(
            _("The person has not consented to this transfer, or withdrew their consent.")
        )
    if transfer.former_access == FormerOwnerAccess.READ_ONLY:
        kept_id = transfer.former_access_consent_id
        kept = kept_id and Consent.objects.filter(pk=kept_id).first()
        if not kept or kept.withdrawn_at is not None:
            raise TransferError(
                _(
                    "The person withdrew their consent to your organisation keeping read-only "
                    "access: withdraw this transfer and propose it again."
                )
            )


def decline_transfer(transfer: CaseTransfer, *, actor: Actor, note: str) -> CaseTransfer:
    """The side that did not ask declines, with its reasons; the asking side is told."""
    if not may_decide(actor, transfer):
        raise TransferError(
            _("Only the other organisation's coordinator decides on this transfer.")
        )
    if not note.strip():
        raise TransferError(_("Say why the transfer is declined."))
    return _close(
        transfer,
        actor,
        TransferStatus.DECLINED,
        note,
        "transfer.declined",
        "transfer.decline",
        DECLINED,
    )


def withdraw_transfer(transfer: CaseTransfer, *, actor: Actor) -> CaseTransfer:
    """The side that asked takes its proposal or request back while it waits."""
    if not may_withdraw(actor, transfer):
        raise TransferError(_("Only the organisation that asked withdraws a transfer."))
    return _close(
        transfer,
        actor,
        TransferStatus.WITHDRAWN,
        "",
        "transfer.withdrawn",
        "transfer.withdraw",
        WITHDRAWN,
    )


def _close(
    transfer: CaseTransfer,
    actor: Actor,
    status: str,
    note: str,
    event: str,
    action: str,
    message: str,
) -> CaseTransfer:
    with transaction.atomic():
        locked = _lock(transfer)
        locked.status = status
        locked.decided_by = actor.signed_in_user()
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        case = locked.case
        details = _details(locked)
        CaseEvent.log(case, event, actor=actor, details=details)
        record(action, target=locked, actor=actor, details={"case": case.pk, **details})
        told = (
            locked.deciding_organisation_id
            if status == TransferStatus.WITHDRAWN
            else locked.asking_organisation_id
        )
        _notify(
            coordinators(Organisation.objects.get(pk=told)),
            message,
            locked,
            event,
            app_path("web:transfer", locked.pk),
        )
    transfer.refresh_from_db()
    return transfer


# After the transfer ---------------------------------------------------------------------------


def former_share_in_force(transfer: CaseTransfer) -> CaseShare | None:
    if transfer.status != TransferStatus.ACCEPTED or transfer.former_share_id is None:
        return None
    return CaseShare.objects.filter(pk=transfer.former_share_id, revoked_at__isnull=True).first()


def may_end_former_access(actor: Actor, transfer: CaseTransfer) -> bool:
    """The new responsible organisation's coordinator, or the former one giving it up."""
    membership: Membership | None = actor.membership
    return (
        is_coordinator(membership)
        and membership is not None
        and membership.organisation_id
        in {transfer.to_organisation_id, transfer.from_organisation_id}
    )


def end_former_access(transfer: CaseTransfer, *, actor: Actor) -> CaseShare:
    """End the former organisation's read-only access at once."""
    if not may_end_former_access(actor, transfer):
        raise TransferError(_("Only the coordinators of the two organisations end this access."))
    with transaction.atomic():
        share = (
            CaseShare.objects.select_for_update(of=("self",))
            .filter(pk=transfer.former_share_id, revoked_at__isnull=True)
            .first()
            if transfer.status == TransferStatus.ACCEPTED and transfer.former_share_id
            else None
        )
        if share is None:
            raise TransferError(_("The former organisation has no access to end."))
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        details = {"transfer": transfer.pk, "organisation": share.organisation_id}
        CaseEvent.log(transfer.case, "transfer.former_access_ended", actor=actor, details=details)
        record(
            "transfer.end_former_access",
            target=transfer,
            actor=actor,
            details={"case": transfer.case_id, **details},
        )
    return share
