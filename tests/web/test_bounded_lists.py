"""Lists cut at their most urgent items, with a link to each whole list, paginated: nothing is
cut silently, and showing a list whole changes nothing to who may see it."""

import datetime

import pytest
from django.utils import timezone

from opennrm.cases.models import Case
from opennrm.web.bounded import LIMIT
from tests.factories import CaseFactory, ConcernFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_late(cast):
    today = timezone.localdate()
    cases = [CaseFactory(owner=cast.association) for _ in range(LIMIT + 5)]
    for n, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(
            assessment_due=today - datetime.timedelta(days=n + 1)
        )
    ConcernFactory(triage_due=today - datetime.timedelta(days=1))
    return [case.reference for case in cases]


def test_a_long_list_shows_its_most_urgent_and_links_to_the_rest(cast, many_late):
    response = cast.client_for(cast.amina).get("/overdue/")
    section = next(s for s in response.context["sections"] if s.anchor == "overdue-assessments")
    assert len(section.rows) == LIMIT and section.more
    # the oldest deadline first: the last five made are the most overdue
    assert [row.reference for row in section.rows[:5]] == many_late[::-1][:5]
    page = response.content.decode()
    assert "?all=overdue-assessments" in page
    assert f"Les {LIMIT} plus urgents sont affichés." in page


def test_see_all_shows_that_list_alone_paginated(cast, many_late):
    client = cast.client_for(cast.amina)
    first = client.get("/overdue/?all=overdue-assessments")
    assert [s.anchor for s in first.context["sections"]] == ["overdue-assessments"]
    assert first.context["by_territory"] is None
    section = first.context["sections"][0]
    assert section.page.paginator.count == LIMIT + 5 and not section.more
    second = client.get("/overdue/?all=overdue-assessments&page=2")
    rows = second.context["sections"][0].rows
    assert len(rows) == 5
    shown = [r.reference for r in section.rows] + [r.reference for r in rows]
    assert sorted(shown) == sorted(many_late)
    assert "all=overdue-assessments&amp;page=2" in first.content.decode()


def test_an_unknown_list_is_not_found(cast, many_late):
    client = cast.client_for(cast.amina)
    assert client.get("/overdue/?all=nothing-of-the-kind").status_code == 404
    assert client.get("/identification/deadlines/?all=platform-overdue").status_code == 404


def test_showing_a_list_whole_gives_an_outsider_nothing(cast, many_late):
    page = cast.client_for(cast.yasmine).get("/overdue/?all=overdue-assessments")
    if page.status_code == 200:
        assert not any(reference in page.content.decode() for reference in many_late)
    else:
        assert page.status_code == 404
    assert cast.client_for(None).get("/overdue/?all=overdue-assessments").status_code == 302


def test_the_audit_viewer_counts_up_to_a_cap_and_says_so(cast, monkeypatch):
    from opennrm.audit.trail import record
    from opennrm.web.bounded import BoundedCountPaginator

    monkeypatch.setattr(BoundedCountPaginator, "cap", 30)
    for n in range(40):
        record("test.filler", details={"n": n})
    client = cast.client_for(cast.robert)
    response = client.get("/audit/")
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.count == 31
    assert paginator.num_pages == -(-30 // paginator.per_page)
    page = response.content.decode()
    assert "Plus de 30 entrées" in page
    assert "Seules les 30 entrées les plus récentes" in page
    narrowed = client.get("/audit/?object_id=none")
    assert not narrowed.context["page"].paginator.capped
