"""The preliminary assessment: drafts, advice, the professional's reasoned conclusion, and who
may conclude "presumed victim"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import Case
from opennrm.core.models import TrainingRecord
from opennrm.detection.models import PreliminaryAssessment
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.profiles.loader import active_profile
from tests.factories import CaseFactory

# Adults, labour: deceptive recruitment, exploitation and coercion at destination all met.
PRESUMED = {
    "AL-DR-01": "present",
    "AL-DR-02": "present",
    "AL-EX-01": "present",
    "AL-EX-02": "present",
    "AL-CD-01": "present",
    "AL-CD-02": "present",
}


def _all_codes(set_code: str = "adults_labour") -> list[str]:
    indicator_set = latest_catalogue().indicator_set(set_code)
    return [indicator.code for indicator in indicator_set.all_indicators()]


def _post(client, assessment, action, answers=None, notes=None, **extra):
    data = {"action": action, **extra}
    for code, answer in (answers or {}).items():
        data[f"answer_{code}"] = answer
    for code, note in (notes or {}).items():
        data[f"note_{code}"] = note
    return client.post(reverse("web:assessment", args=[assessment.pk]), data)


def test_starting_offers_the_sets_of_the_case_and_stores_the_catalogue_version(cast, case):
    client = cast.client_for(cast.amina)
    url = reverse("web:assessment_start", args=[case.reference])
    html = client.get(url).content.decode()
    assert 'value="adults_labour"' in html
    assert 'value="adults_labour"\n                         checked' in html or "checked" in html
    assert 'value="children_labour"' not in html  # an adult: no children's set
    assert 'value="forced_begging"' in html  # other sets, grouped after the case's own
    assert html.index('value="adults_labour"') < html.index('value="forced_begging"')
    response = client.post(url, {"set_code": "adults_labour"})
    assessment = PreliminaryAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:assessment", args=[assessment.pk])
    assert assessment.catalogue_version == latest_catalogue().version
    assert assessment.set_code == "adults_labour"
    assert assessment.assessed_by == cast.amina
    assert case.events.filter(kind="assessment.started").exists()


def test_a_child_is_offered_only_sets_for_children(cast):
    child = CaseFactory(owner=cast.association, person__estimated_age=15)
    assert child.child
    client = cast.client_for(cast.amina)
    url = reverse("web:assessment_start", args=[child.reference])
    html = client.get(url).content.decode()
    assert 'value="children_labour"' in html
    assert 'value="adults_labour"' not in html
    assert client.post(url, {"set_code": "adults_labour"}).status_code == 200
    assert not PreliminaryAssessment.objects.exists()


def test_an_unknown_set_is_refused(cast, case):
    url = reverse("web:assessment_start", args=[case.reference])
    response = cast.client_for(cast.amina).post(url, {"set_code": "nonsense"})
    assert response.status_code == 200
    assert not PreliminaryAssessment.objects.exists()


def test_the_form_asks_every_indicator_with_unknown_by_default(cast, draft):
    html = cast.client_for(cast.amina).get(reverse("web:assessment", args=[draft.pk]))
    html = html.content.decode()
    codes = _all_codes()
    for code in codes:
        assert f'id="legend-{code}"' in html
    assert html.count('value="unknown" checked') == len(codes)
    assert html.count("<legend") >= len(codes)


def test_a_draft_is_saved(cast, draft):
    client = cast.client_for(cast.amina)
    response = _post(
        client,
        draft,
        "save",
        {"AL-DR-01": "present", "AL-EX-04": "absent"},
        {"AL-DR-01": "Said so"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {
        "AL-DR-01": {"answer": "present", "note": "Said so"},
        "AL-EX-04": {"answer": "absent", "note": ""},
    }
    assert AuditEntry.objects.filter(action="assessment.save_draft").count() == 1
    html = client.get(reverse("web:assessment", args=[draft.pk])).content.decode()
    assert "Said so" in html
    assert 'value="present" checked' in html


def test_nothing_typed_is_lost_on_a_validation_error(cast, draft):
    client = cast.client_for(cast.amina)
    too_long = "x" * 2001
    response = _post(
        client,
        draft,
        "save",
        {"AL-DR-01": "present", "AL-CR-01": "present"},
        {"AL-DR-01": too_long, "AL-CR-01": "Kept note"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert too_long in html  # the invalid text is shown again, to be shortened
    assert "Kept note" in html
    assert "fr-input-group--error" in html
    draft.refresh_from_db()
    # What was valid is saved all the same.
    assert draft.answers["AL-CR-01"] == {"answer": "present", "note": "Kept note"}
    assert draft.answers["AL-DR-01"]["answer"] == "present"


def test_the_advice_is_shown_with_dimensions_and_explanation(cast, draft):
    client = cast.client_for(cast.amina)
    response = _post(client, draft, "advice", PRESUMED)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="advice"' in html
    assert 'id="explanation"' in html
    assert "AL-DR-01" in html
    draft.refresh_from_db()
    assert draft.answers["AL-CD-02"]["answer"] == "present"  # saved as well
    assert not draft.is_final


def test_the_explanation_is_in_the_users_language(cast, draft):
    client = cast.client_for(cast.amina)
    client.cookies["django_language"] = "en"
    html = _post(client, draft, "advice", PRESUMED).content.decode()
    assert "Indicative result: presumed victim" in html
    client.cookies["django_language"] = "fr"
    html = _post(client, draft, "advice", PRESUMED).content.decode()
    assert "Résultat indicatif" in html


def test_a_child_assessment_says_the_means_are_not_required(cast):
    from opennrm.detection import actions
    from tests.cases.conftest import actor_for

    child = CaseFactory(owner=cast.association, person__estimated_age=14)
    assessment = actions.start_assessment(
        child,
        set_code="children_labour",
        version=latest_catalogue().version,
        actor=actor_for(cast.amina),
    )
    html = _post(cast.client_for(cast.amina), assessment, "advice").content.decode()
    assert 'id="child-means"' in html


def test_concluding_as_the_advice_says_needs_no_reasons_and_starts_protection(cast, case, draft):
    client = cast.client_for(cast.amina)
    response = _post(client, draft, "conclude", PRESUMED, conclusion="presumed_victim")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case", args=[case.reference])
    draft.refresh_from_db()
    case.refresh_from_db()
    assert draft.is_final
    assert draft.engine_outcome == "presumed_victim"
    assert draft.engine_summary["dimensions"]["exploitation"]["status"] == "met"
    assert case.status == "presumed_victim"
    _assert_protection_started(case)


def _assert_protection_started(case: Case) -> None:
    case = Case.objects.get(pk=case.pk)
    assert case.support is not None
    period = case.reflection_periods.get()
    assert period.starts_on == timezone.localdate()
    assert period.ends_on - period.starts_on == datetime.timedelta(
        days=active_profile().reflection_period_days
    )


def test_a_conclusion_differing_from_the_advice_needs_reasons(cast, case, draft):
    client = cast.client_for(cast.amina)
    absent = dict.fromkeys(_all_codes(), "absent")
    absent["AL-EX-01"] = "present"
    notes = {"AL-EX-01": "Works 14 hours a day"}
    response = _post(client, draft, "conclude", absent, notes, conclusion="presumed_victim")
    assert response.status_code == 200
    html = response.content.decode()
    assert "give your reasons" in html or "motivez" in html or "raisons" in html
    assert "Works 14 hours a day" in html  # kept
    assert 'value="presumed_victim" checked' in html or (
        'value="presumed_victim"' in html and "checked" in html
    )
    case.refresh_from_db()
    draft.refresh_from_db()
    assert case.status == "preliminary_assessment"
    assert not draft.is_final
    assert draft.answers["AL-EX-01"]["note"] == "Works 14 hours a day"  # nothing lost

    reasons = "Fictional: the person's account and the site visit outweigh the checklist."
    response = _post(
        client, draft, "conclude", absent, notes, conclusion="presumed_victim", reasons=reasons
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    case.refresh_from_db()
    assert draft.conclusion == "presumed_victim"
    assert draft.engine_outcome == "not_presumed"
    assert draft.reasons == reasons
    assert case.status == "presumed_victim"
    _assert_protection_started(case)
    assert AuditEntry.objects.filter(action="assessment.conclude").count() == 1


def test_typed_reasons_are_kept_when_the_conclusion_is_missing(cast, draft):
    client = cast.client_for(cast.amina)
    response = _post(client, draft, "conclude", PRESUMED, reasons="Typed reasons kept")
    assert response.status_code == 200
    assert "Typed reasons kept" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_final


def test_concluding_not_presumed_needs_reasons(cast, case, draft):
    client = cast.client_for(cast.amina)
    absent = dict.fromkeys(_all_codes(), "absent")
    assert _post(client, draft, "conclude", absent, conclusion="not_presumed").status_code == 200
    response = _post(
        client, draft, "conclude", absent, conclusion="not_presumed", reasons="Nothing found."
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "not_presumed"
    assert not hasattr(Case.objects.get(pk=case.pk), "support") or not _has_support(case)


def _has_support(case: Case) -> bool:
    from opennrm.support.models import SupportRecord

    return SupportRecord.objects.filter(case=case).exists()


def test_a_concluded_assessment_is_read_only(cast, case, draft):
    client = cast.client_for(cast.amina)
    _post(client, draft, "conclude", PRESUMED, conclusion="presumed_victim")
    html = client.get(reverse("web:assessment", args=[draft.pk])).content.decode()
    assert 'id="assessment-form"' not in html
    assert 'id="conclusion"' in html
    response = _post(client, draft, "save", {"AL-DR-01": "absent"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["AL-DR-01"]["answer"] == "present"


def test_those_who_see_the_case_read_the_assessment_without_a_form(cast, draft):
    for persona in ("louis", "paul"):
        response = cast.client_for(getattr(cast, persona)).get(
            reverse("web:assessment", args=[draft.pk])
        )
        assert response.status_code == 200
        assert 'id="assessment-form"' not in response.content.decode()
    assert AuditEntry.objects.filter(action="assessment.read").count() == 2


# Who may conclude "presumed victim" ----------------------------------------------------------


def _not_recognised(cast):
    cast.association.authorised_reporter = False
    cast.association.save()


def _training_expired(cast):
    TrainingRecord.objects.filter(user=cast.amina).update(
        completed_on=timezone.localdate() - datetime.timedelta(days=800),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )


@pytest.mark.parametrize("make_ineligible", [_not_recognised, _training_expired])
def test_a_non_authorised_reporter_cannot_conclude_presumed_victim(
    cast, case, draft, make_ineligible
):
    make_ineligible(cast)
    client = cast.client_for(cast.amina)
    html = client.get(reverse("web:assessment", args=[draft.pk])).content.decode()
    assert 'id="reporter-refusal"' in html
    assert "disabled" in html[html.index('value="presumed_victim"') - 200 :][:400]
    response = _post(
        client, draft, "conclude", PRESUMED, conclusion="presumed_victim", reasons="Tried anyway"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="reporter-refusal"' in html
    assert "Tried anyway" in html
    case.refresh_from_db()
    draft.refresh_from_db()
    assert case.status == "preliminary_assessment"
    assert not draft.is_final
    assert not _has_support(case)
    # "Not presumed" stays possible (with reasons): the refusal is about reporting a victim.
    response = _post(
        client, draft, "conclude", PRESUMED, conclusion="not_presumed", reasons="Fictional reasons"
    )
    assert response.status_code == 302
