"""The preliminary assessment: indicator answers, the engine's advice, the professional's
reasoned conclusion. Indicators assist, never decide.

An assessment is reached only through its case (opennrm.cases.access): an assessment of a case
the user may not see is "not found". Its responsible organisation's field staff fill and conclude
it; the others who may see the case (coordination, referral) read it.
"""

from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.audit.trail import record
from opennrm.cases.access import get_case_for_member, get_case_for_owner, visible_cases
from opennrm.cases.models import Case
from opennrm.core.retry import in_retried_atomic
from opennrm.detection import actions
from opennrm.detection.access import may_read_account
from opennrm.detection.advice import ENGINE_CONCLUSION, engine_summary
from opennrm.detection.models import PreliminaryAssessment
from opennrm.detection.rules import reporter_refusal
from opennrm.indicators.catalogue import latest_catalogue, load_catalogue
from opennrm.indicators.engine import Answer, Evaluation, EvaluationError, evaluate
from opennrm.indicators.schema import AgeGroup, Catalogue, IndicatorSet
from opennrm.web.acting import ActingRequest
from opennrm.web.assessments.forms import (
    ANSWER_CHOICES,
    AnswersForm,
    ConclusionForm,
    StartAssessmentForm,
)
from opennrm.web.cases.views import form_labels, is_owner_staff, language_code

STRENGTHS = {
    "S": gettext_lazy("Strong indicator"),
    "M": gettext_lazy("Medium indicator"),
    "W": gettext_lazy("Weak indicator"),
}
DIMENSION_STATUS = {
    "met": gettext_lazy("Met"),
    "not_met": gettext_lazy("Not met"),
    "undetermined": gettext_lazy("Undetermined"),
}
OUTCOME_LABELS = {
    "yes": gettext_lazy("Presumed victim"),
    "no": gettext_lazy("Not presumed a victim"),
    "undetermined": gettext_lazy("Undetermined: it depends on indicators still unknown"),
}
ANSWER_LABELS = dict(ANSWER_CHOICES)


def age_group_of(case: Case) -> AgeGroup:
    return "child" if case.child else "adult"


# Start ------------------------------------------------------------------------------------


def _sets_for(case: Case, catalogue: Catalogue) -> tuple[list[IndicatorSet], list[IndicatorSet]]:
    """Sets of the case's age group: those of its forms of exploitation first, then the others."""
    applicable = [item for item in catalogue.sets if item.applies_to(age_group_of(case))]
    forms = set(case.forms)
    matching = [item for item in applicable if forms & set(item.forms)]
    others = [item for item in applicable if item not in matching]
    return matching, others


