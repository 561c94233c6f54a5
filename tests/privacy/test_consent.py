"""A withdrawn consent stops sharing at once, on every path that shares data today.

- referral to formal identification: refused without consent; after withdrawal the
  organisation the case was referred to gets 404;
- sharing consented by the person with a named organisation;
- orientations to a service provider (opennrm.support);
- exports: the subject access copy is for the responsible organisation only;
- the JSON API has no case or person endpoint yet (a tripwire test fails when one appears).
"""

import pytest
from django.urls import reverse

from opennrm.cases.enums import ConsentMethod, ConsentScope, IdentificationStatus
from opennrm.cases.models import CaseShare, Consent, TransitionError
from opennrm.detection import actions
from opennrm.identification.models import Referral, Route
from opennrm.identification.services import refer
from opennrm.support.services import open_protection
from tests.privacy.conftest import acting, client_for


def _presumed(case, user):
    request = acting(user)
    case.transition(IdentificationStatus.PRESUMED_VICTIM, actor=request)
    open_protection(case, actor=request)
    case.refresh_from_db()
    return case


def _consent(case, user, scope, organisation=None) -> Consent:
    return actions.record_consent(
        case,
        scope=scope,
        method=ConsentMethod.ORAL,
        organisation=organisation,
        actor=acting(user),
    )


def _withdraw_through_the_page(cast, case, consent):
    url = reverse("web:consent_withdraw", args=[case.reference, consent.pk])
    response = client_for(cast.amina).post(url)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


# Referral --------------------------------------------------------------------------------


def test_an_adult_is_not_referred_without_consent(cast, case):
    _presumed(case, cast.amina)
    with pytest.raises(TransitionError):
        refer(
            case, route=Route.JUDICIAL, target=cast.police, consent=None, actor=acting(cast.amina)
        )
    assert not Referral.objects.exists()
    police = client_for(cast.claire)
    assert police.get(reverse("web:case", args=[case.reference])).status_code == 404


def test_a_withdrawn_consent_cannot_carry_a_referral(cast, case):
    _presumed(case, cast.amina)
    consent = _consent(case, cast.amina, ConsentScope.REFERRAL)
    consent.withdraw(actor=acting(cast.amina))
    with pytest.raises(TransitionError):
        refer(
            case,
            route=Route.JUDICIAL,
            target=cast.police,
            consent=consent,
            actor=acting(cast.amina),
        )


def test_after_withdrawal_the_referral_target_loses_the_case_at_once(cast, case):
    _presumed(case, cast.amina)
    consent = _consent(case, cast.amina, ConsentScope.REFERRAL)
    refer(case, route=Route.JUDICIAL, target=cast.police, consent=consent, actor=acting(cast.amina))
    police = client_for(cast.claire)
    case_url = reverse("web:case", args=[case.reference])
    assert police.get(case_url).status_code == 200
    assert police.get(reverse("web:case_identity", args=[case.reference])).status_code == 200
    _withdraw_through_the_page(cast, case, consent)
    assert police.get(case_url).status_code == 404
    assert police.get(reverse("web:case_identity", args=[case.reference])).status_code == 404
    assert case.reference not in police.get(reverse("web:cases")).content.decode()


def test_after_withdrawal_the_judicial_referral_page_is_closed_too(cast, case):
    _presumed(case, cast.amina)
    consent = _consent(case, cast.amina, ConsentScope.REFERRAL)
    referral = refer(
        case, route=Route.JUDICIAL, target=cast.police, consent=consent, actor=acting(cast.amina)
    )
    police = client_for(cast.claire)
    url = reverse("web:judicial_referral", args=[referral.pk])
    assert police.get(url).status_code == 200
    _withdraw_through_the_page(cast, case, consent)
    assert police.get(url).status_code == 404


# Consented sharing ----------------------------------------------------------------------------


def test_a_consented_share_ends_with_the_consent(cast, case):
    consent = _consent(case, cast.amina, ConsentScope.SHARE, organisation=cast.accommodation)
    share = CaseShare.objects.get(case=case, organisation=cast.accommodation)
    assert share.consent == consent
    shelter = client_for(cast.ines)
    case_url = reverse("web:case", args=[case.reference])
    assert shelter.get(case_url).status_code == 200
    _withdraw_through_the_page(cast, case, consent)
    assert shelter.get(case_url).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is not None
    # Coordination does not rest on consent: it stays.
    assert client_for(cast.louis).get(case_url).status_code == 200


