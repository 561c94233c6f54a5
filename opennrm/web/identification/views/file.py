"""The file put to formal identification, as the platform and the judicial service read it:
the preliminary assessment (answers and conclusion), the consent records, the interview report,
the questions and answers, and — for a reconsideration — the decision reconsidered with the new
elements. Nothing of the person's identity: the case reference stands for them."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opennrm.cases.access import get_safe_contact
from opennrm.core.acting import Actor
from opennrm.detection.access import account_in_referred_file, evidence_in_referred_file
from opennrm.detection.models import PreliminaryAssessment
from opennrm.identification.models import Referral
from opennrm.indicators.catalogue import load_catalogue
from opennrm.profiles.loader import active_profile
from opennrm.web.accounts.summary import account_summary
from opennrm.web.evidence.views import rows_for_referral

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


def file_context(referral: Referral, actor: Actor) -> dict[str, Any]:
    """What the deciding body reads. Identity fields are never loaded into it. The person's
    account is read through its access function (audited, within the referral in force)."""
    case = referral.case
    account = account_in_referred_file(actor, case)
    assessments = (
        PreliminaryAssessment.objects.filter(case=case, finalised_at__isnull=False)
        .select_related("organisation")
        .order_by("-finalised_at")
    )
    interview = getattr(referral, "interview", None)
    reconsidered = referral.reconsideration_of
    return {
        "case_summary": {
            "reference": case.reference,
            "territory": case.territory,
            "child": case.child,
            "forms": _forms_labels(list(case.forms or [])),
            "sector": case.sector,
            "detected_on": case.detected_on,
            "status": case.get_status_display(),
        },
        "assessments": [summarise(item) for item in assessments],
        "account_summary": account_summary(account),
        # The documents attached during preliminary identification (audited: evidence.read).
        "evidence_rows": rows_for_referral(evidence_in_referred_file(actor, case)),
        # How to reach the person safely: where the referral shares the identity (the
        # judicial route), never on the platform route.
        "safe_contact": get_safe_contact(actor, case, via="referral"),
        "consents": case.consents.select_related("organisation", "recorded_for").order_by(
            "given_on"
        ),
        "interview": interview,
        "interviewers": (
            interview.interviewers.select_related("membership__user", "membership__organisation")
            if interview
            else []
        ),
        "questions": referral.information_requests.select_related("answered_for").order_by(
            "asked_at"
        ),
        "reconsidered": reconsidered,
    }
