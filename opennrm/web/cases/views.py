"""The case pages: the list of the organisation's cases, direct detection, the case page
(pseudonymised), the person's identity (for those who need it) and its correction, closing a
case that never reached support and reopening it.

Cases and persons are reached only through opennrm.cases.access; state changes only through
the actions of opennrm.detection and opennrm.cases.closure.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.audit.trail import record
from opennrm.cases import closure, search
from opennrm.cases.access import (
    VisibleCaseList,
    can_see_identity,
    get_case_for_member,
    get_case_for_owner,
    get_identity,
    get_safe_contact,
    may_read_evidence,
)
from opennrm.cases.duplicates import possible_matches
from opennrm.cases.enums import ConsentScope, IdentificationStatus
from opennrm.cases.models import Case, CaseClosure, CaseEvent, CaseQuerySet, Evidence, Person
from opennrm.cases.persons import update_person
from opennrm.cases.reference_data import country_choices, language_choices
from opennrm.cases.safe_contact import (
    SafeContactNotice,
    contact_organisations,
    may_record,
    record_safe_contact,
)
from opennrm.core.models import Membership
from opennrm.detection import actions
from opennrm.detection.access import account_progress, concerns_of_case, may_read_account
from opennrm.detection.enums import Sector
from opennrm.detection.models import PreliminaryAssessment
from opennrm.identification.models import Referral, ReferralStatus
from opennrm.indicators.catalogue import load_catalogue
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile
from opennrm.web.acting import ActingRequest
from opennrm.web.cases import progress as case_progress
from opennrm.web.cases.forms import (
    CaseClosingForm,
    CaseDetailsForm,
    CaseFilterForm,
    CaseForm,
    CaseReopenForm,
    PersonForm,
    SafeContactForm,
)
from opennrm.web.cases.progress import NextStep
from opennrm.web.formtools import already_sent, posted, run_once, submit, submit_button
from opennrm.web.transfers.panel import case_panel

CASES_PER_PAGE = 50

# Human labels of the timeline's event kinds (with IDENTIFICATION_EVENT_LABELS and the support
# area's EVENT_LABELS). tests/cases/test_event_labels.py fails on a kind written in the code
# without a label; a kind unknown here (an older one) is shown as its code.
EVENT_LABELS: dict[str, Promise] = {
    "case.opened": gettext_lazy("Case opened"),
    "case.updated": gettext_lazy("Case details completed"),
    "person.rectified": gettext_lazy("Person's data rectified (data protection request)"),
    "concern.triaged": gettext_lazy("Opened from a concern"),
    "concern.attached": gettext_lazy("A concern was attached to the case"),
    "person.updated": gettext_lazy("Person's details corrected"),
    "assessment.started": gettext_lazy("Preliminary assessment started"),
    "status.preliminary_assessment": gettext_lazy("Back under preliminary assessment"),
    "status.presumed_victim": gettext_lazy("Concluded: presumed victim"),
    "status.not_presumed": gettext_lazy("Concluded: not presumed a victim"),
    "status.identified_victim": gettext_lazy("Formally identified as a victim"),
    "status.not_identified": gettext_lazy("Not identified as a victim"),
    "rights.informed": gettext_lazy("Informed of their rights"),
    "consent.referral": gettext_lazy("Consent to referral recorded"),
    "consent.share": gettext_lazy("Consent to share data recorded"),
    "consent.withdrawn": gettext_lazy("Consent withdrawn"),
    "share.granted": gettext_lazy("Access given to another organisation"),
    "child.guardian": gettext_lazy("Guardian or ad hoc administrator recorded"),
    "child.protection_alerted": gettext_lazy("Child protection services alerted"),
    "protection.reflection_period": gettext_lazy("Recovery and reflection period started"),
    "protection.immediate_needs": gettext_lazy("Immediate needs recorded"),
    "support.opened": gettext_lazy("Support opened"),
    "referral.judicial": gettext_lazy("Referred to formal identification (judicial route)"),
    "referral.platform": gettext_lazy("Referred to formal identification (platform route)"),
    "referral.refused": gettext_lazy("Referral refused: anonymous notification sent"),
    "case.closed": gettext_lazy("Case closed"),
    "case.reopened": gettext_lazy("Case reopened"),
    "safe_contact.recorded": gettext_lazy("How to reach the person safely recorded"),
    "safe_contact.updated": gettext_lazy("How to reach the person safely changed"),
    "account.started": gettext_lazy("The person's account started"),
    "account.situation_added": gettext_lazy("Exploitative situation added to the account"),
    "account.situation_removed": gettext_lazy("Exploitative situation removed from the account"),
    "evidence.added": gettext_lazy("Document added to the case"),
    "evidence.removed": gettext_lazy("Document removed from the case"),
    "consent.transfer": gettext_lazy("Consent to a transfer of the case recorded"),
    "transfer.proposed": gettext_lazy("Transfer to another organisation proposed"),
    "transfer.requested": gettext_lazy("Another organisation asked to take the case"),
    "transfer.accepted": gettext_lazy("Case transferred to another organisation"),
    "transfer.declined": gettext_lazy("Transfer declined"),
    "transfer.withdrawn": gettext_lazy("Transfer withdrawn"),
    "transfer.former_access_ended": gettext_lazy(
        "The former responsible organisation's access ended"
    ),
}

# Pages of the protection area, linked from the case page once they exist.
SECTION_PAGES = (
    ("web:rights", gettext_lazy("Rights information")),
    ("web:consents", gettext_lazy("Consent")),
    ("web:guardian", gettext_lazy("Guardian or ad hoc administrator")),
    ("web:child_protection", gettext_lazy("Alert child protection services")),
    ("web:protection", gettext_lazy("Protection and immediate needs")),
    ("web:refer", gettext_lazy("Refer to formal identification")),
    ("web:identification", gettext_lazy("Formal identification")),
    ("web:support_plan", gettext_lazy("Support plan")),
    ("web:privacy_person_rights", gettext_lazy("The person's data protection rights")),
    ("web:anonymous_notification", gettext_lazy("Anonymous notification")),
    ("web:leaflet", gettext_lazy("Rights leaflet (PDF)")),
    ("web:reflection_attestation", gettext_lazy("Reflection period attestation (PDF)")),
)
CHILD_ONLY = frozenset({"web:guardian", "web:child_protection"})
ADULT_ONLY = frozenset({"web:anonymous_notification"})


IDENTIFICATION_EVENT_LABELS: dict[str, Promise] = {
    "identification.statement_recorded": gettext_lazy("Complaint or testimony recorded"),
    "identification.interview_designated": gettext_lazy("Interviewers designated"),
    "identification.interview_report": gettext_lazy("Interview report added to the file"),
    "identification.information_requested": gettext_lazy("The platform asked for information"),
    "identification.information_provided": gettext_lazy("Information given to the platform"),
    "identification.decision": gettext_lazy("Formal identification decision"),
    "identification.reconsideration_requested": gettext_lazy("Reconsideration requested"),
    "identification.cooperation_ended": gettext_lazy("Cooperation with the investigation ended"),
}


def _event_line(event: Any) -> str:
    """An event's label on the timeline; rights information says the leaflet's language
    actually given and whether an interpreter explained it."""
    label = str(event_label(event.kind))
    details = event.details or {}
    if event.kind != "rights.informed":
        return label
    from opennrm.documents.leaflets import leaflet_label

    if details.get("leaflet_language"):
        label = _("%(label)s — leaflet given in %(language)s") % {
            "label": label,
            "language": leaflet_label(details["leaflet_language"]),
        }
    if details.get("interpreter"):
        label = _("%(label)s, through an interpreter") % {"label": label}
    return label


def event_label(kind: str) -> str:
    from opennrm.web.support.views.plan import EVENT_LABELS as SUPPORT_EVENT_LABELS

    label = (
        EVENT_LABELS.get(kind)
        or IDENTIFICATION_EVENT_LABELS.get(kind)
        or SUPPORT_EVENT_LABELS.get(kind)
    )
    return str(label) if label is not None else kind


def optional_url(name: str, *args: Any) -> str | None:
    """The URL of a page that may not exist yet (another area); None until it does."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _membership(request: ActingRequest) -> Membership | None:
    membership: Membership | None = getattr(request, "membership", None)
    return membership


