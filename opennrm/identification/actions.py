"""Use cases of formal identification. Each checks its rules, writes the case's timeline and the
audit trail, in one transaction. Views call these; they never save.

Decisions are taken exactly once: the referral's row is locked (SELECT … FOR UPDATE) before
anything is checked, and the one-to-one link of `IdentificationDecision` to its referral is a
unique constraint in the database, so a second concurrent attempt fails either way.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.audit.trail import record
from opennrm.cases.enums import ConsentScope, IdentificationStatus, ShareReason
from opennrm.cases.models import Case, CaseEvent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Organisation, Territory, User
from opennrm.core.retry import retried_atomic
from opennrm.core.timeframes import due_date
from opennrm.identification import notifications
from opennrm.identification.composition import (
    acting_chair_ids,
    composition,
    conflicted_member_ids,
    first_decision_member_ids,
)
from opennrm.identification.deadlines import extended_due
from opennrm.identification.models import (
    ConflictDeclaration,
    IdentificationDecision,
    InformationRequest,
    Interview,
    JudicialRecord,
    Outcome,
    Platform,
    PlatformMember,
    Profession,
    Referral,
    ReferralStatus,
    Route,
    StatementKind,
    Vote,
    VoteChoice,
)
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile


class IdentificationError(TransitionError):
    """A step of formal identification the rules refuse; the message says why, for the user."""


def _membership(actor: Actor) -> Membership:
    membership: Membership | None = actor.membership
    if membership is None:
        raise IdentificationError(_("You act for no organisation."))
    return membership


def _require_referrer(referral: Referral, membership: Membership) -> None:
    """The referring organisation's field staff (who report, or triage)."""
    if membership.organisation_id != referral.referring_organisation_id or not (
        membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE)
    ):
        raise IdentificationError(_("Only the referring organisation's staff may do this."))


def _user(actor: Actor) -> User:
    user = actor.user
    if not isinstance(user, User):
        raise IdentificationError(_("Sign in first."))
    return user


def _today() -> datetime.date:
    return timezone.localdate()


