"""Shared helpers: answers built from the shipped catalogue, everything else absent."""

from collections.abc import Iterable

from opennrm.indicators.catalogue import latest_catalogue
from opennrm.indicators.engine import Answer, Evaluation, evaluate
from opennrm.indicators.schema import AgeGroup, Catalogue, Strength


def catalogue() -> Catalogue:
    return latest_catalogue()


def codes(set_code: str, dimension: str, strength: Strength, count: int) -> list[str]:
    """The first `count` indicator codes of that strength in one dimension of a set."""
    item = catalogue().indicator_set(set_code)
    assert item is not None
    found = [i.code for i in item.indicators[dimension] if i.strength == strength]
    assert len(found) >= count, f"{set_code}/{dimension} has only {len(found)} {strength}"
    return found[:count]


def answers(set_code: str, present: Iterable[str], rest: Answer = "absent") -> dict[str, Answer]:
    """`present` marked present, every other indicator of the set marked `rest`."""
    item = catalogue().indicator_set(set_code)
    assert item is not None
    chosen = set(present)
    return {i.code: ("present" if i.code in chosen else rest) for i in item.all_indicators()}


def run(
    set_code: str, present: Iterable[str], age_group: AgeGroup, rest: Answer = "absent"
) -> Evaluation:
    return evaluate(catalogue(), set_code, answers(set_code, present, rest), age_group)


def plain(text: str) -> str:
    """French typography uses non-breaking spaces; compare with ordinary ones."""
    return text.replace("\u00a0", " ")
