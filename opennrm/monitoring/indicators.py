"""The indicators of Directive (EU) 2024/1712 for the annual return: victims registered (cases
that reached presumed victim, detected in the period) by sex, age group, citizenship and form of
exploitation; victims identified by route. Five queries, each breakdown protected on its own
with its total (opennrm.monitoring.disclosure).

Citizenship is the list of nationalities recorded for the person, grouped as recorded (a person
with two is counted once, under both together). A case may name several forms of exploitation:
the forms do not add up to the total, so each form's count is protected on its own.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from opennrm.cases.models import Case
from opennrm.identification.models import Referral, Route
from opennrm.monitoring.disclosure import Cell, Sum, protect
from opennrm.monitoring.funnel import REACHED_PRESUMED, Filters, in_period, with_form

BREAKDOWNS = ("sex", "age_group", "citizenship", "form", "identified_by_route")


@dataclass(frozen=True)
class Breakdown:
    """One indicator: category → count, and its total (raw)."""

    name: str
    values: dict[str, int]
    total: int
    additive: bool = True  # the categories add up to the total


def breakdowns(filters: Filters, forms: list[str]) -> list[Breakdown]:
    cases = with_form(in_period(Case.objects.all(), "detected_on", filters), filters.form)
    victims = cases.filter(status__in=REACHED_PRESUMED)
    total = 0
    sex: dict[str, int] = {}
    for code, n in victims.values_list("person__sex").annotate(n=Count("pk")).order_by():
        sex[code] = sex.get(code, 0) + n
        total += n
    age: dict[str, int] = {"adult": 0, "child": 0}
    for child, n in victims.values_list("child").annotate(n=Count("pk")).order_by():
        age["child" if child else "adult"] += n
    citizenship: dict[str, int] = {}
    for codes, n in victims.values_list("person__nationalities").annotate(n=Count("pk")).order_by():
        key = "+".join(sorted(codes or [])) or "unknown"
        citizenship[key] = citizenship.get(key, 0) + n
    by_form = victims.aggregate(**{code: Count("pk", filter=_has_form(code)) for code in forms})
    judicial = Exists(Referral.objects.filter(case=OuterRef("pk"), route=Route.JUDICIAL))
    identified = cases.filter(status="identified_victim").aggregate(
        judicial=Count("pk", filter=Q(judicial)),
        platform=Count("pk", filter=~Q(judicial)),
    )
    return [
        Breakdown("sex", dict(sorted(sex.items())), total),
        Breakdown("age_group", age, total),
        Breakdown("citizenship", dict(sorted(citizenship.items())), total),
        Breakdown("form", by_form, total, additive=False),
        Breakdown("identified_by_route", identified, sum(identified.values())),
    ]


def _has_form(code: str) -> Q:
    """As funnel.with_form, as a condition of an aggregate."""
    if connection.vendor == "postgresql":
        return Q(forms__contains=[code])
    return Q(forms__icontains=f'"{code}"')


def protected(breakdown: Breakdown, *, k: int, rounding: int) -> tuple[dict[str, Cell], Cell]:
    """The categories and the total as they may be shown."""
    values = {f"c:{key}": n for key, n in breakdown.values.items()} | {"total": breakdown.total}
    sums = (
        [Sum("total", tuple(f"c:{key}" for key in breakdown.values))] if breakdown.additive else []
    )
    cells = protect(values, sums, k=k, rounding=rounding)
    return {key: cells[f"c:{key}"] for key in breakdown.values}, cells["total"]
