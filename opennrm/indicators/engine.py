"""The assessment engine: pure functions from indicator answers to advice with its reasons.

Every rule comes from the catalogue data; the engine only knows how to read it:

- a dimension is *met* when the present indicators satisfy one of the catalogue's patterns,
  *undetermined* when they do not but would if the unknown (or unanswered) indicators turned out
  present, and *not met* otherwise;
- the presumed-victim rule of the age group combines dimension results with all_of / any_of in
  three-valued logic (met > undetermined > not met), over the clauses in force.

Patterns only ask for "at least" counts and conditions have no negation, so the result is
monotonic: marking one more indicator present never lowers a dimension or the overall result.
Indicators assist, never decide: the result is advice that a trained professional weighs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Literal, get_args

from opennrm.indicators.phrases import phrases_for, typeset
from opennrm.indicators.schema import (
    AgeGroup,
    AllOf,
    Catalogue,
    Clause,
    Condition,
    Dimension,
    Indicator,
    IndicatorSet,
    Pattern,
    PresumedVictimRule,
    Strength,
)

Answer = Literal["present", "absent", "unknown"]
ANSWERS: tuple[Answer, ...] = get_args(Answer)
Status = Literal["met", "undetermined", "not_met"]
PresumedVictim = Literal["yes", "undetermined", "no"]

_RANK: dict[Status, int] = {"not_met": 0, "undetermined": 1, "met": 2}
_STATUS: tuple[Status, ...] = ("not_met", "undetermined", "met")
_OVERALL: dict[Status, PresumedVictim] = {
    "met": "yes",
    "undetermined": "undetermined",
    "not_met": "no",
}


class EvaluationError(ValueError):
    """The request cannot be evaluated against this catalogue."""


class UnknownSet(EvaluationError):
    def __init__(self, code: str, version: str) -> None:
        super().__init__(f"unknown indicator set in catalogue {version}: {code}")
        self.code = code


class UnknownIndicators(EvaluationError):
    def __init__(self, codes: Iterable[str], set_code: str) -> None:
        self.codes = tuple(sorted(codes))
        super().__init__(f"unknown indicator code(s) for set {set_code}: {', '.join(self.codes)}")


class InvalidAnswers(EvaluationError):
    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = tuple(sorted(codes))
        allowed = ", ".join(ANSWERS)
        super().__init__(f"answer must be one of {allowed} for: {', '.join(self.codes)}")


class AgeGroupMismatch(EvaluationError):
    def __init__(self, set_code: str, set_age_group: str, age_group: str) -> None:
        super().__init__(
            f"indicator set {set_code} is for age group {set_age_group!r}, not {age_group!r}"
        )
        self.set_code = set_code


# ----------------------------------------------------------------------------- dimension rule


def pattern_satisfied(pattern: Pattern, counts: Mapping[Strength, int]) -> bool:
    """Whether `counts` indicators of each strength fill every requirement with distinct ones.

    A transportation problem: by Gale's theorem (Hall's, with multiplicities) it is feasible iff
    every group of requirements asks for no more indicators than their strengths offer together.
    """
    for size in range(1, len(pattern.require) + 1):
        for group in combinations(pattern.require, size):
            wanted = sum(requirement.count for requirement in group)
            strengths = {strength for requirement in group for strength in requirement.of}
            if wanted > sum(counts.get(strength, 0) for strength in strengths):
                return False
    return True


def first_pattern(patterns: Iterable[Pattern], counts: Mapping[Strength, int]) -> Pattern | None:
    return next((pattern for pattern in patterns if pattern_satisfied(pattern, counts)), None)


def strength_counts(indicators: Iterable[Indicator]) -> dict[Strength, int]:
    counts: dict[Strength, int] = {"S": 0, "M": 0, "W": 0}
    for indicator in indicators:
        counts[indicator.strength] += 1
    return counts


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    status: Status
    pattern: Pattern | None  # met: the first pattern satisfied by the present indicators
    possible_pattern: Pattern | None  # undetermined: the first one the unknown ones could fill
    present: tuple[Indicator, ...]
    unknown: tuple[Indicator, ...]  # answered "unknown", or not answered at all
    absent: tuple[Indicator, ...]


def evaluate_dimension(
    catalogue: Catalogue,
    dimension: Dimension,
    indicators: Iterable[Indicator],
    answers: Mapping[str, Answer],
) -> DimensionResult:
    present: list[Indicator] = []
    unknown: list[Indicator] = []
    absent: list[Indicator] = []
    for indicator in indicators:
        answer = answers.get(indicator.code, "unknown")
        {"present": present, "unknown": unknown, "absent": absent}[answer].append(indicator)
    patterns = catalogue.rules.dimension_met.patterns
    pattern = first_pattern(patterns, strength_counts(present))
    possible = None if pattern else first_pattern(patterns, strength_counts(present + unknown))
    status: Status = "met" if pattern else ("undetermined" if possible else "not_met")
    return DimensionResult(
        dimension=dimension,
        status=status,
        pattern=pattern,
        possible_pattern=possible,
        present=tuple(present),
        unknown=tuple(unknown),
        absent=tuple(absent),
    )


# ------------------------------------------------------------------------- presumed victim rule


def condition_status(condition: Condition, dimensions: Mapping[str, Status]) -> Status:
    """Kleene's three-valued logic: all_of is the minimum, any_of the maximum."""
    if isinstance(condition, str):
        return dimensions[condition]
    if isinstance(condition, AllOf):
        ranks = [_RANK[condition_status(part, dimensions)] for part in condition.all_of]
        return _STATUS[min(ranks)]
    ranks = [_RANK[condition_status(part, dimensions)] for part in condition.any_of]
    return _STATUS[max(ranks)]


