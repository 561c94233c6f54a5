"""Counts per département for the monitoring pages, kept up to date by a periodic job.

Counting what is overdue across the whole country means grouping over whole tables: a second or
more at a million cases. The job `monitoring.refresh_counts` (opennrm/monitoring/periodic.py)
counts every measure every REFRESH_EVERY and replaces the kept rows in one transaction; the
pages read those rows (one small query) and say when they were counted. When no fresh count
exists — a new instance, a stopped scheduler, another day — the page counts live instead, for
the départements it shows only, so that it is never wrong, only slower.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from opennrm.cases.models import Case
from opennrm.core.models import Territory
from opennrm.detection.models import Concern
from opennrm.identification.deadlines import DUE_SOON_DAYS
from opennrm.identification.models import Referral
from opennrm.monitoring.models import KeptTable, TerritoryCount
from opennrm.support import residence
from opennrm.support.models import Orientation

REFRESH_EVERY = datetime.timedelta(minutes=5)
FRESH_FOR = 3 * REFRESH_EVERY  # older counts are not shown: the page counts live

# The overdue page: steps past their deadline.
OVERDUE = ("concerns", "cases", "referrals", "orientations")
# The deadlines page: identification decisions by route.
DEADLINES = (
    "platform_overdue",
    "platform_due_soon",
    "judicial_overdue",
    "judicial_due_soon",
    "paused",
)

Measures = dict[str, dict[int, int]]  # measure → territory id → count
Territories = Iterable[int] | QuerySet[Any, Any] | None  # ids, or a subquery of ids


def _grouped(queryset: QuerySet[Any, Any], field_name: str) -> dict[int, int]:
    rows = queryset.values(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
    return dict(rows)


def _scoped(queryset: QuerySet[Any, Any], field_name: str, territories: Territories) -> Any:
    if territories is None:
        return queryset
    return queryset.filter(**{f"{field_name}__in": territories})


def _overdue(today: datetime.date, territories: Territories) -> Measures:
    orientations = Orientation.objects.overdue(today)
    return {
        "concerns": _grouped(
            _scoped(Concern.objects.overdue(today), "territory", territories), "territory"
        ),
        "cases": _grouped(
            _scoped(Case.objects.assessment_overdue(today), "territory", territories),
            "territory",
        ),
        "referrals": _grouped(
            # pending referrals: their own département is their case's (Referral.territory)
            _scoped(Referral.objects.decision_overdue(today), "territory", territories),
            "territory",
        ),
        "orientations": _grouped(
            _scoped(orientations, "case__territory", territories), "case__territory"
        ),
    }


def _deadlines(today: datetime.date, territories: Territories) -> Measures:
    table: Measures = {measure: {} for measure in DEADLINES}
    # pending referrals only: their own département is their case's (Referral.territory)
    referrals = _scoped(Referral.objects.all(), "territory", territories)
    for suffix, queryset in (
        ("overdue", referrals.decision_overdue(today)),
        ("due_soon", referrals.decision_due_within(DUE_SOON_DAYS, today)),
    ):
        for territory, route, n in (
            queryset.values("territory", "route")
            .annotate(n=Count("pk"))
            .values_list("territory", "route", "n")
        ):
            measure = f"{route}_{suffix}"
            if measure in table:
                table[measure][territory] = table[measure].get(territory, 0) + n
    table["paused"] = _grouped(referrals.pending().filter(paused_since__isnull=False), "territory")
    return table


GROUPS: dict[tuple[str, ...], Callable[[datetime.date, Territories], Measures]] = {
    OVERDUE: _overdue,
    DEADLINES: _deadlines,
}


@dataclass
class Counts:
    """Rows for a page: one per département with something to count, in code order."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    counted_at: datetime.datetime | None = None  # None: counted live, for this page

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)


# Tables of rows (one per authority, basis and outcome…), kept per département and for the
# whole country: name → (rows per département, the columns that are not counts).
TABLES: dict[str, tuple[Callable[[], list[dict[str, Any]]], tuple[str, ...]]] = {
    "residence_outcomes": (
        lambda: residence.outcomes_by_authority(by_territory=True),
        ("prefecture", "authority", "basis", "outcome"),
    ),
    "residence_refusals": (
        lambda: residence.refusal_reasons_by_authority(by_territory=True),
        ("authority", "refusal_reason"),
    ),
}