def _lock(referral: Referral) -> Referral:
    """The referral's row, locked until the end of the transaction."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "case__territory", "target", "referring_organisation")
        .get(pk=referral.pk)
    )


def _not_decided(referral: Referral) -> None:
    if IdentificationDecision.objects.filter(referral_id=referral.pk).exists():
        raise IdentificationError(_("The decision on this case was already taken."))
    if not referral.is_pending:
        raise IdentificationError(_("This referral is no longer pending."))


def _mark_received(referral: Referral) -> None:
    if referral.status == ReferralStatus.SENT:
        referral.status = ReferralStatus.RECEIVED
        referral.received_at = timezone.now()
        referral.save(update_fields=["status", "received_at"])


def _covers(organisation: Organisation, territory: Territory) -> bool:
    return organisation.territories.filter(Q(pk=territory.pk) | Q(children=territory)).exists()


# Platforms and their members -----------------------------------------------------------


def ensure_platform(territory: Territory) -> Platform:
    """The platform of a local unit (created the first time it is needed)."""
    if territory.level not in active_profile().local_unit_levels:
        raise IdentificationError(_("Platforms are set up per département."))
    platform, _created = Platform.objects.get_or_create(territory=territory)
    return platform


def _require_chair_of(platform: Platform, actor: Actor) -> Membership:
    membership = _membership(actor)
    if not membership.can(Capability.CHAIR_PLATFORM) or not _covers(
        membership.organisation, platform.territory
    ):
        raise IdentificationError(_("Only the platform's chair may do this."))
    return membership


def eligible_memberships(platform: Platform) -> Any:
    """Who may be given a seat: active memberships that may sit on a platform, in
    organisations covering the département, without a seat yet."""
    seated = PlatformMember.objects.filter(platform=platform, removed_at__isnull=True)
    return (
        Membership.objects.active()
        .filter(
            organisation__territories=platform.territory,
            role__in=notifications.roles_with(Capability.SIT_ON_PLATFORM),
        )
        .exclude(pk__in=seated.values("membership_id"))
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name")
        .distinct()
    )


def add_member(
    platform: Platform, *, membership: Membership, profession: str, actor: Actor
) -> PlatformMember:
    """Give a seat on the platform (the chair does, for the members of the département)."""
    _require_chair_of(platform, actor)
    if profession not in Profession.values:
        raise IdentificationError(_("Choose a profession from the list."))
    with transaction.atomic():
        if not eligible_memberships(platform).filter(pk=membership.pk).exists():
            raise IdentificationError(
                _(
                    "This person cannot sit on this platform: they need a platform role in an "
                    "organisation of the département, and no seat yet."
                )
            )
        try:
            with transaction.atomic():
                member = PlatformMember.objects.create(
                    platform=platform,
                    membership=membership,
                    profession=profession,
                    added_by=_user(actor),
                )
        except IntegrityError as exc:
            raise IdentificationError(_("This person already sits on the platform.")) from exc
        record(
            "platform.member_add",
            target=member,
            actor=actor,
            details={
                "platform": platform.pk,
                "membership": membership.pk,
                "profession": profession,
                "sector": member.sector,
            },
        )
    return member


def remove_member(member: PlatformMember, *, actor: Actor) -> None:
    """The seat ends; votes already cast stay in the decisions they belong to."""
    _require_chair_of(member.platform, actor)
    with transaction.atomic():
        updated = PlatformMember.objects.filter(pk=member.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_by=_user(actor)
        )
        if not updated:
            raise IdentificationError(_("This member had already left the platform."))
        record(
            "platform.member_remove",
            target=member,
            actor=actor,
            details={"platform": member.platform_id},
        )


@retried_atomic
def _set_deputy_chair(member: PlatformMember, *, deputy: bool, actor: Actor) -> PlatformMember:
    _require_chair_of(member.platform, actor)
    with transaction.atomic():
        seat = (
            PlatformMember.objects.select_for_update(of=("self",))
            .select_related("membership__user", "membership__organisation")
            .get(pk=member.pk)
        )
        if not seat.is_active:
            raise IdentificationError(_("This member no longer sits on the platform."))
        if deputy and seat.is_chair:
            raise IdentificationError(
                _("This member already chairs the platform: a deputy is another member.")
            )
        if seat.is_deputy_chair == deputy:
            raise IdentificationError(
                _("This member is already a deputy chair.")
                if deputy
                else _("This member is not a deputy chair.")
            )
        seat.is_deputy_chair = deputy
        seat.save(update_fields=["is_deputy_chair"])
        record(
            "platform.deputy_chair_designate" if deputy else "platform.deputy_chair_end",
            target=seat,
            actor=actor,
            details={"platform": seat.platform_id, "member": seat.pk},
        )
    return seat


def designate_deputy_chair(member: PlatformMember, *, actor: Actor) -> PlatformMember:
    """The chair designates a member deputy chair: the deputy acts as the chair on the cases
    every chair is excluded from (conflict of interest, or part of the decision reconsidered),
    and is excluded from a case on the same grounds as anyone (ADR 0010)."""
    return _set_deputy_chair(member, deputy=True, actor=actor)


def end_deputy_chair(member: PlatformMember, *, actor: Actor) -> PlatformMember:
    """The chair ends a designation; the seat stays. What the deputy already did stays."""
    return _set_deputy_chair(member, deputy=False, actor=actor)


# The examination of a case by the platform ---------------------------------------------


def seat_for(referral: Referral, actor: Actor) -> PlatformMember:
    """The acting user's seat on the platform examining this referral."""
    membership = _membership(actor)
    if referral.route != Route.PLATFORM:
        raise IdentificationError(_("This case is not before a platform."))
    seat = (
        PlatformMember.objects.active()
        .filter(platform__territory_id=referral.case.territory_id, membership=membership)
        .select_related("membership__organisation", "membership__user", "platform")
        .first()
    )
    if seat is None:
        raise IdentificationError(_("You do not sit on the platform examining this case."))
    return seat


NOBODY_CAN_CHAIR = gettext_lazy(
    "Nobody can chair this case yet: every chair and deputy chair is excluded from it. The "
    "chair designates a deputy chair who did not take part (no conflict of interest, not part "
    "of the decision being reconsidered) on the platform's members page."
)


