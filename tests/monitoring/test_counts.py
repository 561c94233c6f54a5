"""Counts per département: kept by the job, read by the pages while fresh, counted live
otherwise; the same figures either way."""

import datetime

import pytest
from django.utils import timezone

from opennrm.cases.models import Case
from opennrm.core.models import Territory
from opennrm.monitoring import counts as monitoring
from opennrm.monitoring.models import TerritoryCount
from opennrm.monitoring.tasks import refresh_counts
from tests.factories import CaseFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _overdue_world(cast) -> None:
    today = timezone.localdate()
    for code, n in (("93", 3), ("13", 2)):
        territory = Territory.objects.get(code=code)
        for i in range(n):
            ConcernFactory(territory=territory, triage_due=today - datetime.timedelta(days=1 + i))
            case = CaseFactory(owner=cast.association, territory=territory)
            Case.objects.filter(pk=case.pk).update(
                assessment_due=today - datetime.timedelta(days=2)
            )


def _as_dict(result: monitoring.Counts) -> dict[str, dict[str, int]]:
    return {
        row["territory"].code: {k: v for k, v in row.items() if k != "territory"} for row in result
    }


def test_kept_counts_are_the_live_counts(cast):
    _overdue_world(cast)
    live = monitoring.counts(monitoring.OVERDUE)
    assert live.counted_at is None
    assert _as_dict(live)["93"] == {"concerns": 3, "cases": 3, "referrals": 0, "orientations": 0}
    assert _as_dict(live)["13"]["concerns"] == 2
    assert refresh_counts.call() > 0  # the job, run as the worker runs it
    kept = monitoring.counts(monitoring.OVERDUE)
    assert kept.counted_at is not None
    assert _as_dict(kept) == _as_dict(live)
    t93 = Territory.objects.filter(code="93").values_list("pk", flat=True)
    assert set(_as_dict(monitoring.counts(monitoring.OVERDUE, t93))) == {"93"}


def test_a_second_run_replaces_every_count(cast):
    _overdue_world(cast)
    monitoring.refresh()
    first = TerritoryCount.objects.count()
    ConcernFactory(triage_due=timezone.localdate() - datetime.timedelta(days=3))
    monitoring.refresh()
    assert TerritoryCount.objects.count() == first  # the same rows, counted again
    assert _as_dict(monitoring.counts(monitoring.OVERDUE))["93"]["concerns"] == 4


def test_stale_counts_are_not_shown_the_page_counts_live(cast):
    _overdue_world(cast)
    monitoring.refresh(now=timezone.now() - monitoring.FRESH_FOR - datetime.timedelta(minutes=1))
    ConcernFactory(triage_due=timezone.localdate() - datetime.timedelta(days=3))
    result = monitoring.counts(monitoring.OVERDUE)
    assert result.counted_at is None
    assert _as_dict(result)["93"]["concerns"] == 4


def test_pages_say_when_they_were_counted(cast):
    _overdue_world(cast)
    client = cast.client_for(cast.nadia)
    page = client.get("/overdue/")  # in French, the profile's language
    assert page.context["by_territory"].counted_at is None
    assert "Compté à l’instant." in page.content.decode()
    monitoring.refresh()
    page = client.get("/overdue/")
    assert page.context["by_territory"].counted_at is not None
    assert "les chiffres sont actualisés toutes les 5 minutes" in page.content.decode()
    deadlines = client.get("/identification/deadlines/")
    assert deadlines.context["national_counts"].counted_at is not None
