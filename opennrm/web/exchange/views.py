"""HTCDS exchange pages: the coordinators' page (bulk export, import with its report) and a
case's export for the organisation the person agreed to share data with.

Everything is reached through opennrm.exchange.access (404 for anyone else) and done by
opennrm.exchange (export, import as concerns), audited there.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from opennrm.cases.access import get_case_for_member
from opennrm.exchange import access
from opennrm.exchange.export import export_bulk, export_case, to_json, to_xlsx
from opennrm.exchange.importing import Report, import_records, read_file
from opennrm.web.acting import ActingRequest
from opennrm.web.exchange.forms import ImportForm

KINDS = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(records: list[dict[str, object]], kind: str, stem: str) -> HttpResponse:
    content = to_json(records) if kind == "json" else to_xlsx(records)
    response = HttpResponse(content, content_type=KINDS[kind])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


def exchange_page(request: ActingRequest) -> HttpResponse:
    """Bulk export links and the import form, for local and national coordinators."""
    actor = request.actor
    territories = access.import_territories(actor)  # 404 for anyone else
    form = ImportForm(request.POST or None, request.FILES or None, territories=territories)
    report: Report | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or "file"
        report = read_file(upload.read(), name)
        if report.ok and request.POST.get("action") == "import":
            territory = form.chosen_territory()
            import_records(actor, report, file_name=name, territory=territory)
            messages.success(
                request,
                ngettext(
                    "%(count)d concern was created from the file, to triage.",
                    "%(count)d concerns were created from the file, to triage.",
                    len(report.records),
                )
                % {"count": len(report.records)},
            )
            return redirect("web:concerns")
    return render(
        request,
        "web/exchange/exchange.html",
        {"form": form, "report": report, "bulk": access.may_export_bulk(actor)},
    )


@require_GET
def bulk_export(request: ActingRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    export = export_bulk(request.actor)  # 404 for anyone else; audited
    stem = f"htcds-{timezone.localdate().isoformat()}"
    return _download(export.records, kind, stem)


def case_exchange(request: ActingRequest, reference: str) -> HttpResponse:
    """The case's consents to share data, each with its HTCDS export."""
    actor = request.actor
    case = get_case_for_member(actor, reference)  # audited: case.read
    if not access.may_export_case(actor, case):
        raise Http404
    consents = access.share_consents(actor, case)
    return render(request, "web/exchange/case.html", {"case": case, "consents": consents})


@require_GET
def case_export(request: ActingRequest, reference: str, pk: int, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    actor = request.actor
    case = get_case_for_member(actor, reference)
    chosen = access.get_consent_for_export(actor, case, pk)  # 404 for anyone else
    export = export_case(actor, case, chosen)
    return _download(export.records, kind, f"htcds-{case.reference}")