def _can_report(request: ActingRequest) -> bool:
    membership = _membership(request)
    return membership is not None and membership.can(Capability.REPORT)


def is_owner_staff(request: ActingRequest, case: Case) -> bool:
    """The responsible organisation's field staff: they assess, inform, refer."""
    membership = _membership(request)
    return (
        membership is not None
        and case.owner_id == membership.organisation_id
        and membership.can(Capability.REPORT)
    )


def form_labels() -> dict[str, str]:
    profile = active_profile()
    language = get_language() or profile.default_language
    return {
        form.code: form.label.get(language, profile.default_language)
        for form in profile.forms_of_exploitation
    }


def language_code() -> str:
    return (get_language() or "en")[:2]


def set_label(version: str, set_code: str) -> str:
    """An indicator set's label in the user's language; its code if the catalogue lacks it."""
    try:
        catalogue = load_catalogue(version)
    except LookupError:
        return set_code
    indicator_set = catalogue.indicator_set(set_code)
    return indicator_set.label.get(language_code()) if indicator_set else set_code


def sector_label(code: str) -> str:
    if code in Sector.values:
        return str(Sector(code).label)
    return code


def is_assessment_overdue(case: Case, today: datetime.date) -> bool:
    return (
        case.status == IdentificationStatus.PRELIMINARY_ASSESSMENT
        and case.assessment_due is not None
        and case.assessment_due < today
    )


