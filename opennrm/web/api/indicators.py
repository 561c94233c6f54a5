"""The indicators part of the JSON API: catalogue versions, their sets, and the evaluation of
answers against a set (stores nothing)."""

import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from opennrm.indicators.catalogue import (
    UnknownCatalogueVersion,
    available_versions,
    latest_catalogue,
    load_catalogue,
)
from opennrm.indicators.engine import (
    AgeGroupMismatch,
    Answer,
    Evaluation,
    PresumedVictim,
    UnknownIndicators,
    UnknownSet,
    evaluate,
)
from opennrm.indicators.engine import Status as DimensionStatus
from opennrm.indicators.schema import (
    AgeGroup,
    AllOf,
    AnyOf,
    Catalogue,
    CatalogueStatus,
    Condition,
    IndicatorSet,
    Label,
    Reliability,
    SetAgeGroup,
    Strength,
)

indicators_router = Router(tags=["indicators"])


# ------------------------------------------------------------------------------------- schemas


class LabelOut(Schema):
    fr: str
    en: str


class ErrorItem(Schema):
    type: str
    loc: list[str]
    msg: str
    codes: list[str] = Field(description="The unknown codes, sets or versions, by name.")


class ErrorOut(Schema):
    detail: list[ErrorItem]


class CatalogueOut(Schema):
    version: str
    status: CatalogueStatus
    published_on: datetime.date
    latest: bool
    note: LabelOut


class IndicatorOut(Schema):
    code: str
    strength: Strength
    label: LabelOut
    sources: list[str]


class DimensionOut(Schema):
    code: str
    abbreviation: str
    phase: Literal["recruitment", "destination"]
    means: bool
    label: LabelOut
    indicators: list[IndicatorOut]


class SetOut(Schema):
    code: str
    label: LabelOut
    forms: list[str]
    age_group: SetAgeGroup
    status: Reliability
    note: LabelOut | None
    sources: list[str]
    indicator_count: int
    dimensions: list[DimensionOut]


class RequirementOut(Schema):
    count: int
    of: list[Strength]


class PatternOut(Schema):
    code: str
    label: LabelOut
    require: list[RequirementOut]


class ClauseOut(Schema):
    code: str
    label: LabelOut
    in_force: bool
    status: Reliability
    note: LabelOut | None
    condition: Any = Field(description="A dimension code, or {all_of: [...]} / {any_of: [...]}.")


class PresumedVictimRuleOut(Schema):
    age_group: AgeGroup
    means_required: bool
    status: Reliability
    status_note: LabelOut
    explanation: LabelOut
    clauses: list[ClauseOut]


class RulesOut(Schema):
    dimension_met_status: Reliability
    dimension_met_note: LabelOut
    patterns: list[PatternOut]
    presumed_victim: list[PresumedVictimRuleOut]


class SetsOut(Schema):
    catalogue: CatalogueOut
    rules: RulesOut
    sets: list[SetOut]


IndicatorCode = Annotated[str, StringConstraints(max_length=32)]


class EvaluateIn(Schema):
    version: str | None = Field(
        default=None, max_length=16, description="Catalogue version; the latest when omitted."
    )
    set_code: str = Field(alias="set", max_length=64, description="Indicator set code.")
    age_group: AgeGroup
    answers: dict[IndicatorCode, Answer] = Field(
        default_factory=dict,
        max_length=500,
        description="Indicator code -> present, absent or unknown. Unanswered counts as unknown.",
    )
    language: Literal["fr", "en"] | None = Field(
        default=None, description="Language of the explanation; the request's language if omitted."
    )


class PresentOut(Schema):
    code: str
    strength: Strength


class DimensionResultOut(Schema):
    code: str
    label: LabelOut
    means: bool
    status: DimensionStatus
    pattern: str | None = Field(description="Met: the first pattern the present indicators fill.")
    possible_pattern: str | None = Field(
        description="Undetermined: the first pattern the unknown indicators could fill."
    )
    present: list[PresentOut]
    unknown: list[str]
    absent: list[str]


