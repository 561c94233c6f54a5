"""Rights information, consent, children, protection, referral and anonymous notification.

Every page is under /cases/<reference>/ and is for the field staff of the responsible
organisation only: cases are fetched through opennrm.cases.access, outsiders get 404. Views
validate a form and call an action; they never set fields and save.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.cases.access import can_see_identity, evidence_of_case, get_case_for_owner
from opennrm.cases.enums import ConsentScope, FileItem, IdentificationStatus
from opennrm.cases.models import Case
from opennrm.core.models import Organisation
from opennrm.detection.actions import (
    alert_child_protection,
    notify_anonymously,
    record_consent,
    record_guardian,
    record_rights_information,
)
from opennrm.documents import available_languages
from opennrm.documents.leaflet import resolve_leaflet_language
from opennrm.documents.leaflets import leaflet_label, leaflets
from opennrm.documents.rendering import language_name
from opennrm.identification.models import Referral, Route
from opennrm.identification.services import eligible_targets, refer
from opennrm.support.models import SupportRecord
from opennrm.support.services import record_immediate_needs
from opennrm.web.acting import ActingRequest
from opennrm.web.case_header import case_header
from opennrm.web.formtools import posted, submit, submit_button
from opennrm.web.identification.views.file import file_context
from opennrm.web.protection.forms import GIVEN_INSTEAD as CONFIRMED
from opennrm.web.protection.forms import (
    AnonymousNotificationForm,
    ChildProtectionAlertForm,
    ConsentForm,
    GuardianForm,
    ImmediateNeedsForm,
    LeafletForm,
    ReferralForm,
    RightsInformationForm,
)

REFUSAL_EVENT = "referral.refused"  # logged by notify_anonymously


def owner_case(request: ActingRequest, reference: str) -> Case:
    """The case, for the field staff of its responsible organisation; 404 for anyone else."""
    case = get_case_for_owner(request.actor, reference)
    if not can_see_identity(request.actor, case):  # the owner's staff who report or triage
        raise Http404
    return case


def _tabs(case: Case) -> list[tuple[str, str, Any]]:
    return [
        ("rights", "web:rights", gettext_lazy("Rights information")),
        (
            "consents",
            "web:consents",
            gettext_lazy("Guardian and child protection")
            if case.child
            else gettext_lazy("Consent"),
        ),
        ("protection", "web:protection", gettext_lazy("Protection and immediate needs")),
        ("refer", "web:refer", gettext_lazy("Referral")),
    ]


def _render(
    request: ActingRequest, template: str, case: Case, section: str, **context: Any
) -> HttpResponse:
    header = case_header(
        case, section, gettext_lazy("Preliminary identification steps"), _tabs(case)
    )
    return render(
        request,
        f"web/protection/{template}",
        {"case": case, "section": section, "Status": IdentificationStatus, **header, **context},
    )


# Rights information ----------------------------------------------------------------------


def rights(request: ActingRequest, reference: str) -> HttpResponse:
    case = owner_case(request, reference)
    leaflet_form = LeafletForm(request.GET if "language" in request.GET else None)
    given_instead = _given_instead(case, leaflet_form)
    form = RightsInformationForm(
        posted(request), detected_on=case.detected_on, initial=_initial(leaflet_form)
    )
    act = partial(record_rights_information, case, actor=request.actor)
    if submit(request, form, act, _("Rights information recorded.")):
        return redirect("web:rights", reference=case.reference)
    records = [
        {
            "record": info,
            "language": language_name(info.language),
            "leaflet_language": leaflet_label(info.leaflet_language)
            if info.leaflet_language
            else "",
            # The leaflet given is not in the language the information was given in.
            "other_language": bool(info.leaflet_language)
            and info.leaflet_language != info.language,
        }
        for info in case.rights_information.select_related("given_by", "organisation")
    ]
    return _render(
        request,
        "rights.html",
        case,
        "rights",
        form=form,
        records=records,
        leaflet_form=leaflet_form,
        given_instead=given_instead,
        leaflets=[
            {"label": leaflet_label(code), "reviewed": leaflet.reviewed}
            for code, leaflet in sorted(leaflets().items())
        ],
    )


def _given_instead(case: Case, leaflet_form: LeafletForm) -> dict[str, str] | None:
    """Asked for a language with no leaflet: which language will be given instead, and the
    link that downloads it (the leaflet view sends the worker here first)."""
    if not leaflet_form.is_bound or not leaflet_form.is_valid():
        return None
    requested = leaflet_form.cleaned_data["language"]
    fallback = leaflet_form.cleaned_data.get("fallback") or ""
    given, fallback_used = resolve_leaflet_language(requested, fallback)
    if not fallback_used:
        return None
    query = urlencode({"language": requested, "fallback": fallback, CONFIRMED: given})
    return {
        "requested": language_name(requested),
        "given": leaflet_label(given),
        "url": f"{reverse('web:leaflet', args=[case.reference])}?{query}",
    }


def _initial(leaflet_form: LeafletForm) -> dict[str, str]:
    """The record form filled from the leaflet just asked for: the person's language and the
    leaflet's language actually given."""
    if not leaflet_form.is_bound or not leaflet_form.is_valid():
        return {}
    requested = leaflet_form.cleaned_data["language"]
    given, _fallback_used = resolve_leaflet_language(
        requested, leaflet_form.cleaned_data.get("fallback") or ""
    )
    return {"language": requested, "leaflet_language": given}