@dataclass(frozen=True)
class ClauseResult:
    clause: Clause
    status: Status


@dataclass(frozen=True)
class Evaluation:
    catalogue: Catalogue
    indicator_set: IndicatorSet
    age_group: AgeGroup
    dimensions: tuple[DimensionResult, ...]
    rule: PresumedVictimRule
    clauses: tuple[ClauseResult, ...]
    presumed_victim: PresumedVictim
    matched_clause: Clause | None  # the first clause in force that is met

    @property
    def means_required(self) -> bool:
        return self.rule.means_required

    def dimension(self, code: str) -> DimensionResult:
        return next(result for result in self.dimensions if result.dimension.code == code)

    def alternatives(self) -> tuple[ClauseResult, ...]:
        """Clauses not in force that would give a stronger result than the one applied."""
        applied = _RANK[_status_of(self.presumed_victim)]
        return tuple(
            result
            for result in self.clauses
            if not result.clause.in_force and _RANK[result.status] > applied
        )

    def explanation(self, language: str, *, editorial: bool = False) -> list[str]:
        """Readable sentences, in `language` (fr or en; English otherwise). With `editorial`,
        the rules' status notes written for the catalogue's maintainers (sources still to be
        checked); without, only how far each rule was checked."""
        words = phrases_for(language)
        lang = "fr" if language == "fr" else "en"
        lines = [
            words.set_line.format(
                set=self.indicator_set.label.get(lang),
                version=self.catalogue.version,
                age_group=words.age_groups[self.age_group],
            ),
            words.set_status[self.indicator_set.status],
        ]
        for result in self.dimensions:
            present = _describe_present(result.present, lang)
            name = result.dimension.label.get(lang)
            if result.status == "met" and result.pattern is not None:
                line = words.dimension_met.format(
                    dimension=name, pattern=result.pattern.label.get(lang), present=present
                )
            elif result.status == "undetermined":
                line = words.dimension_undetermined.format(
                    dimension=name, present=present, unknown=_unknown(len(result.unknown), lang)
                )
            else:
                line = words.dimension_not_met.format(dimension=name, present=present)
            lines.append(line)
        if self.presumed_victim == "yes" and self.matched_clause is not None:
            lines.append(words.result_yes.format(clause=self.matched_clause.label.get(lang)))
        elif self.presumed_victim == "undetermined":
            lines.append(words.result_undetermined)
        else:
            lines.append(words.result_no)
        lines.append(self.rule.explanation.get(lang))
        for alternative in self.alternatives():
            outcome = words.alternative_outcomes[_OVERALL[alternative.status]]
            lines.append(
                words.alternative.format(clause=alternative.clause.label.get(lang), outcome=outcome)
            )
        dimension_rule = self.catalogue.rules.dimension_met
        for rule, template in (
            (dimension_rule, words.pattern_rule),
            (self.rule, words.presumption_rule),
        ):
            if rule.status != "verified":
                note = rule.status_note.get(lang) if editorial else words.rule_status[rule.status]
                lines.append(template.format(note=note))
        lines.append(words.closing)
        return [typeset(lang, line) for line in lines]


