"""The assessment engine, built from the combination rules of the reference (§5)."""

import itertools

import pytest

from opennrm.indicators.engine import (
    AgeGroupMismatch,
    InvalidAnswers,
    UnknownIndicators,
    UnknownSet,
    condition_status,
    evaluate,
    first_pattern,
    pattern_satisfied,
)
from opennrm.indicators.schema import AllOf, AnyOf, Label, Pattern, Requirement, Strength
from tests.indicators.helpers import answers, catalogue, codes, plain, run

DR, CR, VR = "deceptive_recruitment", "coercive_recruitment", "vulnerability_recruitment"
EX, CD, VD = "exploitation", "coercion_destination", "vulnerability_destination"


def met_by_counts(strong: int, medium: int, weak: int) -> str | None:
    patterns = catalogue().rules.dimension_met.patterns
    pattern = first_pattern(patterns, {"S": strong, "M": medium, "W": weak})
    return pattern.code if pattern else None


# ----------------------------------------------------------------- dimension patterns (§5.1)


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "pattern"),
    [
        (2, 0, 0, "two_strong"),  # (a)
        (3, 0, 0, "two_strong"),
        (1, 1, 0, "strong_and_medium_or_weak"),  # (b) with a medium
        (1, 0, 1, "strong_and_medium_or_weak"),  # (b) with a weak
        (0, 3, 0, "three_medium"),  # (c)
        (0, 2, 1, "two_medium_one_weak"),  # (d)
        (0, 4, 4, "three_medium"),
        # Near misses.
        (0, 0, 0, None),
        (1, 0, 0, None),  # a single strong indicator alone is not enough
        (0, 1, 0, None),
        (0, 2, 0, None),  # 2 medium without a weak
        (0, 1, 2, None),  # 1 medium + 2 weak is not enough
        (0, 1, 9, None),
        (0, 0, 1, None),  # weak alone never
        (0, 0, 20, None),
    ],
)
def test_dimension_patterns(strong: int, medium: int, weak: int, pattern: str | None) -> None:
    assert met_by_counts(strong, medium, weak) == pattern


def test_patterns_match_the_reference_rule_exhaustively() -> None:
    for strong, medium, weak in itertools.product(range(6), repeat=3):
        expected = (
            strong >= 2
            or (strong >= 1 and medium + weak >= 1)
            or medium >= 3
            or (medium >= 2 and weak >= 1)
        )
        assert (met_by_counts(strong, medium, weak) is not None) == expected, (
            strong,
            medium,
            weak,
        )


def test_requirements_are_filled_by_distinct_indicators() -> None:
    label = Label(fr="x", en="x")
    overlapping = Pattern(
        code="overlap",
        label=label,
        require=(Requirement(count=1, of=("S",)), Requirement(count=1, of=("S", "M"))),
    )
    counts: dict[Strength, int] = {"S": 1, "M": 0, "W": 0}
    assert not pattern_satisfied(overlapping, counts)  # one strong cannot count twice
    assert pattern_satisfied(overlapping, {"S": 2, "M": 0, "W": 0})
    assert pattern_satisfied(overlapping, {"S": 1, "M": 1, "W": 0})
    assert not pattern_satisfied(overlapping, {"S": 0, "M": 5, "W": 0})


def test_a_dimension_is_met_with_real_indicators() -> None:
    strong = codes("adults_labour", CD, "S", 2)
    result = run("adults_labour", strong, "adult").dimension(CD)
    assert result.status == "met"
    assert result.pattern is not None and result.pattern.code == "two_strong"
    assert {i.code for i in result.present} == set(strong)


def test_single_strong_indicator_is_not_met_when_the_rest_is_absent() -> None:
    result = run("adults_labour", codes("adults_labour", CD, "S", 1), "adult").dimension(CD)
    assert result.status == "not_met"
    assert result.pattern is None and result.possible_pattern is None


# ---------------------------------------------------------------------------- undetermined


def test_undetermined_when_unknown_indicators_could_complete_the_dimension() -> None:
    result = run(
        "adults_labour", codes("adults_labour", CD, "S", 1), "adult", rest="unknown"
    ).dimension(CD)
    assert result.status == "undetermined"
    assert result.possible_pattern is not None
    assert len(result.unknown) == 14


def test_unanswered_indicators_count_as_unknown() -> None:
    evaluation = evaluate(catalogue(), "adults_labour", {}, "adult")
    assert {result.status for result in evaluation.dimensions} == {"undetermined"}
    assert evaluation.presumed_victim == "undetermined"
    assert evaluation.matched_clause is None


