"""Accommodation matching (CNCDH recommendations 19–21): by the person's situation and
choices, never by residence rights or cooperation; adults and children apart except parents
with their children; distance or familiar surroundings; free places; ranked."""

import dataclasses
import inspect

import pytest
from django.db import IntegrityError, transaction

from opennrm.cases.enums import IdentificationStatus
from opennrm.support import accommodation, plans, residence
from opennrm.support.accommodation import Location, Preferences, Setting, Situation
from opennrm.support.models import ResidenceOutcome, SafetyRisk, Service, ServiceType
from opennrm.web.support.forms import PreferencesForm
from tests.factories import CaseFactory, OrganisationFactory, PersonFactory
from tests.support.conftest import acting, days_ago, make_presumed, service, territory

pytestmark = pytest.mark.django_db

FORBIDDEN = ("residence", "permit", "cooperat", "complaint", "identif", "status", "referral")


def names(candidates):
    return [c.service.name for c in candidates]


@pytest.fixture
def homes(cast):
    org = cast.accommodation
    return {
        "adults": service(org, name="Adults 93"),
        "women": service(org, name="Women 93", gender_policy="women"),
        "families": service(org, name="Families 93", accepts_adults=False, accepts_families=True),
        "children": service(org, name="Children 93", accepts_adults=False, accepts_children=True),
        "far": service(org, name="Adults 13", territories=[territory("13")], specialised=True),
        "network": service(
            org,
            name="Distancing network",
            territories=[],
            national=True,
            distancing_network=True,
            specialised=True,
            secure=True,
        ),
        "full": service(org, name="Full 93", places_free=0),
    }


def adult(**extra):
    return Situation(child=False, sex="female", area=territory("93"), **extra)


def test_the_matching_takes_no_residence_or_cooperation_input_at_all():
    fields = [f.name for f in dataclasses.fields(Situation)] + [
        f.name for f in dataclasses.fields(Preferences)
    ]
    fields += list(inspect.signature(accommodation.candidates).parameters)
    fields += list(inspect.signature(accommodation.situation_of).parameters)
    fields += list(PreferencesForm.base_fields)
    for name in fields:
        assert not any(word in name for word in FORBIDDEN), name


def test_residence_rights_and_cooperation_never_change_the_candidates(cast, homes):
    """Two persons in the same situation: one with no residence rights who does not cooperate,
    one identified through the judicial route with a permit granted. Same candidates."""
    alone = make_presumed(
        CaseFactory(owner=cast.association, person=PersonFactory(sex="female")), cast.amina
    )
    cooperating = make_presumed(
        CaseFactory(owner=cast.association, person=PersonFactory(sex="female")), cast.amina
    )
    cooperating.transition(IdentificationStatus.IDENTIFIED_VICTIM, actor=acting(cast.claire))
    application = residence.apply(
        cooperating,
        actor=acting(cast.amina),
        basis="residence_complaint",
        prefecture=cast.prefecture,
        applied_on=cooperating.detected_on,
    )
    residence.decide(
        application,
        actor=acting(cast.amina),
        outcome=ResidenceOutcome.GRANTED,
        decided_on=cooperating.detected_on,
        valid_until=cooperating.detected_on.replace(year=cooperating.detected_on.year + 1),
    )
    refused = residence.apply(
        alone,
        actor=acting(cast.amina),
        basis="residence_exit_prostitution",
        prefecture=cast.prefecture,
        applied_on=alone.detected_on,
    )
    residence.decide(
        refused,
        actor=acting(cast.amina),
        outcome=ResidenceOutcome.REFUSED,
        decided_on=alone.detected_on,
        refusal_reason="no_complaint",
    )
    for location in (Location.EITHER, Location.DISTANCE, Location.FAMILIAR):
        preferences = Preferences(location=location)
        first = accommodation.candidates(accommodation.situation_of(alone), preferences)
        second = accommodation.candidates(accommodation.situation_of(cooperating), preferences)
        assert names(first) == names(second)
        assert names(first)  # and there is somewhere to go


def test_an_adult_is_never_offered_accommodation_for_children(homes):
    found = names(accommodation.candidates(adult(), Preferences()))
    assert "Children 93" not in found
    assert "Families 93" not in found  # a single adult does not go to a family facility
    assert {"Adults 93", "Women 93"} <= set(found)


