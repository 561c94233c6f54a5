"""The case's documents (evidence): the list with the form to add one, downloads, removal with
confirmation; and the download of a document from the file put to formal identification.

Documents are reached only through opennrm.cases.access (the owner's staff) and
opennrm.detection.access (those who decide on the referral in force); outsiders get 404 on
every page and download. Changes only through opennrm.cases.evidence. Every download is an
attachment, never cached, never sniffed.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opennrm.cases.access import (
    evidence_content,
    evidence_of_case,
    get_case_for_member,
    get_evidence_for_member,
)
from opennrm.cases.evidence import (
    Upload,
    attach_evidence,
    content_type,
    download_name,
    may_attach,
    remove_evidence,
)
from opennrm.cases.models import Case, Evidence
from opennrm.detection.access import get_evidence_in_referred_file
from opennrm.web.acting import ActingRequest
from opennrm.web.evidence.forms import EvidenceForm, RemoveEvidenceForm
from opennrm.web.formtools import add_errors


@dataclass(frozen=True)
class EvidenceRow:
    """A document as a list shows it: the record, where to download it, where to remove it."""

    evidence: Evidence
    download_url: str
    remove_url: str | None = None


def rows_for_referral(items: list[Evidence]) -> list[EvidenceRow]:
    """The documents of a referred file (opennrm.detection.access.evidence_in_referred_file),
    each with its download link for those who decide on the referral."""
    return [
        EvidenceRow(item, reverse("web:referred_evidence_download", args=[item.pk]))
        for item in items
    ]


def rows_for_check(case: Case, items: list[Evidence]) -> list[EvidenceRow]:
    """The documents as a referral will carry them, for the worker checking it before sending
    (their own download links)."""
    return _rows(case, items, removable=False)


def _rows(case: Case, items: list[Evidence], *, removable: bool) -> list[EvidenceRow]:
    return [
        EvidenceRow(
            item,
            reverse("web:evidence_download", args=[case.reference, item.pk]),
            reverse("web:evidence_remove", args=[case.reference, item.pk]) if removable else None,
        )
        for item in items
    ]


def _page_url(case: Case) -> str:
    return reverse("web:evidence", args=[case.reference])


def evidence_page(request: ActingRequest, reference: str) -> HttpResponse:
    """The documents of the case (owner's field staff and coordinators) and, for its field
    staff, the form that adds one."""
    actor = request.actor
    case = get_case_for_member(actor, reference)  # audited: case.read
    items = evidence_of_case(actor, case)  # 404 for anyone else; audited: evidence.read
    editable = may_attach(actor, case) and not case.is_closed
    form = None
    if editable:
        form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid() and form.checked is not None:
            data = form.cleaned_data
            upload = Upload(
                content=data["file"].read(),
                file_format=form.checked.kind.code,
                file_name=form.checked.name,
            )
            try:
                attach_evidence(
                    case,
                    upload,
                    kind=data["kind"],
                    document_date=data["document_date"],
                    description=data["description"],
                    actor=actor,
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):  # the file's content was refused
                    error = ValidationError({"file": error.error_list})
                add_errors(form, error)
            else:
                messages.success(request, _("The document was added to the case."))
                return redirect(f"{_page_url(case)}#evidence-list")
    return render(
        request,
        "web/evidence/evidence.html",
        {
            "case": case,
            "rows": _rows(case, items, removable=editable),
            "form": form,
            "closed": case.is_closed,
        },
        status=200,
    )


def attachment(content: bytes, evidence: Evidence) -> HttpResponse:
    """A document as a download: an attachment under its safe name, with the type found in
    its content, never stored by a cache, never sniffed."""
    response = HttpResponse(content, content_type=content_type(evidence))
    response["Content-Disposition"] = f'attachment; filename="{download_name(evidence)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def evidence_download(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    evidence = get_evidence_for_member(request.actor, reference, pk)
    return attachment(evidence_content(request.actor, evidence), evidence)


def evidence_remove(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    """Remove a document: a confirmation first (the owner's field staff only)."""
    actor = request.actor
    evidence = get_evidence_for_member(actor, reference, pk)
    case = evidence.case
    if not may_attach(actor, case):
        raise Http404
    form = RemoveEvidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            remove_evidence(evidence, actor=actor)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The document was removed from the case."))
            return redirect(f"{_page_url(case)}#evidence-list")
    return render(
        request,
        "web/evidence/remove.html",
        {"case": case, "evidence": evidence, "form": form, "closed": case.is_closed},
    )


@require_GET
def referred_evidence_download(request: ActingRequest, pk: int) -> HttpResponse:
    """A document of the file put to formal identification: for those who decide on the
    referral in force (platform members, the judicial service); 404 for anyone else."""
    evidence = get_evidence_in_referred_file(request.actor, pk)
    return attachment(evidence_content(request.actor, evidence, via="referral"), evidence)