def test_weak_unknowns_alone_cannot_make_a_dimension_undetermined() -> None:
    # Adults-labour exploitation: one weak item; with only it unknown, nothing can be met.
    weak = codes("adults_labour", EX, "W", 1)
    given = answers("adults_labour", [])
    given[weak[0]] = "unknown"
    result = evaluate(catalogue(), "adults_labour", given, "adult").dimension(EX)
    assert result.status == "not_met"


# --------------------------------------------------------------------- presumed victim (§5.2-3)


def adult_labour(*dimensions: str) -> list[str]:
    """Two strong-or-medium present indicators meeting each named adults-labour dimension."""
    chosen: list[str] = []
    for dimension in dimensions:
        if dimension in (VR, VD):
            chosen += codes("adults_labour", dimension, "M", 3)
        else:
            chosen += codes("adults_labour", dimension, "S", 1)
            chosen += codes("adults_labour", dimension, "M", 1)
    return chosen


def test_adult_deception_exploitation_and_coercion_is_presumed() -> None:
    evaluation = run("adults_labour", adult_labour(DR, EX, CD), "adult")
    assert evaluation.presumed_victim == "yes"
    assert evaluation.matched_clause is not None
    assert evaluation.matched_clause.code == "deception_or_coercion"
    assert evaluation.means_required


def test_adult_coercive_recruitment_also_counts() -> None:
    assert run("adults_labour", adult_labour(CR, EX, CD), "adult").presumed_victim == "yes"


@pytest.mark.parametrize(
    "dimensions",
    [(EX,), (DR, EX), (CR, CD), (DR, CR, CD), (EX, CD), (VR, EX, VD), (DR, EX, VD)],
)
def test_adult_without_every_element_is_not_presumed(dimensions: tuple[str, ...]) -> None:
    evaluation = run("adults_labour", adult_labour(*dimensions), "adult")
    assert evaluation.presumed_victim == "no"
    assert evaluation.matched_clause is None


def test_adult_with_exploitation_only_is_not_presumed_but_a_child_is() -> None:
    adult = run("adults_labour", adult_labour(EX), "adult")
    assert adult.dimension(EX).status == "met"
    assert adult.presumed_victim == "no"

    child_present = codes("children_labour", EX, "S", 1) + codes("children_labour", EX, "M", 1)
    child = run("children_labour", child_present, "child")
    assert child.presumed_victim == "yes"
    assert child.matched_clause is not None and child.matched_clause.code == "exploitation"
    assert not child.means_required
    assert all(result.status == "not_met" for result in child.dimensions if result.dimension.means)


def test_child_without_exploitation_is_not_presumed_whatever_the_means() -> None:
    present = [
        code for dimension in (DR, CR, CD) for code in codes("children_labour", dimension, "S", 2)
    ]
    assert run("children_labour", present, "child").presumed_victim == "no"


def test_sets_for_any_age_use_the_age_group_rule() -> None:
    exploitation = codes("forced_begging", EX, "S", 1) + codes("forced_begging", EX, "M", 1)
    assert run("forced_begging", exploitation, "child").presumed_victim == "yes"
    assert run("forced_begging", exploitation, "adult").presumed_victim == "no"
    coercion = codes("forced_begging", CD, "S", 2) + codes("forced_begging", DR, "S", 1)
    coercion += codes("forced_begging", DR, "M", 1)
    assert run("forced_begging", exploitation + coercion, "adult").presumed_victim == "yes"


def test_adult_undetermined_when_a_needed_dimension_is_unknown() -> None:
    present = adult_labour(DR, EX)
    given = answers("adults_labour", present)
    for indicator in codes("adults_labour", CD, "S", 4):
        given[indicator] = "unknown"
    evaluation = evaluate(catalogue(), "adults_labour", given, "adult")
    assert evaluation.dimension(CD).status == "undetermined"
    assert evaluation.presumed_victim == "undetermined"


def test_alternative_reading_is_reported_never_applied() -> None:
    evaluation = run("adults_labour", adult_labour(VR, EX, VD), "adult")
    assert evaluation.presumed_victim == "no"
    alternatives = evaluation.alternatives()
    assert [result.clause.code for result in alternatives] == ["abuse_of_vulnerability"]
    assert alternatives[0].status == "met"
    text = plain(" ".join(evaluation.explanation("fr")))
    assert "Lecture non appliquée, à vérifier" in text
    assert "Abus de vulnérabilité comme moyen" in text
    # When the rule in force already presumes, the alternative is not mentioned.
    presumed = run("adults_labour", adult_labour(DR, VR, EX, CD, VD), "adult")
    assert presumed.presumed_victim == "yes" and presumed.alternatives() == ()


