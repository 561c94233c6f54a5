"""Residence pathway, non-punishment, compensation and labour rights of a case, for the
responsible organisation's field staff; the documents that name the person (PDF) only for
those who may see the identity, each download audited (residence outcomes per authority:
opennrm.web.monitoring).
"""

from functools import partial

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.audit.trail import record
from opennrm.cases.access import get_identity
from opennrm.documents import resolve_language
from opennrm.profiles.loader import active_profile
from opennrm.support import compensation, non_punishment, residence
from opennrm.support.access import (
    get_case_for_support,
    get_compensation_claim,
    get_non_punishment_record,
    get_residence_application,
)
from opennrm.support.documents import render_non_punishment_note, render_residence_letter
from opennrm.support.models import (
    ClaimOutcome,
    NonPunishmentOutcome,
    ResidenceOutcome,
)
from opennrm.web.acting import ActingRequest
from opennrm.web.formtools import posted, submit, submit_button
from opennrm.web.support.forms import (
    CompensationDecisionForm,
    CompensationForm,
    DateForm,
    NonPunishmentForm,
    NonPunishmentOutcomeForm,
    ReceiptForm,
    RenewalForm,
    ResidenceApplicationForm,
    ResidenceDecisionForm,
)
from opennrm.web.support.views.plan import render_support

RENEWAL_NOTICE_DAYS = residence.RENEWAL_NOTICE_DAYS


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # The file name holds the case reference only: no personal data.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _language(request: ActingRequest) -> str:
    requested = request.GET.get("language", active_profile().default_language)
    return resolve_language(requested, active_profile().default_language)[0]


# Residence -------------------------------------------------------------------------------


