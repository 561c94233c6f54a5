"""The sentences the engine's explanation is made of, in every language catalogues carry.

Labels (dimensions, patterns, rules, indicators) are catalogue data; only the connecting words
live here. They are not gettext messages because an explanation is written in the language asked
for (the assessment file may be read in another language than the screen), and because they must
exist exactly in the languages of the catalogue labels they are combined with.
"""

from dataclasses import dataclass
from typing import Final

from opennrm.indicators.schema import AgeGroup, Reliability, Strength


@dataclass(frozen=True)
class Phrases:
    indicator: tuple[str, str]  # singular, plural
    unknown: tuple[str, str]  # "{number} ..." for indicators unanswered or unknown
    quote: str  # {label}
    counted: str  # {number}, {noun}, {adjective}: "2 strong indicators"
    strengths: dict[Strength, tuple[str, str]]
    age_groups: dict[AgeGroup, str]
    list_separator: str
    group_separator: str
    none_present: str
    set_line: str  # {set}, {version}, {age_group}
    set_status: dict[Reliability, str]
    dimension_met: str  # {dimension}, {pattern}, {present}
    dimension_undetermined: str  # {dimension}, {present}, {unknown}
    dimension_not_met: str  # {dimension}, {present}
    result_yes: str  # {clause}
    result_no: str
    result_undetermined: str
    alternative: str  # {clause}, {outcome}
    alternative_outcomes: dict[str, str]  # "yes" / "undetermined"
    pattern_rule: str  # {note}
    presumption_rule: str  # {note}
    # How far a rule was checked, said to the caseworker (the rule's own status note is an
    # editorial note for the catalogue's maintainers, shown on the catalogue page).
    rule_status: dict[Reliability, str]
    closing: str


PHRASES: Final[dict[str, Phrases]] = {
    "fr": Phrases(
        indicator=("indicateur", "indicateurs"),
        unknown=("{number} indicateur sans réponse", "{number} indicateurs sans réponse"),
        quote="« {label} »",
        counted="{number} {noun} {adjective}",
        strengths={"S": ("fort", "forts"), "M": ("moyen", "moyens"), "W": ("faible", "faibles")},
        age_groups={"adult": "un adulte", "child": "un mineur"},
        list_separator=", ",
        group_separator=" ; ",
        none_present="aucun indicateur présent",
        set_line="Liste « {set} » (catalogue {version}), règles pour {age_group}.",
        set_status={
            "verified": "Liste vérifiée sur la source primaire.",
            "secondary": "Classement issu d’une source secondaire, à vérifier.",
            "draft": "Liste en version de travail, à faire valider par des praticiens.",
        },
        dimension_met="Dimension « {dimension} » : remplie ({pattern}) par {present}.",
        dimension_undetermined=(
            "Dimension « {dimension} » : indéterminée — pas remplie en l’état ({present}), "
            "mais pourrait l’être selon les réponses manquantes ({unknown})."
        ),
        dimension_not_met="Dimension « {dimension} » : non remplie ({present}).",
        result_yes="Résultat indicatif : victime présumée — « {clause} ».",
        result_no="Résultat indicatif : les indicateurs ne suffisent pas à présumer une victime.",
        result_undetermined=(
            "Résultat indicatif : indéterminé — il dépend des indicateurs encore inconnus."
        ),
        alternative=(
            "Lecture non appliquée, à vérifier : selon « {clause} », le résultat serait : "
            "{outcome}."
        ),
        alternative_outcomes={"yes": "victime présumée", "undetermined": "indéterminé"},
        pattern_rule="Combinaison des indicateurs — {note}",
        presumption_rule="Présomption — {note}",
        rule_status={
            "verified": "règle vérifiée sur la source primaire.",
            "secondary": "règle issue d’une source secondaire, encore à vérifier.",
            "draft": "règle en version de travail, à faire valider par des praticiens.",
        },
        closing=(
            "Ce résultat aide l’analyse, il ne décide pas : le professionnel formé conclut "
            "et motive sa conclusion."
        ),
    ),
    "en": Phrases(
        indicator=("indicator", "indicators"),
        unknown=("{number} indicator unanswered", "{number} indicators unanswered"),
        quote="“{label}”",
        counted="{number} {adjective} {noun}",
        strengths={"S": ("strong", "strong"), "M": ("medium", "medium"), "W": ("weak", "weak")},
        age_groups={"adult": "an adult", "child": "a child"},
        list_separator=", ",
        group_separator="; ",
        none_present="no indicator present",
        set_line="Set “{set}” (catalogue {version}), rules for {age_group}.",
        set_status={
            "verified": "Set verified against the primary source.",
            "secondary": "Grades taken from a secondary source, to be verified.",
            "draft": "Working draft, to be validated by practitioners.",
        },
        dimension_met="Dimension “{dimension}”: met ({pattern}) by {present}.",
        dimension_undetermined=(
            "Dimension “{dimension}”: undetermined — not met as things stand ({present}), "
            "but could be, depending on the missing answers ({unknown})."
        ),
        dimension_not_met="Dimension “{dimension}”: not met ({present}).",
        result_yes="Indicative result: presumed victim — “{clause}”.",
        result_no="Indicative result: the indicators are not enough to presume a victim.",
        result_undetermined=(
            "Indicative result: undetermined — it depends on indicators still unknown."
        ),
        alternative=(
            "Reading not applied, to be verified: under “{clause}”, the result would be: {outcome}."
        ),
        alternative_outcomes={"yes": "presumed victim", "undetermined": "undetermined"},
        pattern_rule="Indicator combinations — {note}",
        presumption_rule="Presumption — {note}",
        rule_status={
            "verified": "rule verified against the primary source.",
            "secondary": "rule taken from a secondary source, still to be verified.",
            "draft": "working draft rule, to be validated by practitioners.",
        },
        closing=(
            "This result supports the analysis, it does not decide: the trained professional "
            "concludes and gives reasons."
        ),
    ),
}


def phrases_for(language: str) -> Phrases:
    """The phrases of `language`, English when the catalogue does not carry it."""
    return PHRASES.get(language, PHRASES["en"])


def typeset(language: str, text: str) -> str:
    """French typography: non-breaking spaces inside guillemets and before : and ;."""
    if language != "fr":
        return text
    for old, new in (("« ", "«\u00a0"), (" »", "\u00a0»"), (" :", "\u00a0:"), (" ;", "\u00a0;")):
        text = text.replace(old, new)
    return text
