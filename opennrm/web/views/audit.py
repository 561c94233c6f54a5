"""The audit trail for the data protection officer (read-only): filters, pages, the chain's
verification, and a CSV export (opennrm.web.views.privacy.audit_export)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opennrm.audit.trail import record
from opennrm.privacy.chain import chain_status
from opennrm.profiles.capabilities import Capability
from opennrm.web.acting import ActingRequest
from opennrm.web.forms_privacy import AuditFilterForm, audit_entries

ENTRIES_PER_PAGE = 50


@require_GET
def audit_log(request: ActingRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(Capability.READ_AUDIT):
        raise Http404
    params = request.GET.copy()
    refresh = params.pop("verify", None) is not None
    params.pop("page", None)
    form = AuditFilterForm(params or None)
    page = Paginator(form.filter(audit_entries()), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    status = chain_status(refresh=refresh)
    record(
        "audit.read",
        actor=request.actor,
        details={"page": page.number, "filters": form.summary(), "verified": refresh},
    )
    return render(
        request,
        "web/audit.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "chain": status,
        },
    )