def residence_list(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    form = ResidenceApplicationForm(posted(request), prefectures=residence.prefectures(case))
    act = partial(residence.apply, case, actor=request.actor)
    if done := submit(request, form, act, _("Application recorded.")):
        return redirect("web:support_residence_detail", reference=case.reference, pk=done.result.pk)
    return render_support(
        request,
        "residence_list.html",
        case,
        "residence",
        form=form,
        applications=case.residence_applications.select_related("prefecture"),
        renewal_due=set(
            case.residence_applications.renewal_due(RENEWAL_NOTICE_DAYS).values_list(
                "pk", flat=True
            )
        ),
    )


def residence_detail(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    application = get_residence_application(request.actor, case, pk)
    return render_support(
        request,
        "residence_detail.html",
        case,
        "residence",
        application=application,
        decision_form=ResidenceDecisionForm(),
        receipt_form=ReceiptForm(),
        renewal_form=RenewalForm(),
        Outcome=ResidenceOutcome,
        renewal_due=case.residence_applications.renewal_due(RENEWAL_NOTICE_DAYS)
        .filter(pk=application.pk)
        .exists(),
        renewals=application.renewals.all(),
        languages=_document_languages(),
    )


def _document_languages() -> list[tuple[str, str]]:
    from opennrm.documents import available_languages
    from opennrm.documents.rendering import language_name

    return [(code, language_name(code)) for code in available_languages()]


@require_POST
def residence_decide(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    application = get_residence_application(request.actor, case, pk)
    submit_button(
        request,
        ResidenceDecisionForm(request.POST),
        partial(residence.decide, application, actor=request.actor),
        _("Outcome recorded."),
    )
    return redirect("web:support_residence_detail", reference=case.reference, pk=application.pk)


@require_POST
def residence_receipt(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    application = get_residence_application(request.actor, case, pk)
    submit_button(
        request,
        ReceiptForm(request.POST),
        partial(residence.record_receipt, application, actor=request.actor),
        _("Receipt recorded."),
    )
    return redirect("web:support_residence_detail", reference=case.reference, pk=application.pk)


@require_POST
def residence_renew(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    application = get_residence_application(request.actor, case, pk)
    renewal = submit_button(
        request,
        RenewalForm(request.POST),
        partial(residence.renew, application, actor=request.actor),
        _("Renewal application recorded."),
    )
    shown = renewal.result if renewal else application
    return redirect("web:support_residence_detail", reference=case.reference, pk=shown.pk)


def residence_letter(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    """The letter supporting the application (PDF). It names the person: identity needed."""
    case = get_case_for_support(request.actor, reference)
    application = get_residence_application(request.actor, case, pk)
    person = get_identity(request.actor, case)
    language = _language(request)
    content = render_residence_letter(
        application, person=person, issuer=case.owner, language=language
    )
    record(
        "document.residence_letter",
        target=application,
        actor=request.actor,
        details={"case": case.pk, "language": language},
    )
    return _pdf(content, f"residence-{case.reference}.pdf")


# Non-punishment --------------------------------------------------------------------------


def non_punishment_list(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    form = NonPunishmentForm(posted(request), prosecutors=non_punishment.prosecutors(case))
    act = partial(non_punishment.record_offences, case, actor=request.actor)
    if done := submit(request, form, act, _("Offences and constraint recorded.")):
        return redirect(
            "web:support_non_punishment_detail", reference=case.reference, pk=done.result.pk
        )
    return render_support(
        request,
        "non_punishment_list.html",
        case,
        "non_punishment",
        form=form,
        entries=case.non_punishment_records.select_related("prosecutor"),
    )


def non_punishment_detail(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    entry = get_non_punishment_record(request.actor, case, pk)
    return render_support(
        request,
        "non_punishment_detail.html",
        case,
        "non_punishment",
        entry=entry,
        sent_form=DateForm(),
        outcome_form=NonPunishmentOutcomeForm(),
        Outcome=NonPunishmentOutcome,
        languages=_document_languages(),
    )


@require_POST
def non_punishment_sent(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    entry = get_non_punishment_record(request.actor, case, pk)
    submit_button(
        request,
        DateForm(request.POST),
        lambda day: non_punishment.mark_note_sent(entry, actor=request.actor, sent_on=day),
        _("Note recorded as sent."),
    )
    return redirect("web:support_non_punishment_detail", reference=case.reference, pk=entry.pk)


@require_POST
def non_punishment_outcome(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    entry = get_non_punishment_record(request.actor, case, pk)
    submit_button(
        request,
        NonPunishmentOutcomeForm(request.POST),
        partial(non_punishment.record_outcome, entry, actor=request.actor),
        _("Outcome recorded."),
    )
    return redirect("web:support_non_punishment_detail", reference=case.reference, pk=entry.pk)


def non_punishment_note(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    """The note to the prosecutor's office contact person (PDF). It names the person."""
    case = get_case_for_support(request.actor, reference)
    entry = get_non_punishment_record(request.actor, case, pk)
    person = get_identity(request.actor, case)
    language = _language(request)
    content = render_non_punishment_note(entry, person=person, issuer=case.owner, language=language)
    record(
        "document.non_punishment_note",
        target=entry,
        actor=request.actor,
        details={"case": case.pk, "language": language},
    )
    return _pdf(content, f"non-punishment-{case.reference}.pdf")


# Compensation ----------------------------------------------------------------------------


def compensation_list(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    form = CompensationForm(posted(request))
    act = partial(compensation.lodge, case, actor=request.actor)
    if done := submit(request, form, act, _("Claim recorded.")):
        return redirect(
            "web:support_compensation_detail", reference=case.reference, pk=done.result.pk
        )
    return render_support(
        request,
        "compensation_list.html",
        case,
        "compensation",
        form=form,
        claims=case.compensation_claims.all(),
    )


def compensation_detail(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    claim = get_compensation_claim(request.actor, case, pk)
    initial = {field: getattr(claim, field) for field in compensation.UPDATABLE}
    form = CompensationForm(posted(request), editing=True, initial=initial)
    act = partial(compensation.update, claim, actor=request.actor)
    if submit(request, form, act, _("Claim updated.")):
        return redirect("web:support_compensation_detail", reference=case.reference, pk=claim.pk)
    return render_support(
        request,
        "compensation_detail.html",
        case,
        "compensation",
        claim=claim,
        form=form,
        decision_form=CompensationDecisionForm(),
        Outcome=ClaimOutcome,
    )


@require_POST
def compensation_decide(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    claim = get_compensation_claim(request.actor, case, pk)
    submit_button(
        request,
        CompensationDecisionForm(request.POST),
        partial(compensation.decide, claim, actor=request.actor),
        _("Outcome recorded."),
    )
    return redirect("web:support_compensation_detail", reference=case.reference, pk=claim.pk)