def assessment_start(request: ActingRequest, reference: str) -> HttpResponse:
    """Choose an indicator set of the latest catalogue (GET), start the assessment (POST)."""
    case = get_case_for_owner(request.actor, reference)
    if not is_owner_staff(request, case):
        raise Http404
    catalogue = latest_catalogue()
    matching, others = _sets_for(case, catalogue)
    language = language_code()
    form = StartAssessmentForm(
        request.POST or None,
        set_codes=[(item.code, item.label.get(language)) for item in matching + others],
        initial={"set_code": matching[0].code} if len(matching) == 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = actions.start_assessment(
                case,
                set_code=form.cleaned_data["set_code"],
                version=catalogue.version,
                actor=request.actor,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("web:assessment", pk=assessment.pk)
    labels = form_labels()

    def describe(item: IndicatorSet) -> dict[str, Any]:
        return {
            "code": item.code,
            "label": item.label.get(language),
            "forms": [labels.get(code, code) for code in item.forms],
            "draft": item.status == "draft",
            "note": item.note.get(language) if item.note else "",
            "count": len(item.all_indicators()),
        }

    groups = [
        (_("Sets for this case's forms of exploitation"), [describe(i) for i in matching]),
        (_("Other sets"), [describe(i) for i in others]),
    ]
    return render(
        request,
        "web/assessments/start.html",
        {
            "case": case,
            "form": form,
            "groups": [group for group in groups if group[1]],
            "catalogue": catalogue,
            "selected": form["set_code"].value(),
            "child": case.child,
        },
    )


# Assessment -------------------------------------------------------------------------------


def get_assessment_for_member(request: ActingRequest, pk: int) -> PreliminaryAssessment:
    """An assessment of a case the user may see, or 404; the read is audited."""
    assessment = (
        PreliminaryAssessment.objects.filter(pk=pk, case__in=visible_cases(request.actor))
        .select_related("case")
        .first()
    )
    if assessment is None:
        raise Http404
    assessment.case = get_case_for_member(request.actor, assessment.case.reference)  # case.read
    record("assessment.read", target=assessment, actor=request.actor)
    return assessment


@dataclass
class IndicatorRow:
    code: str
    label: str
    strength: str
    answer: Any  # bound field
    note: Any  # bound field
    saved: dict[str, str]

    @property
    def answer_label(self) -> str:
        return str(ANSWER_LABELS.get(self.saved.get("answer", "unknown"), ""))


@dataclass
class DimensionBlock:
    code: str
    label: str
    means: bool
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass
class DimensionAdvice:
    label: str
    status: str
    status_label: str
    pattern: str
    present: list[str]
    unknown: int
    means_not_required: bool


@dataclass
class Advice:
    outcome: str
    outcome_label: str
    dimensions: list[DimensionAdvice]
    explanation: list[str]
    child: bool


def _advice(evaluation: Evaluation, language: str) -> Advice:
    child_rule = not evaluation.means_required
    return Advice(
        outcome=evaluation.presumed_victim,
        outcome_label=str(OUTCOME_LABELS[evaluation.presumed_victim]),
        dimensions=[
            DimensionAdvice(
                label=result.dimension.label.get(language),
                status=result.status,
                status_label=str(DIMENSION_STATUS[result.status]),
                pattern=result.pattern.label.get(language) if result.pattern else "",
                present=[f"{item.label.get(language)} ({item.code})" for item in result.present],
                unknown=len(result.unknown),
                means_not_required=child_rule and result.dimension.means,
            )
            for result in evaluation.dimensions
        ],
        explanation=evaluation.explanation(language),
        child=evaluation.age_group == "child",
    )


def _blocks(
    catalogue: Catalogue,
    indicator_set: IndicatorSet,
    form: AnswersForm,
    saved: dict[str, dict[str, str]],
    language: str,
) -> list[DimensionBlock]:
    blocks = []
    for dimension in catalogue.dimensions:
        block = DimensionBlock(
            code=dimension.code, label=dimension.label.get(language), means=dimension.means
        )
        for indicator in indicator_set.indicators.get(dimension.code, ()):
            block.rows.append(
                IndicatorRow(
                    code=indicator.code,
                    label=indicator.label.get(language),
                    strength=str(STRENGTHS[indicator.strength]),
                    answer=form[f"answer_{indicator.code}"],
                    note=form[f"note_{indicator.code}"],
                    saved=saved.get(indicator.code, {}),
                )
            )
        blocks.append(block)
    return blocks


def assessment_detail(request: ActingRequest, pk: int) -> HttpResponse:
    """Fill in the indicators (drafts saved), see the advice, conclude with reasons."""
    assessment = get_assessment_for_member(request, pk)
    case = assessment.case
    editable = is_owner_staff(request, case) and not assessment.is_final
    if request.method == "POST" and not editable:
        if is_owner_staff(request, case):
            messages.error(request, _("This assessment is concluded: it cannot be changed."))
            return redirect("web:assessment", pk=assessment.pk)
        raise Http404
    language = language_code()
    catalogue = load_catalogue(assessment.catalogue_version)
    indicator_set = catalogue.indicator_set(assessment.set_code)
    if indicator_set is None:
        raise Http404
    codes = [indicator.code for indicator in indicator_set.all_indicators()]
    refusal = reporter_refusal(getattr(request, "membership", None), timezone.localdate())

    evaluation: Evaluation | None = None
    evaluation_error = ""

    def evaluate_saved() -> Evaluation | None:
        nonlocal evaluation_error
        try:
            return evaluate(
                catalogue,
                assessment.set_code,
                cast("dict[str, Answer]", assessment.answer_map()),
                age_group_of(case),
            )
        except EvaluationError:
            evaluation_error = _(
                "The indicators' advice cannot be given: this indicator set does not fit the "
                "person's age group any more. Start a new assessment with a fitting set."
            )
            return None

    show_advice = not editable  # a concluded assessment shows the advice it was concluded with
    conclusion_form: ConclusionForm | None = None
    if request.method == "POST":
        answers_form = AnswersForm(request.POST, codes=codes)
        action = request.POST.get("action", "save")
        valid = answers_form.is_valid()
        # Nothing typed is lost: what is valid is saved even when another field is not.
        actions.save_answers(
            assessment, answers_form.answers(previous=assessment.answers), actor=request.actor
        )
        if not valid:
            messages.error(
                request,
                _("Some answers could not be saved: see the fields marked below."),
            )
        elif action == "save":
            messages.success(request, _("Draft saved."))
            return redirect("web:assessment", pk=assessment.pk)
        else:
            evaluation = evaluate_saved()
            show_advice = True
            if action == "conclude" and evaluation is not None:
                conclusion_form = ConclusionForm(
                    request.POST,
                    engine_conclusion=ENGINE_CONCLUSION[evaluation.presumed_victim],
                    refusal=refusal,
                )
                if conclusion_form.is_valid():
                    chosen = conclusion_form.cleaned_data
                    advice = evaluation
                    try:
                        in_retried_atomic(  # assessment, then case: run again after a conflict
                            lambda: actions.conclude_assessment(
                                assessment,
                                conclusion=chosen["conclusion"],
                                reasons=chosen["reasons"].strip(),
                                engine_outcome=ENGINE_CONCLUSION[advice.presumed_victim],
                                engine_summary=engine_summary(advice),
                                actor=request.actor,
                            )
                        )
                    except ValidationError as error:
                        conclusion_form.add_error(None, error)
                    else:
                        messages.success(request, _("The assessment is concluded."))
                        return redirect("web:case", reference=case.reference)
    else:
        answers_form = AnswersForm(
            initial=AnswersForm.initial_from(assessment.answers), codes=codes
        )

    if show_advice and evaluation is None:
        evaluation = evaluate_saved()
    if editable and conclusion_form is None:
        engine_conclusion = (
            ENGINE_CONCLUSION[evaluation.presumed_victim] if evaluation is not None else ""
        )
        # What was typed is shown again, without errors for a button that did not conclude.
        typed = {key: request.POST.get(key, "") for key in ("conclusion", "reasons")}
        conclusion_form = ConclusionForm(
            initial=typed if request.method == "POST" else None,
            engine_conclusion=engine_conclusion,
            refusal=refusal,
        )
    return render(
        request,
        "web/assessments/detail.html",
        {
            "assessment": assessment,
            "case": case,
            "catalogue": catalogue,
            "indicator_set": indicator_set,
            "set_label": indicator_set.label.get(language),
            "set_note": indicator_set.note.get(language) if indicator_set.note else "",
            "draft_set": indicator_set.status == "draft",
            "blocks": _blocks(catalogue, indicator_set, answers_form, assessment.answers, language),
            "answers_form": answers_form,
            "answer_choices": ANSWER_CHOICES,
            "editable": editable,
            "account_link": may_read_account(request.actor, case),
            "advice": _advice(evaluation, language) if show_advice and evaluation else None,
            "evaluation_error": evaluation_error,
            "conclusion_form": conclusion_form,
            "refusal": refusal if editable else None,
            "engine_outcome_label": _stored_outcome_label(assessment.engine_outcome),
        },
    )


def _stored_outcome_label(outcome: str) -> str:
    by_conclusion = {value: key for key, value in ENGINE_CONCLUSION.items()}
    key = by_conclusion.get(outcome)
    return str(OUTCOME_LABELS[key]) if key else ""
