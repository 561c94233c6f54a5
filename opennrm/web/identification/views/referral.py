"""Formal identification as the referring organisation follows it (outcome, questions of the
platform, reconsideration, documents for the person) and the in-app notifications (the deadline
lists: opennrm.web.monitoring).

Pages go through opennrm.identification.access: outsiders get 404. Views validate a form and
call an action; they never save.
"""

from functools import partial

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opennrm.audit.trail import record
from opennrm.cases.access import get_identity
from opennrm.cases.enums import IdentificationStatus
from opennrm.core import notifying
from opennrm.core.actions import set_notification_preferences
from opennrm.documents import available_languages
from opennrm.documents.rendering import language_name
from opennrm.identification import actions
from opennrm.identification.access import (
    can_print_for_person,
    can_see_procedure_reference,
    get_case_for_referrer,
    get_decision_for_referrer,
    get_question_for_referrer,
    my_notifications,
    referrals_made,
)
from opennrm.identification.documents import render_decision_letter, render_status_attestation
from opennrm.identification.entitlements import case_entitlements
from opennrm.identification.models import IdentificationDecision, InformationRequest, Outcome
from opennrm.profiles.loader import active_profile
from opennrm.web.acting import ActingRequest
from opennrm.web.formtools import submit, submit_button
from opennrm.web.identification.forms import (
    AnswerForm,
    NotificationPreferencesForm,
    ReconsiderationForm,
    cooperation_form,
)

# The referring organisation ----------------------------------------------------------------


def case_identification(request: ActingRequest, reference: str) -> HttpResponse:
    """Where formal identification stands for a case the organisation referred."""
    case = get_case_for_referrer(request.actor, reference)
    referrals = []
    for referral in (
        case.referrals.select_related(
            "target",
            "referring_organisation",
            "reconsideration_of",
            "judicial_record",
            "decision__organisation",
            "decision__reconsideration",
        )
        .prefetch_related(
            Prefetch(
                "information_requests", queryset=InformationRequest.objects.order_by("asked_at")
            )
        )
        .order_by("referred_at", "pk")
    ):
        decision = getattr(referral, "decision", None)
        referrals.append(
            {
                "referral": referral,
                "statement": getattr(referral, "judicial_record", None),
                "show_procedure_reference": can_see_procedure_reference(request.actor, referral),
                "decision": decision,
                "reconsideration_open": bool(decision and decision.reconsideration_open()),
                "reconsideration": getattr(decision, "reconsideration", None) if decision else None,
                "questions": list(referral.information_requests.all()),
                "mine": referral.referring_organisation_id == request.actor.organisation_id,
            }
        )
    can_print = can_print_for_person(request.actor, case)
    positive = (
        case.identification_decisions.filter(outcome=Outcome.IDENTIFIED)
        .order_by("decided_at")
        .first()
    )
    return render(
        request,
        "web/identification/case.html",
        {
            "case": case,
            "referrals": referrals,
            "entitlements": case_entitlements(case),
            "identified": case.status == IdentificationStatus.IDENTIFIED_VICTIM,
            "positive": positive,
            "can_print": can_print,
            "languages": [(code, language_name(code)) for code in available_languages()],
            "cooperation_form": cooperation_form(),
        },
    )


def answer_question(request: ActingRequest, pk: int) -> HttpResponse:
    info = get_question_for_referrer(request.actor, pk)
    referral = info.referral
    if not info.is_open:
        messages.info(request, _("This question was already answered."))
        return redirect("web:identification", reference=referral.case.reference)
    form = AnswerForm(request.POST or None)
    answered = submit(
        request,
        form,
        partial(actions.answer_information_request, info, actor=request.actor),
        _("Your answer was sent to the platform. The decision clock runs again."),
    )
    if answered:
        return redirect("web:identification", reference=referral.case.reference)
    return render(
        request,
        "web/identification/answer.html",
        {"info": info, "referral": referral, "case": referral.case, "form": form},
    )


