"""The funnel of the mechanism: concerns → cases → presumed victims → referred (by route) →
identified / not identified → supported → closed by reason, with the anonymous notifications
(adults who refused referral) beside the referrals.

Three queries whatever the filters (conditional aggregation): the concerns, the cases (every
stage from a case on, through EXISTS subqueries), the anonymous notifications. The cases are
those detected in the period; the concerns those received in it; the notifications those made
in it. The form of exploitation filters cases and notifications (a concern names none); the
route filters the stages from referral on. A case's route is the judicial one when it was ever
referred by it, else the platform's: each case counts once, so the routes add up to the
referrals.

`protected` applies disclosure control (opennrm.monitoring.disclosure) with the sums that bind
the stages, including what falls out between two stages (not shown, but computable: it is
protected like the rest).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from opennrm.cases.enums import IdentificationStatus
from opennrm.cases.models import Case
from opennrm.detection.models import AnonymousNotification, Concern
from opennrm.identification.models import Referral, Route
from opennrm.monitoring.disclosure import Cell, Sum, protect
from opennrm.support.models import ClosureReason, SupportClosure, SupportRecord

REACHED_PRESUMED = (
    IdentificationStatus.PRESUMED_VICTIM,
    IdentificationStatus.IDENTIFIED_VICTIM,
    IdentificationStatus.NOT_IDENTIFIED,
)

# The stages shown, in order (closed_<reason> follow, one per closure reason).
STAGES = (
    "concerns",
    "cases",
    "presumed",
    "referred",
    "referred_judicial",
    "referred_platform",
    "anonymous",
    "identified",
    "not_identified",
    "supported",
    "closed",
)
# What falls out between stages: counted and protected, not shown.
GAPS = ("not_presumed_yet", "not_referred", "undecided", "still_supported")


@dataclass(frozen=True)
class Filters:
    since: datetime.date | None = None
    until: datetime.date | None = None
    territories: Iterable[int] | QuerySet[Any, Any] | None = None  # None: the whole country
    form: str = ""
    route: str = ""


def closure_keys() -> list[str]:
    return [f"closed_{reason}" for reason in ClosureReason.values]


def with_form(queryset: QuerySet[Any, Any], code: str) -> QuerySet[Any, Any]:
    """Rows whose JSON list `forms` holds `code` (containment on PostgreSQL; the quoted code in
    the JSON text on SQLite: codes are words, none inside another)."""
    if not code:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(forms__contains=[code])
    return queryset.filter(forms__icontains=f'"{code}"')


def in_period(queryset: QuerySet[Any, Any], field: str, filters: Filters) -> QuerySet[Any, Any]:
    if filters.since is not None:
        queryset = queryset.filter(**{f"{field}__gte": filters.since})
    if filters.until is not None:
        queryset = queryset.filter(**{f"{field}__lte": filters.until})
    if filters.territories is not None:
        queryset = queryset.filter(territory__in=filters.territories)
    return queryset


def counts(filters: Filters) -> dict[str, int]:
    """Every stage and gap of the funnel, raw (three queries)."""
    concerns = in_period(Concern.objects.all(), "received_at__date", filters).count()
    notifications = with_form(
        in_period(AnonymousNotification.objects.all(), "notified_on", filters), filters.form
    ).count()
    cases = with_form(in_period(Case.objects.all(), "detected_on", filters), filters.form)
    judicial = Exists(Referral.objects.filter(case=OuterRef("pk"), route=Route.JUDICIAL))
    platform = Exists(Referral.objects.filter(case=OuterRef("pk"), route=Route.PLATFORM))
    referred = {
        Route.JUDICIAL.value: Q(judicial),
        Route.PLATFORM.value: Q(platform) & ~Q(judicial),
        "": Q(judicial) | Q(platform),
    }[filters.route if filters.route in Route.values else ""]
    supported = Q(Exists(SupportRecord.objects.filter(case=OuterRef("pk")))) & referred
    in_force = SupportClosure.objects.filter(case=OuterRef("pk"), reopened_at__isnull=True)
    presumed = Q(status__in=REACHED_PRESUMED)
    closed = {
        f"closed_{reason}": Count(
            "pk", filter=presumed & supported & Q(Exists(in_force.filter(reason=reason)))
        )
        for reason in ClosureReason.values
    }
    row = cases.aggregate(
        cases=Count("pk"),
        presumed=Count("pk", filter=presumed),
        referred=Count("pk", filter=presumed & referred),
        referred_judicial=Count("pk", filter=presumed & referred & Q(judicial)),
        referred_platform=Count("pk", filter=presumed & referred & ~Q(judicial)),
        identified=Count("pk", filter=referred & Q(status=IdentificationStatus.IDENTIFIED_VICTIM)),
        not_identified=Count("pk", filter=referred & Q(status=IdentificationStatus.NOT_IDENTIFIED)),
        supported=Count("pk", filter=presumed & supported),
        **closed,
    )
    values: dict[str, int] = {"concerns": concerns, "anonymous": notifications, **row}
    values["closed"] = sum(values[key] for key in closure_keys())
    values["not_presumed_yet"] = values["cases"] - values["presumed"]
    values["not_referred"] = values["presumed"] - values["referred"]
    values["undecided"] = values["referred"] - values["identified"] - values["not_identified"]
    values["still_supported"] = values["supported"] - values["closed"]
    return values


def sums() -> list[Sum[str]]:
    """What binds the stages: each is the sum of what it splits into."""
    return [
        Sum("cases", ("presumed", "not_presumed_yet")),
        Sum("presumed", ("referred", "not_referred")),
        Sum("referred", ("referred_judicial", "referred_platform")),
        Sum("referred", ("identified", "not_identified", "undecided")),
        Sum("supported", ("closed", "still_supported")),
        Sum("closed", tuple(closure_keys())),
    ]


def protected(values: dict[str, int], *, k: int, rounding: int) -> dict[str, Cell]:
    """The stages as they may be shown outside the organisation owning the cases."""
    return protect(values, sums(), k=k, rounding=rounding)
