"""The judicial route: the police, gendarmerie or labour inspection service that received a
referral records the complaint or testimony and the formal identification decision.

Pages go through opennrm.identification.access (404 for anyone but the service the case was
referred to); views validate a form and call an action.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.audit.trail import record
from opennrm.identification import actions
from opennrm.identification.access import (
    can_see_procedure_reference,
    get_judicial_referral,
    judicial_referrals,
)
from opennrm.identification.deadlines import DUE_SOON_DAYS, deadline_lists
from opennrm.identification.models import Referral
from opennrm.web.acting import ActingRequest
from opennrm.web.formtools import submit
from opennrm.web.identification.forms import (
    JudicialDecisionForm,
    StatementForm,
    cooperation_form,
)
from opennrm.web.identification.views.file import file_context


def referral_list(request: ActingRequest) -> HttpResponse:
    referrals = judicial_referrals(request.actor)
    lists = deadline_lists(referrals)
    pending = list(
        referrals.pending().select_related("case", "case__territory").order_by("decision_due")
    )
    decided = list(
        referrals.filter(decision__isnull=False)
        .select_related("case", "decision")
        .order_by("-decision__decided_at")[:50]
    )
    record(
        "judicial.referrals_read",
        actor=request.actor,
        object_type="identification.referral",
        details={"pending": len(pending)},
    )
    return render(
        request,
        "web/identification/judicial_list.html",
        {
            "pending": pending,
            "decided": decided,
            "lists": lists,
            "today": timezone.localdate(),
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


def _page(request: ActingRequest, referral: Referral, **forms: Any) -> HttpResponse:
    statement = getattr(referral, "judicial_record", None)
    decision = getattr(referral, "decision", None)
    context = {
        "posted_form": next(iter(forms.values()), None),  # its refusal shows at the top
        "referral": referral,
        "statement": statement,
        "decision": decision,
        "show_procedure_reference": can_see_procedure_reference(request.actor, referral),
        "statement_form": forms.get("statement_form") or StatementForm(),
        "decision_form": forms.get("decision_form") or JudicialDecisionForm(),
        "cooperation_form": forms.get("cooperation_form") or cooperation_form(),
        "today": timezone.localdate(),
        **file_context(referral, request.actor),
    }
    return render(request, "web/identification/judicial_referral.html", context)


def referral_detail(request: ActingRequest, pk: int) -> HttpResponse:
    return _page(request, get_judicial_referral(request.actor, pk))


def _referral_form(
    request: ActingRequest,
    referral: Referral,
    key: str,
    form: Any,
    act: Callable[..., object],
    success: str,
) -> HttpResponse:
    """A form of the referral's page: done, a message and back to the page; refused, the page
    again with the form (`key` in its context) showing why."""
    if submit(request, form, act, success):
        return redirect("web:judicial_referral", pk=referral.pk)
    return _page(request, referral, **{key: form})


@require_POST
def statement(request: ActingRequest, pk: int) -> HttpResponse:
    referral = get_judicial_referral(request.actor, pk)
    return _referral_form(
        request,
        referral,
        "statement_form",
        StatementForm(request.POST),
        partial(actions.record_statement, referral, actor=request.actor),
        _(
            "Recorded. The prosecutor's office contact persons of the département were "
            "informed (case reference only)."
        ),
    )


@require_POST
def decide(request: ActingRequest, pk: int) -> HttpResponse:
    referral = get_judicial_referral(request.actor, pk)
    return _referral_form(
        request,
        referral,
        "decision_form",
        JudicialDecisionForm(request.POST),
        partial(actions.record_judicial_decision, referral, actor=request.actor),
        _("The formal identification decision was recorded."),
    )


@require_POST
def cooperation_end(request: ActingRequest, pk: int) -> HttpResponse:
    referral = get_judicial_referral(request.actor, pk)
    return _referral_form(
        request,
        referral,
        "cooperation_form",
        cooperation_form(request.POST),
        lambda **_confirmed: actions.end_cooperation(referral, actor=request.actor),
        _("Recorded. The person keeps their identification status and its rights."),
    )
