"""The shape of an indicator catalogue: versioned data, validated when it is loaded.

A catalogue holds the six ILO/EC dimensions, the combination rules (as data, so that
practitioners can correct them without a release) and the indicator sets. Cross-references
(dimension codes, source codes, indicator codes) are checked here, and every error names the
faulty key, like the jurisdiction profiles do.
"""

import datetime
import re
from collections.abc import Iterable
from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, model_validator

Strength = Literal["S", "M", "W"]
AgeGroup = Literal["adult", "child"]
SetAgeGroup = Literal["adult", "child", "any"]
# How far a rule or a set was checked: against the primary source, transcribed from a secondary
# source, or drafted for OpenNRM and awaiting practitioners' review.
Reliability = Literal["verified", "secondary", "draft"]
CatalogueStatus = Literal["draft", "approved", "withdrawn"]

STRENGTHS: tuple[Strength, ...] = ("S", "M", "W")
AGE_GROUPS: tuple[AgeGroup, ...] = ("adult", "child")
LANGUAGES = ("fr", "en")

INDICATOR_CODE = re.compile(r"^(?P<prefix>[A-Z]{2})-(?P<dimension>[A-Z]{2})-(?P<number>\d{2})$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(Strict):
    """A text in every language the catalogue supports."""

    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        """The text in `language`; English for a language the catalogue does not carry."""
        return self.fr if language == "fr" else self.en


class Source(Strict):
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    title: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https?://")
    note: Label | None = None


class Dimension(Strict):
    code: str = Field(pattern=r"^[a-z][a-z_]*$")
    abbreviation: str = Field(pattern=r"^[A-Z]{2}$")
    phase: Literal["recruitment", "destination"]
    means: bool  # a "means" of the Palermo definition: deception, coercion, abuse of vulnerability
    label: Label


class Requirement(Strict):
    """`count` distinct present indicators whose strength is one of `of`."""

    count: int = Field(ge=1, le=50)
    of: tuple[Strength, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> "Requirement":
        if len(set(self.of)) != len(self.of):
            raise ValueError("of: a strength appears twice")
        return self


class Pattern(Strict):
    """A minimal combination that makes a dimension met; requirements use distinct indicators."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    require: tuple[Requirement, ...] = Field(min_length=1)


class DimensionRule(Strict):
    status: Reliability
    status_note: Label
    sources: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = Field(min_length=1)


class AllOf(Strict):
    all_of: "tuple[Condition, ...]" = Field(min_length=1)


class AnyOf(Strict):
    any_of: "tuple[Condition, ...]" = Field(min_length=1)


# A dimension code, or all_of / any_of a list of conditions.
Condition: TypeAlias = "str | AllOf | AnyOf"


class Clause(Strict):
    """One way of reaching "presumed victim". Clauses not in force are reported, never applied."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    condition: Condition
    in_force: bool
    status: Reliability
    note: Label | None = None


class PresumedVictimRule(Strict):
    age_group: AgeGroup
    means_required: bool
    status: Reliability
    status_note: Label
    explanation: Label
    sources: tuple[str, ...] = ()
    clauses: tuple[Clause, ...] = Field(min_length=1)


class Rules(Strict):
    dimension_met: DimensionRule
    presumed_victim: tuple[PresumedVictimRule, ...]


class Indicator(Strict):
    code: str = Field(pattern=INDICATOR_CODE.pattern)
    strength: Strength
    label: Label
    sources: tuple[str, ...] = ()


class IndicatorSet(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    code_prefix: str = Field(pattern=r"^[A-Z]{2}$")
    label: Label
    forms: tuple[str, ...] = Field(min_length=1)
    age_group: SetAgeGroup
    status: Reliability
    sources: tuple[str, ...] = ()
    note: Label | None = None
    # Dimension code -> its indicators, in the order they are asked.
    indicators: dict[str, tuple[Indicator, ...]]

    def all_indicators(self) -> tuple[Indicator, ...]:
        return tuple(item for items in self.indicators.values() for item in items)

    def applies_to(self, age_group: AgeGroup) -> bool:
        return self.age_group in ("any", age_group)


class Catalogue(Strict):
    version: str = Field(pattern=r"^\d{4}\.\d{1,3}$")
    status: CatalogueStatus
    published_on: datetime.date
    note: Label
    sources: tuple[Source, ...]
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    rules: Rules
    sets: tuple[IndicatorSet, ...] = Field(min_length=1)
    # Codes that left the catalogue: they may never be given to another indicator.
    retired_codes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> "Catalogue":
        _unique("sources", [source.code for source in self.sources])
        _unique("dimensions", [dimension.code for dimension in self.dimensions])
        _unique("dimensions (abbreviation)", [d.abbreviation for d in self.dimensions])
        source_codes = {source.code for source in self.sources}
        dimension_codes = [dimension.code for dimension in self.dimensions]
        rule = self.rules.dimension_met
        _unique("rules.dimension_met.patterns", [pattern.code for pattern in rule.patterns])
        _known_sources("rules.dimension_met.sources", rule.sources, source_codes)
        self._check_presumed_victim_rules(set(dimension_codes), source_codes)
        _unique("sets", [item.code for item in self.sets])
        _unique("sets (code_prefix)", [item.code_prefix for item in self.sets])
        self._check_sets(dimension_codes, source_codes)
        return self

    def _check_presumed_victim_rules(self, dimensions: set[str], sources: set[str]) -> None:
        groups = [rule.age_group for rule in self.rules.presumed_victim]
        _unique("rules.presumed_victim (age_group)", groups)
        missing = [group for group in AGE_GROUPS if group not in groups]
        if missing:
            raise ValueError(
                f"rules.presumed_victim: no rule for age group(s) {', '.join(missing)}"
            )
        for rule in self.rules.presumed_victim:
            key = f"rules.presumed_victim.{rule.age_group}"
            _known_sources(f"{key}.sources", rule.sources, sources)
            _unique(f"{key}.clauses", [clause.code for clause in rule.clauses])
            if not any(clause.in_force for clause in rule.clauses):
                raise ValueError(f"{key}.clauses: at least one clause must be in_force")
            for clause in rule.clauses:
                unknown = sorted(condition_dimensions(clause.condition) - dimensions)
                if unknown:
                    raise ValueError(
                        f"{key}.clauses.{clause.code}.condition: unknown dimension(s) "
                        f"{', '.join(unknown)}"
                    )

    def _check_sets(self, dimensions: list[str], sources: set[str]) -> None:
        abbreviations = {d.code: d.abbreviation for d in self.dimensions}
        retired = set(self.retired_codes)
        seen: dict[str, str] = {}
        for item in self.sets:
            key = f"sets.{item.code}"
            _known_sources(f"{key}.sources", item.sources, sources)
            missing = [code for code in dimensions if code not in item.indicators]
            if missing:
                raise ValueError(f"{key}.indicators: missing dimension(s) {', '.join(missing)}")
            extra = [code for code in item.indicators if code not in abbreviations]
            if extra:
                raise ValueError(f"{key}.indicators: unknown dimension(s) {', '.join(extra)}")
            for dimension, indicators in item.indicators.items():
                if not indicators:
                    raise ValueError(f"{key}.indicators.{dimension}: no indicator")
                expected = f"{item.code_prefix}-{abbreviations[dimension]}-"
                for indicator in indicators:
                    where = f"{key}.indicators.{dimension}.{indicator.code}"
                    if not indicator.code.startswith(expected):
                        raise ValueError(f"{where}: code must start with {expected!r}")
                    if indicator.code in seen:
                        raise ValueError(f"{where}: code already used in {seen[indicator.code]}")
                    if indicator.code in retired:
                        raise ValueError(f"{where}: code is retired and may not be reused")
                    _known_sources(f"{where}.sources", indicator.sources, sources)
                    seen[indicator.code] = key

    # Look-ups used by the engine and the API.
    def dimension(self, code: str) -> Dimension | None:
        return next((dimension for dimension in self.dimensions if dimension.code == code), None)

    def indicator_set(self, code: str) -> IndicatorSet | None:
        return next((item for item in self.sets if item.code == code), None)

    def presumed_victim_rule(self, age_group: AgeGroup) -> PresumedVictimRule:
        return next(rule for rule in self.rules.presumed_victim if rule.age_group == age_group)


def condition_dimensions(condition: Condition) -> set[str]:
    """Every dimension code a condition refers to."""
    if isinstance(condition, str):
        return {condition}
    parts = condition.all_of if isinstance(condition, AllOf) else condition.any_of
    found: set[str] = set()
    for part in parts:
        found |= condition_dimensions(part)
    return found


def _unique(key: str, codes: Iterable[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{key}: code {code!r} appears twice")
        seen.add(code)


def _known_sources(key: str, codes: tuple[str, ...], known: set[str]) -> None:
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValueError(f"{key}: unknown source(s) {', '.join(unknown)}")


AllOf.model_rebuild()
AnyOf.model_rebuild()
Clause.model_rebuild()
