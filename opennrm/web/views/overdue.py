"""What is overdue or due soon: for the user's organisation, its départements, the country."""

from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from opennrm.cases.models import Case
from opennrm.core.models import Territory
from opennrm.detection.models import Concern
from opennrm.identification.models import Referral
from opennrm.profiles.capabilities import Capability
from opennrm.support.models import Orientation, ReflectionPeriod, ResidenceApplication
from opennrm.support.plans import orientations_overdue

DUE_SOON_DAYS = 7
RENEWAL_NOTICE_DAYS = 60


def _counts_by_territory(territories: Any | None) -> list[dict[str, Any]]:
    """Overdue items per département (counts only: the national view is pseudonymised)."""
    today = timezone.localdate()
    concerns = Concern.objects.overdue(today)
    cases = Case.objects.assessment_overdue(today)
    referrals = Referral.objects.decision_overdue(today)
    if territories is not None:
        concerns = concerns.filter(territory__in=territories)
        cases = cases.filter(territory__in=territories)
        referrals = referrals.filter(case__territory__in=territories)
    orientations = Orientation.objects.overdue(today)
    if territories is not None:
        orientations = orientations.in_territories(territories)
    table: dict[int, dict[str, int]] = defaultdict(
        lambda: {"concerns": 0, "cases": 0, "referrals": 0, "orientations": 0}
    )
    for key, queryset, field in (
        ("concerns", concerns, "territory"),
        ("cases", cases, "territory"),
        ("referrals", referrals, "case__territory"),
        ("orientations", orientations, "case__territory"),
    ):
        for row in queryset.values(field).annotate(n=Count("pk")):
            table[row[field]][key] = row["n"]
    names = Territory.objects.in_bulk(list(table))
    return [
        {"territory": names[pk], **counts}
        for pk, counts in sorted(table.items(), key=lambda item: names[item[0]].code)
    ]


def overdue(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    organisation = membership.organisation
    today = timezone.localdate()
    triage = membership.can(Capability.TRIAGE)
    territories = organisation.territories.all()
    context: dict[str, Any] = {
        "today": today,
        "due_soon_days": DUE_SOON_DAYS,
        "cases": Case.objects.filter(owner=organisation)
        .assessment_overdue(today)
        .select_related("territory")
        .order_by("assessment_due"),
        "referrals": Referral.objects.filter(target=organisation)
        .decision_overdue(today)
        .select_related("case")
        .order_by("decision_due"),
        "reflection_ending": ReflectionPeriod.objects.filter(case__owner=organisation)
        .ending_within(DUE_SOON_DAYS, today)
        .select_related("case")
        .order_by("ends_on"),
        "concerns": (
            Concern.objects.overdue(today)
            .filter(territory__in=territories)
            .select_related("territory")
            .order_by("triage_due")
            if triage
            else Concern.objects.none()
        ),
        "show_concerns": triage,
        "orientations": orientations_overdue(organisation=organisation, today=today),
        "renewals": ResidenceApplication.objects.for_organisation(organisation)
        .renewal_due(RENEWAL_NOTICE_DAYS, today)
        .select_related("case")
        .order_by("pk"),
        "by_territory": None,
    }
    if membership.can(Capability.NATIONAL_OVERSIGHT):
        context["by_territory"] = _counts_by_territory(None)
    elif triage:
        context["by_territory"] = _counts_by_territory(territories)
    return render(request, "web/overdue.html", context)
