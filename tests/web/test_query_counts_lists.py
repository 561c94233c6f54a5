"""The lists a caseworker opens every day run a pinned number of queries, and it does not grow
with the data: more cases owned, shared, overdue, closed and retired; more concerns. The case
list is read a page at a time (VisibleCaseList) and shows the same cases as `visible_cases`,
in the same order."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from opennrm.cases.access import VisibleCaseList, visible_cases
from opennrm.cases.enums import IdentificationStatus, ShareReason
from opennrm.cases.models import Case, CaseShare
from opennrm.monitoring.counts import refresh
from opennrm.privacy.models import CaseRetention, RetentionStage
from tests.acting import actor_for
from tests.factories import CaseFactory, ConcernFactory

# The header's count of unread notifications, on every signed-in page (one query).
HEADER = 1

GROWTH = 30


def _grow(cast, n: int = GROWTH) -> None:
    today = timezone.localdate()
    for i in range(n):
        owned = CaseFactory(owner=cast.association)
        if i % 3 == 0:  # overdue assessment
            Case.objects.filter(pk=owned.pk).update(
                assessment_due=today - datetime.timedelta(days=1 + i)
            )
        if i % 5 == 0:
            Case.objects.filter(pk=owned.pk).update(status=IdentificationStatus.PRESUMED_VICTIM)
        if i % 7 == 0:
            CaseRetention.objects.create(case=owned, stage=RetentionStage.ARCHIVED)
        elsewhere = CaseFactory(owner=cast.other_association)
        reason = ShareReason.ORIENTATION if i % 4 == 0 else ShareReason.COORDINATION
        CaseShare.objects.create(case=elsewhere, organisation=cast.association, reason=reason)
        CaseShare.objects.create(
            case=elsewhere, organisation=cast.louis.memberships.get().organisation, reason=reason
        )
        ConcernFactory(triage_due=today - datetime.timedelta(days=i % 3))


# (persona, URL, queries). Signed-in pages include the session, the user, the memberships and the
# MFA check. The case list then reads its search form's territories and organisations, counts
# and reads the head of each source of visibility (owned, shared), reads the page's cases and
# writes its audit entry. The concerns list reads its search form's territories.
LISTS = [
    ("amina", "/cases/", 12),
    ("amina", "/cases/?page=2", 12),
    ("amina", f"/cases/?status={IdentificationStatus.PRESUMED_VICTIM}", 12),
    ("amina", "/cases/?overdue=on", 12),
    ("amina", "/cases/?territory=93&form=forced_labour", 12),
    ("louis", "/cases/", 12),
    ("louis", "/concerns/", 7),
    ("louis", "/concerns/?territory=93&status=new", 8),
    ("amina", "/overdue/", 9),
    ("louis", "/overdue/", 16),
    ("nadia", "/overdue/", 15),
]


@pytest.mark.parametrize(
    ("persona", "url", "queries"), LISTS, ids=[f"{p}-{u}" for p, u, _ in LISTS]
)
def test_list_queries_are_pinned_and_constant(
    cast, django_assert_num_queries, persona, url, queries
):
    _grow(cast, 12)  # something of each kind on the page
    client = cast.client_for(getattr(cast, persona))
    assert client.get(url).status_code == 200  # warm up
    with django_assert_num_queries(queries + HEADER):
        assert client.get(url).status_code == 200
    _grow(cast)
    with django_assert_num_queries(queries + HEADER):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["amina", "louis", "nadia", "yasmine"])
def test_visible_case_list_pages_are_the_visible_cases_in_order(cast, persona):
    _grow(cast)
    actor = actor_for(getattr(cast, persona))
    expected = list(visible_cases(actor).order_by("-opened_at", "-pk").values_list("pk", flat=True))
    listed = VisibleCaseList(actor)
    assert listed.count() == len(expected)
    paginator = Paginator(listed, 7)
    seen = [case.pk for number in paginator.page_range for case in paginator.page(number)]
    assert seen == expected


def test_the_filters_refine_every_source(cast):
    _grow(cast)
    actor = actor_for(cast.amina)
    today = timezone.localdate()
    expected = set(visible_cases(actor).assessment_overdue(today).values_list("pk", flat=True))
    listed = VisibleCaseList(actor, refine=lambda cases: cases.assessment_overdue(today))
    assert expected
    assert {case.pk for case in listed[0 : listed.count()]} == expected


# With the counts per département kept by the job (opennrm.monitoring.counts): one query reads
# them instead of a count per measure.
KEPT = [
    ("louis", "/overdue/", 12),
    ("nadia", "/overdue/", 11),
    # 12: Louis holds no seat on a platform here, so the platform lists cost no query
    ("louis", "/identification/deadlines/", 12),
    ("nadia", "/identification/deadlines/", 7),
]


@pytest.mark.parametrize(("persona", "url", "queries"), KEPT, ids=[f"{p}-{u}" for p, u, _ in KEPT])
def test_pages_reading_kept_counts_are_pinned(
    cast, django_assert_num_queries, persona, url, queries
):
    _grow(cast, 12)
    refresh()
    client = cast.client_for(getattr(cast, persona))
    assert client.get(url).status_code == 200
    with django_assert_num_queries(queries + HEADER):
        response = client.get(url)
    assert response.status_code == 200
    assert (
        response.context[
            "by_territory"
            if "overdue" in url
            else "national_counts"
            if persona == "nadia"
            else "coordination_counts"
        ].counted_at
        is not None
    )
    _grow(cast)
    refresh()
    with django_assert_num_queries(queries + HEADER):
        assert client.get(url).status_code == 200


def test_the_case_list_counts_up_to_a_cap_and_says_so(cast, monkeypatch):
    monkeypatch.setattr(VisibleCaseList, "COUNT_CAP", 5)
    _grow(cast, 12)
    response = cast.client_for(cast.amina).get("/cases/")
    listed = response.context["page"].paginator.object_list
    assert listed.capped and listed.count() == 6
    assert "Plus de 5 cas, les plus récents d’abord" in response.content.decode()
    assert len(response.context["rows"]) == 6  # the pages still list what was counted