def _status_of(overall: PresumedVictim) -> Status:
    return next(status for status, value in _OVERALL.items() if value == overall)


def _unknown(number: int, language: str) -> str:
    singular, plural = phrases_for(language).unknown
    return (singular if number == 1 else plural).format(number=number)


def _describe_present(present: tuple[Indicator, ...], language: str) -> str:
    """'2 strong indicators "A", "B"; 1 medium indicator "C"', strongest first."""
    words = phrases_for(language)
    if not present:
        return words.none_present
    groups = []
    for strength, (singular, plural) in words.strengths.items():
        labels = [item.label.get(language) for item in present if item.strength == strength]
        if labels:
            one = len(labels) == 1
            counted = words.counted.format(
                number=len(labels),
                noun=words.indicator[0 if one else 1],
                adjective=singular if one else plural,
            )
            quoted = words.list_separator.join(words.quote.format(label=label) for label in labels)
            groups.append(f"{counted} {quoted}")
    return words.group_separator.join(groups)


# ------------------------------------------------------------------------------------- evaluate


def evaluate(
    catalogue: Catalogue,
    set_code: str,
    answers: Mapping[str, Answer],
    age_group: AgeGroup,
) -> Evaluation:
    """Evaluate `answers` (indicator code -> present/absent/unknown) against one set.

    Indicators without an answer count as unknown. Raises UnknownSet, UnknownIndicators (codes
    not in this set), InvalidAnswers or AgeGroupMismatch.
    """
    indicator_set = catalogue.indicator_set(set_code)
    if indicator_set is None:
        raise UnknownSet(set_code, catalogue.version)
    if not indicator_set.applies_to(age_group):
        raise AgeGroupMismatch(set_code, indicator_set.age_group, age_group)
    known = {indicator.code for indicator in indicator_set.all_indicators()}
    unknown_codes = [code for code in answers if code not in known]
    if unknown_codes:
        raise UnknownIndicators(unknown_codes, set_code)
    invalid = [code for code, answer in answers.items() if answer not in ANSWERS]
    if invalid:
        raise InvalidAnswers(invalid)

    dimensions = tuple(
        evaluate_dimension(catalogue, dimension, indicator_set.indicators[dimension.code], answers)
        for dimension in catalogue.dimensions
    )
    by_code = {result.dimension.code: result.status for result in dimensions}
    rule = catalogue.presumed_victim_rule(age_group)
    clauses = tuple(
        ClauseResult(clause=clause, status=condition_status(clause.condition, by_code))
        for clause in rule.clauses
    )
    in_force = [result for result in clauses if result.clause.in_force]
    overall = _STATUS[max(_RANK[result.status] for result in in_force)]
    matched = next((result.clause for result in in_force if result.status == "met"), None)
    return Evaluation(
        catalogue=catalogue,
        indicator_set=indicator_set,
        age_group=age_group,
        dimensions=dimensions,
        rule=rule,
        clauses=clauses,
        presumed_victim=_OVERALL[overall],
        matched_clause=matched,
    )