# List -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    case: Case
    forms: list[str]
    overdue: bool


@require_http_methods(["GET", "POST"])
def case_list(request: ActingRequest) -> HttpResponse:
    """The cases the user's organisation may see: pseudonym and reference, never names; searched
    by the filters of CaseFilterForm (by name or date of birth for those who may read
    identities, through the blind index). Every search is audited without the name typed."""
    today = timezone.localdate()
    identity = search.may_search_identity(request.actor)
    # A name or a date of birth is sent by POST (the identity search's own form, which carries
    # the other filters too), never in an address: no personal data in URLs, history or logs.
    by_post = request.method == "POST"
    data = request.POST if by_post else request.GET.copy()
    named = any(data.get(name) for name in CaseFilterForm.IDENTITY_FIELDS)
    if named and not (identity and by_post):
        raise Http404  # by identity: for those who may read identities, never in an address
    owners = search.owner_choices(request.actor)
    filters = CaseFilterForm(data or None, identity=identity, owners=owners)
    refine: Callable[[CaseQuerySet], CaseQuerySet] = lambda cases: cases  # noqa: E731
    searched = identity_search = False
    if filters.is_bound and filters.is_valid():
        refine = _case_search_refine(request, filters.cleaned_data, today)
        identity_search = identity and filters.identity_used()
        searched = bool(filters.audit_filters())
    elif filters.is_bound:
        refine = lambda cases: cases.none()  # noqa: E731 (an invalid search finds nothing)

    def shape(cases: CaseQuerySet) -> CaseQuerySet:
        return (
            cases.select_related("person", "territory")
            # The person's identity is never even read from the database here.
            .only(
                "reference",
                "status",
                "forms",
                "child",
                "assessment_due",
                "opened_at",
                "person__pseudonym",
                "territory__code",
                "territory__name",
            )
            .annotate(closed=Exists(CaseClosure.objects.in_force().filter(case_id=OuterRef("pk"))))
        )

    cases = VisibleCaseList(request.actor, refine=refine, shape=shape)
    # An identity search shows its first page only (its filters are not put in page links).
    page = Paginator(cases, CASES_PER_PAGE).get_page(None if by_post else request.GET.get("page"))
    labels = form_labels()
    rows = [
        CaseRow(
            case=case,
            forms=[labels.get(code, code) for code in case.forms],
            overdue=is_assessment_overdue(case, today) and not getattr(case, "closed", False),
        )
        for case in page.object_list
    ]
    if searched:
        search.record_search(
            request.actor,
            filters={**filters.audit_filters(), "page": page.number},
            identity=identity_search,
            results=page.paginator.count,
            capped=cases.capped,
        )
    else:
        record("case.list", actor=request.actor, details={"page": page.number, "shown": len(rows)})
    query = request.GET.copy()
    query.pop("page", None)
    kept = [
        (name, value)
        for name, value in data.items()
        if name not in {"page", "csrfmiddlewaretoken", *CaseFilterForm.IDENTITY_FIELDS} and value
    ]
    return render(
        request,
        "web/cases/list.html",
        {
            "filters": filters,
            "posted": by_post,
            "kept": kept,
            "identity_search": identity,
            "searched": searched,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "can_create": _can_report(request),
        },
    )


