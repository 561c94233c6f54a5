"""The audit trail for the data protection officer (read-only)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from opennrm.audit.models import AuditEntry
from opennrm.audit.trail import record
from opennrm.profiles.capabilities import Capability


def audit_log(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(Capability.READ_AUDIT):
        raise Http404
    entries = AuditEntry.objects.select_related("actor", "organisation").order_by("-id")
    action = request.GET.get("action", "").strip()[:64]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    record("audit.read", request=request, details={"page": page.number})
    return render(request, "web/audit.html", {"page": page, "action": action})
