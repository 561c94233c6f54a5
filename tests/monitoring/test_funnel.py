"""The funnel (opennrm.monitoring.funnel) and its page: counts in three queries, protected by
disclosure control, for the national and the local coordinator only."""

import pytest
from django.urls import reverse

from opennrm.core.models import Territory
from opennrm.identification.models import Route
from opennrm.monitoring.disclosure import Shown, determined
from opennrm.monitoring.funnel import Filters, counts, protected, sums
from tests.factories import CaseFactory
from tests.identification.conftest import presumed_case, referred

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(cast):
    """In 93: 12 presumed victims not referred, 2 referred by the judicial route, 2 cases
    still under assessment."""
    for _index in range(12):
        CaseFactory(status="presumed_victim", owner=cast.association)
    for _index in range(2):
        CaseFactory(owner=cast.association)
    for _index in range(2):
        referred(cast, presumed_case(cast), Route.JUDICIAL)


def test_every_stage_is_counted_in_three_queries(population, django_assert_num_queries):
    with django_assert_num_queries(3):
        values = counts(Filters())
    assert values["cases"] == 16
    assert values["presumed"] == 14
    assert values["referred"] == values["referred_judicial"] == 2
    assert values["referred_platform"] == 0
    assert values["not_referred"] == 12
    assert values["identified"] == values["supported"] == values["closed"] == 0


def test_filters_narrow_the_cases(population):
    assert counts(Filters(form="sexual_exploitation"))["cases"] == 0
    assert counts(Filters(form="forced_labour"))["cases"] == 16
    other = Territory.objects.get(code="13")
    assert counts(Filters(territories=[other.pk]))["cases"] == 0
    assert counts(Filters(route=Route.PLATFORM))["referred"] == 0
    assert counts(Filters(route=Route.JUDICIAL))["referred"] == 2


def test_small_stages_are_hidden_and_cannot_be_worked_out(population):
    cells = protected(counts(Filters()), k=11, rounding=5)
    assert cells["referred"].shown is Shown.SMALL
    assert cells["not_presumed_yet"].shown is Shown.SMALL  # 2 still under assessment
    # cases − presumed victims would give those 2 back: the smaller of the two is hidden.
    assert cells["presumed"].shown is Shown.SECONDARY
    assert cells["cases"].value == 15  # 16, rounded
    hidden = [key for key, cell in cells.items() if cell.hidden]
    assert determined(hidden, sums()) == []
    assert all(cell.value != 0 for cell in cells.values())


def test_the_page_for_the_national_coordinator(cast, population):
    page = cast.client_for(cast.nadia).get(reverse("web:monitoring_funnel"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "fewer than 11" in html or "moins de 11" in html
    assert "<svg" in html and 'style="' not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert not page.context["compared"]
    rows = {row.key: row for row in page.context["rows"]}
    assert rows["cases"].text == "15"
    assert rows["presumed"].text in ("hidden", "masqué")
    assert rows["referred"].cell.shown is Shown.SMALL
    for case_reference in ("C-",):
        assert case_reference not in html.split('id="funnel"', 1)[1]


def test_the_national_coordinator_filters_by_departement(cast, population):
    other = Territory.objects.get(code="13")
    page = cast.client_for(cast.nadia).get(
        reverse("web:monitoring_funnel"),
        {"territory": other.pk, "form": "forced_labour", "route": "judicial"},
    )
    assert page.status_code == 200
    rows = {row.key: row for row in page.context["rows"]}
    assert rows["cases"].cell.shown is Shown.SMALL  # nothing in 13
    assert page.context["compared"]  # beside the whole country
    assert rows["cases"].compared_text == "15"


def test_the_local_coordinator_sees_their_departement_beside_the_country(cast, population):
    page = cast.client_for(cast.louis).get(reverse("web:monitoring_funnel"))
    assert page.status_code == 200
    assert "territory" not in page.context["form"].fields
    assert page.context["compared"]


def test_others_get_404(cast):
    for user in (cast.amina, cast.ines, cast.yasmine, cast.hugo):
        response = cast.client_for(user).get(reverse("web:monitoring_funnel"))
        assert response.status_code == 404


def test_an_inverted_period_is_refused_and_counts_everything(cast, population):
    page = cast.client_for(cast.nadia).get(
        reverse("web:monitoring_funnel"), {"since": "2026-12", "until": "2026-01"}
    )
    assert page.status_code == 200
    assert page.context["form"].errors


@pytest.mark.parametrize(("persona", "queries"), [("nadia", 10), ("louis", 12)])
def test_queries_are_pinned(cast, population, django_assert_num_queries, persona, queries):
    """The header's own, the départements offered (national), three queries per scope (the
    local coordinator's and the country's), the audit entry; more cases change nothing."""
    client = cast.client_for(getattr(cast, persona))
    client.get(reverse("web:monitoring_funnel"))  # the session warmed
    with django_assert_num_queries(queries):
        client.get(reverse("web:monitoring_funnel"))
    referred(cast, presumed_case(cast), Route.JUDICIAL)
    CaseFactory(owner=cast.association)
    with django_assert_num_queries(queries):
        client.get(reverse("web:monitoring_funnel"))
