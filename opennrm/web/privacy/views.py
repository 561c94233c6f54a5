"""The data protection pages: exceptional access ("break-glass"), the person's rights (subject
access export, rectification) and the retention report (the audit trail: opennrm.web.audit).

Cases are reached through opennrm.cases.access and opennrm.privacy.access (outsiders get 404);
state changes go through opennrm.privacy.
"""

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opennrm.audit.trail import record
from opennrm.core.models import Membership
from opennrm.privacy import access, breakglass
from opennrm.privacy.models import BreakGlassQuerySet
from opennrm.privacy.retention import plan_retention
from opennrm.privacy.rights import (
    as_archive_bytes,
    as_json_bytes,
    as_pdf_bytes,
    rectify,
    subject_access,
)
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile
from opennrm.web.acting import ActingRequest
from opennrm.web.formtools import add_errors, submit_button
from opennrm.web.privacy.forms import BreakGlassForm, RectificationForm

GRANTS_PER_PAGE = 50


def _membership(request: ActingRequest) -> Membership | None:
    membership: Membership | None = getattr(request, "membership", None)
    return membership


# Exceptional access -----------------------------------------------------------------------


def _page(request: ActingRequest, grants: BreakGlassQuerySet | None, key: str) -> Any:
    if grants is None:
        return None
    return Paginator(grants.order_by("-opened_at", "-pk"), GRANTS_PER_PAGE).get_page(
        request.GET.get(key)
    )


@require_GET
def exceptional_access(request: ActingRequest) -> HttpResponse:
    """Exceptional accesses: to the organisation's cases (its administrators), the holder's
    own (national coordinator, DPO), all of them (DPO)."""
    lists = access.grant_lists(request.actor)
    record(
        "breakglass.list",
        actor=request.actor,
        details={"own": lists.own is not None, "owner": lists.owner is not None},
    )
    return render(
        request,
        "web/privacy/exceptional_access.html",
        {
            "own": _page(request, lists.own, "own"),
            "owner": _page(request, lists.owner, "owner"),
            "every": _page(request, lists.every, "all"),
            "may_open": lists.may_open,
            "now": timezone.now(),
        },
    )


def exceptional_access_new(request: ActingRequest) -> HttpResponse:
    """The national coordinator or the DPO opens exceptional access to one case."""
    if not breakglass.may_break_glass(_membership(request)):
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = breakglass.find_case(data["reference"])
        if case is None:
            form.add_error("reference", _("No case has this reference."))
        else:
            try:
                grant = breakglass.open_grant(
                    request.actor,
                    case=case,
                    reason=data["reason"],
                    hours=data["hours"],
                    identity=data["identity"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.warning(
                    request,
                    _(
                        "Exceptional access opened until %(until)s. Every page you open is "
                        "recorded, and the organisation responsible for the case is told."
                    )
                    % {"until": timezone.localtime(grant.expires_at).strftime("%H:%M")},
                )
                return redirect("web:case", reference=case.reference)
    return render(
        request,
        "web/privacy/exceptional_access_new.html",
        {"form": form, "max_hours": breakglass.MAX_HOURS},
    )


@require_POST
def exceptional_access_revoke(request: ActingRequest, pk: int) -> HttpResponse:
    grant = access.get_grant_for_revoke(request.actor, pk)
    act = partial(breakglass.revoke_grant, request.actor, grant)
    submit_button(request, None, act, _("Exceptional access closed."))
    return redirect("web:privacy_exceptional_access")


# The person's rights ----------------------------------------------------------------------


@require_GET
def person_rights(request: ActingRequest, reference: str) -> HttpResponse:
    """The rights page of a case's person: copy of the data, rectification."""
    rights = access.get_case_for_rights(request.actor, reference)
    return render(
        request,
        "web/privacy/person_rights.html",
        {
            "case": rights.case,
            "under_break_glass": rights.grant is not None,
            "grant": rights.grant,
            "cases": access.exportable_cases(rights),
        },
    )


def _copy(request: ActingRequest, reference: str, kind: str) -> tuple[Any, Any]:
    rights = access.get_case_for_rights(request.actor, reference)
    person = access.read_person(request.actor, rights, "subject_access")
    cases = access.exportable_cases(rights)
    copy = subject_access(person, cases, rights.membership.organisation)
    record(
        "person.subject_access",
        target=person,
        actor=request.actor,
        details={
            "case": rights.case.pk,
            "format": kind,
            "cases": [case.pk for case in cases],
            # The documents attached to the cases (their files are in the archive only).
            "evidence": [document.pk for document in copy.documents],
            **rights.details,
        },
    )
    return rights, copy


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def subject_access_json(request: ActingRequest, reference: str) -> HttpResponse:
    rights, copy = _copy(request, reference, "json")
    return _download(
        as_json_bytes(copy),
        "application/json; charset=utf-8",
        f"subject-access-{rights.case.person.pseudonym}.json",
    )


@require_GET
def subject_access_pdf(request: ActingRequest, reference: str) -> HttpResponse:
    rights, copy = _copy(request, reference, "pdf")
    language = (get_language() or active_profile().default_language)[:2]
    return _download(
        as_pdf_bytes(copy, language),
        "application/pdf",
        f"subject-access-{rights.case.person.pseudonym}.pdf",
    )


@require_GET
def subject_access_archive(request: ActingRequest, reference: str) -> HttpResponse:
    """The JSON copy and every document attached to the cases, decrypted, in one ZIP."""
    rights, copy = _copy(request, reference, "archive")
    return _download(
        as_archive_bytes(copy),
        "application/zip",
        f"subject-access-{rights.case.person.pseudonym}.zip",
    )


def rectification(request: ActingRequest, reference: str) -> HttpResponse:
    """Correct the person's identity at their request, with the reason (GDPR art. 16)."""
    rights = access.get_case_for_rights(request.actor, reference)
    person = access.read_person(request.actor, rights, "rectification")
    form = RectificationForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        changed = [name for name in form.changed_data if name != "reason"]
        if not changed:
            messages.info(request, _("Nothing was changed."))
            return redirect("web:privacy_person_rights", reference=rights.case.reference)
        try:
            rectify(
                request.actor,
                rights.case,
                form.instance,
                changed,
                form.cleaned_data["reason"],
                details=rights.details,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The person's data were corrected."))
            return redirect("web:privacy_person_rights", reference=rights.case.reference)
    return render(
        request,
        "web/privacy/rectification.html",
        {"case": rights.case, "form": form, "under_break_glass": rights.grant is not None},
    )


# Retention ---------------------------------------------------------------------------------


@require_GET
def retention_report(request: ActingRequest) -> HttpResponse:
    """What the next retention run would do, in counts: for the data protection officer."""
    membership = _membership(request)
    if membership is None or not membership.can(Capability.READ_AUDIT):
        raise Http404
    report = plan_retention()
    record("retention.report", actor=request.actor, details=report.as_details())
    return render(
        request,
        "web/privacy/retention.html",
        {"report": report, "retention": active_profile().retention},
    )
