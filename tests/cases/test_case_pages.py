"""The case pages: the list, direct detection, the pseudonymised case page, the identity."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import Case, CaseEvent
from opennrm.detection import accounts, actions
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.web.cases.views import event_label, optional_url
from tests.cases.conftest import ALIAS, FAMILY_NAME, GIVEN_NAMES, actor_for
from tests.factories import CaseFactory


def _audit(action: str, target) -> int:
    return AuditEntry.objects.filter(
        action=action, object_type=target._meta.label_lower, object_id=str(target.pk)
    ).count()


# Identity hidden, shown on demand, audited ---------------------------------------------------


@pytest.mark.parametrize("persona", ["amina", "hugo", "louis", "paul"])
def test_names_never_appear_on_the_list_and_the_case_page(cast, case, persona):
    client = cast.client_for(getattr(cast, persona))
    for url in (reverse("web:cases"), reverse("web:case", args=[case.reference])):
        html = client.get(url).content.decode()
        assert case.person.pseudonym in html
        for secret in (*GIVEN_NAMES.split(), FAMILY_NAME, ALIAS):
            assert secret not in html, (url, secret)


def test_the_case_page_links_to_the_identity_only_for_those_who_may_open_it(cast, case):
    identity_url = reverse("web:case_identity", args=[case.reference])
    page = reverse("web:case", args=[case.reference])
    assert identity_url in cast.client_for(cast.amina).get(page).content.decode()
    for persona in ("louis", "paul"):
        html = cast.client_for(getattr(cast, persona)).get(page).content.decode()
        assert identity_url not in html


def test_reading_the_case_page_is_audited(cast, case):
    before = _audit("case.read", case)
    cast.client_for(cast.louis).get(reverse("web:case", args=[case.reference]))
    assert _audit("case.read", case) == before + 1


def test_the_identity_page_shows_the_identity_and_is_audited(cast, case):
    response = cast.client_for(cast.amina).get(reverse("web:case_identity", args=[case.reference]))
    html = response.content.decode()
    assert GIVEN_NAMES in html
    assert FAMILY_NAME in html
    assert ALIAS in html
    assert "Romania" in html or "Roumanie" in html  # nationality by name, not code
    entry = AuditEntry.objects.get(action="person.read_identity", object_id=str(case.person.pk))
    assert entry.actor == cast.amina
    assert entry.details == {"case": case.pk}


def test_an_outsider_reading_the_identity_leaves_no_identity_read(cast, case):
    for persona in ("louis", "paul", "claire", "yasmine"):
        response = cast.client_for(getattr(cast, persona)).get(
            reverse("web:case_identity", args=[case.reference])
        )
        assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="person.read_identity").exists()


def test_a_share_that_includes_the_identity_opens_it(cast, case):
    from opennrm.cases.enums import ShareReason

    request = actor_for(cast.amina)
    consent = actions.record_consent(
        case, scope="referral", method="oral", organisation=None, actor=request
    )
    case.share_with(
        cast.police, ShareReason.REFERRAL, actor=request, consent=consent, identity=True
    )
    response = cast.client_for(cast.claire).get(reverse("web:case_identity", args=[case.reference]))
    assert response.status_code == 200
    assert FAMILY_NAME in response.content.decode()
    # ... but the correction stays with the responsible organisation.
    edit = reverse("web:case_identity_edit", args=[case.reference])
    assert cast.client_for(cast.claire).get(edit).status_code == 404


def test_correcting_the_identity_is_audited_and_changes_the_age_rules(cast, case):
    client = cast.client_for(cast.amina)
    url = reverse("web:case_identity_edit", args=[case.reference])
    form = client.get(url).content.decode()
    assert FAMILY_NAME in form  # the form shows the identity...
    assert _audit("person.read_identity", case.person) == 1  # ...and that read is audited
    born = timezone.localdate().replace(year=timezone.localdate().year - 15) - datetime.timedelta(
        days=1
    )
    response = client.post(
        url,
        {
            "given_names": "Corrected",
            "family_name": FAMILY_NAME,
            "aliases": ALIAS,
            "date_of_birth": born.isoformat(),
            "sex": "female",
            "nationalities": ["RO", "MD"],
            "languages": ["ro"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case_identity", args=[case.reference])
    case.refresh_from_db()
    case.person.refresh_from_db()
    assert case.person.given_names == "Corrected"
    assert case.person.nationalities == ["MD", "RO"] or case.person.nationalities == ["RO", "MD"]
    assert case.child is True
    assert case.age_at_detection == 15
    entry = AuditEntry.objects.get(action="person.update", object_id=str(case.person.pk))
    assert "given_names" in entry.details["fields"]
    assert "Corrected" not in str(entry.details)  # codes only, never the data
    assert case.events.filter(kind="person.updated").exists()


def test_an_invalid_correction_keeps_what_was_typed(cast, case):
    client = cast.client_for(cast.amina)
    url = reverse("web:case_identity_edit", args=[case.reference])
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        url,
        {
            "given_names": "Typed but kept",
            "date_of_birth": future.isoformat(),
            "sex": "female",
            "nationalities": ["ZZ"],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Typed but kept" in html
    assert "fr-input-group--error" in html or "fr-select-group--error" in html
    case.person.refresh_from_db()
    assert case.person.given_names == GIVEN_NAMES
    assert not AuditEntry.objects.filter(action="person.update").exists()


# Direct detection ----------------------------------------------------------------------------


def _detection(**overrides):
    data = {
        "given_names": "Ilinca",
        "family_name": "Fictivescu",
        "estimated_age": "34",
        "sex": "female",
        "nationalities": ["RO"],
        "languages": ["ro", "fr"],
        "forms": ["forced_labour", "undignified_conditions"],
        "sector": "agriculture",
        "places": "Farms around a fictional town",
        "channel": "outreach",
        "detected_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_a_field_worker_opens_a_case_directly(cast):
    from opennrm.core.models import Territory

    client = cast.client_for(cast.hugo)
    form = client.get(reverse("web:case_create")).content.decode()
    assert 'name="forms"' in form and 'type="checkbox"' in form
    territory = Territory.objects.get(code="93")
    response = client.post(reverse("web:case_create"), _detection(territory=territory.pk))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("web:case", args=[case.reference])
    assert case.owner == cast.association
    assert case.detected_by == cast.association
    assert case.forms == ["forced_labour", "undignified_conditions"]
    assert case.channel == "outreach"
    assert case.child is False
    assert case.age_at_detection == 34
    assert case.assessment_due is not None
    assert case.person.given_names == "Ilinca"
    assert sorted(case.person.languages) == ["fr", "ro"]
    assert case.person.pseudonym.startswith("P-")
    assert _audit("case.create", case) == 1
    assert _audit("person.create", case.person) == 1
    assert case.events.filter(kind="case.opened").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Ilinca" not in page and "Fictivescu" not in page
    assert "Case opened" in page or "Dossier ouvert" in page


def test_a_person_who_may_be_a_child_gets_child_rules(cast):
    from opennrm.core.models import Territory

    territory = Territory.objects.get(code="93")
    data = _detection(territory=territory.pk, estimated_age="", may_be_child="on")
    response = cast.client_for(cast.amina).post(reverse("web:case_create"), data)
    assert response.status_code == 302
    assert Case.objects.get().child is True


def test_an_invalid_detection_keeps_everything_typed(cast):
    from opennrm.core.models import Territory

    territory = Territory.objects.get(code="93")
    data = _detection(
        territory=territory.pk,
        forms=[],
        period_start="2025-05-01",
        period_end="2025-01-01",
    )
    response = cast.client_for(cast.amina).post(reverse("web:case_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ilinca" in html and "Fictivescu" in html
    assert "Farms around a fictional town" in html
    assert html.count("fr-fieldset--error") >= 1
    assert not Case.objects.exists()


def test_detection_refuses_a_date_in_the_future_and_an_unknown_form(cast):
    from opennrm.core.models import Territory

    territory = Territory.objects.get(code="93")
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = _detection(territory=territory.pk, detected_on=future, forms=["no_such_form"])
    response = cast.client_for(cast.amina).post(reverse("web:case_create"), data)
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_the_departement_defaults_to_the_organisations_own(cast):
    from opennrm.core.models import Territory

    territory = Territory.objects.get(code="93")
    html = cast.client_for(cast.amina).get(reverse("web:case_create")).content.decode()
    assert f'<option value="{territory.pk}" selected>' in html


# The list ----------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_shows_overdue_assessments(cast, case):
    overdue = CaseFactory(owner=cast.association)
    Case.objects.filter(pk=overdue.pk).update(
        assessment_due=timezone.localdate() - datetime.timedelta(days=2)
    )
    presumed = CaseFactory(owner=cast.association, status="presumed_victim")
    client = cast.client_for(cast.amina)
    html = client.get(reverse("web:cases")).content.decode()
    assert all(c.reference in html for c in (case, overdue, presumed))
    assert "fr-badge--error" in html
    html = client.get(reverse("web:cases"), {"status": "presumed_victim"}).content.decode()
    assert presumed.reference in html
    assert case.reference not in html
    html = client.get(reverse("web:cases"), {"overdue": "on"}).content.decode()
    assert overdue.reference in html
    assert case.reference not in html and presumed.reference not in html


def test_the_list_is_paginated(cast):
    for _ in range(55):
        CaseFactory(owner=cast.association)
    client = cast.client_for(cast.amina)
    first = client.get(reverse("web:cases")).content.decode()
    assert first.count('href="/cases/C-') == 50
    second = client.get(reverse("web:cases"), {"page": 2}).content.decode()
    assert second.count('href="/cases/C-') == 5


# The case page -------------------------------------------------------------------------------


def test_the_case_page_shows_the_timeline_with_labels_due_dates_and_next_steps(cast, case):
    request = actor_for(cast.amina)
    CaseEvent.log(case, "case.opened", actor=request)
    CaseEvent.log(case, "something.new", actor=request)
    html = cast.client_for(cast.amina).get(reverse("web:case", args=[case.reference])).content
    html = html.decode()
    assert str(event_label("case.opened")) in html
    assert "something.new" in html  # an unknown kind is shown as its code
    assert reverse("web:assessment_start", args=[case.reference]) in html
    assert 'id="age-group"' in html


def test_due_dates_of_a_protected_and_referred_case(cast, case):
    from opennrm.identification.services import refer
    from opennrm.support.services import open_protection

    request = actor_for(cast.amina)
    case.transition("presumed_victim", actor=request)
    open_protection(case, actor=request)
    consent = actions.record_consent(
        case, scope="referral", method="oral", organisation=None, actor=request
    )
    referral = refer(
        case, route="platform", target=cast.coordination, consent=consent, actor=request
    )
    html = cast.client_for(cast.amina).get(reverse("web:case", args=[case.reference]))
    html = html.content.decode()
    period = case.reflection_periods.get()
    from django.utils.formats import date_format

    assert date_format(period.ends_on, "SHORT_DATE_FORMAT") in html
    assert date_format(referral.decision_due, "SHORT_DATE_FORMAT") in html


def test_optional_links_are_left_out_until_the_page_exists():
    assert optional_url("web:no_such_page", "C-0000-0000") is None
    assert optional_url("web:case", "C-0000-0000") == "/cases/C-0000-0000/"


def test_event_labels():
    assert event_label("status.presumed_victim") != "status.presumed_victim"
    assert event_label("unheard.of") == "unheard.of"


# Query counts --------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_runs_a_constant_number_of_queries(cast, django_assert_num_queries):
    for _ in range(2):
        CaseFactory(owner=cast.association)
    client = cast.client_for(cast.amina)
    url = reverse("web:cases")
    client.get(url)  # warm caches (session, content types)
    few = _count(client, url)
    for _ in range(40):
        CaseFactory(owner=cast.association, forms=["forced_labour", "forced_begging"])
    with django_assert_num_queries(few):
        client.get(url)


def test_the_case_page_runs_a_constant_number_of_queries(cast, case, django_assert_num_queries):
    request = actor_for(cast.amina)
    CaseEvent.log(case, "case.opened", actor=request)
    client = cast.client_for(cast.amina)
    url = reverse("web:case", args=[case.reference])
    client.get(url)
    few = _count(client, url)
    for index in range(40):
        CaseEvent.log(
            case, f"kind.{index % 3}", actor=actor_for([cast.amina, cast.hugo][index % 2])
        )
    actions.start_assessment(
        case, set_code="adults_labour", version=latest_catalogue().version, actor=request
    )
    accounts.save_section(case, "journey", {"journey": "Fictional."}, actor=request)
    for _ in range(10):
        accounts.add_situation(case, {"timing": "Fictional."}, actor=request)
    with django_assert_num_queries(few):
        client.get(url)