def _case_search_refine(
    request: ActingRequest, values: dict[str, Any], today: datetime.date
) -> Callable[[CaseQuerySet], CaseQuerySet]:
    """The search's filters as a refinement of each source of visibility (VisibleCaseList):
    they only ever narrow what the organisation sees."""
    identity: Callable[[CaseQuerySet], CaseQuerySet] | None = None
    if values.get("name") or values.get("date_of_birth"):
        identity = search.identity_refine(
            request.actor, name=values.get("name") or "", date_of_birth=values.get("date_of_birth")
        )

    def refine(cases: CaseQuerySet) -> CaseQuerySet:
        if reference := search.reference_prefix(values.get("reference") or ""):
            cases = cases.filter(reference__startswith=reference)
        if pseudonym := search.pseudonym_prefix(values.get("pseudonym") or ""):
            cases = cases.filter(person__pseudonym__startswith=pseudonym)
        if values.get("status"):
            cases = cases.filter(status=values["status"])
        if values.get("form"):
            cases = search.with_form_of_exploitation(cases, values["form"])
        if values.get("territory"):
            cases = cases.filter(territory__code=values["territory"])
        if values.get("owner") is not None:
            cases = cases.filter(owner_id=values["owner"])
        if values.get("route"):
            cases = cases.filter(
                Exists(Referral.objects.filter(case_id=OuterRef("pk"), route=values["route"]))
            )
        if values.get("due_from"):
            cases = cases.filter(assessment_due__gte=values["due_from"])
        if values.get("due_until"):
            cases = cases.filter(assessment_due__lte=values["due_until"])
        if values.get("overdue"):
            cases = cases.assessment_overdue(today)
        if values.get("awaiting_consent"):
            cases = cases.awaiting_referral_consent()
        if identity is not None:
            cases = identity(cases)
        return cases

    return refine


# Direct detection -------------------------------------------------------------------------


def case_create(request: ActingRequest) -> HttpResponse:
    """A field organisation meets a person and opens the case itself."""
    membership = _membership(request)
    if membership is None or not membership.can(Capability.REPORT):
        raise Http404
    organisation = membership.organisation
    person_form = PersonForm(request.POST or None)
    case_form = CaseForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and (made := already_sent(request, case_form)) is not None:
        return redirect("web:case", reference=made.reference)  # sent again: the case opened
    if request.method == "POST" and all([person_form.is_valid(), case_form.is_valid()]):

        def act(**values: Any) -> Case:
            return actions.open_case_directly(
                request.actor,
                person=person_form.instance,
                channel=values["channel"],
                territory=values["territory"],
                forms=values["forms"],
                sector=values["sector"],
                places=values["places"],
                period_start=values["period_start"],
                period_end=values["period_end"],
                detected_on=values["detected_on"],
            )

        try:
            sent = run_once(request, case_form, act)  # sent again: the case opened the first time
        except ValidationError as error:
            _attach_errors(error, person_form, case_form)
        else:
            case = sent.result
            if not sent.resent:
                messages.success(request, _("Case opened."))
            if case.possible_matches.exists():
                messages.warning(
                    request,
                    _(
                        "This person may already be known to another organisation: the case "
                        "page says which one to contact."
                    ),
                )
            return redirect("web:case", reference=case.reference)
    return render(
        request, "web/cases/create.html", {"person_form": person_form, "case_form": case_form}
    )


def _attach_errors(error: ValidationError, *forms_: Any) -> None:
    """Give the model's validation errors to the form that has the field."""
    if not hasattr(error, "error_dict"):
        forms_[0].add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = next((form for form in forms_ if field in form.fields), None)
        if target is None:
            forms_[0].add_error(None, errors)
        else:
            target.add_error(field, errors)


