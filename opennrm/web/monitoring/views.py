"""Monitoring: what is overdue or due soon (for the user's organisation, its départements, the
country), the deadlines of identification decisions, and residence outcomes per authority
(counts only)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.enums import Sex
from opennrm.cases.models import Case
from opennrm.cases.reference_data import country_names
from opennrm.core.models import Territory
from opennrm.detection.models import Concern
from opennrm.identification.access import deadline_scope
from opennrm.identification.deadlines import DUE_SOON_DAYS as DECISION_DUE_SOON_DAYS
from opennrm.identification.deadlines import deadline_queries
from opennrm.identification.models import Referral, Route
from opennrm.monitoring import indicators
from opennrm.monitoring.counts import DEADLINES, OVERDUE, counts, tables
from opennrm.monitoring.disclosure import Cell, Shown
from opennrm.monitoring.funnel import Filters, protected
from opennrm.monitoring.funnel import counts as funnel_counts
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile
from opennrm.support.access import monitoring_territories
from opennrm.support.models import (
    ClosureReason,
    ReflectionPeriod,
    RefusalReason,
    ResidenceApplication,
    ResidenceOutcome,
    residence_authority_kinds,
    residence_bases,
)
from opennrm.support.plans import orientations_overdue
from opennrm.web.acting import ActingRequest
from opennrm.web.bounded import LIMIT, Bounded, bounded, showing_all
from opennrm.web.cases.forms import form_of_exploitation_choices
from opennrm.web.exports import csv_response
from opennrm.web.monitoring.forms import FunnelFilterForm
from opennrm.web.support.forms import kinds_label

DUE_SOON_DAYS = 7
RENEWAL_NOTICE_DAYS = 60
# Permits that lapsed longer ago are no longer a renewal to make (a new application is): the
# organisation's list stays about this year's permits, not the whole history of the country's.
RENEWAL_LAPSED_DAYS = 365


@dataclass(frozen=True)
class DueRow:
    reference: str
    detail: str = ""
    day: date | None = None


@dataclass(frozen=True)
class Section:
    """One list of the page: its anchor, heading, rows, and what to say when it is empty."""

    anchor: str
    title: str
    rows: list[DueRow]
    empty: str
    ends: bool = False  # the day is when something ends, not a deadline
    more: bool = False  # cut at LIMIT rows: the page links to the whole list
    page: Any = None  # the page of the whole list, when it is shown alone


def _section(
    request: HttpRequest,
    anchor: str,
    title: str,
    queryset: Any,
    paths: tuple[str, str | None, str | None],
    empty: str,
    ends: bool = False,
) -> Section | None:
    """A section of at most LIMIT rows, or the whole list paginated (`?all=anchor`); None when
    another section is shown alone."""
    listed = bounded(request, anchor, queryset)
    if listed is None:
        return None
    return Section(
        anchor, title, _rows(listed.items, *paths), empty, ends, listed.more, listed.page
    )


def _rows(
    items: Iterable[Any], reference: str, detail: str | None, day: str | None
) -> list[DueRow]:
    """Rows from model instances: dotted attribute paths for the reference, detail and day."""

    def read(item: Any, path: str | None) -> Any:
        for name in path.split(".") if path else ():
            item = getattr(item, name)
            item = item() if callable(item) else item
        return item if path else None

    return [
        DueRow(str(read(item, reference)), str(read(item, detail) or ""), read(item, day))
        for item in items
    ]


def overdue_queries(membership: Any, today: date) -> dict[str, Any]:
    """What the overdue page lists of the organisation (and of its départements, for the
    coordinator), not yet read: the dashboard counts the same querysets."""
    organisation = membership.organisation
    lists: dict[str, Any] = {}
    if membership.can(Capability.TRIAGE):
        lists["concerns"] = Concern.objects.overdue(today).filter(
            territory__in=organisation.territories.all()
        )
    lists["assessments"] = Case.objects.filter(owner=organisation).assessment_overdue(today)
    lists["referrals"] = Referral.objects.filter(target=organisation).decision_overdue(today)
    lists["orientations"] = orientations_overdue(organisation=organisation, today=today)
    return lists


def overdue(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    organisation = membership.organisation
    today = timezone.localdate()
    triage = membership.can(Capability.TRIAGE)
    territories = organisation.territories.all()
    none_overdue = _("None overdue.")
    candidates = []
    lists = overdue_queries(membership, today)
    if triage:
        concerns = lists["concerns"].select_related("territory").order_by("triage_due", "pk")
        candidates.append(
            _section(
                request,
                "overdue-concerns",
                _("Concerns to triage"),
                concerns,
                ("reference", "territory.code", "triage_due"),
                none_overdue,
            )
        )
    cases = lists["assessments"].select_related("territory").order_by("assessment_due", "pk")
    referrals = lists["referrals"].select_related("case").order_by("decision_due", "pk")
    orientations = lists["orientations"]
    renewals = (
        ResidenceApplication.objects.for_organisation(organisation)
        .renewal_due(RENEWAL_NOTICE_DAYS, today, ended_within_days=RENEWAL_LAPSED_DAYS)
        .select_related("case")
        .order_by("valid_until", "pk")
    )
    reflection_ending = (
        ReflectionPeriod.objects.filter(case__owner=organisation)
        .ending_within(DUE_SOON_DAYS, today)
        .select_related("case")
        .order_by("ends_on", "pk")
    )
    candidates += [
        _section(
            request,
            "overdue-assessments",
            _("Preliminary assessments"),
            cases,
            ("reference", "territory.code", "assessment_due"),
            none_overdue,
        ),
        _section(
            request,
            "overdue-referrals",
            _("Identification decisions on referrals received"),
            referrals,
            ("case.reference", "get_route_display", "decision_due"),
            none_overdue,
        ),
        _section(
            request,
            "overdue-orientations",
            _("Orientations without an answer"),
            orientations,
            ("case.reference", "provider.name", "response_due"),
            none_overdue,
        ),
        _section(
            request,
            "renewals",
            _(
                "Residence permits to renew: ending within %(notice)s days, or ended less than "
                "a year ago"
            )
            % {"notice": RENEWAL_NOTICE_DAYS},
            renewals,
            ("case.reference", None, "valid_until"),
            _("None."),
            ends=True,
        ),
        _section(
            request,
            "reflection-ending",
            _("Reflection periods ending within %(due_soon_days)s days")
            % {"due_soon_days": DUE_SOON_DAYS},
            reflection_ending,
            ("case.reference", None, "ends_on"),
            _("None."),
            ends=True,
        ),
    ]
    sections = [section for section in candidates if section is not None]
    if showing_all(request) and not sections:
        raise Http404  # ?all= names no list of this page
    context: dict[str, Any] = {
        "today": today,
        "sections": sections,
        "by_territory": None,
        "showing_all": showing_all(request),
        "limit": LIMIT,
    }
    if showing_all(request):
        pass  # one list alone: no counts
    elif membership.can(Capability.NATIONAL_OVERSIGHT):
        context["by_territory"] = counts(OVERDUE)
    elif triage:
        context["by_territory"] = counts(OVERDUE, territories.values_list("pk", flat=True))
    return render(request, "web/overdue.html", context)


# Identification deadlines ---------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineListsShown:
    """The three lists of one scope, each cut or whole (None: another list is shown alone)."""

    overdue: Bounded[Referral] | None
    due_soon: Bounded[Referral] | None
    paused: Bounded[Referral] | None


def deadlines(request: ActingRequest) -> HttpResponse:
    """Decisions due soon and overdue: the member's platform, the coordinator's départements,
    the judicial service's referrals; counts per département for the national coordinator."""
    scope = deadline_scope(request.actor)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "today": today,
        "due_soon_days": DECISION_DUE_SOON_DAYS,
        "scope": scope,
    }
    shown = showing_all(request)

    def lists(prefix: str, referrals: Any) -> DeadlineListsShown | None:
        listed = {
            kind: bounded(request, f"{prefix}-{kind}", queryset)
            for kind, queryset in deadline_queries(referrals, today).items()
        }
        if all(value is None for value in listed.values()):
            return None
        return DeadlineListsShown(**listed)

    if scope.platform is not None:
        context["platform_lists"] = lists("platform", scope.platform)
    if scope.coordination is not None:
        context["coordination_lists"] = lists("coordination", scope.coordination)
        if not shown:
            context["coordination_counts"] = counts(
                DEADLINES, [territory.pk for territory in scope.territories]
            )
    if scope.judicial is not None:
        context["judicial_lists"] = lists("judicial", scope.judicial)
    if scope.national and not shown:
        context["national_counts"] = counts(DEADLINES)
    if shown and not any(
        context.get(name) for name in ("platform_lists", "coordination_lists", "judicial_lists")
    ):
        raise Http404  # ?all= names no list of this page
    context["showing_all"] = shown
    context["limit"] = LIMIT
    record(
        "identification.deadlines_read",
        actor=request.actor,
        object_type="identification.referral",
        details={
            "platform": scope.platform is not None,
            "coordination": scope.coordination is not None,
            "judicial": scope.judicial is not None,
            "national": scope.national,
        },
    )
    return render(request, "web/identification/deadlines.html", context)


