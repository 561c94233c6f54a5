"""The audit trail for the data protection officer (read-only): filters, pages, the chain's
verification, and the filtered trail as CSV."""

import json
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opennrm.audit.sealing import SEAL_EVERY, pending
from opennrm.audit.trail import record
from opennrm.privacy.chain import chain_status
from opennrm.profiles.capabilities import Capability
from opennrm.web.acting import ActingRequest
from opennrm.web.audit.forms import AuditFilterForm, audit_entries
from opennrm.web.bounded import BoundedCountPaginator
from opennrm.web.exports import csv_response

ENTRIES_PER_PAGE = 50
# An export is a copy of the trail for an inquiry, not a backup: beyond this, narrow the filters.
AUDIT_EXPORT_MAX_ROWS = 50_000


@require_GET
def audit_log(request: ActingRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(Capability.READ_AUDIT):
        raise Http404
    params = request.GET.copy()
    refresh = params.pop("verify", None) is not None
    params.pop("page", None)
    form = AuditFilterForm(params or None)
    page = BoundedCountPaginator(form.filter(audit_entries()), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # The page's rows are read before this read is recorded: counted and listed alike (the
    # entry of this read shows from the next page view on).
    page.object_list = list(page.object_list)
    status = chain_status(request.actor, refresh=refresh)
    waiting = pending()
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
            "waiting": waiting,
            "seal_minutes": int(SEAL_EVERY.total_seconds() // 60),
        },
    )


@require_GET
def audit_export(request: ActingRequest) -> HttpResponse:
    """The filtered audit trail as CSV (formulas neutralised). The export is itself audited."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(Capability.READ_AUDIT):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(audit_entries())[:AUDIT_EXPORT_MAX_ROWS]
    rows = [
        (
            entry.pk,
            timezone.localtime(entry.created_at).isoformat(),
            _who(entry),
            entry.organisation.name if entry.organisation else "",
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.ip_address or "",
            _details_text(entry.details),
            entry.entry_hash,
            entry.channel,
        )
        for entry in entries
    ]
    record(
        "audit.export",
        actor=request.actor,
        details={"rows": len(rows), "filters": form.summary(), "format": "csv"},
    )
    header = (
        _("Entry number"),
        _("When"),
        _("Who"),
        _("Acting for"),
        _("Action"),
        _("Object type"),
        _("Object"),
        _("IP address"),
        _("Details"),
        _("Seal"),
        _("Channel"),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(f"audit-{stamp}.csv", header, rows)


def _who(entry: Any) -> str:
    """The person, else the system's process that acted (`system:retention`), else nobody."""
    if entry.actor is not None:
        return str(entry.actor.email)
    return f"system:{entry.process}" if entry.process else ""


def _details_text(details: Any) -> str:
    return json.dumps(details, sort_keys=True, ensure_ascii=False) if details else ""