def test_a_child_is_offered_only_accommodation_for_children(homes):
    child = Situation(child=True, sex="female", area=territory("93"))
    assert names(accommodation.candidates(child, Preferences())) == ["Children 93"]


def test_parents_with_their_children_go_to_family_accommodation(homes):
    parent = adult(accompanying_children=2)
    found = accommodation.candidates(parent, Preferences())
    assert names(found) == ["Families 93"]
    assert accommodation.places_needed(parent) == 3


def test_a_facility_cannot_take_children_with_adults(cast):
    mixed = Service(
        organisation=cast.accommodation,
        name="Mixed",
        service_type=ServiceType.ACCOMMODATION,
        accepts_adults=True,
        accepts_children=True,
        places_total=5,
        places_free=5,
    )
    with pytest.raises(Exception) as raised:
        mixed.full_clean()
    assert "accepts_children" in raised.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        mixed.save()  # the database refuses it too


def test_men_are_not_offered_women_only_accommodation(homes):
    man = Situation(child=False, sex="male", area=territory("93"))
    found = names(accommodation.candidates(man, Preferences()))
    assert "Women 93" not in found
    assert "Adults 93" in found


def test_distance_or_familiar_surroundings_as_the_person_prefers(homes):
    far = names(accommodation.candidates(adult(), Preferences(location=Location.DISTANCE)))
    assert set(far) == {"Adults 13", "Distancing network"}
    near = names(accommodation.candidates(adult(), Preferences(location=Location.FAMILIAR)))
    assert set(near) == {"Adults 93", "Women 93"}


def test_specialised_general_and_secure(homes):
    specialised = accommodation.candidates(adult(), Preferences(setting=Setting.SPECIALISED))
    assert set(names(specialised)) == {"Adults 13", "Distancing network"}
    general = accommodation.candidates(adult(), Preferences(setting=Setting.GENERAL))
    assert set(names(general)) == {"Adults 93", "Women 93"}
    secure = accommodation.candidates(adult(), Preferences(secure=True))
    assert names(secure) == ["Distancing network"]


def test_only_accommodation_with_enough_free_places(homes):
    assert "Full 93" not in names(accommodation.candidates(adult(), Preferences()))
    homes["families"].places_free = 2
    homes["families"].save()
    assert accommodation.candidates(adult(accompanying_children=2), Preferences()) == []


def test_ranked_trained_staff_secure_for_high_risk_fresh_capacity(cast, homes):
    untrained = service(cast.accommodation, name="Untrained 93", trained_staff=False)
    Service.objects.filter(pk=homes["women"].pk).update(capacity_updated_at=days_ago(8))
    found = accommodation.candidates(adult(safety_risk=SafetyRisk.HIGH), Preferences())
    order = names(found)
    assert order[0] == "Distancing network"  # secure, trained, fresh: best for a high risk
    assert order.index("Adults 93") < order.index("Women 93")  # stale capacity ranks lower
    assert order[-1] == untrained.name
    women = next(c for c in found if c.service.name == "Women 93")
    assert women.stale


def test_the_placement_is_refused_if_the_facility_does_not_take_the_person(cast, presumed, homes):
    need = plans.add_need(
        presumed, service_type=ServiceType.ACCOMMODATION, actor=acting(cast.amina)
    )
    with pytest.raises(plans.TransitionError, match="adults and children"):
        plans.propose(need, homes["children"], actor=acting(cast.amina))


def test_the_matching_page_has_no_residence_or_cooperation_question(cast, presumed, homes):
    from django.urls import reverse

    from tests.support.conftest import client_for

    need = plans.add_need(
        presumed, service_type=ServiceType.ACCOMMODATION, actor=acting(cast.amina)
    )
    response = client_for(cast.amina).get(
        reverse("web:support_accommodation", args=[presumed.reference, need.pk])
    )
    assert response.status_code == 200
    form_html = response.content.decode().split('id="preferences"')[1].split("</form>")[0]
    for word in ("residence", "permit", "cooperat", "complaint"):
        assert word not in form_html.lower()
    assert "Adults 93" in response.content.decode()
    assert "Children 93" not in response.content.decode()


def test_other_organisations_facilities_are_offered_too(cast):
    other = OrganisationFactory(kind="accommodation", territories=[territory("93")])
    service(other, name="Other shelter 93")
    assert "Other shelter 93" in names(accommodation.candidates(adult(), Preferences()))
