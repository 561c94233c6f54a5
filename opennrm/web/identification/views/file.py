"""The file put to formal identification, as the platform and the judicial service read it:
the preliminary assessment (answers and conclusion), the consent records, the interview report,
the questions and answers, and — for a reconsideration — the decision reconsidered with the new
elements. Nothing of the person's identity: the case reference stands for them."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opennrm.cases.access import evidence_of_case, get_safe_contact
from opennrm.cases.enums import FileItem
from opennrm.cases.models import Case, CaseEvent
from opennrm.core.acting import Actor
from opennrm.detection.access import (
    account_for_referral_check,
    account_in_referred_file,
    evidence_in_referred_file,
    exploiters_and_workplaces_in_referred_file,
    facts_for_referral_check,
    facts_in_referred_file,
)
from opennrm.detection.models import PreliminaryAssessment
from opennrm.identification.models import Referral, Route
from opennrm.indicators.catalogue import load_catalogue
from opennrm.profiles.loader import active_profile
from opennrm.web.accounts.summary import (
    account_summary,
    exploiter_summary,
    facts_rows,
    workplace_summary,
)
from opennrm.web.cases.views import sector_label
from opennrm.web.evidence.views import EvidenceRow, rows_for_check, rows_for_referral

ANSWER_LABELS = {
    "present": _("Present"),
    "absent": _("Absent"),
    "unknown": _("Not known"),
}


@dataclass
class AnsweredIndicator:
    dimension: str
    code: str
    label: str
    answer: str
    answer_label: str
    note: str


@dataclass
class AnsweredDimension:
    label: str
    indicators: list[AnsweredIndicator] = field(default_factory=list)


@dataclass
class AssessmentSummary:
    assessment: PreliminaryAssessment
    set_label: str
    dimensions: list[AnsweredDimension]
    present: int
    absent: int
    unknown: int

    @property
    def answered(self) -> list[AnsweredIndicator]:
        """What the professional established: present or absent indicators, and any note.
        Indicators left unknown without a note are only counted."""
        return [
            row
            for block in self.dimensions
            for row in block.indicators
            if row.answer != "unknown" or row.note
        ]


def _language() -> str:
    return "fr" if (get_language() or "").startswith("fr") else "en"


def summarise(assessment: PreliminaryAssessment) -> AssessmentSummary:
    language = _language()
    saved: dict[str, dict[str, str]] = assessment.answers or {}
    dimensions: list[AnsweredDimension] = []
    set_label = assessment.set_code
    try:
        catalogue = load_catalogue(assessment.catalogue_version)
    except LookupError:  # UnknownCatalogueVersion
        catalogue = None
    indicator_set = catalogue.indicator_set(assessment.set_code) if catalogue else None
    if catalogue is not None and indicator_set is not None:
        set_label = indicator_set.label.get(language)
        for dimension in catalogue.dimensions:
            block = AnsweredDimension(label=dimension.label.get(language))
            for indicator in indicator_set.indicators.get(dimension.code, ()):
                value = saved.get(indicator.code, {})
                answer = value.get("answer", "unknown")
                block.indicators.append(
                    AnsweredIndicator(
                        dimension=block.label,
                        code=indicator.code,
                        label=indicator.label.get(language),
                        answer=answer,
                        answer_label=str(ANSWER_LABELS.get(answer, answer)),
                        note=value.get("note", ""),
                    )
                )
            if block.indicators:
                dimensions.append(block)
    else:  # a catalogue that is gone: show the codes as they were answered
        block = AnsweredDimension(label=str(_("Indicators")))
        for code, value in sorted(saved.items()):
            answer = value.get("answer", "unknown")
            block.indicators.append(
                AnsweredIndicator(
                    dimension=block.label,
                    code=code,
                    label=code,
                    answer=answer,
                    answer_label=str(ANSWER_LABELS.get(answer, answer)),
                    note=value.get("note", ""),
                )
            )
        dimensions.append(block)
    answers = [row.answer for block in dimensions for row in block.indicators]
    return AssessmentSummary(
        assessment=assessment,
        set_label=set_label,
        dimensions=dimensions,
        present=answers.count("present"),
        absent=answers.count("absent"),
        unknown=answers.count("unknown"),
    )


def _forms_labels(codes: list[str]) -> list[str]:
    profile = active_profile()
    language = get_language() or profile.default_language
    labels = []
    for code in codes:
        form = profile.form_of_exploitation(code)
        labels.append(form.label.get(language, profile.default_language) if form else code)
    return labels


def _timeline(case: Case) -> list[tuple[CaseEvent, str]]:
    from opennrm.web.cases.views import event_label

    events = CaseEvent.objects.filter(case_id=case.pk).select_related("organisation")
    return [(event, event_label(event.kind)) for event in events.order_by("at", "pk")]


def _evidence(referral: Referral, actor: Actor, check: bool) -> list[EvidenceRow]:
    """The documents shared (audited: evidence.read), each with its download link."""
    case = referral.case
    if not check:
        return rows_for_referral(evidence_in_referred_file(actor, case))
    withheld = set(referral.withheld_evidence or [])
    items = evidence_of_case(actor, case, via="referral_check")
    return rows_for_check(case, [item for item in items if item.pk not in withheld])


def file_context(referral: Referral, actor: Actor, *, check: bool = False) -> dict[str, Any]:
    """What the deciding body reads. Identity fields are never loaded into it. Beyond the
    preliminary assessment, only the parts the person agreed to share (`file_items`). The
    person's account is read through its access function (audited, within the referral in
    force). `check=True` is the referring worker's check before sending, on a referral not yet
    saved: the same file, read as its owner."""
    case = referral.case
    items = set(referral.file_items or [])
    account = None
    if FileItem.ACCOUNT in items:
        reader = account_for_referral_check if check else account_in_referred_file
        account = reader(actor, case)
    facts: dict[str, Any] | None = None
    if FileItem.FACTS in items:
        if check:
            found, parties = facts_for_referral_check(actor, case)
        else:
            found = facts_in_referred_file(actor, case)
            parties = exploiters_and_workplaces_in_referred_file(actor, case)
        facts = {
            "rows": facts_rows(found, parties.account or account),
            "exploiters": [
                exploiter_summary(number, item)
                for number, item in enumerate(parties.exploiters, start=1)
            ],
            "workplaces": [
                workplace_summary(number, item)
                for number, item in enumerate(parties.workplaces, start=1)
            ],
        }
    assessments = (
        PreliminaryAssessment.objects.filter(case=case, finalised_at__isnull=False)
        .select_related("organisation")
        .order_by("-finalised_at")
    )
    interview = None if check else getattr(referral, "interview", None)
    reconsidered = referral.reconsideration_of
    # How to reach the person safely: where the referral shares the identity (the judicial
    # route), never on the platform route.
    safe_contact = None
    if not check or referral.route == Route.JUDICIAL:
        safe_contact = get_safe_contact(actor, case, via="referral_check" if check else "referral")
    return {
        "case_summary": {
            "reference": case.reference,
            "territory": case.territory,
            "child": case.child,
            "forms": _forms_labels(list(case.forms or [])),
            "sector": sector_label(case.sector),
            "detected_on": case.detected_on,
            "status": case.get_status_display(),
        },
        "file_items": items,
        "assessments": [summarise(item) for item in assessments],
        "account_summary": account_summary(account),
        "facts": facts,
        "safe_contact": safe_contact,
        "rights": (
            list(case.rights_information.select_related("organisation"))
            if FileItem.RIGHTS in items
            else None
        ),
        "needs": (
            list(case.immediate_needs.select_related("organisation"))
            if FileItem.NEEDS in items
            else None
        ),
        "timeline": _timeline(case) if FileItem.TIMELINE in items else None,
        "evidence_rows": _evidence(referral, actor, check) if FileItem.EVIDENCE in items else None,
        "consents": case.consents.select_related("organisation", "recorded_for").order_by(
            "given_on"
        ),
        "interview": interview,
        "interviewers": (
            interview.interviewers.select_related("membership__user", "membership__organisation")
            if interview
            else []
        ),
        "questions": (
            []
            if check
            else referral.information_requests.select_related("answered_for").order_by("asked_at")
        ),
        "reconsidered": reconsidered,
    }