def _chair_seat(referral: Referral, actor: Actor) -> PlatformMember:
    """The seat of whoever acts as the chair on this case (ADR 0010): a chair not excluded
    from it (conflict of interest, or part of the decision reconsidered); when every chair is
    excluded, a deputy chair not excluded from it."""
    seat = seat_for(referral, actor)
    # Locked, and read again: a designation ended at this moment is seen (callers hold a
    # transaction).
    seat = (
        PlatformMember.objects.select_for_update(of=("self",))
        .select_related("membership__organisation", "membership__user", "platform")
        .get(pk=seat.pk)
    )
    if not (seat.is_chair or seat.is_deputy_chair):
        raise IdentificationError(_("Only the platform's chair may do this."))
    conflicted = conflicted_member_ids(referral)
    first_deciders = first_decision_member_ids(referral)
    acting = acting_chair_ids(referral, conflicted | first_deciders)
    if seat.pk in acting:
        return seat
    if seat.pk in conflicted or seat.pk in first_deciders:
        if not acting:
            raise IdentificationError(NOBODY_CAN_CHAIR)
        if seat.pk in conflicted:
            raise IdentificationError(
                _("You declared a conflict of interest for this case: another chair acts on it.")
            )
        raise IdentificationError(
            _(
                "You took part in the decision being reconsidered: another chair records "
                "the outcome of the reconsideration."
            )
        )
    raise IdentificationError(
        _(
            "A deputy chair acts only on a case every chair is excluded from: the chair acts "
            "on this one."
        )
    )


def _chair_details(seat: PlatformMember | None) -> dict[str, Any]:
    """Who chaired, for the audit trail: the seat, and whether as a deputy."""
    if seat is None:
        return {}
    return {"chair": seat.pk, "deputy_chair": seat.is_deputy}


def _refuse_excluded(referral: Referral, seat: PlatformMember) -> None:
    if seat.pk in conflicted_member_ids(referral):
        raise IdentificationError(
            _(
                "You declared a conflict of interest for this case: you are excluded from it "
                "and cannot vote on it."
            )
        )
    if seat.pk in first_decision_member_ids(referral):
        raise IdentificationError(
            _(
                "You took part in the decision being reconsidered: the reconsideration is "
                "examined without you, and you cannot vote on it."
            )
        )


@retried_atomic
def declare_conflict(referral: Referral, *, actor: Actor) -> ConflictDeclaration:
    """The member is excluded from the case from now on; a vote already cast is withdrawn."""
    with transaction.atomic():
        locked = _lock(referral)
        _not_decided(locked)
        seat = seat_for(locked, actor)
        if ConflictDeclaration.objects.filter(referral=locked, member=seat).exists():
            raise IdentificationError(_("You already declared a conflict of interest here."))
        withdrawn, _detail = Vote.objects.filter(referral=locked, member=seat).delete()
        if hasattr(locked, "interview") and not locked.interview.reported_at:
            locked.interview.interviewers.remove(seat)
        declaration = ConflictDeclaration.objects.create(referral=locked, member=seat)
        _mark_received(locked)
        record(
            "platform.conflict_declared",
            target=locked,
            actor=actor,
            details={"case": locked.case_id, "member": seat.pk, "vote_withdrawn": bool(withdrawn)},
        )
    return declaration


@retried_atomic
def cast_vote(referral: Referral, *, choice: str, reasons: str, actor: Actor) -> Vote:
    """A member's vote with reasons; a new vote replaces the member's previous one."""
    if choice not in VoteChoice.values:
        raise IdentificationError(_("Choose how you vote."))
    if not reasons.strip():
        raise IdentificationError(_("Give the reasons for your vote."))
    with transaction.atomic():
        locked = _lock(referral)
        _not_decided(locked)
        seat = seat_for(locked, actor)
        _refuse_excluded(locked, seat)
        now = timezone.now()
        vote, created = Vote.objects.update_or_create(
            referral=locked,
            member=seat,
            defaults={
                "choice": choice,
                "reasons": reasons.strip(),
                "sector": seat.sector,
                "updated_at": now,
            },
            create_defaults={
                "choice": choice,
                "reasons": reasons.strip(),
                "sector": seat.sector,
                "cast_at": now,
                "updated_at": now,
            },
        )
        _mark_received(locked)
        record(
            "platform.vote",
            target=locked,
            actor=actor,
            details={
                "case": locked.case_id,
                "member": seat.pk,
                "choice": choice,
                "changed": not created,
            },
        )
    return vote


