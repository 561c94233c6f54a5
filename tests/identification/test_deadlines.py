"""Due-soon and overdue lists: platform members, coordinators, the judicial service, and the
national coordinator (counts per département only)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.identification import actions
from opennrm.identification.models import Referral, Route
from tests.identification.conftest import (
    client_as,
    org,
    presumed_case,
    referred,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def due(referral: Referral, days: int) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(
        decision_due=TODAY + datetime.timedelta(days=days)
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def late(cast, platform93):
    """In 93: a platform case overdue, one due soon, one paused, one far off; a judicial case
    overdue. In 13: a judicial case overdue (another département)."""
    overdue = due(referred(cast, presumed_case(cast), Route.PLATFORM), -2)
    soon = due(referred(cast, presumed_case(cast), Route.PLATFORM), 3)
    paused = due(referred(cast, presumed_case(cast), Route.PLATFORM), -5)
    actions.request_information(paused, question="Fictional?", actor=platform93.actor("louis"))
    far = due(referred(cast, presumed_case(cast), Route.PLATFORM), 20)
    judicial = due(referred(cast, presumed_case(cast), Route.JUDICIAL), -1)
    police13 = org("Police 13 (fictional)", "police", "13")
    case13 = presumed_case(cast, territory=police13.territories.get())
    from opennrm.cases.enums import ConsentScope
    from opennrm.identification.services import refer
    from tests.identification.conftest import actor_for

    judicial13 = due(
        refer(
            case13,
            route=Route.JUDICIAL,
            target=police13,
            consent=case13.active_consent(ConsentScope.REFERRAL),
            actor=actor_for(cast.amina),
        ),
        -4,
    )
    return locals()


def test_querysets(late):
    overdue = set(Referral.objects.decision_overdue(TODAY))
    assert overdue == {late["overdue"], late["judicial"], late["judicial13"]}  # not the paused
    assert set(Referral.objects.decision_due_within(7, TODAY)) == {late["soon"]}


def test_a_platform_member_sees_the_cases_of_their_platform(cast, late):
    response = client_as(cast, cast.paul).get(reverse("web:identification_deadlines"))
    lists = response.context["platform_lists"]
    assert lists.overdue.items == [late["overdue"]]
    assert lists.due_soon.items == [late["soon"]]
    assert lists.paused.items == [late["paused"]]
    page = response.content.decode()
    assert late["judicial"].case.reference not in page
    assert late["far"].case.reference not in page


def test_the_coordinator_sees_the_platform_cases_and_counts_of_the_departement(cast, late):
    response = client_as(cast, cast.louis).get(reverse("web:identification_deadlines"))
    assert response.context["coordination_lists"].overdue.items == [late["overdue"]]
    rows = {row["territory"].code: row for row in response.context["coordination_counts"]}
    assert set(rows) == {"93"}
    assert rows["93"]["platform_overdue"] == 1
    assert rows["93"]["platform_due_soon"] == 1
    assert rows["93"]["judicial_overdue"] == 1
    assert rows["93"]["paused"] == 1


def test_the_judicial_service_sees_its_referrals(cast, late):
    response = client_as(cast, cast.claire).get(reverse("web:identification_deadlines"))
    assert response.context["judicial_lists"].overdue.items == [late["judicial"]]
    assert "platform_lists" not in response.context


def test_the_national_coordinator_sees_counts_per_departement_only(cast, late):
    response = client_as(cast, cast.nadia).get(reverse("web:identification_deadlines"))
    rows = {row["territory"].code: row for row in response.context["national_counts"]}
    assert rows["93"]["platform_overdue"] == 1 and rows["93"]["judicial_overdue"] == 1
    assert rows["13"]["judicial_overdue"] == 1
    page = response.content.decode()
    for key in ("overdue", "soon", "paused", "judicial", "judicial13"):
        assert late[key].case.reference not in page


def test_the_overdue_page_leaves_paused_referrals_out(cast, late):
    response = client_as(cast, cast.louis).get(reverse("web:overdue"))
    sections = {section.anchor: section for section in response.context["sections"]}
    rows = sections["overdue-referrals"].rows
    assert [row.reference for row in rows] == [late["overdue"].case.reference]


def test_a_referral_keeps_its_cases_departement_and_the_lists_select_on_it(cast, late):
    """The deadline lists and counts read pending referrals by their own département
    (Referral.territory), copied from the case when referred, without reading the cases."""
    for name in ("overdue", "soon", "paused", "far", "judicial", "judicial13"):
        referral = late[name]
        referral.refresh_from_db()
        assert referral.territory_id == referral.case.territory_id, name
    assert late["judicial13"].territory.code == "13"
    # A referral whose département differs from its case's is not listed by the case's.
    Referral.objects.filter(pk=late["overdue"].pk).update(territory=late["judicial13"].territory)
    response = client_as(cast, cast.louis).get(reverse("web:identification_deadlines"))
    listed = response.content.decode()
    assert late["overdue"].case.reference not in listed
    assert late["soon"].case.reference in listed
