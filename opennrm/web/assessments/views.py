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
from django.urls import reverse
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
from opennrm.indicators.catalogue import available_versions, latest_catalogue, load_catalogue
from opennrm.indicators.engine import Answer, Evaluation, EvaluationError, evaluate
from opennrm.indicators.schema import AgeGroup, Catalogue, IndicatorSet
from opennrm.profiles.capabilities import Capability
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
            # The set's note is an editorial note for the catalogue's maintainers: it is shown
            # on the catalogue page, never to the caseworker choosing a set.
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

    @property
    def answered(self) -> bool:
        """Answered present or absent, as shown on the page (what was typed, after a POST)."""
        return self.answer.value() in ANSWERED

    @property
    def has_errors(self) -> bool:
        return bool(self.answer.errors or self.note.errors)


ANSWERED = frozenset({"present", "absent"})


@dataclass
class DimensionBlock:
    """One section of the form: the indicators of one dimension of the catalogue."""

    code: str
    label: str
    means: bool
    rows: list[IndicatorRow] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.code}"

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.answered)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def has_errors(self) -> bool:
        return any(row.has_errors for row in self.rows)


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary: what is wrong, linked to the field's id."""

    target: str
    label: str
    messages: tuple[str, ...]


def _error_links(
    blocks: list[DimensionBlock], conclusion_form: "ConclusionForm | None"
) -> list[ErrorLink]:
    links: list[ErrorLink] = []
    for block in blocks:
        for row in block.rows:
            if row.answer.errors:
                links.append(
                    ErrorLink(f"{row.answer.auto_id}_unknown", row.label, tuple(row.answer.errors))
                )
            if row.note.errors:
                label = _("%(indicator)s — note") % {"indicator": row.label}
                links.append(ErrorLink(row.note.auto_id, label, tuple(row.note.errors)))
    if conclusion_form is not None and conclusion_form.is_bound:
        if conclusion_form.non_field_errors():
            links.append(
                ErrorLink(
                    "your-conclusion",
                    _("Your conclusion"),
                    tuple(conclusion_form.non_field_errors()),
                )
            )
        for name in ("conclusion", "reasons"):
            bound = conclusion_form[name]
            if bound.errors:
                target = f"fieldset-{bound.auto_id}" if name == "conclusion" else bound.auto_id
                links.append(ErrorLink(target, str(bound.label), tuple(bound.errors)))
    return links


def _saved_section(request: ActingRequest, codes: set[str]) -> str:
    """The section the person saved from: a section's own button, else the hidden field that
    the page's script keeps to the section last worked in; "" when unknown."""
    section = request.POST.get("save_section") or request.POST.get("section") or ""
    return section if section in codes else ""


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
        # Invalid: the page is shown again, its error summary listing each field to correct.
        if valid and action == "save":
            messages.success(request, _("Draft saved."))
            url = reverse("web:assessment", args=[assessment.pk])
            section = _saved_section(request, {d.code for d in catalogue.dimensions})
            # Back to the section, which says it was saved (the message above is out of view).
            return redirect(f"{url}?saved={section}#section-{section}" if section else url)
        elif valid:
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
    blocks = _blocks(catalogue, indicator_set, answers_form, assessment.answers, language)
    error_links = _error_links(blocks, conclusion_form) if editable else []
    return render(
        request,
        "web/assessments/detail.html",
        {
            "assessment": assessment,
            "case": case,
            "catalogue": catalogue,
            "indicator_set": indicator_set,
            "set_label": indicator_set.label.get(language),
            "draft_set": indicator_set.status == "draft",
            "blocks": blocks,
            "answered": sum(block.answered for block in blocks),
            "total": sum(block.total for block in blocks),
            "error_links": error_links,
            "section": request.POST.get("section", "") if request.method == "POST" else "",
            "saved_section": request.GET.get("saved", "") if request.method == "GET" else "",
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


# The catalogue, for the people who maintain it ---------------------------------------------

RELIABILITY = {
    "verified": gettext_lazy("Verified against the primary source"),
    "secondary": gettext_lazy("From a secondary source, to be verified"),
    "draft": gettext_lazy("Working draft, to be reviewed by practitioners"),
}
CATALOGUE_STATUS = {
    "draft": gettext_lazy("Draft"),
    "approved": gettext_lazy("Approved"),
    "withdrawn": gettext_lazy("Withdrawn"),
}
SET_AGE_GROUPS = {
    "adult": gettext_lazy("Adults"),
    "child": gettext_lazy("Children"),
    "any": gettext_lazy("Every age"),
}


def may_maintain_catalogue(request: ActingRequest) -> bool:
    """The national coordinator keeps the indicator catalogue (its sources, its status, its
    editorial notes); nobody else needs its drafting notes."""
    membership = getattr(request, "membership", None)
    return membership is not None and membership.can(Capability.NATIONAL_OVERSIGHT)


def indicator_catalogue(request: ActingRequest) -> HttpResponse:
    """The indicator catalogue, read only: every set and indicator with its sources, and the
    editorial notes (what is still to be checked) that caseworkers are not shown."""
    if not may_maintain_catalogue(request):
        raise Http404
    versions = available_versions()
    version = request.GET.get("version") or versions[-1]
    if version not in versions:
        raise Http404
    catalogue = load_catalogue(version)
    language = language_code()
    labels = form_labels()
    sources = {source.code: source for source in catalogue.sources}

    def note(label: Any) -> str:
        return str(label.get(language)) if label else ""

    sets = [
        {
            "code": item.code,
            "anchor": f"set-{item.code}",
            "label": item.label.get(language),
            "forms": [labels.get(code, code) for code in item.forms],
            "age_group": SET_AGE_GROUPS[item.age_group],
            "status": item.status,
            "status_label": RELIABILITY[item.status],
            "sources": item.sources,
            "note": note(item.note),
            "count": len(item.all_indicators()),
            "dimensions": [
                {
                    "label": dimension.label.get(language),
                    "indicators": [
                        {
                            "code": indicator.code,
                            "label": indicator.label.get(language),
                            "strength": STRENGTHS[indicator.strength],
                            "sources": indicator.sources,
                        }
                        for indicator in item.indicators.get(dimension.code, ())
                    ],
                }
                for dimension in catalogue.dimensions
            ],
        }
        for item in catalogue.sets
    ]
    rules = catalogue.rules
    return render(
        request,
        "web/assessments/catalogue.html",
        {
            "catalogue": catalogue,
            "versions": versions,
            "status_label": CATALOGUE_STATUS[catalogue.status],
            "catalogue_note": note(catalogue.note),
            "sources": [
                {
                    "code": source.code,
                    "title": source.title,
                    "url": source.url or "",
                    "note": note(source.note),
                }
                for source in sources.values()
            ],
            "dimension_rule": {
                "status_label": RELIABILITY[rules.dimension_met.status],
                "note": note(rules.dimension_met.status_note),
                "sources": rules.dimension_met.sources,
                "patterns": [p.label.get(language) for p in rules.dimension_met.patterns],
            },
            "victim_rules": [
                {
                    "age_group": SET_AGE_GROUPS[rule.age_group],
                    "status_label": RELIABILITY[rule.status],
                    "note": note(rule.status_note),
                    "explanation": note(rule.explanation),
                    "sources": rule.sources,
                    "clauses": [
                        {
                            "label": clause.label.get(language),
                            "in_force": clause.in_force,
                            "status_label": RELIABILITY[clause.status],
                            "note": note(clause.note),
                        }
                        for clause in rule.clauses
                    ],
                }
                for rule in rules.presumed_victim
            ],
            "sets": sets,
        },
    )
