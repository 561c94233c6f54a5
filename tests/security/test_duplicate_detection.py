"""Acceptance: duplicate detection finds a person entered by another organisation under a
transliterated or reordered name, and discloses nothing but the existence of a match and the
organisation to contact."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import Case, PossibleMatch
from opennrm.cases.persons import update_person
from opennrm.core.models import Territory
from tests.cases.conftest import actor_for

pytestmark = pytest.mark.django_db


def _detection(territory: str, given: str, family: str, **extra: str) -> dict[str, object]:
    return {
        "given_names": given,
        "family_name": family,
        "estimated_age": "29",
        "sex": "female",
        "nationalities": ["RU"],
        "languages": ["ru"],
        "forms": ["forced_labour"],
        "sector": "agriculture",
        "places": "Fictional farm",
        "channel": "outreach",
        "detected_on": timezone.localdate().isoformat(),
        "territory": Territory.objects.get(code=territory).pk,
        **extra,
    }


@pytest.fixture
def held_elsewhere(cast):
    """Association 13 (Yasmine's) follows Natalia Ivanova, alias Nata."""
    cast.other_association.email = "contact@association13.example.org"
    cast.other_association.phone = "04 00 00 00 13"
    cast.other_association.save()
    response = cast.client_for(cast.yasmine).post(
        reverse("web:case_create"),
        _detection("13", "Natalia", "Ivanova", aliases="Nata", date_of_birth="1996-04-12"),
    )
    assert response.status_code == 302
    return Case.objects.get(owner=cast.other_association)


@pytest.mark.parametrize(
    ("given", "family"),
    [("Наталья", "Иванова"), ("Ivanova", "Natalia"), ("Natália", "Ivanová")],
    ids=["transliterated", "reordered", "accented"],
)
def test_a_possible_match_shows_only_the_organisation(cast, held_elsewhere, given, family):
    client = cast.client_for(cast.hugo)
    response = client.post(reverse("web:case_create"), _detection("93", given, family))
    assert response.status_code == 302
    mine = Case.objects.get(owner=cast.association)
    page = client.get(response["Location"]).content.decode()
    # The existence of a match and whom to contact…
    assert 'id="possible-match"' in page
    assert "Association 13 (fictional)" in page
    assert "contact@association13.example.org" in page
    assert "04 00 00 00 13" in page
    # …and nothing of the other record.
    other = held_elsewhere
    for secret in (
        other.reference,
        other.person.pseudonym,
        "Natalia",
        "Ivanova",
        "1996-04-12",
        "12/04/1996",
        "12 avril 1996",
    ):
        assert secret not in page.replace(mine.reference, "").replace(mine.person.pseudonym, ""), (
            secret
        )
    assert list(PossibleMatch.objects.values_list("case", "organisation")) == [
        (mine.pk, cast.other_association.pk)
    ]
    # Audited with organisation ids only.
    entry = AuditEntry.objects.get(action="person.possible_match")
    assert entry.details == {"organisations": [cast.other_association.pk]}
    assert entry.object_id == str(mine.pk)
    assert entry.organisation == cast.association


def test_the_creator_is_told_at_once(cast, held_elsewhere):
    response = cast.client_for(cast.hugo).post(
        reverse("web:case_create"), _detection("93", "Наталья", "Иванова"), follow=True
    )
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "Ivanova" not in str(warnings[0]) and "Natalia" not in str(warnings[0])


def test_the_other_organisation_learns_nothing(cast, held_elsewhere):
    cast.client_for(cast.hugo).post(
        reverse("web:case_create"), _detection("93", "Наталья", "Иванова")
    )
    page = (
        cast.client_for(cast.yasmine)
        .get(reverse("web:case", args=[held_elsewhere.reference]))
        .content.decode()
    )
    assert 'id="possible-match"' not in page
    assert "Association 93" not in page


def test_a_match_within_the_same_organisation_is_not_reported(cast):
    client = cast.client_for(cast.hugo)
    client.post(reverse("web:case_create"), _detection("93", "Maria", "Popescu"))
    client.post(reverse("web:case_create"), _detection("93", "Popescu", "Maria"))
    assert not PossibleMatch.objects.exists()
    assert not AuditEntry.objects.filter(action="person.possible_match").exists()


def test_no_match_no_notice(cast, held_elsewhere):
    client = cast.client_for(cast.hugo)
    response = client.post(reverse("web:case_create"), _detection("93", "Maria", "Popescu"))
    assert 'id="possible-match"' not in client.get(response["Location"]).content.decode()
    assert not PossibleMatch.objects.exists()


def test_a_name_added_later_is_checked_too(cast, held_elsewhere):
    """A case opened without names (e.g. from a concern) is checked when names are added."""
    client = cast.client_for(cast.hugo)
    client.post(reverse("web:case_create"), _detection("93", "", ""))
    mine = Case.objects.get(owner=cast.association)
    assert not mine.possible_matches.exists()
    person = mine.person
    person.given_names, person.family_name = "Наталья", "Иванова"
    update_person(actor_for(cast.hugo), mine, person, ["given_names", "family_name"])
    assert list(mine.possible_matches.values_list("organisation", flat=True)) == [
        cast.other_association.pk
    ]