# Consent and children --------------------------------------------------------------------


def consents(request: ActingRequest, reference: str) -> HttpResponse:
    case = owner_case(request, reference)
    form = None if case.child else ConsentForm(posted(request), case=case)
    if request.method == "POST":
        if form is None:
            messages.info(request, _("A child is referred without needing consent."))
            return redirect("web:consents", reference=case.reference)

        def act(**data: Any) -> object:
            return record_consent(
                case,
                scope=data["scope"],
                method=data["method"],
                organisation=data["organisation"],
                actor=request.actor,
            )

        if submit(request, form, act, _("Consent recorded.")):
            return redirect("web:consents", reference=case.reference)
    return _render(
        request,
        "consents.html",
        case,
        "consents",
        form=form,
        consents=case.consents.select_related(
            "organisation", "recorded_by", "recorded_for", "withdrawn_by"
        ),
        guardian_form=GuardianForm() if case.child else None,
        alert_form=ChildProtectionAlertForm(case=case) if case.child else None,
        guardians=case.guardians.select_related("recorded_by") if case.child else (),
        alerts=case.child_protection_alerts.select_related("service") if case.child else (),
    )


def consent_withdraw(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case = owner_case(request, reference)
    consent = get_object_or_404(case.consents.select_related("organisation"), pk=pk)
    if not consent.is_active:
        messages.info(request, _("This consent was already withdrawn."))
        return redirect("web:consents", reference=case.reference)
    shares = consent.shares.filter(revoked_at__isnull=True).select_related("organisation")
    if request.method == "POST":
        submit_button(
            request,
            None,
            partial(consent.withdraw, actor=request.actor),
            _("Consent withdrawn. Access that relied on it was revoked at once."),
        )
        return redirect("web:consents", reference=case.reference)
    return _render(
        request,
        "consent_withdraw.html",
        case,
        "consents",
        consent=consent,
        shares=shares,
        referrals=case.referrals.filter(consent=consent).select_related("target"),
    )


def _child_only(request: ActingRequest, case: Case) -> HttpResponse | None:
    if case.child:
        return None
    messages.info(request, _("Guardians and child protection alerts are recorded for children."))
    return redirect("web:consents", reference=case.reference)


def _child_page(
    request: ActingRequest,
    reference: str,
    make_form: Callable[[Case], Form],
    act: Callable[..., object],
    success: str,
    template: str,
) -> HttpResponse:
    """A child's guardian or child protection alert: a page of its own, then back to consents."""
    case = owner_case(request, reference)
    if (refused := _child_only(request, case)) is not None:
        return refused
    form = make_form(case)
    if submit(request, form, partial(act, case, actor=request.actor), success):
        return redirect("web:consents", reference=case.reference)
    return _render(request, template, case, "consents", form=form)


def guardian(request: ActingRequest, reference: str) -> HttpResponse:
    return _child_page(
        request,
        reference,
        lambda case: GuardianForm(posted(request)),
        record_guardian,
        _("Guardian recorded."),
        "guardian.html",
    )


def child_protection(request: ActingRequest, reference: str) -> HttpResponse:
    return _child_page(
        request,
        reference,
        lambda case: ChildProtectionAlertForm(posted(request), case=case),
        alert_child_protection,
        _("Child protection alert recorded."),
        "child_protection.html",
    )


# Protection ------------------------------------------------------------------------------


def protection(request: ActingRequest, reference: str) -> HttpResponse:
    case = owner_case(request, reference)
    form = ImmediateNeedsForm(posted(request))
    act = partial(record_immediate_needs, case, actor=request.actor)
    if submit(request, form, act, _("Immediate needs recorded.")):
        return redirect("web:protection", reference=case.reference)
    return _render(
        request,
        "protection.html",
        case,
        "protection",
        form=form,
        period=case.reflection_periods.first(),
        support=SupportRecord.objects.filter(case=case).first(),
        needs=case.immediate_needs.select_related("recorded_by", "organisation"),
        attestation_languages=[(code, language_name(code)) for code in available_languages()],
    )


# Referral and anonymous notification ------------------------------------------------------


def referral(request: ActingRequest, reference: str) -> HttpResponse:
    """Refer the case, in two steps: choose the route, the recipient and what the person agreed
    to share; then check the whole file as the recipient will read it, and send it."""
    case = owner_case(request, reference)
    consent = None if case.child else case.active_consent(ConsentScope.REFERRAL)
    presumed = case.is_presumed_or_identified
    documents = evidence_of_case(request.actor, case, via="referral") if presumed else []
    form = ReferralForm(posted(request), case=case, documents=documents) if presumed else None
    check = None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Only a presumed victim can be referred."))
            return redirect("web:refer", reference=case.reference)
        if not case.child and consent is None:
            form.add_error(None, _("The person has not consented to referral."))
        elif "send" not in request.POST or not form.is_valid():
            if form.is_valid() and "edit" not in request.POST:
                check = _file_check(request, case, form.cleaned_data)
        else:

            def act(
                route: str, target: Organisation, items: list[str], withheld_evidence: list[int]
            ) -> Referral:
                return refer(
                    case,
                    route=route,
                    target=target,
                    consent=consent,
                    actor=request.actor,
                    items=items,
                    withheld_evidence=withheld_evidence,
                )

            def said(made: Referral) -> str:
                return _("Case referred to %(organisation)s, which can now see the case file.") % {
                    "organisation": made.target.name
                }

            if submit(request, form, act, said):
                return redirect("web:refer", reference=case.reference)
    return _render(
        request,
        "refer.html",
        case,
        "refer",
        form=form,
        check=check,
        presumed=presumed,
        consent=consent,
        referrals=case.referrals.select_related("target", "referring_organisation"),
        assessments=case.assessments.filter(finalised_at__isnull=False),
        rights_count=case.rights_information.count(),
        needs_count=case.immediate_needs.count(),
        refusal=case.events.filter(kind=REFUSAL_EVENT).order_by("-at").first(),
        no_targets=[route.label for route in Route if not eligible_targets(case, route).exists()],
    )


def _file_check(request: ActingRequest, case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """The file exactly as the recipient will read it, before it is sent (nothing is saved)."""
    draft = Referral(
        case=case,
        route=data["route"],
        target=data["target"],
        file_items=data["items"],
        withheld_evidence=data["withheld_evidence"],
    )
    left_out = [label for code, label in FileItem.choices if code not in data["items"]]
    context = {"check": True, **file_context(draft, request.actor, check=True)}
    return {
        "target": data["target"],
        "route_label": draft.get_route_display(),
        "left_out": left_out,
        "identity": data["route"] == Route.JUDICIAL,
        "file": render_to_string("web/identification/_file.html", context, request=request),
    }


def _notification_refusal(case: Case) -> str | None:
    """Why no anonymous notification can be sent for this case (the action checks again)."""
    if case.child:
        return _("A child is referred without needing consent: no anonymous notification.")
    if case.status != IdentificationStatus.PRESUMED_VICTIM:
        return _("Only a presumed victim's refusal leads to an anonymous notification.")
    if case.active_consent(ConsentScope.REFERRAL) is not None:
        return _(
            "The person consented to referral: refer the case, or withdraw the consent first "
            "if they changed their mind."
        )
    if case.events.filter(kind=REFUSAL_EVENT).exists():
        return _("An anonymous notification was already sent for this case.")
    return None


def anonymous_notification(request: ActingRequest, reference: str) -> HttpResponse:
    case = owner_case(request, reference)
    refusal = _notification_refusal(case)
    form = AnonymousNotificationForm(posted(request))
    if request.method == "POST":
        if refusal is not None:
            messages.error(request, refusal)
            return redirect("web:anonymous_notification", reference=case.reference)
        sent = submit(
            request,
            form,
            lambda **_data: notify_anonymously(case, actor=request.actor),
            _("Anonymous notification sent. The case stays open: assistance continues."),
        )
        if sent:
            return redirect("web:refer", reference=case.reference)
    return _render(
        request,
        "anonymous_notification.html",
        case,
        "refer",
        form=form,
        refusal=refusal,
    )
