"""The support plan of a case, for the responsible organisation's field staff: needs,
orientations to services (accommodation matched to the person's situation and choices),
the child's safeguards, closure, follow-up and reopening.

Cases are fetched through opennrm.support.access (outsiders get 404); state changes only
through the actions of opennrm.support. Views never set fields and save.
"""

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.cases.access import get_safe_contact
from opennrm.cases.models import Case
from opennrm.cases.safe_contact import may_record
from opennrm.support import accommodation, closure, plans
from opennrm.support.access import get_case_for_support, get_orientation_for_owner
from opennrm.support.children import child_warnings
from opennrm.support.models import (
    LIVE_ORIENTATION,
    OPEN_ORIENTATION,
    ClosureReason,
    Need,
    Orientation,
    OrientationStatus,
    Service,
    ServiceType,
    SupportRecord,
    SupportStatus,
)
from opennrm.web.acting import ActingRequest
from opennrm.web.case_header import case_header
from opennrm.web.formtools import posted, submit, submit_button
from opennrm.web.support.forms import (
    ClosureForm,
    ConsentToShareForm,
    DateForm,
    FollowUpForm,
    NeedForm,
    OrientationForm,
    PreferencesForm,
    ReasonForm,
)

# Labels of the timeline events this area writes (for the case page's EVENT_LABELS).
EVENT_LABELS: dict[str, Promise] = {
    "support.need": gettext_lazy("Need added to the support plan"),
    "orientation.proposed": gettext_lazy("Orientation to a service proposed"),
    "orientation.consented": gettext_lazy("The person agreed to an orientation"),
    "orientation.sent": gettext_lazy("Orientation sent to a service"),
    "orientation.accepted": gettext_lazy("Orientation accepted by the service"),
    "orientation.declined": gettext_lazy("Orientation declined by the service"),
    "orientation.in_progress": gettext_lazy("Service started"),
    "orientation.completed": gettext_lazy("Service completed"),
    "orientation.cancelled": gettext_lazy("Orientation cancelled"),
    "orientation.shared_again": gettext_lazy("Orientation shared again with the service"),
    "placement.started": gettext_lazy("Accommodation place taken"),
    "placement.ended": gettext_lazy("Accommodation place freed"),
    "share.revoked": gettext_lazy("Access of another organisation ended"),
    "residence.applied": gettext_lazy("Residence application lodged"),
    "residence.granted": gettext_lazy("Residence permit granted"),
    "residence.refused": gettext_lazy("Residence permit refused"),
    "residence.withdrawn": gettext_lazy("Residence application withdrawn"),
    "non_punishment.recorded": gettext_lazy("Offences committed under constraint recorded"),
    "non_punishment.note_sent": gettext_lazy("Non-punishment note sent to the prosecutor"),
    "non_punishment.outcome": gettext_lazy("Outcome of the non-punishment request recorded"),
    "compensation.lodged": gettext_lazy("Compensation claim lodged"),
    "compensation.awarded": gettext_lazy("Compensation awarded"),
    "compensation.settled": gettext_lazy("Compensation claim settled"),
    "compensation.rejected": gettext_lazy("Compensation claim rejected"),
    "compensation.withdrawn": gettext_lazy("Compensation claim withdrawn"),
    "support.closed": gettext_lazy("Support closed"),
    "support.reopened": gettext_lazy("Support reopened"),
    "support.followed_up": gettext_lazy("Follow-up after closure"),
}


# The tabs of a case's support pages: (section, URL name, label).
TABS = (
    ("plan", "web:support_plan", gettext_lazy("Support plan")),
    ("residence", "web:support_residence", gettext_lazy("Residence")),
    ("non_punishment", "web:support_non_punishment", gettext_lazy("Non-punishment")),
    ("compensation", "web:support_compensation", gettext_lazy("Compensation and labour rights")),
)