# Residence outcomes ---------------------------------------------------------------------


def residence_outcomes(request: ActingRequest) -> HttpResponse:
    """Outcomes per authority and legal basis, and the reasons given for refusals. The
    authorities are the organisations of the types the profile names (France: prefectures),
    or those named in words."""
    territories = monitoring_territories(request.actor)
    labels = dict(residence_bases())
    kept = tables(("residence_outcomes", "residence_refusals"), territories)
    outcomes = kept["residence_outcomes"]
    rows = [
        {
            **row,
            "basis_label": labels.get(row["basis"], row["basis"]),
            "outcome_label": ResidenceOutcome(row["outcome"]).label,
        }
        for row in outcomes.rows
    ]
    refusals = [
        {
            **row,
            "reason_label": RefusalReason(row["refusal_reason"]).label
            if row["refusal_reason"] in RefusalReason.values
            else row["refusal_reason"],
        }
        for row in kept["residence_refusals"].rows
    ]
    record("residence.monitoring", actor=request.actor, details={"rows": len(rows)})
    return render(
        request,
        "web/support/residence_outcomes.html",
        {
            "rows": rows,
            "refusals": refusals,
            "national": territories is None,
            "authority_kinds": kinds_label(residence_authority_kinds(), ""),
            "counts": outcomes,
        },
    )