# Case page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDate:
    label: str
    day: datetime.date
    overdue: bool


def _due_dates(case: Case, today: datetime.date) -> list[DueDate]:
    dates: list[DueDate] = []
    if case.status == IdentificationStatus.PRELIMINARY_ASSESSMENT and case.assessment_due:
        dates.append(
            DueDate(
                _("Preliminary assessment due"),
                case.assessment_due,
                is_assessment_overdue(case, today),
            )
        )
    periods = list(case.reflection_periods.all())
    if periods:
        period = periods[0]  # the latest (ordered by -starts_on)
        dates.append(DueDate(_("End of the reflection period"), period.ends_on, False))
    for referral in case.referrals.all():
        if referral.status in {ReferralStatus.DECIDED, ReferralStatus.WITHDRAWN}:
            continue
        dates.append(
            DueDate(
                _("Formal identification decision due (%(route)s)")
                % {"route": referral.get_route_display()},
                referral.decision_due,
                referral.decision_due < today,
            )
        )
    return dates


def _facts(
    case: Case, current_closure: CaseClosure | None, *, has_referral_consent: bool
) -> case_progress.CaseFacts:
    """What the stepper reads, from what the page has loaded (no query of its own)."""
    periods = list(case.reflection_periods.all())  # the latest first
    return case_progress.CaseFacts(
        status=case.status,
        child=case.child,
        detected_on=case.detected_on,
        assessment_due=case.assessment_due,
        events=case_progress.events_of((event.kind, event.at) for event in case.events.all()),
        referrals=tuple(
            case_progress.ReferralFacts(
                route=referral.route,
                status=referral.status,
                decision_due=referral.decision_due,
                paused=referral.paused_since is not None,
            )
            for referral in case.referrals.all()
        ),
        reflection_ends_on=periods[0].ends_on if periods else None,
        closed_on=current_closure.closed_on if current_closure else None,
        has_referral_consent=has_referral_consent,
    )


def _sections(
    case: Case, *, owner_staff: bool, has_reflection_period: bool, is_admin: bool = False
) -> list[NextStep]:
    if not owner_staff:
        return []
    links = []
    for name, label in SECTION_PAGES:
        if name in CHILD_ONLY and not case.child:
            continue
        if name in ADULT_ONLY and case.child:
            continue
        if name == "web:reflection_attestation" and not has_reflection_period:
            continue
        if name == "web:privacy_person_rights" and not is_admin:
            continue
        presumed_only = {"web:refer", "web:identification", "web:support_plan"}
        if name in presumed_only and not case.is_presumed_or_identified:
            continue
        url = optional_url(name, case.reference)
        if url is not None:
            links.append(NextStep(str(label), url))
    return links


