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
from opennrm.monitoring.models import TerritoryCount
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

Table = dict[str, dict[int, int]]  # measure → territory id → count
Territories = Iterable[int] | QuerySet[Any, Any] | None  # ids, or a subquery of ids


def _grouped(queryset: QuerySet[Any, Any], field_name: str) -> dict[int, int]:
    rows = queryset.values(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
    return dict(rows)


def _scoped(queryset: QuerySet[Any, Any], field_name: str, territories: Territories) -> Any:
    if territories is None:
        return queryset
    return queryset.filter(**{f"{field_name}__in": territories})


def _overdue(today: datetime.date, territories: Territories) -> Table:
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
            _scoped(Referral.objects.decision_overdue(today), "case__territory", territories),
            "case__territory",
        ),
        "orientations": _grouped(
            _scoped(orientations, "case__territory", territories), "case__territory"
        ),
    }


def _deadlines(today: datetime.date, territories: Territories) -> Table:
    table: Table = {measure: {} for measure in DEADLINES}
    referrals = _scoped(Referral.objects.all(), "case__territory", territories)
    for suffix, queryset in (
        ("overdue", referrals.decision_overdue(today)),
        ("due_soon", referrals.decision_due_within(DUE_SOON_DAYS, today)),
    ):
        for territory, route, n in (
            queryset.values("case__territory", "route")
            .annotate(n=Count("pk"))
            .values_list("case__territory", "route", "n")
        ):
            measure = f"{route}_{suffix}"
            if measure in table:
                table[measure][territory] = table[measure].get(territory, 0) + n
    table["paused"] = _grouped(
        referrals.pending().filter(paused_since__isnull=False), "case__territory"
    )
    return table


GROUPS: dict[tuple[str, ...], Callable[[datetime.date, Territories], Table]] = {
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


def refresh(now: datetime.datetime | None = None) -> int:
    """Count every measure everywhere and keep the counts (all replaced at once). Returns how
    many rows are kept."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    kept = [
        TerritoryCount(territory_id=territory, measure=measure, value=n, computed_at=now)
        for group in GROUPS.values()
        for measure, values in group(today, None).items()
        for territory, n in values.items()
        if n and territory is not None
    ]
    with transaction.atomic():
        TerritoryCount.objects.all().delete()
        TerritoryCount.objects.bulk_create(kept, batch_size=1000)
    return len(kept)


def _kept(measures: tuple[str, ...], territories: Territories) -> dict[Territory, dict[str, int]]:
    rows = TerritoryCount.objects.filter(measure__in=measures).select_related("territory")
    if territories is not None:
        rows = rows.filter(territory_id__in=territories)
    by_territory: dict[Territory, dict[str, int]] = {}
    for row in rows:
        by_territory.setdefault(row.territory, dict.fromkeys(measures, 0))[row.measure] = row.value
    return by_territory


def _latest() -> datetime.datetime | None:
    latest = TerritoryCount.objects.order_by("-computed_at").values_list("computed_at", flat=True)
    return latest.first()


def counts(measures: tuple[str, ...], territories: Territories = None) -> Counts:
    """The counts of one group of measures (OVERDUE or DEADLINES), for the départements given
    (ids) or the whole country: the kept ones when fresh, else counted now."""
    now = timezone.now()
    latest = _latest()
    fresh = (
        latest is not None
        and now - latest <= FRESH_FOR
        and timezone.localdate(latest) == timezone.localdate(now)
    )
    if fresh:
        kept = _kept(measures, territories)
        return Counts(
            rows=[
                {"territory": territory, **values}
                for territory, values in sorted(kept.items(), key=lambda item: item[0].code)
            ],
            counted_at=latest,
        )
    table = GROUPS[measures](timezone.localdate(now), territories)
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
