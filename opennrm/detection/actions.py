"""Use cases of detection and preliminary identification. Each checks its rules, writes the
case's timeline and the audit trail, in one transaction. Views call these; they never save."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases import hooks
from opennrm.cases.duplicates import check_for_duplicates
from opennrm.cases.enums import (
    ConsentScope,
    DetectionChannel,
    FileItem,
    IdentificationStatus,
    ShareReason,
)
from opennrm.cases.models import (
    Case,
    CaseEvent,
    Consent,
    Person,
    TransitionError,
)
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.core.timeframes import due_date
from opennrm.detection.enums import AgeGroup, AssessmentConclusion, ConcernStatus
from opennrm.detection.models import (
    AnonymousNotification,
    ChildProtectionAlert,
    Concern,
    Guardian,
    PreliminaryAssessment,
    RightsInformation,
)
from opennrm.detection.notifications import notify_concern_to_triage
from opennrm.detection.rules import reporter_refusal
from opennrm.support.services import open_protection


def _organisation(actor: Actor) -> Organisation:
    membership = actor.membership
    if membership is None:
        raise TransitionError(_("You act for no organisation."))
    organisation: Organisation = membership.organisation
    return organisation


# Concerns -------------------------------------------------------------------------------


def submit_concern(actor: Actor, *, submission_key: str = "", **values: Any) -> Concern:
    """A concern from the public (no account) or received by staff (hotline, outreach…).

    With a `submission_key` (the random key of the form), sending the same form again returns
    the concern stored the first time and stores nothing: `Concern.was_resent` is then True."""
    if submission_key:
        stored = Concern.objects.filter(submission_key=submission_key).first()
        if stored is not None:
            stored.was_resent = True
            return stored
        try:
            with transaction.atomic():
                return _store_concern(actor, submission_key, values)
        except (IntegrityError, ValidationError):
            # The same form sent twice at the same moment: one is stored. The other fails on
            # the unique key, in the database (IntegrityError) or, when the first committed
            # just before, in the model's validation of its constraints (ValidationError).
            stored = Concern.objects.filter(submission_key=submission_key).first()
            if stored is None:
                raise  # a real error in what was sent
            stored.was_resent = True
            return stored
    return _store_concern(actor, submission_key, values)


def _store_concern(actor: Actor, submission_key: str, values: dict[str, Any]) -> Concern:
    staff = actor.is_authenticated
    with transaction.atomic():
        concern = Concern(
            triage_due=due_date("concern_triage", timezone.localdate(), values["territory"]),
            created_by=actor.signed_in_user() if staff else None,
            created_for=_organisation(actor) if staff else None,
            submission_key=submission_key,
            **values,
        )
        concern.full_clean()
        concern.save()
        # A member of the public reports anonymously: their address is not kept, even in audit.
        record(
            "concern.create",
            target=concern,
            actor=actor if staff else Actor.public(channel=actor.channel),
            details={"channel": concern.channel},
        )
        # With the concern, in its transaction: the coordinators are told of it (and e-mailed
        # as they chose) exactly when it is stored.
        notify_concern_to_triage(concern)
    return concern


def _mark_triaged(concern: Concern, status: str, actor: Actor, **extra: Any) -> None:
    updated = Concern.objects.filter(pk=concern.pk, status=ConcernStatus.NEW).update(
        status=status, triaged_at=timezone.now(), triaged_by=actor.user, **extra
    )
    if not updated:
        raise TransitionError(_("This concern was already triaged."))
    concern.refresh_from_db()


def open_case_from_concern(concern: Concern, *, owner: Organisation, actor: Actor) -> Case:
    """The coordinator opens a case and gives it to a field organisation to assess."""
    coordination = _organisation(actor)
    with transaction.atomic():
        case = _create_case(
            actor,
            person=Person(may_be_child=concern.child_involved == "yes"),
            owner=owner,
            territory=concern.territory,
            channel=concern.channel,
            detected_by=coordination,
            detected_on=concern.received_at.date(),
            sector=concern.sector if concern.sector != "unknown" else "",
        )
        _mark_triaged(concern, ConcernStatus.CASE_OPENED, actor, case=case)
        if owner.pk != coordination.pk:
            case.share_with(coordination, ShareReason.COORDINATION, actor=actor)
        CaseEvent.log(case, "concern.triaged", actor=actor, details={"concern": concern.pk})
        record("concern.open_case", target=concern, actor=actor, details={"case": case.pk})
    return case


def attach_concern(concern: Concern, *, case: Case, actor: Actor) -> None:
    with transaction.atomic():
        _mark_triaged(concern, ConcernStatus.ATTACHED, actor, case=case)
        CaseEvent.log(case, "concern.attached", actor=actor, details={"concern": concern.pk})
        record("concern.attach", target=concern, actor=actor, details={"case": case.pk})


def close_concern(concern: Concern, *, reason: str, note: str, actor: Actor) -> None:
    with transaction.atomic():
        _mark_triaged(
            concern, ConcernStatus.CLOSED, actor, closing_reason=reason, closing_note=note
        )
        record("concern.close", target=concern, actor=actor, details={"reason": reason})


# Cases ----------------------------------------------------------------------------------


def _create_case(actor: Actor, *, person: Person, **values: Any) -> Case:
    person.full_clean()
    person.save()
    case = Case(person=person, **values)
    case.refresh_age()
    case.assessment_due = due_date("preliminary_assessment", timezone.localdate(), case.territory)
    case.full_clean()
    case.save()
    CaseEvent.log(case, "case.opened", actor=actor, target=case.status)
    record("case.create", target=case, actor=actor, details={"channel": case.channel})
    record("person.create", target=person, actor=actor, details={"case": case.pk})
    # Another organisation may already know this person: record whom to contact (only that).
    check_for_duplicates(case, actor=actor)
    return case


def open_case_directly(
    actor: Actor, *, person: Person, channel: str = DetectionChannel.DIRECT, **values: Any
) -> Case:
    """A field organisation meets a person and opens the case itself."""
    organisation = _organisation(actor)
    with transaction.atomic():
        return _create_case(
            actor,
            person=person,
            owner=organisation,
            detected_by=organisation,
            channel=channel,
            **values,
        )


CASE_DETAIL_FIELDS = ("forms", "sector", "places", "period_start", "period_end")


def update_case_details(
    actor: Actor, case: Case, values: dict[str, Any], changed: list[str]
) -> None:
    """Complete what is known of the exploitation (forms, sector, places, period)."""
    fields = [name for name in changed if name in CASE_DETAIL_FIELDS]
    with transaction.atomic():
        for name in fields:
            setattr(case, name, values[name])
        case.full_clean()
        case.save(update_fields=fields or None)
        CaseEvent.log(case, "case.updated", actor=actor, details={"fields": sorted(fields)})
        record("case.update", target=case, actor=actor, details={"fields": sorted(fields)})


# Preliminary assessment -----------------------------------------------------------------


def start_assessment(
    case: Case, *, set_code: str, version: str, actor: Actor
) -> PreliminaryAssessment:
    if case.status not in {
        IdentificationStatus.PRELIMINARY_ASSESSMENT,
        IdentificationStatus.NOT_PRESUMED,
    }:
        raise TransitionError(_("The preliminary assessment of this case is already concluded."))
    with transaction.atomic():
        assessment = PreliminaryAssessment.objects.create(
            case=case,
            catalogue_version=version,
            set_code=set_code,
            assessed_by=actor.signed_in_user(),
            organisation=_organisation(actor),
        )
        CaseEvent.log(case, "assessment.started", actor=actor, details={"set": set_code})
        record("assessment.create", target=assessment, actor=actor, details={"case": case.pk})
    return assessment


def save_answers(
    assessment: PreliminaryAssessment, answers: dict[str, dict[str, str]], *, actor: Actor
) -> None:
    """Save a draft: nothing typed is lost, whatever is still missing."""
    if assessment.is_final:
        raise TransitionError(_("A concluded assessment cannot be changed."))
    with transaction.atomic():
        PreliminaryAssessment.objects.filter(pk=assessment.pk).update(
            answers=answers, updated_at=timezone.now()
        )
        assessment.answers = answers
        record(
            "assessment.save_draft",
            target=assessment,
            actor=actor,
            details={"case": assessment.case_id},
        )


def conclude_assessment(
    assessment: PreliminaryAssessment,
    *,
    conclusion: str,
    reasons: str,
    engine_outcome: str,
    engine_summary: dict[str, Any],
    actor: Actor,
) -> None:
    """The professional decides, with reasons; the engine only advises."""
    membership = actor.membership
    if conclusion == AssessmentConclusion.PRESUMED_VICTIM:
        refusal = reporter_refusal(membership, timezone.localdate())
        if refusal:
            raise TransitionError(refusal)
    differs = engine_outcome != conclusion
    if differs and not reasons.strip():
        raise TransitionError(
            _("Your conclusion differs from the indicators' advice: give your reasons.")
        )
    if not reasons.strip() and conclusion == AssessmentConclusion.NOT_PRESUMED:
        raise TransitionError(_("Give the reasons for your conclusion."))
    case = assessment.case
    with transaction.atomic():
        updated = PreliminaryAssessment.objects.filter(
            pk=assessment.pk, finalised_at__isnull=True
        ).update(
            conclusion=conclusion,
            reasons=reasons,
            engine_outcome=engine_outcome,
            engine_summary=engine_summary,
            finalised_at=timezone.now(),
        )
        if not updated:
            raise TransitionError(_("This assessment was already concluded."))
        if (
            case.status == IdentificationStatus.NOT_PRESUMED
            and conclusion == AssessmentConclusion.NOT_PRESUMED
        ):
            pass  # a second negative assessment leaves the status as it is
        else:
            target = (
                IdentificationStatus.PRESUMED_VICTIM
                if conclusion == AssessmentConclusion.PRESUMED_VICTIM
                else IdentificationStatus.NOT_PRESUMED
            )
            case.transition(target, actor=actor, reason=reasons)
        record(
            "assessment.conclude",
            target=assessment,
            actor=actor,
            details={"case": case.pk, "conclusion": conclusion, "engine": engine_outcome},
        )
        if conclusion == AssessmentConclusion.PRESUMED_VICTIM:
            open_protection(case, actor=actor)


# Rights, consent, children ---------------------------------------------------------------


def record_rights_information(case: Case, *, actor: Actor, **values: Any) -> RightsInformation:
    with transaction.atomic():
        info = RightsInformation(
            case=case, given_by=actor.signed_in_user(), organisation=_organisation(actor), **values
        )
        info.full_clean()
        info.save()
        CaseEvent.log(
            case,
            "rights.informed",
            actor=actor,
            details={
                "language": info.language,
                "interpreter": info.interpreter,
                "leaflet_language": info.leaflet_language,
            },
        )
        record("rights.record", target=info, actor=actor, details={"case": case.pk})
        hooks.file_changed(case, FileItem.RIGHTS, actor)
    return info


def record_consent(
    case: Case,
    *,
    scope: str,
    method: str,
    organisation: Organisation | None,
    actor: Actor,
) -> Consent:
    with transaction.atomic():
        consent = Consent(
            case=case,
            scope=scope,
            method=method,
            organisation=organisation,
            recorded_by=actor.signed_in_user(),
            recorded_for=_organisation(actor),
        )
        consent.full_clean()
        consent.save()
        CaseEvent.log(
            case,
            f"consent.{scope}",
            actor=actor,
            details={"organisation": organisation.pk if organisation else None},
        )
        record(
            "consent.record",
            target=consent,
            actor=actor,
            details={"case": case.pk, "scope": scope},
        )
        if scope == ConsentScope.SHARE and organisation is not None:
            case.share_with(organisation, ShareReason.CONSENTED_SHARE, actor=actor, consent=consent)
    return consent


def record_guardian(case: Case, *, actor: Actor, **values: Any) -> Guardian:
    with transaction.atomic():
        guardian = Guardian(case=case, recorded_by=actor.signed_in_user(), **values)
        guardian.full_clean()
        guardian.save()
        CaseEvent.log(case, "child.guardian", actor=actor, details={"kind": guardian.kind})
        record("guardian.record", target=guardian, actor=actor, details={"case": case.pk})
    return guardian


def alert_child_protection(
    case: Case,
    *,
    service: Organisation | None,
    service_name: str,
    alerted_on: datetime.date,
    actor: Actor,
) -> ChildProtectionAlert:
    """Mandatory for a child, without consent; a service in OpenNRM gets access to the case."""
    if not case.child:
        raise TransitionError(_("Child protection alerts are for children."))
    with transaction.atomic():
        alert = ChildProtectionAlert(
            case=case,
            service=service,
            service_name=service_name,
            alerted_on=alerted_on,
            recorded_by=actor.signed_in_user(),
        )
        alert.full_clean()
        alert.save()
        if service is not None:
            case.share_with(service, ShareReason.CHILD_PROTECTION, actor=actor, identity=True)
        CaseEvent.log(case, "child.protection_alerted", actor=actor)
        record("child_protection.alert", target=alert, actor=actor, details={"case": case.pk})
    return alert


# Anonymous notification ------------------------------------------------------------------


def notify_anonymously(case: Case, *, actor: Actor) -> AnonymousNotification:
    """An adult presumed victim refuses referral: statistics only, assistance goes on."""
    if case.child:
        raise TransitionError(
            _("A child is referred without needing consent: no anonymous notification.")
        )
    if case.status != IdentificationStatus.PRESUMED_VICTIM:
        raise TransitionError(
            _("Only a presumed victim's refusal leads to an anonymous notification.")
        )
    if case.active_consent(ConsentScope.REFERRAL) is not None:
        raise TransitionError(_("The person consented to referral: refer the case instead."))
    person = case.person
    age = case.age_at_detection
    with transaction.atomic():
        notification = AnonymousNotification.objects.create(
            notified_on=timezone.localdate(),
            forms=list(case.forms),
            age_group=AgeGroup.UNKNOWN
            if age is None
            else (AgeGroup.CHILD if age < 18 else AgeGroup.ADULT),
            sex=person.sex,
            nationality=(person.nationalities or [""])[0],
            territory=case.territory,
            sector=case.sector,
            notified_by=_organisation(actor),
        )
        CaseEvent.log(case, "referral.refused", actor=actor)
        record("anonymous_notification.create", target=notification, actor=actor)
    return notification