@retried_atomic
def designate_interviewers(
    referral: Referral, *, members: Iterable[PlatformMember], actor: Actor
) -> Interview:
    """The chair designates the members who interview the person (e.g. a psychologist and a
    lawyer); the profile says how many."""
    wanted = active_profile().platform.interview_members
    chosen = list({member.pk: member for member in members}.values())
    with transaction.atomic():
        locked = _lock(referral)
        _not_decided(locked)
        chair = _chair_seat(locked, actor)
        if len(chosen) != wanted:
            raise IdentificationError(
                _("Designate exactly %(count)s members for the interview.") % {"count": wanted}
            )
        excluded = conflicted_member_ids(locked) | first_decision_member_ids(locked)
        seats = PlatformMember.objects.active().filter(
            platform__territory_id=locked.case.territory_id, pk__in=[m.pk for m in chosen]
        )
        if seats.count() != wanted or any(member.pk in excluded for member in chosen):
            raise IdentificationError(
                _(
                    "Interviewers must sit on this platform and must not be excluded from the "
                    "case (conflict of interest, or part of the decision reconsidered)."
                )
            )
        interview = Interview.objects.filter(referral=locked).first()
        if interview is not None and interview.reported_at is not None:
            raise IdentificationError(_("The interview report was already added to the file."))
        if interview is None:
            interview = Interview.objects.create(referral=locked, designated_by=_user(actor))
        interview.interviewers.set(seats)
        _mark_received(locked)
        CaseEvent.log(locked.case, "identification.interview_designated", actor=actor)
        record(
            "platform.interview_designated",
            target=locked,
            actor=actor,
            details={
                "case": locked.case_id,
                "members": sorted(m.pk for m in chosen),
                **_chair_details(chair),
            },
        )
    return interview


@retried_atomic
def record_interview_report(
    referral: Referral, *, held_on: datetime.date, report: str, actor: Actor
) -> Interview:
    """One of the designated interviewers adds the report to the file."""
    if not report.strip():
        raise IdentificationError(_("Write the interview report."))
    if held_on > _today():
        raise IdentificationError(_("The interview cannot take place in the future."))
    with transaction.atomic():
        locked = _lock(referral)
        _not_decided(locked)
        seat = seat_for(locked, actor)
        interview = Interview.objects.filter(referral=locked).first()
        if interview is None or not interview.interviewers.filter(pk=seat.pk).exists():
            raise IdentificationError(_("Only a designated interviewer writes the report."))
        if interview.reported_at is not None:
            raise IdentificationError(_("The interview report was already added to the file."))
        interview.held_on = held_on
        interview.report = report.strip()
        interview.reported_by = _user(actor)
        interview.reported_at = timezone.now()
        interview.save(update_fields=["held_on", "report", "reported_by", "reported_at"])
        CaseEvent.log(locked.case, "identification.interview_report", actor=actor)
        record(
            "platform.interview_report",
            target=locked,
            actor=actor,
            details={"case": locked.case_id, "member": seat.pk},
        )
    return interview


@retried_atomic
def request_information(referral: Referral, *, question: str, actor: Actor) -> InformationRequest:
    """The chair's decision “more information needed”: the clock stops and the referring
    organisation is asked a question."""
    if not question.strip():
        raise IdentificationError(_("Write the question to the referring organisation."))
    with transaction.atomic():
        locked = _lock(referral)
        _not_decided(locked)
        chair = _chair_seat(locked, actor)
        if locked.information_requests.filter(answered_at__isnull=True).exists():
            raise IdentificationError(
                _("A question is already waiting for the referring organisation's answer.")
            )
        today = _today()
        info = InformationRequest.objects.create(
            referral=locked, question=question.strip(), asked_by=_user(actor), paused_on=today
        )
        locked.paused_since = today
        locked.save(update_fields=["paused_since"])
        _mark_received(locked)
        CaseEvent.log(
            locked.case,
            "identification.information_requested",
            actor=actor,
            details={"referral": locked.pk},
        )
        record(
            "platform.information_requested",
            target=locked,
            actor=actor,
            details={"case": locked.case_id, "question": info.pk, **_chair_details(chair)},
        )
        notifications.notify_referrer(
            locked, "identification.question", notifications.QUESTION_ASKED
        )
    return info


