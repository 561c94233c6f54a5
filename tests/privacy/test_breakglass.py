"""Exceptional access ("break-glass"), end to end: the national coordinator or the DPO opens it
with a reason, reads the case (each read audited as exceptional), it expires or is closed and
the case is out of reach again; the organisation responsible for the case sees it all."""

import pytest
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import TransitionError
from opennrm.privacy import breakglass
from opennrm.privacy.models import BreakGlassGrant
from tests.privacy.conftest import FAMILY_NAME, acting, client_for, expire, open_access

REASON = "Fictional: the person asked the national coordinator for help with a complaint."


def _open_through_the_form(client, case, **extra):
    data = {"reference": case.reference.lower(), "reason": REASON, "hours": 4, **extra}
    return client.post(reverse("web:privacy_exceptional_access_new"), data)


@pytest.mark.parametrize("persona", ["nadia", "robert"])
def test_without_a_grant_the_national_level_gets_404_on_cases(cast, case, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(reverse("web:case", args=[case.reference])).status_code == 404
    assert client.get(reverse("web:case_identity", args=[case.reference])).status_code == 404
    listing = client.get(reverse("web:cases"))
    assert case.reference not in listing.content.decode()


@pytest.mark.parametrize("persona", ["nadia", "robert"])
def test_open_read_expire_end_to_end(cast, case, persona):
    user = getattr(cast, persona)
    client = client_for(user)
    case_url = reverse("web:case", args=[case.reference])

    response = _open_through_the_form(client, case)
    assert response.status_code == 302
    assert response["Location"] == case_url
    grant = BreakGlassGrant.objects.get(case=case, user=user)
    assert grant.reason == REASON
    assert not grant.identity
    assert round((grant.expires_at - grant.opened_at).total_seconds()) == 4 * 3600

    opened = AuditEntry.objects.get(action="breakglass.open")
    assert opened.actor == user
    assert opened.object_id == str(grant.pk)
    assert opened.details == {
        "case": case.pk,
        "owner": cast.association.pk,
        "hours": 4,
        "identity": False,
    }
    assert REASON not in str(opened.details)

    page = client.get(case_url)
    assert page.status_code == 200
    assert case.person.pseudonym in page.content.decode()
    assert FAMILY_NAME not in page.content.decode()
    read = AuditEntry.objects.filter(action="case.read", actor=user).latest("id")
    assert read.details == {"break_glass": grant.pk}
    # Without the identity in the grant, the identity page stays closed.
    assert client.get(reverse("web:case_identity", args=[case.reference])).status_code == 404

    expire(grant)
    assert client.get(case_url).status_code == 404
    assert client.get(reverse("web:case_identity", args=[case.reference])).status_code == 404


def test_a_grant_with_the_identity_opens_it_and_says_so_in_the_audit(cast, case):
    grant = open_access(cast.nadia, case, identity=True)
    client = client_for(cast.nadia)
    response = client.get(reverse("web:case_identity", args=[case.reference]))
    assert response.status_code == 200
    assert FAMILY_NAME in response.content.decode()
    entry = AuditEntry.objects.filter(action="person.read_identity").latest("id")
    assert entry.details == {"case": case.pk, "break_glass": grant.pk}
    # The owner's own reads are not marked.
    client_for(cast.amina).get(reverse("web:case_identity", args=[case.reference]))
    entry = AuditEntry.objects.filter(action="person.read_identity").latest("id")
    assert entry.details == {"case": case.pk}


def test_closing_the_access_ends_it_at_once(cast, case):
    grant = open_access(cast.robert, case)
    client = client_for(cast.robert)
    case_url = reverse("web:case", args=[case.reference])
    assert client.get(case_url).status_code == 200
    response = client.post(reverse("web:privacy_exceptional_access_revoke", args=[grant.pk]))
    assert response.status_code == 302
    assert client.get(case_url).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert grant.revoked_by == cast.robert
    revoked = AuditEntry.objects.get(action="breakglass.revoke")
    assert revoked.details == {"case": case.pk, "holder": cast.robert.pk}


def test_only_the_holder_or_the_dpo_closes_an_access(cast, case):
    grant = open_access(cast.nadia, case)
    url = reverse("web:privacy_exceptional_access_revoke", args=[grant.pk])
    for persona in ("amina", "hugo", "yasmine"):
        assert client_for(getattr(cast, persona)).post(url).status_code == 404
    assert client_for(cast.nadia).get(url).status_code == 405
    assert client_for(cast.robert).post(url).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_by == cast.robert


def test_the_organisation_responsible_sees_the_access(cast, case):
    open_access(cast.nadia, case)
    other = open_access(cast.robert, case)
    expire(other)
    # Its members see it on their dashboard, in force or recently ended.
    for persona in ("amina", "hugo", "paul"):
        html = client_for(getattr(cast, persona)).get(reverse("web:dashboard")).content.decode()
        assert 'id="exceptional-access-notices"' in html
        assert case.reference in html
        assert "Nadia" in html
        assert "has access until" in html
        assert "had access from" in html
    # Its administrators see the reasons.
    page = client_for(cast.amina).get(reverse("web:privacy_exceptional_access"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="owner-grants"' in html
    assert "the person&#x27;s lawyer asked for a copy" in html
    assert case.reference in html
    # Nobody else's dashboard or list shows it.
    for persona in ("louis", "yasmine", "ines"):
        html = client_for(getattr(cast, persona)).get(reverse("web:dashboard")).content.decode()
        assert case.reference not in html
    html = client_for(cast.yasmine).get(reverse("web:privacy_exceptional_access")).content
    assert case.reference not in html.decode()


def test_the_list_page_is_for_administrators_holders_and_the_dpo(cast, case):
    url = reverse("web:privacy_exceptional_access")
    expected = {"amina": 200, "louis": 200, "sophie": 200, "ines": 200, "yasmine": 200}
    expected |= {"nadia": 200, "robert": 200, "hugo": 404, "claire": 404, "paul": 404}
    for persona, status in expected.items():
        assert client_for(getattr(cast, persona)).get(url).status_code == status, persona
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_dpo_sees_every_access_and_the_coordinator_her_own(cast, case):
    open_access(cast.nadia, case)
    robert = client_for(cast.robert).get(reverse("web:privacy_exceptional_access"))
    assert 'id="all-grants"' in robert.content.decode()
    assert case.reference in robert.content.decode()
    nadia = client_for(cast.nadia).get(reverse("web:privacy_exceptional_access"))
    assert 'id="own-grants"' in nadia.content.decode()
    assert 'id="all-grants"' not in nadia.content.decode()


@pytest.mark.parametrize("persona", ["amina", "hugo", "louis", "claire", "ines", "yasmine"])
def test_others_cannot_open_exceptional_access(cast, case, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(reverse("web:privacy_exceptional_access_new")).status_code == 404
    assert _open_through_the_form(client, case).status_code == 404
    assert not BreakGlassGrant.objects.exists()
    with pytest.raises(TransitionError):
        open_access(getattr(cast, persona), case)


def test_a_reason_is_required_and_the_duration_is_bounded(cast, case):
    client = client_for(cast.nadia)
    response = _open_through_the_form(client, case, reason="Because.")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    response = _open_through_the_form(client, case, hours=48)
    assert response.context["form"].errors["hours"]
    response = client.post(
        reverse("web:privacy_exceptional_access_new"),
        {"reference": "C-0000-0000", "reason": REASON, "hours": 4},
    )
    assert response.context["form"].errors["reference"]
    assert not BreakGlassGrant.objects.exists()
    with pytest.raises(TransitionError):
        breakglass.open_grant(
            acting(cast.nadia), case=case, reason=REASON, hours=25, identity=False
        )


def test_one_access_at_a_time_per_case(cast, case):
    open_access(cast.nadia, case)
    response = _open_through_the_form(client_for(cast.nadia), case)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert BreakGlassGrant.objects.count() == 1


def test_the_duration_offered_first_comes_from_the_settings(cast, settings):
    settings.OPENNRM_BREAK_GLASS_HOURS = 2
    response = client_for(cast.robert).get(reverse("web:privacy_exceptional_access_new"))
    assert response.context["form"].fields["hours"].initial == 2
    settings.OPENNRM_BREAK_GLASS_HOURS = 100
    assert breakglass.default_hours() == breakglass.MAX_HOURS


def test_a_grant_is_personal_and_bound_to_the_organisation_acted_for(cast, case):
    """Another user of the national coordination does not ride on Nadia's grant."""
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=cast.national, role="national_coordinator").user
    open_access(cast.nadia, case)
    assert client_for(colleague).get(reverse("web:case", args=[case.reference])).status_code == 404
