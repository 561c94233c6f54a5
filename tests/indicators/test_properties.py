"""Property-based tests: the engine is monotonic, and "undetermined" means what it says."""

from hypothesis import given, settings
from hypothesis import strategies as st

from opennrm.indicators.engine import (
    ANSWERS,
    Answer,
    Evaluation,
    evaluate,
    first_pattern,
    pattern_satisfied,
)
from opennrm.indicators.schema import AgeGroup, Strength
from tests.indicators.helpers import catalogue

DIMENSION_RANK = {"not_met": 0, "undetermined": 1, "met": 2}
OVERALL_RANK = {"no": 0, "undetermined": 1, "yes": 2}

CASES = [
    (item.code, age_group)
    for item in catalogue().sets
    for age_group in ("adult", "child")
    if item.applies_to(age_group)
]


@st.composite
def situations(draw: st.DrawFn) -> tuple[str, AgeGroup, dict[str, Answer]]:
    """A set, an age group it applies to, and answers (some indicators left unanswered)."""
    set_code, age_group = draw(st.sampled_from(CASES))
    item = catalogue().indicator_set(set_code)
    assert item is not None
    all_codes = [indicator.code for indicator in item.all_indicators()]
    # Skew towards "absent" so that every outcome shows up, not only undetermined ones.
    answer = st.sampled_from(["absent", "absent", "present", "unknown"])
    values = draw(st.lists(answer, min_size=len(all_codes), max_size=len(all_codes)))
    answered = draw(st.lists(st.booleans(), min_size=len(all_codes), max_size=len(all_codes)))
    answers: dict[str, Answer] = {
        code: value  # type: ignore[misc]
        for code, value, keep in zip(all_codes, values, answered, strict=True)
        if keep or value != "unknown"
    }
    return set_code, age_group, answers


def outcome(set_code: str, age_group: AgeGroup, answers: dict[str, Answer]) -> Evaluation:
    return evaluate(catalogue(), set_code, answers, age_group)


def not_lower(before: Evaluation, after: Evaluation) -> None:
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert DIMENSION_RANK[new.status] >= DIMENSION_RANK[old.status], new.dimension.code
        if old.status == "met":
            assert new.status == "met"
    assert OVERALL_RANK[after.presumed_victim] >= OVERALL_RANK[before.presumed_victim]
    if before.presumed_victim == "yes":
        assert after.presumed_victim == "yes"


@settings(max_examples=300, deadline=None)
@given(situations(), st.data())
def test_marking_one_more_indicator_present_never_lowers_anything(
    situation: tuple[str, AgeGroup, dict[str, Answer]], data: st.DataObject
) -> None:
    set_code, age_group, answers = situation
    item = catalogue().indicator_set(set_code)
    assert item is not None
    candidates = [i.code for i in item.all_indicators() if answers.get(i.code) != "present"]
    if not candidates:
        return
    chosen = data.draw(st.sampled_from(candidates))
    before = outcome(set_code, age_group, answers)
    after = outcome(set_code, age_group, answers | {chosen: "present"})
    not_lower(before, after)


@settings(max_examples=200, deadline=None)
@given(situations(), st.data())
def test_turning_unknowns_into_present_never_decreases(
    situation: tuple[str, AgeGroup, dict[str, Answer]], data: st.DataObject
) -> None:
    set_code, age_group, answers = situation
    item = catalogue().indicator_set(set_code)
    assert item is not None
    unknown = [i.code for i in item.all_indicators() if answers.get(i.code, "unknown") == "unknown"]
    if not unknown:
        return
    chosen = data.draw(st.lists(st.sampled_from(unknown), min_size=1, unique=True))
    before = outcome(set_code, age_group, answers)
    after = outcome(set_code, age_group, answers | dict.fromkeys(chosen, "present"))
    not_lower(before, after)


@settings(max_examples=200, deadline=None)
@given(situations())
def test_undetermined_resolves_either_way(
    situation: tuple[str, AgeGroup, dict[str, Answer]],
) -> None:
    """Undetermined = not met now, met if every unknown turned out present."""
    set_code, age_group, answers = situation
    item = catalogue().indicator_set(set_code)
    assert item is not None
    all_codes = [i.code for i in item.all_indicators()]

    def resolved(value: Answer) -> dict[str, Answer]:
        return {
            code: value if answers.get(code, "unknown") == "unknown" else answers[code]
            for code in all_codes
        }

    now = outcome(set_code, age_group, answers)
    best = outcome(set_code, age_group, resolved("present"))
    worst = outcome(set_code, age_group, resolved("absent"))
    for current, high, low in zip(now.dimensions, best.dimensions, worst.dimensions, strict=True):
        assert high.status != "undetermined" and low.status != "undetermined"
        if current.status == "undetermined":
            assert (low.status, high.status) == ("not_met", "met")
            assert current.unknown
        else:
            assert low.status == high.status == current.status
    if now.presumed_victim == "undetermined":
        assert (worst.presumed_victim, best.presumed_victim) == ("no", "yes")
    else:
        assert worst.presumed_victim == best.presumed_victim == now.presumed_victim
    assert set(ANSWERS) == {"present", "absent", "unknown"}


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries({s: st.integers(0, 6) for s in ("S", "M", "W")}),
    st.sampled_from(["S", "M", "W"]),
)
def test_patterns_are_monotonic_in_counts(counts: dict[Strength, int], extra: Strength) -> None:
    patterns = catalogue().rules.dimension_met.patterns
    more = counts | {extra: counts[extra] + 1}
    for pattern in patterns:
        if pattern_satisfied(pattern, counts):
            assert pattern_satisfied(pattern, more)
    if first_pattern(patterns, counts) is not None:
        assert first_pattern(patterns, more) is not None