@retried_atomic
def answer_information_request(
    info: InformationRequest, *, answer: str, actor: Actor
) -> InformationRequest:
    """The referring organisation answers; the clock resumes and the deadline moves by the
    days it was paused."""
    if not answer.strip():
        raise IdentificationError(_("Write your answer."))
    membership = _membership(actor)
    with transaction.atomic():
        locked = _lock(info.referral)
        _require_referrer(locked, membership)
        current = InformationRequest.objects.select_for_update(of=("self",)).get(pk=info.pk)
        if current.answered_at is not None:
            raise IdentificationError(_("This question was already answered."))
        _not_decided(locked)
        today = _today()
        new_due, days = extended_due(
            locked.decision_due, current.paused_on, today, locked.route, locked.case.territory
        )
        current.answer = answer.strip()
        current.answered_by = _user(actor)
        current.answered_for = membership.organisation
        current.answered_at = timezone.now()
        current.resumed_on = today
        current.save(
            update_fields=["answer", "answered_by", "answered_for", "answered_at", "resumed_on"]
        )
        previous_due = locked.decision_due
        locked.decision_due = new_due
        locked.paused_since = None
        locked.paused_days += days
        locked.save(update_fields=["decision_due", "paused_since", "paused_days"])
        CaseEvent.log(
            locked.case,
            "identification.information_provided",
            actor=actor,
            details={"referral": locked.pk, "paused_days": days},
        )
        record(
            "platform.information_provided",
            target=locked,
            actor=actor,
            details={
                "case": locked.case_id,
                "question": current.pk,
                "paused_days": days,
                "due_before": previous_due.isoformat(),
                "due_after": new_due.isoformat(),
            },
        )
        notifications.notify_platform(
            locked, "identification.answer", notifications.QUESTION_ANSWERED, exclude=set()
        )
    return current


# Decisions ------------------------------------------------------------------------------


def _record_decision(
    locked: Referral,
    *,
    outcome: str,
    reasons: str,
    actor: Actor,
    organisation: Organisation,
    platform: Platform | None = None,
    chair: PlatformMember | None = None,
    voters: Iterable[PlatformMember] = (),
    tally: dict[str, int] | None = None,
) -> IdentificationDecision:
    """Write the decision and move the case. The caller holds the referral's lock."""
    case = Case.objects.get(pk=locked.case_id)
    before = case.status
    today = _today()
    try:
        with transaction.atomic():
            decision = IdentificationDecision.objects.create(
                referral=locked,
                case=case,
                route=locked.route,
                outcome=outcome,
                reasons=reasons.strip(),
                decided_on=today,
                decided_by=_user(actor),
                organisation=organisation,
                platform=platform,
                chair=chair,
                tally=tally or {},
                status_before=before,
                status_after=before,
            )
    except IntegrityError as exc:  # the database's guarantee, if the lock was bypassed
        raise IdentificationError(_("The decision on this case was already taken.")) from exc
    decision.voters.set(list(voters))
    target = (
        IdentificationStatus.IDENTIFIED_VICTIM
        if outcome == Outcome.IDENTIFIED
        else IdentificationStatus.NOT_IDENTIFIED
    )
    # Identified by any route, the person keeps the status: a later negative decision (say,
    # on the judicial route) does not take it away. Not identified twice stays not identified.
    if case.can_transition(target):
        case.transition(target, actor=actor)
    decision.status_after = case.status
    if case.status == IdentificationStatus.NOT_IDENTIFIED and outcome == Outcome.NOT_IDENTIFIED:
        decision.reconsideration_due = due_date("reconsideration_request", today, case.territory)
    decision.save(update_fields=["status_after", "reconsideration_due"])
    locked.status = ReferralStatus.DECIDED
    if locked.received_at is None:
        locked.received_at = timezone.now()
    locked.paused_since = None
    locked.save(update_fields=["status", "received_at", "paused_since"])
    CaseEvent.log(
        case,
        "identification.decision",
        actor=actor,
        source=before,
        target=case.status,
        details={"decision": decision.pk, "route": locked.route, "outcome": outcome},
    )
    record(
        "identification.decision",
        target=decision,
        actor=actor,
        details={
            "case": case.pk,
            "referral": locked.pk,
            "route": locked.route,
            "outcome": outcome,
            "status_before": before,
            "status_after": case.status,
            "voters": sorted(member.pk for member in decision.voters.all()),
            **_chair_details(chair),
        },
    )
    notifications.notify_referrer(
        locked, "identification.decision", notifications.DECISION_RECORDED
    )
    return decision


