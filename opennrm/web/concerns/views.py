"""Concerns: the public report (no account), staff entry, and triage by the local coordinator."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opennrm.audit.trail import record
from opennrm.cases import search
from opennrm.cases.enums import DetectionChannel
from opennrm.cases.models import Case, new_reference
from opennrm.core.acting import Actor
from opennrm.core.models import Territory
from opennrm.detection.access import (
    attachable_cases,
    attachable_narrowing,
    can_enter_concerns,
    can_triage,
    concerns_entered,
    concerns_for_triage,
    get_concern_for_member,
    get_concern_for_triage,
    may_see_reporter_contact,
    may_triage,
    owner_choices,
)
from opennrm.detection.actions import (
    attach_concern,
    close_concern,
    open_case_from_concern,
    submit_concern,
)
from opennrm.detection.enums import ConcernStatus
from opennrm.detection.models import Concern
from opennrm.profiles.loader import active_profile
from opennrm.web.acting import ActingRequest
from opennrm.web.concerns.forms import (
    CONTROL_CHARACTERS,
    HONEYPOT_FIELD,
    AttachForm,
    CaseSearchForm,
    CloseForm,
    ConcernSearchForm,
    OpenCaseForm,
    PublicConcernForm,
    StaffConcernForm,
)
from opennrm.web.formtools import SUBMISSION, posted
from opennrm.web.ratelimit import report_limiter

SESSION_REFERENCE = "opennrm_concern_reference"
# The form's fields hold at most about 4,500 characters; percent-encoded, four-byte characters
# weigh 12 bytes each. Anything much larger is not a report.
MAX_REPORT_BODY = 128 * 1024
PAGE_SIZE = 50


def _triage_delay() -> str:
    timeframe = active_profile().timeframes["concern_triage"]
    if timeframe.unit == "working":
        return ngettext("%(days)d working day", "%(days)d working days", timeframe.days) % {
            "days": timeframe.days
        }
    return ngettext("%(days)d day", "%(days)d days", timeframe.days) % {"days": timeframe.days}


def _case_url(case: Case | None) -> str | None:
    """The case page, once the cases area provides it."""
    if case is None:
        return None
    try:
        return reverse("web:case", args=[case.reference])
    except NoReverseMatch:
        return None


# Public report --------------------------------------------------------------------------


def report_after_csrf_failure(request: HttpRequest) -> HttpResponse:
    """The report sent with a missing or stale CSRF token (a session that expired while the
    person wrote, cookies refused): nothing is stored; the form comes back, fresh (new token,
    new submission key) and filled with what was typed, so that nothing is lost."""
    blank = PublicConcernForm()
    initial: dict[str, Any] = {}
    try:
        for name, field in blank.fields.items():
            if name in (HONEYPOT_FIELD, SUBMISSION) or name not in request.POST:
                continue
            if isinstance(field, forms.MultipleChoiceField):
                initial[name] = [CONTROL_CHARACTERS.sub("", v) for v in request.POST.getlist(name)]
            else:
                initial[name] = CONTROL_CHARACTERS.sub("", str(request.POST.get(name, "")))
    except SuspiciousOperation:  # a body too large, too many fields: nothing can be read
        initial = {}
    context = {
        "public_page": True,
        "triage_delay": _triage_delay(),
        "form": PublicConcernForm(initial=initial),
        "csrf_failed": True,
    }
    return render(request, "web/concerns/report.html", context, status=403)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def report(request: ActingRequest) -> HttpResponse:
    context: dict[str, Any] = {"public_page": True, "triage_delay": _triage_delay()}
    if request.method != "POST":
        return render(request, "web/concerns/report.html", {**context, "form": PublicConcernForm()})
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REPORT_BODY:  # checked before the body is read
        return render(
            request,
            "web/concerns/report.html",
            {**context, "form": PublicConcernForm(), "body_too_large": True},
            status=413,
        )
    wait = report_limiter.wait(request)
    if wait:
        # Nothing is stored; what was typed is shown back, whole (the body is bounded above),
        # so that the person can keep it.
        typed = CONTROL_CHARACTERS.sub("", str(request.POST.get("description", "")))
        response = render(
            request,
            "web/concerns/rate_limited.html",
            {"public_page": True, "typed": typed},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    form = PublicConcernForm(request.POST)
    if form.honeypot_filled:
        # A robot: it gets the same answer as a person, nothing is stored.
        report_limiter.hit(request)
        record("concern.honeypot", actor=Actor.public(), details={"form": "report"})
        request.session[SESSION_REFERENCE] = new_reference("S")
        return redirect("web:report_thanks")
    if form.is_valid():
        try:
            concern = submit_concern(
                request.actor,
                channel=DetectionChannel.PUBLIC_REPORT,
                submission_key=form.submission_key(),
                **form.concern_values(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if not concern.was_resent:  # the same report sent again is not counted twice
                report_limiter.hit(request)
            request.session[SESSION_REFERENCE] = concern.reference
            return redirect("web:report_thanks")
    return render(request, "web/concerns/report.html", {**context, "form": form})


@login_not_required
@never_cache
@require_GET
def report_thanks(request: ActingRequest) -> HttpResponse:
    reference = request.session.pop(SESSION_REFERENCE, None)
    return render(
        request,
        "web/concerns/thanks.html",
        {"public_page": True, "reference": reference, "triage_delay": _triage_delay()},
    )


# Staff entry ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def create(request: ActingRequest) -> HttpResponse:
    if not can_enter_concerns(request.actor):
        raise Http404
    form = StaffConcernForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            concern = submit_concern(
                request.actor, submission_key=form.submission_key(), **form.concern_values()
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if concern.was_resent:
                messages.info(
                    request,
                    _("This form was already sent: concern %(reference)s is recorded once.")
                    % {"reference": concern.reference},
                )
            else:
                messages.success(
                    request,
                    _("Concern %(reference)s recorded: it goes to the local coordinator.")
                    % {"reference": concern.reference},
                )
            return redirect("web:concern", reference=concern.reference)
    return render(request, "web/concerns/create.html", {"form": form})


# Triage ---------------------------------------------------------------------------------


@require_GET
def concern_list(request: ActingRequest) -> HttpResponse:
    triage = can_triage(request.actor)
    # Coordinators see their départements; field staff what their organisation entered; 404 else.
    concerns = concerns_for_triage(request.actor) if triage else concerns_entered(request.actor)
    show_all = request.GET.get("show") == "all"
    membership = request.actor.membership
    territories = (
        membership.organisation.territories.order_by("code")
        if triage and membership is not None
        else Territory.objects.local_units().order_by("code")
    )
    filters = ConcernSearchForm(request.GET or None, territories=territories)
    used: dict[str, Any] = {}
    if filters.is_bound and filters.is_valid():
        used = filters.audit_filters()
        values = filters.cleaned_data
        if reference := "".join(values["reference"].split()).upper():
            concerns = concerns.filter(reference__startswith=reference)
            used["reference"] = reference
        if values["territory"]:
            concerns = concerns.filter(territory__code=values["territory"])
        if values["status"]:
            concerns = concerns.filter(status=values["status"])
    elif filters.is_bound:
        concerns = concerns.none()
    if not show_all and not used:
        concerns = concerns.to_triage().order_by("triage_due", "received_at", "pk")
    else:
        concerns = concerns.order_by("-received_at", "-pk")
    page = Paginator(concerns.select_related("territory"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if used:
        record(
            "concern.search",
            actor=request.actor,
            details={"filters": {**used, "page": page.number}, "results": page.paginator.count},
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/concerns/list.html",
        {
            "page": page,
            "show_all": show_all,
            "searched": bool(used),
            "filters": filters,
            "query": query.urlencode(),
            "triage": triage,
            "can_enter": can_enter_concerns(request.actor),
        },
    )


def _render_detail(
    request: ActingRequest, concern: Concern, status: int = 200, **forms: Any
) -> HttpResponse:
    record("concern.read", target=concern, actor=request.actor)
    context: dict[str, Any] = {
        "concern": concern,
        "triage": False,
        "case_url": _case_url(concern.case),
        # The reporter's contact stays with the coordinators and the entering organisation.
        "show_contact": may_see_reporter_contact(request.actor, concern),
        "is_case_owner": concern.case is not None
        and request.actor.membership is not None
        and concern.case.owner_id == request.actor.membership.organisation_id,
    }
    if may_triage(request.actor, concern):
        context["triage"] = True
        if concern.status == ConcernStatus.NEW:
            context["open_form"] = forms.get("open_form") or OpenCaseForm(
                owners=owner_choices(request.actor, concern)
            )
            context["attach_form"] = forms.get("attach_form") or AttachForm(
                cases=attachable_cases(request.actor, concern)
            )
            # The case picker without JavaScript: a search sent with the page (GET).
            picker = CaseSearchForm(request.GET if "case_search" in request.GET else None)
            context["picker_form"] = picker
            if picker.is_bound and picker.is_valid() and picker.cleaned_data["case_search"]:
                context["picked"] = search.picker_cases(
                    request.actor,
                    picker.cleaned_data["case_search"],
                    narrow=attachable_narrowing(concern),
                )
    return render(request, "web/concerns/detail.html", context, status=status)


@require_GET
def detail(request: ActingRequest, reference: str) -> HttpResponse:
    return _render_detail(request, get_concern_for_member(request.actor, reference))


def _already_triaged(
    request: ActingRequest, concern: Concern, error: ValidationError
) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("web:concern", reference=concern.reference)


@require_POST
def open_case(request: ActingRequest, reference: str) -> HttpResponse:
    concern = get_concern_for_triage(request.actor, reference)
    form = OpenCaseForm(request.POST, owners=owner_choices(request.actor, concern))
    if not form.is_valid():
        return _render_detail(request, concern, open_form=form)
    try:
        case = open_case_from_concern(
            concern, owner=form.cleaned_data["owner"], actor=request.actor
        )
    except ValidationError as error:
        return _already_triaged(request, concern, error)
    messages.success(
        request,
        _("Case %(case)s opened and given to %(owner)s.")
        % {"case": case.reference, "owner": case.owner.name},
    )
    return redirect(_case_url(case) or reverse("web:concern", args=[concern.reference]))


@require_GET
def case_options(request: ActingRequest, reference: str) -> HttpResponse:
    """The case picker's options (a fragment fetched as the coordinator types): the cases the
    concern may be attached to whose reference or pseudonym begins with the text typed."""
    concern = get_concern_for_triage(request.actor, reference)
    form = CaseSearchForm(request.GET)
    found: list[Case] = []
    if form.is_valid() and form.cleaned_data["case_search"]:
        found = search.picker_cases(
            request.actor,
            form.cleaned_data["case_search"],
            narrow=attachable_narrowing(concern),
        )
    return render(
        request,
        "web/concerns/_case_options.html",
        {"concern": concern, "picked": found, "searched": form.is_valid(), "fill": True},
    )


@require_POST
def attach(request: ActingRequest, reference: str) -> HttpResponse:
    concern = get_concern_for_triage(request.actor, reference)
    form = AttachForm(request.POST, cases=attachable_cases(request.actor, concern))
    if not form.is_valid():
        return _render_detail(request, concern, attach_form=form)
    case = form.cleaned_data["case_reference"]
    try:
        attach_concern(concern, case=case, actor=request.actor)
    except ValidationError as error:
        return _already_triaged(request, concern, error)
    messages.success(
        request,
        _("Concern %(concern)s attached to case %(case)s.")
        % {"concern": concern.reference, "case": case.reference},
    )
    return redirect(_case_url(case) or reverse("web:concern", args=[concern.reference]))


@require_http_methods(["GET", "POST"])
def close(request: ActingRequest, reference: str) -> HttpResponse:
    concern = get_concern_for_triage(request.actor, reference)
    if concern.status != ConcernStatus.NEW:
        messages.error(request, _("This concern was already triaged."))
        return redirect("web:concern", reference=concern.reference)
    form = CloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            close_concern(
                concern,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=request.actor,
            )
        except ValidationError as error:
            return _already_triaged(request, concern, error)
        messages.success(request, _("Concern %(concern)s closed.") % {"concern": concern.reference})
        return redirect("web:concerns")
    return render(request, "web/concerns/close.html", {"concern": concern, "form": form})