def render_support(
    request: ActingRequest, template: str, case: Case, section: str, **context: Any
) -> HttpResponse:
    support = SupportRecord.objects.filter(case=case).first()
    header = case_header(
        case,
        section,
        gettext_lazy("Support of the person"),
        TABS,
        status_badge="web/support/_status_badge.html",
    )
    return render(
        request,
        f"web/support/{template}",
        {
            "case": case,
            "section": section,
            "support": support,
            "support_open": support is not None and support.status == SupportStatus.OPEN,
            **header,
            **context,
        },
    )


def _need(case: Case, pk: int) -> Need:
    return get_object_or_404(Need.objects.filter(case=case), pk=pk)


# The plan --------------------------------------------------------------------------------


def plan(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    needs = list(
        Need.objects.filter(case=case).prefetch_related(
            "orientations__service", "orientations__provider"
        )
    )
    return render_support(
        request,
        "plan.html",
        case,
        "plan",
        needs=needs,
        need_form=NeedForm(),
        warnings=child_warnings(case),
        guardians=list(case.guardians.all()) if case.child else [],
        closure=closure.current_closure(case),
        closures=case.support_closures.select_related("closed_by", "transferred_to"),
        close_form=ClosureForm(case=case),
        follow_up_form=FollowUpForm(),
        reopen_form=ReasonForm(),
        placements=case.placements.select_related("service"),
        safe_contact=get_safe_contact(request.actor, case, via="support_plan"),
        can_record_safe_contact=may_record(request.actor, case),
    )


@require_POST
def need_add(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    submit_button(
        request,
        NeedForm(request.POST),
        partial(plans.add_need, case, actor=request.actor),
        _("Need added to the plan."),
        invalid=_("Choose the need."),
    )
    return redirect("web:support_plan", reference=case.reference)


@require_POST
def needs_import(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    try:
        created = plans.needs_from_immediate(case, actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Needs taken from the immediate needs assessment."))
        else:
            messages.info(request, _("Every immediate need is already in the plan."))
    return redirect("web:support_plan", reference=case.reference)


# Orienting -------------------------------------------------------------------------------


def orient(request: ActingRequest, reference: str, need_pk: int) -> HttpResponse:
    """Choose a service for a need (accommodation goes through the matching page)."""
    case = get_case_for_support(request.actor, reference)
    need = _need(case, need_pk)
    if need.service_type == ServiceType.ACCOMMODATION:
        return redirect("web:support_accommodation", reference=case.reference, need_pk=need.pk)
    services = (
        Service.objects.active()
        .of_type(need.service_type)
        .serving(case.territory)
        .select_related("organisation")
        .order_by("name", "pk")
    )
    form = OrientationForm(posted(request), services=services, case=case)
    proposed = _propose(request, case, need, form, _("Orientation proposed."))
    if proposed is not None:
        return proposed
    return render_support(
        request, "orient.html", case, "plan", need=need, form=form, services=services
    )


def _propose(
    request: ActingRequest,
    case: Case,
    need: Need,
    form: OrientationForm,
    success: str,
    **extra: Any,
) -> HttpResponse | None:
    """Propose the service chosen on `form` for the need, then show the orientation; None while
    the form has to be shown (again)."""

    def act(**data: Any) -> Orientation:
        return plans.propose(
            need,
            data["service"],
            actor=request.actor,
            brief=data["brief"],
            identity_needed=data["identity_needed"],
            urgency=data["urgency"],
            best_interests=data.get("best_interests", ""),
            **extra,
        )

    if done := submit(request, form, act, success):
        return redirect("web:support_orientation", reference=case.reference, pk=done.result.pk)
    return None


def accommodation_match(request: ActingRequest, reference: str, need_pk: int) -> HttpResponse:
    """Accommodation that fits the person's situation and choices, ranked; then propose one.
    Never filtered by residence rights or cooperation: the form does not even ask."""
    case = get_case_for_support(request.actor, reference)
    need = _need(case, need_pk)
    if need.service_type != ServiceType.ACCOMMODATION:
        raise Http404
    latest = accommodation.latest_needs(case)
    initial = {
        "accompanying_children": latest.accompanying_children if latest else 0,
        "area": case.territory.code,
    }
    preferences_form = PreferencesForm(request.GET or None, initial=initial)
    if request.GET and preferences_form.is_valid():
        values = preferences_form.cleaned_data
    else:
        values = {**initial, "area": case.territory, "location": "either", "setting": "either"}
        values["secure"] = False
    situation = accommodation.situation_of(
        case, accompanying_children=values["accompanying_children"], area=values["area"]
    )
    preferences = accommodation.Preferences(
        location=values["location"], setting=values["setting"], secure=values["secure"]
    )
    already = tuple(
        need.orientations.exclude(status=OrientationStatus.CANCELLED).values_list(
            "service_id", flat=True
        )
    )
    found = accommodation.candidates(situation, preferences, case=case, exclude=already)
    services = Service.objects.filter(pk__in=[c.service.pk for c in found])
    form = OrientationForm(posted(request), services=services, case=case)
    proposed = _propose(
        request,
        case,
        need,
        form,
        _("Accommodation proposed."),
        accompanying_children=situation.accompanying_children,
    )
    if proposed is not None:
        return proposed
    return render_support(
        request,
        "accommodation.html",
        case,
        "plan",
        need=need,
        preferences_form=preferences_form,
        situation=situation,
        candidates=found,
        form=form,
        query=request.GET.urlencode(),
    )


def orientation(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    item = get_orientation_for_owner(request.actor, case, pk)
    consent = None if case.child else plans.share_consent(case, item.provider)
    return render_support(
        request,
        "orientation.html",
        case,
        "plan",
        orientation=item,
        Status=OrientationStatus,
        consent=consent,
        consent_form=ConsentToShareForm(),
        reason_form=ReasonForm(),
        date_form=DateForm(),
        transitions=item.transitions.select_related("actor", "organisation"),
        provider_has_access=plans.provider_has_access(item),
        lost_access=plans.lost_access(item),
        may_share_again=plans.may_share_again(item),
        awaits_consent_again=plans.awaits_consent_again(item),
        live=item.status in LIVE_ORIENTATION,
        cancellable=item.status in OPEN_ORIENTATION,
        warnings=child_warnings(case),
    )


def _orientation_done(request: ActingRequest, case: Case, item: Orientation) -> HttpResponse:
    return redirect("web:support_orientation", reference=case.reference, pk=item.pk)


@require_POST
def orientation_consent(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    """The person agrees to the orientation and to sharing with the provider. An active
    consent naming the provider is used; otherwise it is recorded now."""
    case = get_case_for_support(request.actor, reference)
    item = get_orientation_for_owner(request.actor, case, pk)
    form = ConsentToShareForm(request.POST)
    if plans.share_consent(case, item.provider) is None and not form.is_valid():
        messages.error(request, _("Say how the person gave their consent."))
        return _orientation_done(request, case, item)
    try:
        plans.consent_to_orientation(
            item,
            method=form.cleaned_data.get("method", "") if form.is_valid() else "",
            actor=request.actor,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Consent recorded for this orientation."))
    return _orientation_done(request, case, item)


@require_POST
def orientation_consent_again(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    """The person gives their consent to share with the provider again, after withdrawing it.
    Recorded only: the provider gets nothing until the organisation shares again, or sends an
    orientation that was not sent yet."""
    case = get_case_for_support(request.actor, reference)
    item = get_orientation_for_owner(request.actor, case, pk)
    form = ConsentToShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the person gave their consent."))
        return _orientation_done(request, case, item)
    not_sent = plans.awaits_consent_again(item)
    try:
        plans.consent_again(item, method=form.cleaned_data["method"], actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if not_sent:
            done = _(
                "Consent recorded. Nothing is shared yet: send the orientation when you are ready."
            )
        else:
            done = _(
                "Consent recorded. Nothing is shared yet: share again with %(provider)s when "
                "you are ready."
            ) % {"provider": item.provider.name}
        messages.success(request, done)
    return _orientation_done(request, case, item)


@require_http_methods(["GET", "POST"])
def orientation_share_again(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    """Share the orientation again with a provider that lost access: a confirmation page
    (GET), then the action (POST). Offered only when the person's consent allows it."""
    case = get_case_for_support(request.actor, reference)
    item = get_orientation_for_owner(request.actor, case, pk)
    if request.method == "POST":
        submit_button(
            request,
            None,
            partial(plans.share_again, item, actor=request.actor),
            lambda _shared: (
                _("Shared again with %(provider)s: it sees the orientation again.")
                % {"provider": item.provider.name}
            ),
        )
        return _orientation_done(request, case, item)
    if not plans.may_share_again(item):
        messages.error(request, _refusal_to_share_again(item))
        return _orientation_done(request, case, item)
    return render_support(
        request,
        "share_again.html",
        case,
        "plan",
        orientation=item,
        consent=plans.share_consent(case, item.provider),
        identity=plans.identity_for(item),
    )


def _refusal_to_share_again(item: Orientation) -> str:
    if plans.lost_access(item):
        return _(
            "The person has not given their consent to share with this provider again: "
            "record it first."
        )
    if item.status in LIVE_ORIENTATION and plans.provider_has_access(item):
        return _("The provider already has access to this case.")
    return _("This orientation cannot be shared again.")


@require_POST
def orientation_send(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    item = get_orientation_for_owner(request.actor, case, pk)
    submit_button(
        request,
        None,
        partial(plans.send, item, actor=request.actor),
        # After sending: the response is due from then on.
        lambda _sent: (
            _("Orientation sent to %(provider)s, which must answer by %(day)s.")
            % {
                "provider": item.provider.name,
                "day": date_format(item.response_due, "SHORT_DATE_FORMAT")
                if item.response_due
                else "",
            }
        ),
    )
    return _orientation_done(request, case, item)


@require_POST
def orientation_cancel(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    item = get_orientation_for_owner(request.actor, case, pk)
    submit_button(
        request,
        ReasonForm(request.POST),
        partial(plans.cancel, item, actor=request.actor),
        _("Orientation cancelled."),
        invalid=_("Say why the orientation is cancelled."),
    )
    return _orientation_done(request, case, item)


@require_POST
def orientation_complete(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    item = get_orientation_for_owner(request.actor, case, pk)
    submit_button(
        request,
        DateForm(request.POST),
        lambda day: plans.complete(item, actor=request.actor, ended_on=day),
        _("Orientation marked as completed."),
        invalid=_("Give a date that is not in the future."),
    )
    return _orientation_done(request, case, item)


# Closure ---------------------------------------------------------------------------------


def close(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    form = ClosureForm(posted(request), case=case)
    act = partial(closure.close_support, case, actor=request.actor)
    if submit(request, form, act, _("Support closed. Remember the follow-up date.")):
        return redirect("web:support_plan", reference=case.reference)
    return render_support(
        request,
        "close.html",
        case,
        "plan",
        form=form,
        running=case.orientations.filter(
            status__in=[
                OrientationStatus.PROPOSED,
                OrientationStatus.CONSENTED,
                *LIVE_ORIENTATION,
            ]
        ).select_related("provider", "need"),
        Reason=ClosureReason,
    )


@require_POST
def reopen(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    submit_button(
        request,
        ReasonForm(request.POST),
        partial(closure.reopen_support, case, actor=request.actor),
        _("Support reopened."),
        invalid=_("Say why support is reopened."),
    )
    return redirect("web:support_plan", reference=case.reference)


@require_POST
def follow_up(request: ActingRequest, reference: str) -> HttpResponse:
    case = get_case_for_support(request.actor, reference)
    current = closure.current_closure(case)
    if current is None:
        raise Http404
    submit_button(
        request,
        FollowUpForm(request.POST),
        partial(closure.record_follow_up, current, actor=request.actor),
        _("Follow-up recorded."),
        invalid=_("Give a date that is not in the future."),
    )
    return redirect("web:support_plan", reference=case.reference)
