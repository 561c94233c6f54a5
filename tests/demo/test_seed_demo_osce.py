"""The demo under the OSCE model profile: every persona, with the same journey, in the model
State's own territories and organisation types (issue 17, point 8)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from opennrm.cases.models import Case
from opennrm.core.models import Membership, Organisation, User
from opennrm.demo.personas import DEMO_PERSONS, PERSONAS, PLATFORM_93
from opennrm.identification.models import PlatformMember
from opennrm.profiles.loader import active_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def osce_seeded(settings):
    settings.DEMO_MODE = True
    settings.OPENNRM_PROFILE = "osce"
    settings.OPENNRM_REQUIRE_MFA = False  # as in the demo
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_runs_under_the_osce_profile_with_every_persona(osce_seeded):
    profile = active_profile()
    kinds = {kind.code for kind in profile.organisation_types}
    assert set(Organisation.objects.values_list("kind", flat=True)) <= kinds
    assert not Organisation.objects.filter(territories__code="93").exists()
    for persona in PERSONAS:
        user = User.objects.get(email=persona.email)
        memberships = Membership.objects.filter(user=user, is_active=True)
        assert memberships.count() == 1 + len(persona.also), persona.email
        for membership in memberships:
            role = profile.role(membership.role)
            assert role is not None
            assert role.allowed_for(membership.organisation.kind), persona.email
    assert Case.objects.filter(reference__in=DEMO_PERSONS).count() == len(DEMO_PERSONS)
    local_units = list(Case.objects.values_list("territory__code", flat=True).distinct())
    assert all(code.startswith("P") for code in local_units)
    seats = PlatformMember.objects.active().filter(platform__territory__code="P1-D1")
    assert seats.count() == len(PLATFORM_93)


def test_seed_demo_under_the_osce_profile_twice_gives_the_same_data(osce_seeded):
    def counts() -> tuple[int, int, int]:
        return Organisation.objects.count(), Membership.objects.count(), Case.objects.count()

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_personas_main_pages_answer_under_the_osce_profile(osce_seeded, client):
    for persona in PERSONAS:
        client.force_login(User.objects.get(email=persona.email))
        for name in ("web:dashboard", "web:cases"):
            response = client.get(reverse(name))
            assert response.status_code == 200, (persona.email, name)
        client.logout()
    # The public pages speak of the model State.
    for url in (
        reverse("web:home"),
        reverse("web:legal"),
        reverse("web:directory"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert 'class="fr-logo"' not in text, url  # no Marianne block for the model State
        for french in ("France", "département", "prefecture", "gendarmerie", "Seine-Saint-Denis"):
            assert french not in text, (url, french)
    leaflet = client.get(reverse("web:public_leaflet", args=["en"]))
    assert leaflet.status_code == 200
