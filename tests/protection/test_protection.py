"""Protection at presumed victim: reflection period, attestation link, immediate needs."""

import pytest
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.support.models import ImmediateNeeds
from tests.protection.conftest import client_in_english

NEEDS = {
    "shelter": "on",
    "medical": "on",
    "safety_risk": "high",
    "accompanying_children": "2",
    "urgency": "immediate",
    "notes": "Fictional: needs a shelter away from the site tonight.",
}


def _url(case):
    return reverse("web:protection", args=[case.reference])


def test_the_reflection_period_shows_its_dates_days_left_and_legal_basis(cast, presumed):
    period = presumed.reflection_periods.get()
    assert (period.ends_on - period.starts_on).days == 30  # the France profile
    response = client_in_english(cast, cast.amina).get(_url(presumed))
    page = response.content.decode()
    assert response.context["period"] == period
    assert "30 days" in page
    assert "CESEDA, art. R.425-1" in page
    assert reverse("web:reflection_attestation", args=[presumed.reference]) in page
    assert "never depend on cooperation" in page


def test_before_presumed_victim_there_is_no_period_but_needs_can_be_recorded(cast, assessed):
    """Immediate needs are met at once, from preliminary identification (principle 1)."""
    client = client_in_english(cast, cast.amina)
    page = client.get(_url(assessed)).content.decode()
    assert "starts as soon as" in page
    assert reverse("web:reflection_attestation", args=[assessed.reference]) not in page
    response = client.post(_url(assessed), NEEDS)
    assert response.status_code == 302
    assert assessed.immediate_needs.count() == 1


def test_immediate_needs_are_recorded_listed_and_audited(cast, presumed):
    client = client_in_english(cast, cast.amina)
    response = client.post(_url(presumed), NEEDS)
    assert response.status_code == 302
    needs = presumed.immediate_needs.get()
    assert (needs.shelter, needs.medical, needs.psychological, needs.interpreter) == (
        True,
        True,
        False,
        False,
    )
    assert needs.safety_risk == "high"
    assert (needs.accompanying_children, needs.urgency) == (2, "immediate")
    assert (needs.recorded_by, needs.organisation) == (cast.amina, cast.association)
    entry = AuditEntry.objects.get(action="immediate_needs.record")
    assert entry.details == {"case": presumed.pk, "urgency": "immediate"}
    assert "Fictional" not in str(entry.details)
    assert presumed.events.filter(kind="protection.immediate_needs").exists()
    # History: a second record is added, the first kept.
    client.post(_url(presumed), {**NEEDS, "urgency": "routine", "notes": ""})
    assert presumed.immediate_needs.count() == 2
    page = client.get(_url(presumed)).content.decode()
    assert "Immediate (today)" in page
    assert "Routine" in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"accompanying_children": "-1"}, "accompanying_children"),
        ({"accompanying_children": "many"}, "accompanying_children"),
        ({"urgency": "someday"}, "urgency"),
        ({"safety_risk": ""}, "safety_risk"),
        ({"notes": "x" * 4001}, "notes"),
    ],
)
def test_immediate_needs_form_errors(cast, presumed, change, field):
    response = client_in_english(cast, cast.amina).post(_url(presumed), {**NEEDS, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ImmediateNeeds.objects.exists()
    # What was typed is kept on the page.
    assert "Fictional: needs a shelter" in response.content.decode() or field == "notes"
