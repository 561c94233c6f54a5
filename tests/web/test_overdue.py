import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opennrm.identification.models import Referral
from opennrm.support.models import ReflectionPeriod
from tests.factories import CaseFactory, ConcernFactory

pytestmark = pytest.mark.django_db

PAST = timezone.localdate() - datetime.timedelta(days=3)
FUTURE = timezone.localdate() + datetime.timedelta(days=3)


@pytest.fixture
def late(cast):
    """One overdue item of each kind in 93, one in 13, and items still on time."""
    overdue_case = CaseFactory(owner=cast.association, assessment_due=PAST)
    CaseFactory(owner=cast.association, assessment_due=FUTURE)
    CaseFactory(
        owner=cast.other_association,
        assessment_due=PAST,
        territory=cast.other_association.territories.get(),
    )
    concern = ConcernFactory(triage_due=PAST)
    ConcernFactory(triage_due=FUTURE)
    referred = CaseFactory(owner=cast.association, status="presumed_victim")
    referral = Referral.objects.create(
        case=referred,
        route="judicial",
        target=cast.police,
        referred_by=cast.amina,
        referring_organisation=cast.association,
        decision_due=PAST,
    )
    ReflectionPeriod.objects.create(
        case=referred, starts_on=PAST - datetime.timedelta(days=25), ends_on=FUTURE
    )
    return {"case": overdue_case, "concern": concern, "referral": referral, "referred": referred}


def test_organisation_sees_its_own_overdue_steps(cast, late):
    page = cast.client_for(cast.amina).get("/overdue/").content.decode()
    assert late["case"].reference in page
    assert late["referred"].reference in page  # reflection period ending soon
    assert late["concern"].reference not in page  # triage is the coordinator's


def test_judicial_service_sees_overdue_decisions_on_referrals_it_received(cast, late):
    page = cast.client_for(cast.claire).get("/overdue/").content.decode()
    assert late["referred"].reference in page
    assert late["case"].reference not in page


def test_coordinator_sees_overdue_concerns_and_counts_of_its_departement(cast, late):
    response = cast.client_for(cast.louis).get("/overdue/")
    page = response.content.decode()
    assert late["concern"].reference in page
    rows = {row["territory"].code: row for row in response.context["by_territory"]}
    assert rows["93"] == {
        "territory": rows["93"]["territory"],
        "concerns": 1,
        "cases": 1,
        "referrals": 1,
        "orientations": 0,
    }
    assert "13" not in rows


def test_national_coordinator_sees_counts_for_every_departement_but_no_reference(cast, late):
    response = cast.client_for(cast.nadia).get("/overdue/")
    rows = {row["territory"].code: row for row in response.context["by_territory"]}
    assert rows["93"]["cases"] == 1 and rows["13"]["cases"] == 1
    assert late["case"].reference not in response.content.decode()


def test_outsider_sees_nothing_of_another_departement(cast, late):
    page = cast.client_for(cast.yasmine).get("/overdue/").content.decode()
    for item in (late["case"], late["referred"]):
        assert item.reference not in page
    assert late["concern"].reference not in page


def test_anonymous_is_sent_to_login(client):
    response = client.get("/overdue/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_query_count_does_not_grow_with_data(cast, late, django_assert_num_queries):
    client = cast.client_for(cast.louis)
    client.get("/overdue/")  # warm caches (session, profile)
    with CaptureQueriesContext(connection) as first:
        client.get("/overdue/")
    for _ in range(10):
        CaseFactory(owner=cast.coordination, assessment_due=PAST)
        ConcernFactory(triage_due=PAST)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/overdue/")