@retried_atomic
def record_platform_decision(
    referral: Referral, *, outcome: str, reasons: str, actor: Actor
) -> IdentificationDecision:
    """The chair records the platform's decision: refused without quorum and mix (counted
    among the members who voted and are not excluded), and taken exactly once."""
    if outcome not in Outcome.values:
        raise IdentificationError(_("Choose the decision."))
    if not reasons.strip():
        raise IdentificationError(_("Give the reasons for the decision."))
    with transaction.atomic():
        locked = _lock(referral)
        _not_decided(locked)
        chair = _chair_seat(locked, actor)
        if locked.information_requests.filter(answered_at__isnull=True).exists():
            raise IdentificationError(
                _("The referring organisation has not answered the platform's question yet.")
            )
        counted = composition(locked)
        missing = counted.missing()
        if missing:
            raise IdentificationError(
                _("The decision cannot be taken: %(missing)s.") % {"missing": "; ".join(missing)}
            )
        return _record_decision(
            locked,
            outcome=outcome,
            reasons=reasons,
            actor=actor,
            organisation=chair.organisation,
            platform=chair.platform,
            chair=chair,
            voters=counted.voters,
            tally=counted.tally,
        )


# Judicial route ------------------------------------------------------------------------


def _require_judicial_service(referral: Referral, actor: Actor) -> Membership:
    membership = _membership(actor)
    if (
        referral.route != Route.JUDICIAL
        or membership.organisation_id != referral.target_id
        or not membership.can(Capability.JUDICIAL_IDENTIFICATION)
    ):
        raise IdentificationError(_("Only the judicial service the case was referred to can."))
    return membership


@retried_atomic
def record_statement(
    referral: Referral,
    *,
    kind: str,
    recorded_on: datetime.date,
    service: str,
    offence: str,
    procedure_reference: str,
    actor: Actor,
) -> JudicialRecord:
    """The complaint or testimony, as the service received it. The prosecutor's office contact
    persons of the département are informed (case reference only)."""
    if kind not in StatementKind.values:
        raise IdentificationError(_("Say whether it is a complaint or a testimony."))
    if recorded_on > _today():
        raise IdentificationError(_("The date cannot be in the future."))
    if not (service.strip() and offence.strip() and procedure_reference.strip()):
        raise IdentificationError(
            _("Give the service, the offence as qualified and the procedure reference.")
        )
    with transaction.atomic():
        locked = _lock(referral)
        membership = _require_judicial_service(locked, actor)
        _not_decided(locked)
        if JudicialRecord.objects.filter(referral=locked).exists():
            raise IdentificationError(_("The complaint or testimony was already recorded."))
        statement = JudicialRecord.objects.create(
            referral=locked,
            kind=kind,
            recorded_on=recorded_on,
            service=service.strip(),
            offence=offence.strip(),
            procedure_reference=procedure_reference.strip(),
            recorded_by=_user(actor),
            organisation=membership.organisation,
        )
        _mark_received(locked)
        CaseEvent.log(
            locked.case,
            "identification.statement_recorded",
            actor=actor,
            details={"referral": locked.pk, "kind": kind},
        )
        record(
            "judicial.statement_recorded",
            target=locked,
            actor=actor,
            details={"case": locked.case_id, "kind": kind},
        )
        notifications.notify_prosecutor(
            locked.case, "identification.statement", notifications.STATEMENT_RECORDED
        )
    return statement


@retried_atomic
def record_judicial_decision(
    referral: Referral, *, outcome: str, reasons: str, actor: Actor
) -> IdentificationDecision:
    """The formal identification recorded in the judicial procedure, with reasons."""
    if outcome not in Outcome.values:
        raise IdentificationError(_("Choose the decision."))
    if not reasons.strip():
        raise IdentificationError(_("Give the reasons for the decision."))
    with transaction.atomic():
        locked = _lock(referral)
        membership = _require_judicial_service(locked, actor)
        _not_decided(locked)
        if not JudicialRecord.objects.filter(referral=locked).exists():
            raise IdentificationError(
                _("Record the complaint or testimony before the identification decision.")
            )
        decision = _record_decision(
            locked,
            outcome=outcome,
            reasons=reasons,
            actor=actor,
            organisation=membership.organisation,
        )
        notifications.notify_prosecutor(
            locked.case, "identification.judicial_decision", notifications.JUDICIAL_DECISION
        )
    return decision


