"""The Directive indicators (opennrm.monitoring.indicators) and their page and CSV export:
protected figures, three queries per page whatever the cases."""

import pytest
from django.urls import reverse

from opennrm.identification.models import Route
from opennrm.monitoring.disclosure import Shown
from opennrm.monitoring.funnel import Filters
from opennrm.monitoring.indicators import breakdowns, protected
from tests.factories import CaseFactory
from tests.identification.conftest import presumed_case, referred

pytestmark = pytest.mark.django_db


@pytest.fixture
def victims(cast):
    """13 presumed victims in 93: 12 women of Nigerian nationality, one man without one; a
    case still under assessment (not a victim registered)."""
    for _index in range(12):
        CaseFactory(
            status="presumed_victim",
            owner=cast.association,
            person__sex="female",
            person__nationalities=["NG"],
        )
    CaseFactory(
        status="presumed_victim",
        owner=cast.association,
        person__sex="male",
        person__nationalities=[],
    )
    CaseFactory(owner=cast.association)


def test_breakdowns_in_three_queries(victims, django_assert_num_queries):
    with django_assert_num_queries(3):
        tables = {b.name: b for b in breakdowns(Filters(), ["forced_labour", "slavery"])}
    assert tables["sex"].values == {"female": 12, "male": 1}
    assert tables["sex"].total == 13
    assert tables["age_group"].values == {"adult": 13, "child": 0}
    assert tables["citizenship"].values == {"NG": 12, "unknown": 1}
    assert tables["form"].values == {"forced_labour": 13, "slavery": 0}
    assert tables["identified_by_route"].values == {"judicial": 0, "platform": 0}


def test_a_lone_small_category_is_not_given_back_by_the_total(victims):
    sex = next(b for b in breakdowns(Filters(), []) if b.name == "sex")
    cells, total = protected(sex, k=11, rounding=1)
    assert cells["male"].shown is Shown.SMALL
    # 13 − 12 would tell the one man: the total or the women go too.
    assert total.hidden or cells["female"].hidden


def test_the_page_and_its_csv(cast, victims):
    referred(cast, presumed_case(cast), Route.JUDICIAL)
    client = cast.client_for(cast.nadia)
    page = client.get(reverse("web:monitoring_indicators"))
    assert page.status_code == 200
    assert "route" not in page.context["form"].fields
    export = client.get(reverse("web:monitoring_indicators"), {"format": "csv"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert ",0\r\n" not in text and ",0\n" not in text  # never 0 for a small count
    assert "Nigeria" in text or "Nigéria" in text


def test_local_coordinator_only_and_others_404(cast, victims):
    assert cast.client_for(cast.louis).get(reverse("web:monitoring_indicators")).status_code == 200
    for user in (cast.amina, cast.ines, cast.yasmine):
        response = cast.client_for(user).get(reverse("web:monitoring_indicators"))
        assert response.status_code == 404


@pytest.mark.parametrize(("persona", "queries"), [("nadia", 10), ("louis", 9)])
def test_queries_are_pinned(cast, victims, django_assert_num_queries, persona, queries):
    client = cast.client_for(getattr(cast, persona))
    client.get(reverse("web:monitoring_indicators"))
    with django_assert_num_queries(queries):
        client.get(reverse("web:monitoring_indicators"))
    CaseFactory(status="presumed_victim", owner=cast.association, person__nationalities=["FR"])
    with django_assert_num_queries(queries):
        client.get(reverse("web:monitoring_indicators"))


def test_no_victim_at_all_gives_a_page(cast):
    page = cast.client_for(cast.nadia).get(reverse("web:monitoring_indicators"))
    assert page.status_code == 200
