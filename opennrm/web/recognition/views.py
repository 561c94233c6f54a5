"""Recognising authorised reporters (the competent body), and their public list."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opennrm.core.models import Organisation
from opennrm.recognition import access, actions
from opennrm.recognition.models import Status
from opennrm.web.acting import ActingRequest
from opennrm.web.cases.forms import form_of_exploitation_choices
from opennrm.web.formtools import posted, submit
from opennrm.web.public.forms import DirectorySearchForm
from opennrm.web.recognition.forms import (
    RecognitionForm,
    WithdrawalForm,
    agreement_clause_choices,
)


def recognitions(request: ActingRequest) -> HttpResponse:
    organisations = access.organisations_for_recognition(request.actor)
    today = timezone.localdate()
    rows = [
        {
            "organisation": organisation,
            "current": organisation.current,  # type: ignore[attr-defined]
            "state": organisation.current.state(today) if organisation.current else "",  # type: ignore[attr-defined]
        }
        for organisation in organisations
    ]
    return render(request, "web/recognition/list.html", {"rows": rows})


def history(request: ActingRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.actor, pk)
    records = access.history(request.actor, organisation)
    forms = dict(form_of_exploitation_choices())
    clauses = dict(agreement_clause_choices())
    for record in records:
        record.form_labels = [forms.get(c, c) for c in record.forms_of_exploitation]  # type: ignore[attr-defined]
        record.clause_labels = [clauses.get(c, c) for c in record.agreement_clauses]  # type: ignore[attr-defined]
    return render(
        request,
        "web/recognition/history.html",
        {
            "organisation": organisation,
            "records": records,
            "in_force": any(r.status == Status.IN_FORCE for r in records),
            "eligible": actions.may_be_recognised(organisation),
        },
    )


def _renewal_initial(request: ActingRequest, organisation: Organisation) -> dict[str, Any]:
    """A renewal starts from the latest recognition's scope and clauses (new dates to give)."""
    latest = next(iter(access.history(request.actor, organisation)), None)
    if latest is None:
        return {}
    return {
        "forms_of_exploitation": latest.forms_of_exploitation,
        "territories": [str(unit.pk) for unit in latest.territories.all()],
        "agreement_clauses": latest.agreement_clauses,
    }


def recognise(request: ActingRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.actor, pk)
    form = RecognitionForm(posted(request), initial=_renewal_initial(request, organisation))
    done = submit(
        request,
        form,
        lambda **values: actions.recognise(organisation, actor=request.actor, **values),
        _("Recognition recorded."),
    )
    if done is not None:
        return redirect("web:recognition_history", organisation.pk)
    return render(
        request, "web/recognition/form.html", {"organisation": organisation, "form": form}
    )


def withdraw(request: ActingRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.actor, pk)
    form = WithdrawalForm(posted(request))
    done = submit(
        request,
        form,
        lambda reason: actions.withdraw(organisation, actor=request.actor, reason=reason),
        _("Recognition withdrawn."),
    )
    if done is not None:
        return redirect("web:recognition_history", organisation.pk)
    return render(
        request, "web/recognition/withdraw.html", {"organisation": organisation, "form": form}
    )


@login_not_required
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    territory = None
    if form.is_valid() and form.cleaned_data["territory"]:
        territory = form.cleaned_data["territory"]
    return render(
        request,
        "web/recognition/public.html",
        {
            "form": form,
            "territory": territory,
            "reporters": access.published(territory),
            "public_page": True,
        },
    )