@retried_atomic
def end_cooperation(referral: Referral, *, actor: Actor) -> JudicialRecord:
    """The person stops cooperating with the criminal investigation. Recorded for the file;
    the identification status and the rights it gives are kept."""
    membership = _membership(actor)
    with transaction.atomic():
        locked = _lock(referral)
        statement = (
            JudicialRecord.objects.select_for_update(of=("self",)).filter(referral=locked).first()
        )
        judicial_service = membership.organisation_id == locked.target_id and membership.can(
            Capability.JUDICIAL_IDENTIFICATION
        )
        referrer = membership.organisation_id == locked.referring_organisation_id and (
            membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE)
        )
        if locked.route != Route.JUDICIAL or not (judicial_service or referrer):
            raise IdentificationError(
                _("Only the judicial service or the referring organisation records this.")
            )
        if statement is None:
            raise IdentificationError(_("No complaint or testimony was recorded."))
        if statement.cooperation_ended_on is not None:
            raise IdentificationError(_("The end of cooperation was already recorded."))
        statement.cooperation_ended_on = _today()
        statement.cooperation_ended_by = _user(actor)
        statement.save(update_fields=["cooperation_ended_on", "cooperation_ended_by"])
        CaseEvent.log(
            locked.case,
            "identification.cooperation_ended",
            actor=actor,
            details={"referral": locked.pk},
        )
        record(
            "judicial.cooperation_ended",
            target=locked,
            actor=actor,
            details={"case": locked.case_id, "status_kept": locked.case.status},
        )
    return statement


# Reconsideration ------------------------------------------------------------------------


@retried_atomic
def request_reconsideration(
    decision: IdentificationDecision, *, new_elements: str, actor: Actor
) -> Referral:
    """The referring organisation asks, with new elements and in time, that a negative decision
    be examined again — by platform members who did not take it."""
    from opennrm.identification.services import eligible_targets

    if not new_elements.strip():
        raise IdentificationError(_("Give the new elements that justify a reconsideration."))
    membership = _membership(actor)
    with transaction.atomic():
        original = _lock(decision.referral)
        current = IdentificationDecision.objects.select_related("case").get(pk=decision.pk)
        case = current.case
        _require_referrer(original, membership)
        if not current.is_negative:
            raise IdentificationError(_("Only a negative decision can be reconsidered."))
        if case.status != IdentificationStatus.NOT_IDENTIFIED:
            raise IdentificationError(
                _("The person is no longer “not identified”: there is nothing to reconsider.")
            )
        if Referral.objects.filter(reconsideration_of=current).exists():
            raise IdentificationError(_("A reconsideration of this decision was already asked."))
        today = _today()
        if current.reconsideration_due is None or today > current.reconsideration_due:
            raise IdentificationError(
                _("The time limit to ask for a reconsideration ended on %(day)s.")
                % {
                    "day": date_format(current.reconsideration_due, "SHORT_DATE_FORMAT")
                    if current.reconsideration_due
                    else "—"
                }
            )
        target = eligible_targets(case, Route.PLATFORM).first()
        if target is None:
            raise IdentificationError(
                _("No local coordination of this département receives platform referrals.")
            )
        consent = None if case.child else case.active_consent(ConsentScope.REFERRAL)
        if not case.child and consent is None:
            raise IdentificationError(
                _("An adult's case is examined again only with their recorded consent.")
            )
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    case=case,
                    territory_id=case.territory_id,
                    route=Route.PLATFORM,
                    target=target,
                    consent=consent,
                    referred_by=_user(actor),
                    referring_organisation=membership.organisation,
                    decision_due=due_date("platform_decision", today, case.territory),
                    reconsideration_of=current,
                    new_elements=new_elements.strip(),
                    # What the person agreed to share for the first examination.
                    file_items=list(current.referral.file_items),
                    withheld_evidence=list(current.referral.withheld_evidence),
                )
        except IntegrityError as exc:
            raise IdentificationError(
                _("A reconsideration of this decision was already asked.")
            ) from exc
        case.share_with(target, ShareReason.REFERRAL, actor=actor, consent=consent, identity=False)
        CaseEvent.log(
            case,
            "identification.reconsideration_requested",
            actor=actor,
            details={"decision": current.pk, "referral": referral.pk},
        )
        record(
            "identification.reconsideration_requested",
            target=referral,
            actor=actor,
            details={"case": case.pk, "decision": current.pk},
        )
        notifications.notify_new_referral(referral)
    return referral