def test_no_share_for_an_adult_without_consent(cast, case):
    from opennrm.cases.enums import ShareReason

    with pytest.raises(TransitionError):
        case.share_with(cast.accommodation, ShareReason.CONSENTED_SHARE, actor=acting(cast.amina))


# Orientations -----------------------------------------------------------------------------


def test_an_orientation_reaches_the_provider_only_while_consent_lasts(cast, case):
    plans = pytest.importorskip("opennrm.support.plans")
    from opennrm.support.models import Service, ServiceType

    _presumed(case, cast.amina)
    service = Service(
        organisation=cast.accommodation,
        name="Shelter 93 (fictional) — house B",
        service_type=ServiceType.LEGAL_AID,
    )
    service.full_clean()
    service.save()
    request = acting(cast.amina)
    need = plans.add_need(case, service_type=ServiceType.LEGAL_AID, actor=request)
    orientation = plans.propose(need, service, actor=request)
    with pytest.raises(TransitionError):
        plans.send(orientation, actor=request)  # an adult: not without consent
    consent = _consent(case, cast.amina, ConsentScope.SHARE, organisation=cast.accommodation)
    plans.record_consent(orientation, consent, actor=request)
    orientation.refresh_from_db()
    plans.send(orientation, actor=request)
    shelter = client_for(cast.ines)
    case_url = reverse("web:case", args=[case.reference])
    orientation_url = reverse("web:orientation_received", args=[orientation.pk])
    assert shelter.get(case_url).status_code == 200
    assert shelter.get(orientation_url).status_code == 200
    _withdraw_through_the_page(cast, case, consent)
    assert shelter.get(case_url).status_code == 404
    assert shelter.get(orientation_url).status_code == 404


# Exports and the API ------------------------------------------------------------------------


def test_the_subject_access_copy_is_not_for_those_the_case_was_shared_with(cast, case):
    consent = _consent(case, cast.amina, ConsentScope.SHARE, organisation=cast.accommodation)
    url = reverse("web:privacy_subject_access_json", args=[case.reference])
    # Ines administers the shelter the case is shared with: still not hers to copy.
    assert client_for(cast.ines).get(url).status_code == 404
    _withdraw_through_the_page(cast, case, consent)
    assert client_for(cast.ines).get(url).status_code == 404
    copy = client_for(cast.amina).get(url).json()
    [held] = copy["cases"][0]["records"]["cases.consent"]
    assert held["withdrawn_at"] is not None


API_CASE_PATHS = {"/api/v1/cases/assessments/{assessment_id}/conclusion"}


def test_the_json_api_case_endpoints_are_the_known_ones():
    """Tripwire: a new API path on cases or persons needs its consent test here."""
    from opennrm.web.api import api

    paths = api.get_openapi_schema()["paths"]
    assert paths
    for path in paths:
        if "case" in path.lower() or "person" in path.lower():
            assert path in API_CASE_PATHS, path


def test_after_withdrawal_the_api_gives_nothing_to_the_organisation_shared_with(cast, case):
    """The API reaches assessments through the same access functions: a withdrawn consent
    closes them at once (404), where the shared organisation saw the case before (403)."""
    import json

    from opennrm.indicators.catalogue import latest_catalogue

    assessment = actions.start_assessment(
        case,
        set_code="adults_labour",
        version=latest_catalogue().version,
        actor=acting(cast.amina),
    )
    consent = _consent(case, cast.amina, ConsentScope.SHARE, organisation=cast.police)
    url = f"/api/v1/cases/assessments/{assessment.pk}/conclusion"
    body = json.dumps({"conclusion": "presumed_victim"})
    police = client_for(cast.claire)
    assert police.post(url, body, content_type="application/json").status_code == 403
    _withdraw_through_the_page(cast, case, consent)
    assert police.post(url, body, content_type="application/json").status_code == 404
