"""The funnel of the mechanism: concerns → cases → presumed victims → referred (by route) →
identified / not identified → supported → closed by reason, with the anonymous notifications
(adults who refused referral) beside the referrals.

Three queries whatever the filters: the concerns, the cases (every stage from a case on: the
cases grouped by status, routes, support and closure, `_case_groups`), the anonymous
notifications. The cases are
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
from django.db.models import F, QuerySet

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
    row = dict.fromkeys(
        (
            "cases",
            "presumed",
            "referred",
            "referred_judicial",
            "referred_platform",
            "identified",
            "not_identified",
            "supported",
            *closure_keys(),
        ),
        0,
    )
    route = filters.route if filters.route in Route.values else ""
    for status, judicial, platform, supported, reason, n in _case_groups(
        cases, whole_country=filters.territories is None
    ):
        referred = {
            Route.JUDICIAL.value: judicial,
            Route.PLATFORM.value: platform and not judicial,
            "": judicial or platform,
        }[route]
        presumed = status in REACHED_PRESUMED
        row["cases"] += n
        if status == IdentificationStatus.IDENTIFIED_VICTIM and referred:
            row["identified"] += n
        if status == IdentificationStatus.NOT_IDENTIFIED and referred:
            row["not_identified"] += n
        if not (presumed and referred):
            row["presumed"] += n if presumed else 0
            continue
        row["presumed"] += n
        row["referred"] += n
        row["referred_judicial" if judicial else "referred_platform"] += n
        if supported:
            row["supported"] += n
            if reason in ClosureReason.values:
                row[f"closed_{reason}"] += n
    values: dict[str, int] = {"concerns": concerns, "anonymous": notifications, **row}
    values["closed"] = sum(values[key] for key in closure_keys())
    values["not_presumed_yet"] = values["cases"] - values["presumed"]
    values["not_referred"] = values["presumed"] - values["referred"]
    values["undecided"] = values["referred"] - values["identified"] - values["not_identified"]
    values["still_supported"] = values["supported"] - values["closed"]
    return values


def _case_groups(
    cases: QuerySet[Any, Any], *, whole_country: bool
) -> list[tuple[str, bool, bool, bool, str, int]]:
    """The cases counted by status, route(s) referred by, supported or not and the reason of
    their support's closure in force, in one query (a few dozen groups). For the whole
    country, the referrals, support records and closures are each read once, grouped and
    joined (a second at 1,000,000 cases); for some départements, each case's rows are probed
    through the `case_id` indexes, so that a département's figure does not read the country's
    tables. EXISTS in the aggregate's filters probed the tables once per case and stage (1.4 s
    at 10,000 cases)."""
    named = cases.order_by().annotate(counted_id=F("pk"), counted_status=F("status"))
    case_sql, params = named.values("counted_id", "counted_status").query.sql_with_params()
    referral = Referral._meta.db_table
    record = SupportRecord._meta.db_table
    closure = SupportClosure._meta.db_table
    if whole_country:
        sql = f"""
            SELECT c.counted_status, COALESCE(r.judicial, 0), COALESCE(r.platform, 0),
                   CASE WHEN s.case_id IS NULL THEN 0 ELSE 1 END, COALESCE(cl.reason, ''),
                   COUNT(*)
            FROM ({case_sql}) c
            LEFT JOIN (
                SELECT case_id,
                       MAX(CASE WHEN route = %s THEN 1 ELSE 0 END) AS judicial,
                       MAX(CASE WHEN route = %s THEN 1 ELSE 0 END) AS platform
                FROM {referral} GROUP BY case_id
            ) r ON r.case_id = c.counted_id
            LEFT JOIN (SELECT DISTINCT case_id FROM {record}) s ON s.case_id = c.counted_id
            LEFT JOIN (
                SELECT case_id, MIN(reason) AS reason FROM {closure}
                WHERE reopened_at IS NULL GROUP BY case_id
            ) cl ON cl.case_id = c.counted_id
            GROUP BY 1, 2, 3, 4, 5
        """  # noqa: S608 (table names from the models; every value is a parameter)
    else:
        sql = f"""
            SELECT status, judicial, platform, supported, reason, COUNT(*) FROM (
                SELECT c.counted_status AS status,
                       CASE WHEN EXISTS (SELECT 1 FROM {referral} r
                           WHERE r.case_id = c.counted_id AND r.route = %s) THEN 1 ELSE 0 END
                           AS judicial,
                       CASE WHEN EXISTS (SELECT 1 FROM {referral} r
                           WHERE r.case_id = c.counted_id AND r.route = %s) THEN 1 ELSE 0 END
                           AS platform,
                       CASE WHEN EXISTS (SELECT 1 FROM {record} s
                           WHERE s.case_id = c.counted_id) THEN 1 ELSE 0 END AS supported,
                       COALESCE((SELECT MIN(cl.reason) FROM {closure} cl
                           WHERE cl.case_id = c.counted_id AND cl.reopened_at IS NULL), '')
                           AS reason
                FROM ({case_sql}) c
            ) flags
            GROUP BY 1, 2, 3, 4, 5
        """  # noqa: S608 (table names from the models; every value is a parameter)
    routes = [Route.JUDICIAL.value, Route.PLATFORM.value]
    arguments = [*params, *routes] if whole_country else [*routes, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        return [
            (status, bool(judicial), bool(platform), bool(supported), reason, n)
            for status, judicial, platform, supported, reason, n in cursor.fetchall()
        ]


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
