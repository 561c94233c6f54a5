"""Children: child protection referral mandatory (warned until done), the guardian shown,
accommodation for children only, a best-interests note on every major decision."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opennrm.detection.actions import alert_child_protection, record_guardian
from opennrm.support import accommodation, closure
from opennrm.support.children import child_warnings
from opennrm.support.models import ServiceType
from tests.factories import OrganisationFactory
from tests.support.conftest import acting, client_for, proposed, sent, service, territory

pytestmark = pytest.mark.django_db


def test_warned_until_child_protection_is_alerted_and_a_guardian_recorded(cast, child):
    assert len(child_warnings(child)) == 2
    page = client_for(cast.amina).get(reverse("web:support_plan", args=[child.reference]))
    assert page.content.decode().count("child-warning") == 2
    alert_child_protection(
        child,
        actor=acting(cast.amina),
        service=None,
        service_name="ASE 93 (fictional)",
        alerted_on=timezone.localdate(),
    )
    assert len(child_warnings(child)) == 1
    record_guardian(
        child, actor=acting(cast.amina), kind="ad_hoc", name="Ad hoc administrator (fictional)"
    )
    assert child_warnings(child) == []
    page = client_for(cast.amina).get(reverse("web:support_plan", args=[child.reference]))
    assert "Ad hoc administrator (fictional)" in page.content.decode()
    assert "child-warning" not in page.content.decode()


def test_an_orientation_to_child_protection_counts_as_the_referral(cast, child):
    ase = OrganisationFactory(kind="child_protection", territories=[territory("93")])
    protection = service(
        ase,
        name="ASE 93",
        service_type=ServiceType.CHILD_PROTECTION,
        accepts_adults=False,
        accepts_children=True,
    )
    sent(child, protection, cast.amina)  # no consent needed for a child
    assert len(child_warnings(child)) == 1  # the guardian is still missing


def test_adults_get_no_child_warnings(presumed):
    assert child_warnings(presumed) == []


def test_a_child_is_placed_only_in_accommodation_for_children(cast, child):
    service(cast.accommodation, name="Adults 93")
    home = service(
        cast.accommodation, name="Children 93", accepts_adults=False, accepts_children=True
    )
    found = accommodation.candidates(accommodation.situation_of(child), accommodation.Preferences())
    assert [c.service for c in found] == [home]
    orientation = sent(child, home, cast.amina, best_interests="Specialised home, school nearby.")
    from opennrm.support import plans

    plans.accept(orientation, actor=acting(cast.ines))
    home.refresh_from_db()
    assert home.places_free == 2


def test_closing_a_childs_support_needs_the_best_interests_note(cast, child):
    with pytest.raises(ValidationError) as raised:
        closure.close_support(
            child,
            actor=acting(cast.amina),
            reason="chosen_return",
            follow_up_on=timezone.localdate(),
        )
    assert "best_interests" in raised.value.error_dict
    closed = closure.close_support(
        child,
        actor=acting(cast.amina),
        reason="chosen_return",
        follow_up_on=timezone.localdate(),
        best_interests="Family assessed safe by child protection in both countries.",
    )
    assert closed.best_interests


def test_a_childs_return_needs_the_best_interests_note(cast, child):
    org = OrganisationFactory(kind="association", territories=[territory("93")])
    returns = service(
        org,
        name="Return 93",
        service_type=ServiceType.RETURN_ASSISTANCE,
        accepts_adults=False,
        accepts_children=True,
    )
    with pytest.raises(ValidationError):
        proposed(child, returns, cast.amina)
    assert proposed(child, returns, cast.amina, best_interests="Chosen with the guardian.")
