"""JSON API for case work: concluding a preliminary assessment, with the same rules as the UI
(authorised reporter, valid training, reasons when the conclusion differs from the advice)."""

from typing import Any, Literal, cast

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status

from opennrm.core.retry import in_retried_atomic
from opennrm.detection import actions
from opennrm.detection.advice import ENGINE_CONCLUSION, engine_summary
from opennrm.indicators.catalogue import load_catalogue
from opennrm.indicators.engine import Answer, EvaluationError, evaluate
from opennrm.web.acting import ActingRequest
from opennrm.web.assessments.views import age_group_of, get_assessment_for_member
from opennrm.web.cases.views import is_owner_staff

cases_router = Router(tags=["cases"])


class ConclusionIn(Schema):
    conclusion: Literal["presumed_victim", "not_presumed"]
    reasons: str = Field("", max_length=8000)


class ConclusionOut(Schema):
    case: str
    status: str
    engine_outcome: str


class Refusal(Schema):
    detail: str


@cases_router.post(
    "/assessments/{assessment_id}/conclusion",
    response={200: ConclusionOut, 403: Refusal, 409: Refusal, 422: Refusal},
    summary="Conclude a preliminary assessment (the professional decides, with reasons)",
    operation_id="opennrm_web_api_cases_conclude",
)
def conclude(
    request: ActingRequest, assessment_id: int, payload: ConclusionIn
) -> Status[dict[str, Any]]:
    assessment = get_assessment_for_member(request, assessment_id)  # 404 for outsiders
    case = assessment.case
    if not is_owner_staff(request, case):
        return Status(403, {"detail": "Only the responsible organisation's field staff can."})
    if assessment.is_final:
        return Status(409, {"detail": "This assessment is already concluded."})
    try:
        evaluation = evaluate(
            load_catalogue(assessment.catalogue_version),
            assessment.set_code,
            cast("dict[str, Answer]", assessment.answer_map()),
            age_group_of(case),
        )
    except EvaluationError as error:
        return Status(422, {"detail": str(error)})
    outcome = ENGINE_CONCLUSION[evaluation.presumed_victim]
    try:
        in_retried_atomic(  # assessment, then case: run again after a lock conflict
            lambda: actions.conclude_assessment(
                assessment,
                conclusion=payload.conclusion,
                reasons=payload.reasons.strip(),
                engine_outcome=outcome,
                engine_summary=engine_summary(evaluation),
                actor=request.actor,
            )
        )
    except ValidationError as error:
        # Not an authorised reporter, expired training, reasons missing: the rule's message.
        return Status(403, {"detail": " ".join(error.messages)})
    case.refresh_from_db(fields=["status"])
    return Status(200, {"case": case.reference, "status": case.status, "engine_outcome": outcome})