class ClauseResultOut(Schema):
    code: str
    label: LabelOut
    in_force: bool
    reliability: Reliability
    status: DimensionStatus


class SetRefOut(Schema):
    code: str
    label: LabelOut
    status: Reliability


class EvaluationOut(Schema):
    version: str
    catalogue_status: CatalogueStatus
    indicator_set: SetRefOut
    age_group: AgeGroup
    means_required: bool
    presumed_victim: PresumedVictim
    matched_clause: str | None
    dimensions: list[DimensionResultOut]
    clauses: list[ClauseResultOut]
    language: str
    explanation: list[str]


# ------------------------------------------------------------------------------------ builders


def _label(label: Label) -> dict[str, str]:
    return {"fr": label.fr, "en": label.en}


def _condition(condition: Condition) -> Any:
    if isinstance(condition, AllOf):
        return {"all_of": [_condition(part) for part in condition.all_of]}
    if isinstance(condition, AnyOf):
        return {"any_of": [_condition(part) for part in condition.any_of]}
    return condition


def _catalogue_out(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "version": catalogue.version,
        "status": catalogue.status,
        "published_on": catalogue.published_on,
        "latest": catalogue.version == latest_catalogue().version,
        "note": _label(catalogue.note),
    }


def _set_out(catalogue: Catalogue, item: IndicatorSet) -> dict[str, Any]:
    dimensions = [
        {
            "code": dimension.code,
            "abbreviation": dimension.abbreviation,
            "phase": dimension.phase,
            "means": dimension.means,
            "label": _label(dimension.label),
            "indicators": [
                {
                    "code": indicator.code,
                    "strength": indicator.strength,
                    "label": _label(indicator.label),
                    "sources": list(indicator.sources),
                }
                for indicator in item.indicators[dimension.code]
            ],
        }
        for dimension in catalogue.dimensions
    ]
    return {
        "code": item.code,
        "label": _label(item.label),
        "forms": list(item.forms),
        "age_group": item.age_group,
        "status": item.status,
        "note": _label(item.note) if item.note else None,
        "sources": list(item.sources),
        "indicator_count": len(item.all_indicators()),
        "dimensions": dimensions,
    }


def _rules_out(catalogue: Catalogue) -> dict[str, Any]:
    rule = catalogue.rules.dimension_met
    return {
        "dimension_met_status": rule.status,
        "dimension_met_note": _label(rule.status_note),
        "patterns": [
            {
                "code": pattern.code,
                "label": _label(pattern.label),
                "require": [{"count": r.count, "of": list(r.of)} for r in pattern.require],
            }
            for pattern in rule.patterns
        ],
        "presumed_victim": [
            {
                "age_group": victim_rule.age_group,
                "means_required": victim_rule.means_required,
                "status": victim_rule.status,
                "status_note": _label(victim_rule.status_note),
                "explanation": _label(victim_rule.explanation),
                "clauses": [
                    {
                        "code": clause.code,
                        "label": _label(clause.label),
                        "in_force": clause.in_force,
                        "status": clause.status,
                        "note": _label(clause.note) if clause.note else None,
                        "condition": _condition(clause.condition),
                    }
                    for clause in victim_rule.clauses
                ],
            }
            for victim_rule in catalogue.rules.presumed_victim
        ],
    }


def _evaluation_out(evaluation: Evaluation, language: str) -> dict[str, Any]:
    return {
        "version": evaluation.catalogue.version,
        "catalogue_status": evaluation.catalogue.status,
        "indicator_set": {
            "code": evaluation.indicator_set.code,
            "label": _label(evaluation.indicator_set.label),
            "status": evaluation.indicator_set.status,
        },
        "age_group": evaluation.age_group,
        "means_required": evaluation.means_required,
        "presumed_victim": evaluation.presumed_victim,
        "matched_clause": evaluation.matched_clause.code if evaluation.matched_clause else None,
        "dimensions": [
            {
                "code": result.dimension.code,
                "label": _label(result.dimension.label),
                "means": result.dimension.means,
                "status": result.status,
                "pattern": result.pattern.code if result.pattern else None,
                "possible_pattern": (
                    result.possible_pattern.code if result.possible_pattern else None
                ),
                "present": [{"code": i.code, "strength": i.strength} for i in result.present],
                "unknown": [indicator.code for indicator in result.unknown],
                "absent": [indicator.code for indicator in result.absent],
            }
            for result in evaluation.dimensions
        ],
        "clauses": [
            {
                "code": result.clause.code,
                "label": _label(result.clause.label),
                "in_force": result.clause.in_force,
                "reliability": result.clause.status,
                "status": result.status,
            }
            for result in evaluation.clauses
        ],
        "language": language,
        "explanation": evaluation.explanation(language),
    }