# The funnel ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelRow:
    key: str
    label: str
    depth: int  # 0: a stage; 1: what a stage splits into
    cell: Cell
    text: str  # the cell as read: a figure, "fewer than k", "hidden"
    bar: int  # the bar's width in the chart, in units of BAR_WIDTH (0: none)
    y: int = 0  # the row's top in the chart
    compared: Cell | None = None
    compared_text: str = ""


BAR_WIDTH = 480  # the longest bar, in the chart's units (its labels take 420)
ROW_HEIGHT = 30


def cell_text(cell: Cell, k: int) -> str:
    """A protected count as read: never 0 for a small count."""
    if cell.shown is Shown.SMALL:
        return _("fewer than %(k)s") % {"k": k}
    if cell.shown is Shown.SECONDARY:
        return _("hidden")
    return str(cell.value)


def _funnel_labels() -> list[tuple[str, str, int]]:
    labels = [
        ("concerns", _("Concerns received"), 0),
        ("cases", _("Cases opened (detected in the period)"), 0),
        ("presumed", _("Presumed victims"), 0),
        ("referred", _("Referred to formal identification"), 0),
        ("referred_judicial", _("by the judicial route"), 1),
        ("referred_platform", _("by the département platform only"), 1),
        ("anonymous", _("Anonymous notifications (adults who refused referral)"), 0),
        ("identified", _("Identified as victims"), 0),
        ("not_identified", _("Not identified"), 0),
        ("supported", _("Supported"), 0),
        ("closed", _("Support closed"), 0),
    ]
    labels += [
        (f"closed_{value}", str(label), 1)
        for value, label in zip(ClosureReason.values, ClosureReason.labels, strict=True)
    ]
    return labels


