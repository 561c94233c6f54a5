"""The directory of services, and providers keeping their own capacity current."""

import pytest
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import TransitionError
from opennrm.support import providers as directory
from opennrm.support.models import STALE_CAPACITY_DAYS, Service, ServiceType
from tests.support.conftest import acting, client_for, days_ago, service, territory

pytestmark = pytest.mark.django_db


def test_a_provider_adds_its_accommodation_with_its_places(cast):
    created = directory.create_service(
        acting(cast.ines),
        organisation=cast.accommodation,
        territories=[territory("93")],
        name="Shelter 93 — house B",
        service_type=ServiceType.ACCOMMODATION,
        accepts_adults=True,
        trained_staff=True,
        places_total=12,
    )
    assert (created.places_total, created.places_free) == (12, 12)
    assert created.capacity_updated_by == cast.ines
    assert not created.is_capacity_stale()
    assert AuditEntry.objects.filter(action="service.create", object_id=str(created.pk)).exists()


def test_a_service_serves_somewhere(cast):
    with pytest.raises(TransitionError):
        directory.create_service(
            acting(cast.ines),
            organisation=cast.accommodation,
            territories=[],
            name="Nowhere",
            service_type=ServiceType.HEALTH,
        )


def test_capacity_is_confirmed_and_audited(cast):
    shelter = service(cast.accommodation, capacity_updated_at=days_ago(10))
    assert shelter.is_capacity_stale()
    assert shelter in Service.objects.capacity_stale()
    directory.update_capacity(shelter, acting(cast.ines), places_total=10, places_free=4)
    assert (shelter.places_free, shelter.is_capacity_stale()) == (4, False)
    assert shelter not in Service.objects.capacity_stale()
    entry = AuditEntry.objects.get(action="service.capacity", object_id=str(shelter.pk))
    assert entry.details["places_free"] == 4
    with pytest.raises(TransitionError):
        directory.update_capacity(shelter, acting(cast.ines), places_total=3, places_free=4)


def test_stale_after_a_week(cast):
    fresh = service(cast.accommodation, capacity_updated_at=days_ago(STALE_CAPACITY_DAYS - 1))
    stale = service(cast.accommodation, capacity_updated_at=days_ago(STALE_CAPACITY_DAYS))
    assert not fresh.is_capacity_stale()
    assert stale.is_capacity_stale()


def test_the_provider_admin_page_flags_stale_capacity_and_updates_it(cast):
    shelter = service(cast.accommodation, capacity_updated_at=days_ago(9))
    client = client_for(cast.ines)
    page = client.get(reverse("web:services_mine"))
    assert page.status_code == 200
    assert 'id="stale-warning"' in page.content.decode()
    response = client.post(
        reverse("web:service_capacity", args=[shelter.pk]),
        {f"s{shelter.pk}-places_total": 10, f"s{shelter.pk}-places_free": 6},
    )
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.places_free == 6
    assert 'id="stale-warning"' not in client.get(reverse("web:services_mine")).content.decode()


def test_only_the_provider_keeps_its_capacity(cast):
    shelter = service(cast.accommodation)
    for outsider in (cast.yasmine, cast.amina, cast.louis):
        response = client_for(outsider).post(
            reverse("web:service_capacity", args=[shelter.pk]),
            {f"s{shelter.pk}-places_total": 10, f"s{shelter.pk}-places_free": 10},
        )
        assert response.status_code == 404
        assert (
            client_for(outsider).get(reverse("web:service_edit", args=[shelter.pk])).status_code
            == 404
        )
    shelter.refresh_from_db()
    assert shelter.places_free == 3


def test_the_national_coordinator_manages_every_service(cast):
    shelter = service(cast.accommodation)
    response = client_for(cast.nadia).get(reverse("web:service_edit", args=[shelter.pk]))
    assert response.status_code == 200


def test_creating_and_editing_through_the_pages(cast):
    client = client_for(cast.ines)
    response = client.post(
        reverse("web:service_create"),
        {
            "organisation": cast.accommodation.pk,
            "name": "Night shelter 93",
            "service_type": ServiceType.ACCOMMODATION,
            "territories": [territory("93").pk],
            "accepts_adults": "on",
            "gender_policy": "any",
            "places_total": 4,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Service.objects.get(name="Night shelter 93")
    assert created.places_free == 4
    response = client.post(
        reverse("web:service_edit", args=[created.pk]),
        {
            "name": "Night shelter 93",
            "service_type": ServiceType.ACCOMMODATION,
            "territories": [territory("93").pk],
            "accepts_adults": "on",
            "accepts_children": "on",
            "gender_policy": "any",
            "active": "on",
        },
    )
    assert response.status_code == 200  # refused: adults and children together
    assert "except parents with their children" in response.content.decode()


def test_the_directory_lists_services_by_type_territory_and_audience(cast):
    service(cast.accommodation, name="Adults 93")
    service(cast.accommodation, name="Children 93", accepts_adults=False, accepts_children=True)
    service(cast.accommodation, name="Far away", territories=[territory("13")])
    client = client_for(cast.yasmine)  # any member reads the directory
    page = client.get(reverse("web:services"), {"territory": "93", "audience": "children"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Children 93" in text
    assert "Adults 93" not in text
    assert "Far away" not in text
