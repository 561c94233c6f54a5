"""Completing a case opened from a concern: forms of exploitation, sector, places, period."""

import pytest

from opennrm.audit.models import AuditEntry
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare_case(cast):
    return CaseFactory(owner=cast.association, forms=[], sector="")


def test_owner_staff_completes_the_case(cast, bare_case):
    client = cast.client_for(cast.amina)
    url = f"/cases/{bare_case.reference}/details/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "forms": ["forced_labour", "undignified_conditions"],
            "sector": "agriculture",
            "places": "Fictional farm",
            "period_start": "2026-01-01",
            "period_end": "",
        },
    )
    assert response.status_code == 302
    bare_case.refresh_from_db()
    assert bare_case.forms == ["forced_labour", "undignified_conditions"]
    assert bare_case.sector == "agriculture"
    assert bare_case.events.filter(kind="case.updated").exists()
    entry = AuditEntry.objects.get(action="case.update")
    assert "forms" in entry.details["fields"] and "Fictional farm" not in str(entry.details)


def test_a_form_is_required_and_errors_keep_what_was_typed(cast, bare_case):
    client = cast.client_for(cast.amina)
    response = client.post(
        f"/cases/{bare_case.reference}/details/", {"places": "Typed and kept", "sector": ""}
    )
    assert response.status_code == 200
    assert "Typed and kept" in response.content.decode()
    bare_case.refresh_from_db()
    assert bare_case.forms == []


@pytest.mark.parametrize("persona", ["louis", "claire", "paul", "yasmine", "nadia"])
def test_others_get_404(cast, bare_case, persona):
    client = cast.client_for(getattr(cast, persona))
    assert client.get(f"/cases/{bare_case.reference}/details/").status_code == 404


def test_anonymous_is_sent_to_login(client, bare_case):
    response = client.get(f"/cases/{bare_case.reference}/details/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