def _error(kind: str, loc: list[str], message: str, codes: list[str]) -> dict[str, Any]:
    return {"detail": [{"type": kind, "loc": loc, "msg": message, "codes": codes}]}


def _request_language(chosen: str | None) -> str:
    language = chosen or translation.get_language() or "fr"
    return "fr" if language.startswith("fr") else "en"


# ---------------------------------------------------------------------------------- operations


@indicators_router.get(
    "/catalogues",
    response=list[CatalogueOut],
    summary="List catalogue versions",
    operation_id="opennrm_web_api_list_catalogues",
)
def list_catalogues(request: HttpRequest) -> list[dict[str, Any]]:
    """Every catalogue version, oldest first, with its status."""
    return [_catalogue_out(load_catalogue(version)) for version in available_versions()]


@indicators_router.get(
    "/catalogues/{version}/sets",
    response={200: SetsOut, 422: ErrorOut},
    summary="Indicator sets of a catalogue",
    operation_id="opennrm_web_api_list_sets",
)
def list_sets(
    request: HttpRequest,
    version: str,
    form: str | None = None,
    age_group: AgeGroup | None = None,
) -> Status[dict[str, Any]]:
    """The sets of one catalogue with their dimensions and indicators, and the rules.

    `form` keeps the sets covering that form of exploitation; `age_group` the sets that apply
    to that age group (its own sets and those for any age).
    """
    try:
        catalogue = load_catalogue(version)
    except UnknownCatalogueVersion:
        message = f"unknown catalogue version: {version}"
        return Status(422, _error("unknown_version", ["path", "version"], message, [version]))
    sets = [
        _set_out(catalogue, item)
        for item in catalogue.sets
        if (form is None or form in item.forms)
        and (age_group is None or item.applies_to(age_group))
    ]
    return Status(
        200, {"catalogue": _catalogue_out(catalogue), "rules": _rules_out(catalogue), "sets": sets}
    )


@indicators_router.post(
    "/evaluate",
    response={200: EvaluationOut, 422: ErrorOut},
    summary="Evaluate answers against a set (stores nothing)",
    operation_id="opennrm_web_api_evaluate_answers",
)
def evaluate_answers(request: HttpRequest, payload: EvaluateIn) -> Status[dict[str, Any]]:
    """Apply the catalogue's combination rules to the answers and explain the result.

    Nothing is stored. The result is advice: a trained professional concludes and gives reasons.
    """
    try:
        catalogue = load_catalogue(payload.version) if payload.version else latest_catalogue()
    except UnknownCatalogueVersion as exc:
        return _unprocessable("unknown_version", "version", exc, [exc.version])
    try:
        evaluation = evaluate(catalogue, payload.set_code, payload.answers, payload.age_group)
    except UnknownSet as exc:
        return _unprocessable("unknown_set", "set", exc, [exc.code])
    except UnknownIndicators as exc:
        return _unprocessable("unknown_indicators", "answers", exc, list(exc.codes))
    except AgeGroupMismatch as exc:
        return _unprocessable("age_group_mismatch", "age_group", exc, [exc.set_code])
    return Status(200, _evaluation_out(evaluation, _request_language(payload.language)))


def _unprocessable(
    kind: str, field: str, error: Exception, codes: list[str]
) -> Status[dict[str, Any]]:
    """422 in the shape of ninja's own validation errors, plus the unknown codes by name."""
    return Status(422, _error(kind, ["body", "payload", field], str(error), codes))
