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
from django.db.models import Count, Q

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
    # Sex, age group, citizenship and forms in one reading of the victims (a few thousand
    # groups), not one reading each.
    total = 0
    sex: dict[str, int] = {}
    age: dict[str, int] = {"adult": 0, "child": 0}
    citizenship: dict[str, int] = {}
    by_form = dict.fromkeys(forms, 0)
    per_form = {f"form_{code}": Count("pk", filter=_has_form(code)) for code in forms}
    groups = (
        victims.values("person__sex", "child", "person__nationalities")
        .annotate(n=Count("pk"), **per_form)
        .order_by()
    )
    for row in groups:
        n = row["n"]
        total += n
        sex[row["person__sex"]] = sex.get(row["person__sex"], 0) + n
        age["child" if row["child"] else "adult"] += n
        key = "+".join(sorted(row["person__nationalities"] or [])) or "unknown"
        citizenship[key] = citizenship.get(key, 0) + n
        for code in forms:
            by_form[code] += row[f"form_{code}"]
    # Identified: those ever referred by the judicial route count under it, the others under
    # the platform's. The judicial ones are read from the referrals (a join), not probed per
    # case (two seconds at 1,000,000 cases).
    identified_cases = cases.filter(status="identified_victim")
    everyone = identified_cases.count()
    judicial = (
        Referral.objects.filter(route=Route.JUDICIAL, case__in=identified_cases)
        .order_by()
        .values("case_id")
        .distinct()
        .count()
    )
    identified = {"judicial": judicial, "platform": everyone - judicial}
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
