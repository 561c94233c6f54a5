"""Recognising an authorised reporter, renewing, withdrawing, and the lapse of an expired
recognition: each in one transaction (recognition row, organisation fields, transition, audit).

Only an actor whose role has `Capability.RECOGNISE` (the profile's competent body: the national
coordinator) recognises, renews or withdraws; the expiry is the system's.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile
from opennrm.recognition.models import Recognition, RecognitionTransition, Status, Transition


def may_recognise(actor: Actor) -> bool:
    return actor.can(Capability.RECOGNISE)


def may_be_recognised(organisation: Organisation) -> bool:
    kind = active_profile().organisation_type(organisation.kind)
    return kind is not None and kind.may_be_authorised_reporter


def _require(actor: Actor) -> None:
    if not may_recognise(actor):
        raise PermissionDenied("Only the competent body recognises authorised reporters.")


def _check_codes(forms_of_exploitation: list[str], clauses: list[str]) -> None:
    profile = active_profile()
    forms = {form.code for form in profile.forms_of_exploitation}
    known_clauses = {clause.code for clause in profile.recognition.agreement_clauses}
    if set(forms_of_exploitation) - forms:
        raise ValidationError({"forms_of_exploitation": _("Unknown form of exploitation.")})
    if set(clauses) - known_clauses:
        raise ValidationError({"agreement_clauses": _("Unknown clause of the agreement.")})


def recognise(
    organisation: Organisation,
    *,
    actor: Actor,
    reference: str,
    recognised_on: datetime.date,
    expires_on: datetime.date | None = None,
    forms_of_exploitation: Iterable[str] = (),
    territories: Iterable[Territory] = (),
    agreement_clauses: Iterable[str] = (),
    agreement_signed_on: datetime.date | None = None,
    agreement_expires_on: datetime.date | None = None,
) -> Recognition:
    """Recognise the organisation, or renew its recognition: the one in force (if any) is
    superseded by the new record, never edited."""
    _require(actor)
    if not may_be_recognised(organisation):
        raise ValidationError(_("This type of organisation cannot be recognised."))
    forms = sorted(set(forms_of_exploitation))
    clauses = sorted(set(agreement_clauses))
    _check_codes(forms, clauses)
    if not reference.strip():
        raise ValidationError({"reference": _("Give the reference of the recognition.")})
    if expires_on is not None and expires_on <= recognised_on:
        raise ValidationError({"expires_on": _("The expiry must come after the recognition.")})
    if (
        agreement_signed_on is not None
        and agreement_expires_on is not None
        and agreement_expires_on <= agreement_signed_on
    ):
        raise ValidationError(
            {"agreement_expires_on": _("The expiry must come after the signature.")}
        )
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        current = Recognition.objects.filter(
            organisation=organisation, status=Status.IN_FORCE
        ).first()
        previous = current or (
            Recognition.objects.filter(organisation=organisation, renewed_by__isnull=True)
            .exclude(status=Status.WITHDRAWN)
            .first()
        )
        if current is not None:
            current.status = Status.SUPERSEDED
            current.ended_on = recognised_on
            current.save(update_fields=["status", "ended_on"])
        recognition = Recognition.objects.create(
            organisation=organisation,
            reference=reference.strip(),
            recognised_on=recognised_on,
            expires_on=expires_on,
            forms_of_exploitation=forms,
            agreement_clauses=clauses,
            agreement_signed_on=agreement_signed_on,
            agreement_expires_on=agreement_expires_on,
            replaces=previous,
        )
        recognition.territories.set(list(territories))
        action = Transition.RENEWED if previous is not None else Transition.RECOGNISED
        RecognitionTransition.objects.create(recognition=recognition, action=action, by=actor.user)
        organisation.authorised_reporter = True
        organisation.reporter_recognised_on = recognised_on
        organisation.reporter_recognition_ref = recognition.reference
        organisation.agreement_signed_on = agreement_signed_on
        organisation.save(
            update_fields=[
                "authorised_reporter",
                "reporter_recognised_on",
                "reporter_recognition_ref",
                "agreement_signed_on",
            ]
        )
        record(
            "recognition.renewed" if previous is not None else "recognition.recognised",
            actor=actor,
            target=recognition,
            details={
                "organisation": organisation.pk,
                "replaces": previous.pk if previous is not None else None,
            },
        )
    return recognition


def _end(
    recognition: Recognition,
    audit_action: str,
    *,
    status: Status,
    action: Transition,
    actor: Actor,
    on: datetime.date,
    reason: str = "",
) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=recognition.organisation_id)
    recognition.status = status
    recognition.ended_on = on
    recognition.withdrawal_reason = reason
    recognition.save(update_fields=["status", "ended_on", "withdrawal_reason"])
    RecognitionTransition.objects.create(
        recognition=recognition, action=action, by=actor.user, reason=reason
    )
    organisation.authorised_reporter = False
    organisation.save(update_fields=["authorised_reporter"])
    record(
        audit_action,
        actor=actor,
        target=recognition,
        details={"organisation": organisation.pk},
    )


def withdraw(
    organisation: Organisation,
    *,
    actor: Actor,
    reason: str,
    on: datetime.date | None = None,
) -> Recognition:
    """Withdraw the recognition in force, with a reason: the organisation is no longer an
    authorised reporter."""
    _require(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    with transaction.atomic():
        recognition = (
            Recognition.objects.select_for_update()
            .filter(organisation=organisation, status=Status.IN_FORCE)
            .first()
        )
        if recognition is None:
            raise ValidationError(_("This organisation has no recognition in force."))
        _end(
            recognition,
            status=Status.WITHDRAWN,
            action=Transition.WITHDRAWN,
            actor=actor,
            on=on or timezone.localdate(),
            audit_action="recognition.withdrawn",
            reason=reason.strip(),
        )
    return recognition


def lapse_expired(today: datetime.date, actor: Actor) -> int:
    """End the recognitions in force whose recognition (or agreement) has expired."""
    lapsed = 0
    expired = Recognition.objects.in_force().filter(
        Q(expires_on__lt=today) | Q(agreement_expires_on__lt=today)
    )
    for pk in list(expired.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            recognition = (
                Recognition.objects.select_for_update()
                .filter(pk=pk, status=Status.IN_FORCE)
                .first()
            )
            if recognition is None:
                continue
            _end(
                recognition,
                status=Status.EXPIRED,
                action=Transition.EXPIRED,
                actor=actor,
                on=today,
                audit_action="recognition.expired",
            )
            lapsed += 1
    return lapsed