def case_detail(request: ActingRequest, reference: str) -> HttpResponse:
    """The case page, pseudonymised: the identity is an audited click away for who needs it."""
    case = get_case_for_member(request.actor, reference)  # audited: case.read
    today = timezone.localdate()
    prefetch_related_objects(
        [case],
        Prefetch(
            "events",
            queryset=CaseEvent.objects.select_related("actor", "organisation").order_by("at", "pk"),
        ),
        "reflection_periods",
        "referrals",
        Prefetch("assessments", queryset=PreliminaryAssessment.objects.order_by("-created_at")),
    )
    owner_staff = is_owner_staff(request, case)
    current_closure = closure.current_closure(case)
    events = [(event, _event_line(event)) for event in case.events.all()]
    assessments = [(a, set_label(a.catalogue_version, a.set_code)) for a in case.assessments.all()]
    drafts = [a for a, _label in assessments if not a.is_final]
    periods = list(case.reflection_periods.all())
    # Consent to referral: read only when the next steps may ask for it.
    has_referral_consent = (
        owner_staff
        and not case.child
        and current_closure is None
        and case.status == IdentificationStatus.PRESUMED_VICTIM
        and case.active_consent(ConsentScope.REFERRAL) is not None
    )
    facts = _facts(case, current_closure, has_referral_consent=has_referral_consent)
    state = case_progress.progress(facts, today)
    labels = form_labels()
    account = account_progress(request.actor, case)
    # The precautions only: this page is pseudonymised (telephone and address: the identity).
    safe_contact = get_safe_contact(request.actor, case, coordinates=False)
    context = {
        "case": case,
        "person": _Pseudonymised(case.person),
        "forms": [labels.get(code, code) for code in case.forms],
        "sector": sector_label(case.sector),
        "events": events,
        "due_dates": [] if current_closure else _due_dates(case, today),
        "progress": state,
        "next_steps": (
            case_progress.next_steps(
                facts,
                state,
                url=lambda name: optional_url(name, case.reference),
                account=account,
                draft_url=reverse("web:assessment", args=[drafts[0].pk]) if drafts else None,
            )
            if owner_staff and current_closure is None
            else []
        ),
        "account": account,
        "can_read_account": may_read_account(request.actor, case),
        # How many documents (a count: nothing of them is read here).
        "evidence_count": (
            Evidence.objects.filter(case_id=case.pk).count()
            if may_read_evidence(request.actor, case)
            else None
        ),
        "safe_contact": safe_contact,
        # What was seen, where, and the signs, when the case came from concerns (audited).
        "concerns": concerns_of_case(request.actor, case),
        "can_record_safe_contact": may_record(request.actor, case) and current_closure is None,
        "sections": _sections(
            case,
            owner_staff=owner_staff,
            has_reflection_period=bool(periods),
            is_admin=owner_staff and request.actor.can(Capability.ADMINISTER_ORGANISATION),
        ),
        "assessments": assessments,
        "reflection_period": periods[0] if periods else None,
        "can_see_identity": can_see_identity(request.actor, case),
        "can_start_assessment": owner_staff
        and current_closure is None
        and not drafts
        and case.status
        in {IdentificationStatus.PRELIMINARY_ASSESSMENT, IdentificationStatus.NOT_PRESUMED},
        "owner_staff": owner_staff,
        # Whom to contact about a possible duplicate; nothing of the other record.
        "possible_matches": possible_matches(case) if owner_staff else [],
        # Closed before support: shown to all who see the case; the note to its staff only.
        "closure": current_closure,
        "can_close": owner_staff
        and current_closure is None
        and closure.closing_refusal(case) is None,
        "reopen_form": CaseReopenForm() if owner_staff and current_closure else None,
        # A transfer waiting, proposing or asking for one, the former owner's read-only access.
        "transfer_panel": case_panel(request, case),
    }
    return render(request, "web/cases/detail.html", context)


class _Pseudonymised:
    """What the case page may show of a person: the pseudonym only."""

    def __init__(self, person: Person) -> None:
        self.pseudonym = person.pseudonym

    def __str__(self) -> str:
        return self.pseudonym


# Identity -------------------------------------------------------------------------------


def _names(codes: list[str], choices: list[tuple[str, str]]) -> list[str]:
    names = dict(choices)
    return [names.get(code, code) for code in codes]


def case_identity(request: ActingRequest, reference: str) -> HttpResponse:
    """The person's identity fields: for those who need them, audited (person.read_identity)."""
    case = get_case_for_member(request.actor, reference)
    person = get_identity(request.actor, case)
    return render(
        request,
        "web/cases/identity.html",
        {
            "case": case,
            "person": person,
            "age_today": person.age_on(timezone.localdate()),
            "nationalities": _names(person.nationalities, country_choices()),
            "languages": _names(person.languages, language_choices()),
            "can_edit": is_owner_staff(request, case),
            "safe_contact": get_safe_contact(request.actor, case, via="identity"),
            "can_record_safe_contact": may_record(request.actor, case),
        },
    )


def case_identity_edit(request: ActingRequest, reference: str) -> HttpResponse:
    """Correct the person's identity: the responsible organisation's field staff only."""
    case = get_case_for_owner(request.actor, reference)
    if not is_owner_staff(request, case):
        raise Http404
    person = get_identity(request.actor, case)  # audited read: the form shows the identity
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        changed = list(form.changed_data)
        if changed:
            try:
                update_person(request.actor, case, form.instance, changed)
            except ValidationError as error:
                _attach_errors(error, form)
            else:
                messages.success(request, _("The person's details were saved."))
                return redirect("web:case_identity", reference=case.reference)
        else:
            messages.info(request, _("Nothing was changed."))
            return redirect("web:case_identity", reference=case.reference)
    return render(request, "web/cases/identity_edit.html", {"case": case, "form": form})