def reconsideration(request: ActingRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_referrer(request.actor, pk)
    case = decision.case
    if not decision.reconsideration_open():
        messages.error(
            request,
            _(
                "A reconsideration can no longer be asked for this decision (it is not negative, "
                "the time limit has passed, or one was already asked)."
            ),
        )
        return redirect("web:identification", reference=case.reference)
    form = ReconsiderationForm(request.POST or None)
    requested = submit(
        request,
        form,
        partial(actions.request_reconsideration, decision, actor=request.actor),
        _(
            "Reconsideration requested. Platform members who did not take the first "
            "decision will examine it."
        ),
    )
    if requested:
        return redirect("web:identification", reference=case.reference)
    return render(
        request,
        "web/identification/reconsideration.html",
        {"decision": decision, "case": case, "form": form},
    )


@require_POST
def referrer_cooperation_end(request: ActingRequest, pk: int) -> HttpResponse:
    referral = referrals_made(request.actor).select_related("case").filter(pk=pk).first()
    if referral is None:
        raise Http404
    submit_button(
        request,
        cooperation_form(request.POST),
        lambda **_confirmed: actions.end_cooperation(referral, actor=request.actor),
        _("Recorded. The person keeps their identification status and its rights."),
        invalid=_("Tick the box to confirm."),
    )
    return redirect("web:identification", reference=referral.case.reference)


# Documents for the person -------------------------------------------------------------------


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    add_never_cache_headers(response)
    return response


def _language(request: ActingRequest) -> str:
    language = request.GET.get("language", "")
    if language not in available_languages():
        language = active_profile().default_language
    return language


@require_GET
def decision_letter(request: ActingRequest, pk: int) -> HttpResponse:
    """The letter to the person: it names them, so only staff who may see the identity print
    it; every print is audited."""
    decision = get_decision_for_referrer(request.actor, pk)
    case = decision.case
    if not can_print_for_person(request.actor, case):
        raise Http404
    person = get_identity(request.actor, case)
    language = _language(request)
    content = render_decision_letter(
        decision,
        person=person,
        referrer=decision.referral.referring_organisation,
        language=language,
    )
    record(
        "document.decision_letter",
        target=decision,
        actor=request.actor,
        details={"case": case.pk, "language": language},
    )
    return _pdf(content, f"identification-decision-{language}.pdf")


@require_GET
def status_attestation(request: ActingRequest, reference: str) -> HttpResponse:
    """The attestation of status the person shows to obtain their rights."""
    case = get_case_for_referrer(request.actor, reference)
    if not can_print_for_person(request.actor, case):
        raise Http404
    decision: IdentificationDecision | None = (
        case.identification_decisions.filter(outcome=Outcome.IDENTIFIED)
        .order_by("decided_at")
        .first()
    )
    if case.status != IdentificationStatus.IDENTIFIED_VICTIM or decision is None:
        raise Http404
    person = get_identity(request.actor, case)
    if not (person.given_names or person.family_name):
        messages.warning(
            request, _("Record the person's name on the case before printing the attestation.")
        )
        return redirect("web:identification", reference=case.reference)
    language = _language(request)
    issuer = request.actor.organisation_acted_for()
    content = render_status_attestation(decision, person=person, issuer=issuer, language=language)
    record(
        "document.status_attestation",
        target=case,
        actor=request.actor,
        details={"decision": decision.pk, "language": language},
    )
    return _pdf(content, f"status-attestation-{language}.pdf")


# Notifications ------------------------------------------------------------------------------


def notifications(request: ActingRequest) -> HttpResponse:
    items = my_notifications(request.actor)
    if request.method == "POST":
        updated = items.unread().update(read_at=timezone.now())
        if updated:
            messages.success(request, _("Notifications marked as read."))
        return redirect("web:notifications")
    shown = list(items[:100])
    record(
        "notifications.read",
        actor=request.actor,
        object_type="core.notification",
        details={"shown": len(shown)},
    )
    return render(
        request,
        "web/identification/notifications.html",
        {"notifications": shown, "unread": items.unread().count()},
    )


def notification_preferences(request: ActingRequest) -> HttpResponse:
    """The signed-in person's e-mail choice for each kind of notification."""
    actor = request.actor
    my_notifications(actor)  # signed in, or 404
    chosen = notifying.preferences_of([actor.user_id or 0])
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        chosen={kind: mode for (_user, kind), mode in chosen.items()},
    )
    done = submit(
        request,
        form,
        lambda **_data: set_notification_preferences(actor, form.choices()),
        _("Your notification preferences were saved."),
    )
    if done:
        return redirect("web:notification_preferences")
    return render(
        request,
        "web/identification/notification_preferences.html",
        {"form": form},
    )
