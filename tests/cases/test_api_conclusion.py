"""The JSON API applies the same rules as the interface to concluding an assessment."""

import json

import pytest
from django.conf import settings

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import IdentificationStatus
from opennrm.detection import actions
from tests.cases.conftest import actor_for
from tests.cases.test_assessment import PRESUMED, _not_recognised, _training_expired

pytestmark = pytest.mark.django_db


def _url(assessment):
    return f"/api/v1/cases/assessments/{assessment.pk}/conclusion"


def _post(client, assessment, **payload):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages checked in English
    return client.post(_url(assessment), json.dumps(payload), content_type="application/json")


@pytest.fixture
def answered(cast, draft):
    answers = {code: {"answer": value, "note": ""} for code, value in PRESUMED.items()}
    actions.save_answers(draft, answers, actor=actor_for(cast.amina))
    return draft


def test_an_authorised_reporter_concludes_presumed_victim(cast, case, answered):
    response = _post(cast.client_for(cast.amina), answered, conclusion="presumed_victim")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "case": case.reference,
        "status": IdentificationStatus.PRESUMED_VICTIM,
        "engine_outcome": "presumed_victim",
    }
    case.refresh_from_db()
    assert case.status == IdentificationStatus.PRESUMED_VICTIM
    assert case.support is not None  # protection opened at once
    # The audit trail says the conclusion came through the API, from whom.
    entry = AuditEntry.objects.filter(object_id=str(answered.pk)).latest("pk")
    assert (entry.actor, entry.channel) == (cast.amina, "api")


@pytest.mark.parametrize("make_ineligible", [_not_recognised, _training_expired])
def test_a_non_authorised_reporter_is_refused_with_a_clear_message(
    cast, case, answered, make_ineligible
):
    make_ineligible(cast)
    response = _post(cast.client_for(cast.amina), answered, conclusion="presumed_victim")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "authorised reporter" in detail or "training" in detail
    case.refresh_from_db()
    assert case.status == IdentificationStatus.PRELIMINARY_ASSESSMENT


def test_a_conclusion_differing_from_the_advice_needs_reasons(cast, case, answered):
    response = _post(cast.client_for(cast.amina), answered, conclusion="not_presumed")
    assert response.status_code == 403
    assert "reasons" in response.json()["detail"]
    response = _post(
        cast.client_for(cast.amina),
        answered,
        conclusion="not_presumed",
        reasons="Fictional: the person explained the situation differently.",
    )
    assert response.status_code == 200


def test_a_bad_conclusion_is_a_422(cast, answered):
    response = _post(cast.client_for(cast.amina), answered, conclusion="maybe")
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["yasmine", "claire", "nadia"])
def test_outsiders_get_404(cast, answered, persona):
    response = _post(
        cast.client_for(getattr(cast, persona)), answered, conclusion="presumed_victim"
    )
    assert response.status_code == 404


def test_others_who_see_the_case_cannot_conclude(cast, answered):
    response = _post(cast.client_for(cast.louis), answered, conclusion="presumed_victim")
    assert response.status_code == 403


def test_anonymous_gets_401(client, answered):
    assert _post(client, answered, conclusion="presumed_victim").status_code == 401