def case_edit(request: ActingRequest, reference: str) -> HttpResponse:
    """Complete the case (forms of exploitation, sector, places, period): owner field staff."""
    case = get_case_for_owner(request.actor, reference)
    if not is_owner_staff(request, case):
        raise Http404
    initial = {name: getattr(case, name) for name in actions.CASE_DETAIL_FIELDS}
    form = CaseDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.changed_data:
            try:
                actions.update_case_details(
                    request.actor, case, form.cleaned_data, form.changed_data
                )
            except ValidationError as error:
                _attach_errors(error, form)
            else:
                messages.success(request, _("The case was updated."))
                return redirect("web:case", reference=case.reference)
        else:
            messages.info(request, _("Nothing was changed."))
            return redirect("web:case", reference=case.reference)
    return render(request, "web/cases/edit.html", {"case": case, "form": form})


# Safe contact -----------------------------------------------------------------------------


def _safe_contact_initial(notice: SafeContactNotice | None) -> dict[str, Any]:
    if notice is None:
        return {}
    return {
        "phone": notice.phone,
        "address": notice.address,
        "through_organisation": notice.through_organisation,
        "contact_organisation": notice.organisation.pk if notice.organisation else None,
        "contact_organisation_other": notice.organisation_other,
        "preferred_language": notice.preferred_language,
        "safe_times": notice.safe_times,
        "do_not_write": notice.do_not_write,
        "do_not_call": notice.do_not_call,
        "precautions": notice.precautions,
    }


def case_safe_contact(request: ActingRequest, reference: str) -> HttpResponse:
    """Record how the person can be reached safely: the responsible organisation's field staff
    only. The current record is read through its access function (audited)."""
    case = get_case_for_owner(request.actor, reference)
    if not may_record(request.actor, case):
        raise Http404
    notice = get_safe_contact(request.actor, case, via="edit")
    form = SafeContactForm(
        posted(request),
        initial=_safe_contact_initial(notice),
        organisations=contact_organisations(case),
    )

    def act(**values: Any) -> object:
        return record_safe_contact(case, values, actor=request.actor)

    if not case.is_closed and submit(
        request, form, act, _("How to reach the person safely was saved.")
    ):
        return redirect(f"{reverse('web:case', args=[case.reference])}#safe-contact")
    return render(
        request,
        "web/cases/safe_contact.html",
        {"case": case, "form": form, "notice": notice, "closed": case.is_closed},
    )


# Closing a case that never reached support ----------------------------------------------------


def _get_case_to_close(request: ActingRequest, reference: str) -> Case:
    """The responsible organisation's field staff only (the right that closes support); 404
    for anyone else."""
    case = get_case_for_owner(request.actor, reference)
    if not closure.may_close(request.actor, case):
        raise Http404
    return case


def case_close(request: ActingRequest, reference: str) -> HttpResponse:
    """Close a case before support (not presumed a victim, withdrew…): confirmation, then the
    closure, which starts the retention periods."""
    case = _get_case_to_close(request, reference)
    refusal = closure.closing_refusal(case)
    form = CaseClosingForm(request.POST or None)

    def act(reason: str, closed_on: datetime.date, note: str, **_confirmed: Any) -> object:
        return closure.close_case(
            case, actor=request.actor, reason=reason, closed_on=closed_on, note=note
        )

    if refusal is None and submit(request, form, act, _("The case is closed.")):
        return redirect("web:case", reference=case.reference)
    return render(
        request,
        "web/cases/close.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "support_open": closure.support_status(case) == "open",
            "support_url": optional_url("web:support_plan", case.reference),
        },
    )


@require_POST
def case_reopen(request: ActingRequest, reference: str) -> HttpResponse:
    """Reopen a case closed before support: the retention periods stop."""
    case = _get_case_to_close(request, reference)
    submit_button(
        request,
        CaseReopenForm(request.POST),
        partial(closure.reopen_case, case, actor=request.actor),
        _("The case is reopened."),
        invalid=_("Say why the case is reopened."),
    )
    return redirect("web:case", reference=case.reference)