def _summed(rows: Iterable[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows with the same keys added up, in the order the rows first came."""
    totals: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        if key in totals:
            totals[key]["count"] += row["count"]
        else:
            totals[key] = {name: row[name] for name in keys} | {"count": row["count"]}
    return list(totals.values())


def refresh(now: datetime.datetime | None = None) -> int:
    """Count every measure and table everywhere and keep them (all replaced at once). Returns
    how many rows are kept."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    kept = [
        TerritoryCount(territory_id=territory, measure=measure, value=n, computed_at=now)
        for group in GROUPS.values()
        for measure, values in group(today, None).items()
        for territory, n in values.items()
        if n and territory is not None
    ]
    tables = []
    for name, (produce, keys) in TABLES.items():
        rows = produce()
        by_territory: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_territory[row["territory"]].append(row)
        tables.append(KeptTable(name=name, rows=_summed(rows, keys), computed_at=now))
        tables += [
            KeptTable(name=name, territory_id=territory, rows=_summed(part, keys), computed_at=now)
            for territory, part in by_territory.items()
            if territory is not None
        ]
    with transaction.atomic():
        TerritoryCount.objects.all().delete()
        TerritoryCount.objects.bulk_create(kept, batch_size=1000)
        KeptTable.objects.all().delete()
        KeptTable.objects.bulk_create(tables, batch_size=200)
    return len(kept) + len(tables)


@dataclass
class Table:
    rows: list[dict[str, Any]] = field(default_factory=list)
    counted_at: datetime.datetime | None = None  # None: counted live, for this page


def tables(names: tuple[str, ...], territories: Territories = None) -> dict[str, Table]:
    """Kept tables for the départements given (ids or a subquery) or the whole country: the
    kept rows when fresh (added up across départements; one query for them all), else counted
    now."""
    latest = _fresh()
    if latest is not None:
        kept = KeptTable.objects.filter(name__in=names)
        kept = (
            kept.filter(territory__isnull=True)
            if territories is None
            else kept.filter(territory_id__in=territories)
        )
        parts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for name, rows in kept.values_list("name", "rows"):
            parts[name] += rows
        return {
            name: Table(_summed(parts[name], TABLES[name][1]), counted_at=latest) for name in names
        }
    scope: Any = territories  # ids or a subquery of ids: both filter `territory__in`
    live = {
        "residence_outcomes": lambda: residence.outcomes_by_authority(territories=scope),
        "residence_refusals": lambda: residence.refusal_reasons_by_authority(territories=scope),
    }
    return {name: Table(live[name]()) for name in names}


def _kept(measures: tuple[str, ...], territories: Territories) -> dict[Territory, dict[str, int]]:
    rows = TerritoryCount.objects.filter(measure__in=measures).select_related("territory")
    if territories is not None:
        rows = rows.filter(territory_id__in=territories)
    by_territory: dict[Territory, dict[str, int]] = {}
    for row in rows:
        by_territory.setdefault(row.territory, dict.fromkeys(measures, 0))[row.measure] = row.value
    return by_territory


def _latest() -> datetime.datetime | None:
    """When everything was last counted: the national tables are kept by every refresh, even
    empty, so they tell it when nothing at all is overdue."""
    latest = KeptTable.objects.filter(territory__isnull=True).order_by("-computed_at")
    return latest.values_list("computed_at", flat=True).first()


def _fresh() -> datetime.datetime | None:
    """When the kept counts were counted, if they may be shown: counted within FRESH_FOR, and
    today (what is overdue changes at midnight). None: the page counts live."""
    latest = _latest()
    now = timezone.now()
    if (
        latest is not None
        and now - latest <= FRESH_FOR
        and timezone.localdate(latest) == timezone.localdate(now)
    ):
        return latest
    return None


def counts(measures: tuple[str, ...], territories: Territories = None) -> Counts:
    """The counts of one group of measures (OVERDUE or DEADLINES), for the départements given
    (ids) or the whole country: the kept ones when fresh, else counted now."""
    latest = _fresh()
    if latest is not None:
        kept = _kept(measures, territories)
        return Counts(
            rows=[
                {"territory": territory, **values}
                for territory, values in sorted(kept.items(), key=lambda item: item[0].code)
            ],
            counted_at=latest,
        )
    table = GROUPS[measures](timezone.localdate(), territories)
    by_territory: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(measures, 0))
    for measure, values in table.items():
        for territory, n in values.items():
            if n and territory is not None:
                by_territory[territory][measure] = n
    names = Territory.objects.in_bulk(list(by_territory))
    return Counts(
        rows=[
            {"territory": names[pk], **values}
            for pk, values in sorted(by_territory.items(), key=lambda item: names[item[0]].code)
        ]
    )