def test_kleene_logic_of_conditions() -> None:
    statuses = {"a": "met", "b": "undetermined", "c": "not_met"}
    assert condition_status(AllOf(all_of=("a", "b")), statuses) == "undetermined"  # type: ignore[arg-type]
    assert condition_status(AllOf(all_of=("a", "c", "b")), statuses) == "not_met"  # type: ignore[arg-type]
    assert condition_status(AnyOf(any_of=("c", "b")), statuses) == "undetermined"  # type: ignore[arg-type]
    assert condition_status(AnyOf(any_of=("c", "a")), statuses) == "met"  # type: ignore[arg-type]


# -------------------------------------------------------------------------------- bad input


def test_unknown_codes_are_named() -> None:
    given = answers("adults_labour", []) | {"ZZ-ZZ-99": "present", "CL-DR-01": "absent"}
    with pytest.raises(UnknownIndicators) as error:
        evaluate(catalogue(), "adults_labour", given, "adult")  # type: ignore[arg-type]
    assert error.value.codes == ("CL-DR-01", "ZZ-ZZ-99")
    assert "CL-DR-01" in str(error.value) and "ZZ-ZZ-99" in str(error.value)


def test_unknown_set_is_named() -> None:
    with pytest.raises(UnknownSet, match="organ_trade"):
        evaluate(catalogue(), "organ_trade", {}, "adult")


def test_invalid_answer_values_are_named() -> None:
    with pytest.raises(InvalidAnswers, match="AL-DR-01"):
        evaluate(catalogue(), "adults_labour", {"AL-DR-01": "yes"}, "adult")  # type: ignore[dict-item]


def test_a_set_for_one_age_group_refuses_the_other() -> None:
    with pytest.raises(AgeGroupMismatch, match="children_labour"):
        evaluate(catalogue(), "children_labour", {}, "adult")
    with pytest.raises(AgeGroupMismatch, match="adults_sexual"):
        evaluate(catalogue(), "adults_sexual", {}, "child")


# ------------------------------------------------------------------------------ explanation


def test_explanation_in_french() -> None:
    present = codes("adults_labour", CD, "S", 2) + adult_labour(DR, EX)
    lines = [plain(line) for line in run("adults_labour", present, "adult").explanation("fr")]
    text = "\n".join(lines)
    assert (
        "Dimension « Contrainte à destination » : remplie (2 indicateurs forts) par "
        "2 indicateurs forts « Papiers d’identité confisqués », « Servitude pour dettes »."
    ) in lines
    assert (
        "Dimension « Recrutement sous la contrainte » : non remplie (aucun indicateur présent)."
        in lines
    )
    assert "Résultat indicatif : victime présumée" in text
    # The rules' status notes are written for the catalogue's maintainers: a caseworker reads
    # how far each rule was checked, the maintainers the note itself.
    assert "wcms_105023" not in text
    assert "Présomption — règle issue d’une source secondaire, encore à vérifier." in lines
    editorial = plain(
        " ".join(run("adults_labour", present, "adult").explanation("fr", editorial=True))
    )
    assert "wcms_105023" in editorial
    assert "le professionnel formé conclut et motive" in text
    assert "«\u00a0" in run("adults_labour", present, "adult").explanation("fr")[0]


def test_explanation_in_english_with_undetermined_dimensions() -> None:
    present = codes("adults_labour", CD, "S", 1)
    lines = run("adults_labour", present, "adult", rest="unknown").explanation("en")
    assert lines[0] == "Set “Adults — labour exploitation” (catalogue 2026.1), rules for an adult."
    assert (
        "Dimension “Coercion at destination”: undetermined — not met as things stand "
        "(1 strong indicator “Identity documents taken away”), but could be, depending on the "
        "missing answers (14 indicators unanswered)."
    ) in lines
    assert "Indicative result: undetermined — it depends on indicators still unknown." in lines


def test_explanation_for_a_child_says_means_are_not_required() -> None:
    present = codes("children_labour", EX, "S", 1) + codes("children_labour", EX, "M", 1)
    evaluation = run("children_labour", present, "child")
    assert any("means" in line and "not required" in line for line in evaluation.explanation("en"))
    assert any("ne sont pas requis" in line for line in evaluation.explanation("fr"))


def test_explanation_marks_draft_sets_and_falls_back_to_english() -> None:
    evaluation = evaluate(catalogue(), "domestic_servitude", {}, "adult")
    assert "Working draft, to be validated by practitioners." in evaluation.explanation("en")
    assert evaluation.explanation("de") == evaluation.explanation("en")
    assert evaluation.explanation("fr") != evaluation.explanation("en")