def funnel(request: ActingRequest) -> HttpResponse:
    """The funnel of the mechanism, counts only, protected (opennrm.monitoring.disclosure):
    the national coordinator for the whole country or a département, the local coordinator
    for their départements beside the national figure."""
    territories = monitoring_territories(request.actor)
    national = territories is None
    offered = (
        Territory.objects.filter(level__in=active_profile().local_unit_levels) if national else None
    )
    form = FunnelFilterForm(request.GET or None, territories=offered)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    chosen = data.get("territory")
    scope: Any = territories if not national else ([chosen] if chosen else None)
    criteria: dict[str, Any] = {
        "since": data.get("since_date"),
        "until": data.get("until_date"),
        "form": data.get("form") or "",
        "route": data.get("route") or "",
    }
    statistics = active_profile().statistics
    k, rounding = statistics.k, statistics.rounding
    cells = protected(funnel_counts(Filters(territories=scope, **criteria)), k=k, rounding=rounding)
    compared = (
        protected(funnel_counts(Filters(territories=None, **criteria)), k=k, rounding=rounding)
        if scope is not None
        else None
    )
    largest = max((cell.value or 0 for cell in cells.values()), default=0)
    rows = [
        FunnelRow(
            key=key,
            label=label,
            depth=depth,
            cell=cells[key],
            text=cell_text(cells[key], k),
            bar=(cells[key].value or 0) * BAR_WIDTH // largest if largest else 0,
            y=index * ROW_HEIGHT,
            compared=compared[key] if compared else None,
            compared_text=cell_text(compared[key], k) if compared else "",
        )
        for index, (key, label, depth) in enumerate(_funnel_labels())
    ]
    by_key = {row.key: row for row in rows}
    summary = _(
        "%(cases)s cases opened, %(presumed)s presumed victims, %(referred)s referred to "
        "formal identification, %(identified)s identified as victims and %(supported)s "
        "supported."
    ) % {
        name: by_key[name].text
        for name in ("cases", "presumed", "referred", "identified", "supported")
    }
    record(
        "monitoring.funnel_read",
        actor=request.actor,
        details={
            "national": national,
            "territory": chosen,
            "form": criteria["form"],
            "route": criteria["route"],
        },
    )
    return render(
        request,
        "web/monitoring/funnel.html",
        {
            "form": form,
            "rows": rows,
            "summary": summary,
            "national": national,
            "compared": compared is not None,
            "k": k,
            "rounding": rounding,
            "chart_height": ROW_HEIGHT * len(rows) + 10,
        },
    )


# The Directive indicators ------------------------------------------------------------------


def _indicator_titles() -> dict[str, str]:
    return {
        "sex": _("Victims registered, by sex"),
        "age_group": _("Victims registered, by age group"),
        "citizenship": _("Victims registered, by citizenship"),
        "form": _("Victims registered, by form of exploitation (a victim may count under several)"),
        "identified_by_route": _("Victims identified, by route"),
    }


def _category_label(name: str, key: str, forms: dict[str, str]) -> str:
    if name == "sex":
        return str(Sex(key).label) if key in Sex.values else key
    if name == "age_group":
        return _("Children") if key == "child" else _("Adults")
    if name == "citizenship":
        return _("Not known") if key == "unknown" else country_names(key.split("+"))
    if name == "form":
        return forms.get(key, key)
    return str(Route(key).label) if key in Route.values else key


def directive_indicators(request: ActingRequest) -> HttpResponse:
    """The indicators of Directive (EU) 2024/1712 for the annual return, protected; as a page
    or, with ?format=csv, as a CSV file (the same protected figures)."""
    territories = monitoring_territories(request.actor)
    national = territories is None
    form = FunnelFilterForm(
        request.GET or None, territories=Territory.objects.local_units() if national else None
    )
    del form.fields["route"]  # the routes are a breakdown here
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    chosen = data.get("territory")
    scope: Any = territories if not national else ([chosen] if chosen else None)
    filters = Filters(
        since=data.get("since_date"),
        until=data.get("until_date"),
        territories=scope,
        form=data.get("form") or "",
        route="",
    )
    statistics = active_profile().statistics
    k = statistics.k
    forms = dict(form_of_exploitation_choices())
    titles = _indicator_titles()
    tables = []
    for breakdown in indicators.breakdowns(filters, list(forms)):
        cells, total = indicators.protected(breakdown, k=k, rounding=statistics.rounding)
        tables.append(
            {
                "name": breakdown.name,
                "title": titles[breakdown.name],
                "rows": [
                    (_category_label(breakdown.name, key, forms), cell_text(cell, k))
                    for key, cell in cells.items()
                ],
                "total": cell_text(total, k),
            }
        )
    as_csv = request.GET.get("format") == "csv"
    record(
        "monitoring.indicators_read",
        actor=request.actor,
        details={"national": national, "territory": chosen, "csv": as_csv},
    )
    if as_csv:
        return csv_response(
            "directive-indicators",
            [_("Indicator"), _("Category"), _("Count")],
            [
                *(
                    (table["title"], label, text)
                    for table in tables
                    for label, text in [*table["rows"], (_("Total"), table["total"])]
                )
            ],
        )
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "web/monitoring/indicators.html",
        {
            "form": form,
            "tables": tables,
            "national": national,
            "k": k,
            "rounding": statistics.rounding,
            "csv_query": query.urlencode(),
        },
    )
