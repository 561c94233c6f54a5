"""The indicators' advice, as a preliminary assessment stores it with its conclusion.

The engine (opennrm.indicators.engine) only advises; the professional concludes with reasons
(`actions.conclude_assessment`). What is kept of the advice is the conclusion it would suggest
and a snapshot made of codes only (no free text).
"""

from typing import Any, cast

from opennrm.detection.enums import AssessmentConclusion
from opennrm.detection.models import PreliminaryAssessment
from opennrm.indicators.catalogue import load_catalogue
from opennrm.indicators.engine import Answer, Evaluation, evaluate
from opennrm.indicators.schema import AgeGroup

# The engine's overall result, as the conclusion it would suggest.
ENGINE_CONCLUSION = {
    "yes": AssessmentConclusion.PRESUMED_VICTIM.value,
    "no": AssessmentConclusion.NOT_PRESUMED.value,
    "undetermined": "undetermined",
}


def engine_summary(evaluation: Evaluation) -> dict[str, Any]:
    """A snapshot of the advice, stored with the conclusion (codes only, no free text)."""
    return {
        "catalogue_version": evaluation.catalogue.version,
        "set": evaluation.indicator_set.code,
        "age_group": evaluation.age_group,
        "presumed_victim": evaluation.presumed_victim,
        "matched_clause": evaluation.matched_clause.code if evaluation.matched_clause else None,
        "dimensions": {
            result.dimension.code: {
                "status": result.status,
                "pattern": result.pattern.code if result.pattern else None,
                "present": [item.code for item in result.present],
            }
            for result in evaluation.dimensions
        },
    }


def evaluate_assessment(assessment: PreliminaryAssessment) -> Evaluation:
    """The advice on the saved answers, with the catalogue version the assessment uses and the
    case's age group. Raises the engine's EvaluationError when it cannot be evaluated."""
    age_group: AgeGroup = "child" if assessment.case.child else "adult"
    return evaluate(
        load_catalogue(assessment.catalogue_version),
        assessment.set_code,
        cast("dict[str, Answer]", assessment.answer_map()),
        age_group,
    )
