"""Referral to formal identification: by the route the person chose, with consent for an adult,
without for a child; the target organisation then sees the case."""

from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ShareReason
from opennrm.cases.models import Case
from opennrm.identification.models import Referral
from tests.protection.conftest import client_in_english


def _url(case):
    return reverse("web:refer", args=[case.reference])


ALL_ITEMS = ["account", "facts", "evidence", "rights", "needs", "timeline"]


def _send(route, target, items=ALL_ITEMS):
    return {"route": route, "target": target.pk, "items": items, "send": "1"}


def _consent(cast, case):
    client_in_english(cast, cast.amina).post(
        reverse("web:consents", args=[case.reference]), {"scope": "referral", "method": "oral"}
    )


def test_an_adult_is_not_referred_without_consent_and_the_page_says_why(cast, presumed):
    client = client_in_english(cast, cast.amina)
    page = client.get(_url(presumed)).content.decode()
    assert "has not consented to referral" in page
    assert reverse("web:consents", args=[presumed.reference]) in page
    assert reverse("web:anonymous_notification", args=[presumed.reference]) in page
    response = client.post(_url(presumed), _send("platform", cast.coordination))
    assert response.status_code == 200
    assert "has not consented to referral" in " ".join(response.context["form"].non_field_errors())
    assert not Referral.objects.exists()
    assert not Case.objects.visible_to(cast.coordination).filter(pk=presumed.pk).exists()


def test_an_adult_who_consented_is_referred_by_the_platform_route(cast, presumed):
    _consent(cast, presumed)
    client = client_in_english(cast, cast.amina)
    page = client.get(_url(presumed)).content.decode()
    assert "What travels with the referral" in page
    assert "preliminary assessment" in page
    response = client.post(_url(presumed), _send("platform", cast.coordination))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.route, referral.target, referral.case) == (
        "platform",
        cast.coordination,
        presumed,
    )
    assert referral.consent == presumed.consents.get()
    share = presumed.shares.get(organisation=cast.coordination, reason=ShareReason.REFERRAL)
    assert share.identity is False  # the platform examines the file without the identity
    assert Case.objects.visible_to(cast.coordination).filter(pk=presumed.pk).exists()
    assert AuditEntry.objects.filter(action="referral.create").exists()
    assert cast.coordination.name in client.get(_url(presumed)).content.decode()


def test_claire_sees_the_case_only_after_a_judicial_referral(cast, presumed):
    assert not Case.objects.visible_to(cast.police).filter(pk=presumed.pk).exists()
    _consent(cast, presumed)
    response = client_in_english(cast, cast.amina).post(
        _url(presumed), _send("judicial", cast.police)
    )
    assert response.status_code == 302
    assert Case.objects.visible_to(cast.police).filter(pk=presumed.pk).exists()
    assert presumed.shares.get(organisation=cast.police).identity is True
    try:
        case_url = reverse("web:case", args=[presumed.reference])
    except Exception:
        case_url = None
    if case_url is not None:
        assert cast.client_for(cast.claire).get(case_url).status_code == 200
    # The protection pages stay the responsible organisation's.
    assert cast.client_for(cast.claire).get(_url(presumed)).status_code == 404


def test_the_target_must_serve_the_route_chosen(cast, presumed):
    _consent(cast, presumed)
    client = client_in_english(cast, cast.amina)
    response = client.post(_url(presumed), _send("platform", cast.police))
    assert "target" in response.context["form"].errors
    response = client.post(_url(presumed), _send("judicial", cast.prefecture))
    assert "target" in response.context["form"].errors
    response = client.post(_url(presumed), {"target": cast.police.pk})
    assert "route" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_a_route_is_used_once(cast, presumed):
    _consent(cast, presumed)
    client = client_in_english(cast, cast.amina)
    client.post(_url(presumed), _send("judicial", cast.police))
    response = client.post(_url(presumed), _send("judicial", cast.police))
    assert response.status_code == 200
    assert "already referred" in " ".join(response.context["form"].non_field_errors())
    assert Referral.objects.count() == 1


def test_a_child_is_referred_without_consent(cast, child):
    client = client_in_english(cast, cast.amina)
    page = client.get(_url(child)).content.decode()
    assert "without needing consent" in page
    response = client.post(_url(child), _send("platform", cast.coordination))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent is None
    assert Case.objects.visible_to(cast.coordination).filter(pk=child.pk).exists()


def test_a_case_under_assessment_cannot_be_referred(cast, assessed):
    client = client_in_english(cast, cast.amina)
    page = client.get(_url(assessed)).content.decode()
    assert "conclude the preliminary assessment first" in page
    response = client.post(_url(assessed), _send("platform", cast.coordination))
    assert response.status_code == 302
    assert not Referral.objects.exists()
