"""The person's rights, end to end: the copy of everything held on them (JSON and PDF) and the
rectification of their identity. For the administrators of the organisation responsible for
the case, or the data protection officer under exceptional access with the identity."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentMethod, ConsentScope, IdentificationStatus
from opennrm.cases.models import CaseEvent, CaseTransfer
from opennrm.cases.safe_contact import record_safe_contact
from opennrm.core.models import Territory
from opennrm.detection import accounts, actions, facts
from opennrm.detection.models import PreliminaryAssessment
from opennrm.identification.models import Route
from opennrm.identification.services import refer
from opennrm.support.services import open_protection, record_immediate_needs
from tests.factories import CaseFactory
from tests.privacy.conftest import (
    ALIAS,
    FAMILY_NAME,
    GIVEN_NAMES,
    acting,
    client_for,
    open_access,
    pdf_text,
)

GUARDIAN_NAME = "Philomène Vasquez-Oyelaran"
ANSWER_NOTE = "Fictional note: passport kept by the employer."
NEEDS_NOTE = "Fictional note: needs a quiet room."
ACCOUNT_TEXT = "Fictional account: a neighbour promised a job in a hotel kitchen."
SITUATION_TOWN = "Fictional Townsend"
EXPLOITER_NAME = "Fictional Barnabé Crépuscule"
WORKPLACE_NAME = "Fictional Hôtel des Brumes"
WORKPLACE_SIRET = "73282932000074"
SAFE_PHONE = "+33 6 55 44 33 22"
SAFE_PRECAUTIONS = "Fictional: call only from the clinic's number."
TRANSFER_EXPLANATION = "Fictional: she wants to live near her sister in Marseille."


@pytest.fixture
def full_case(cast, case):
    """The case of conftest, with what a file holds: information on rights, consent, a
    concluded assessment (presumed victim), immediate needs and a judicial referral."""
    request = acting(cast.amina)
    actions.record_rights_information(
        case,
        actor=request,
        given_on=timezone.localdate(),
        language="ro",
        leaflet_given=True,
        leaflet_language="en",
    )
    consent = actions.record_consent(
        case,
        scope=ConsentScope.REFERRAL,
        method=ConsentMethod.ORAL,
        organisation=None,
        actor=request,
    )
    PreliminaryAssessment.objects.create(
        case=case,
        catalogue_version="2026.1",
        set_code="adults_labour",
        answers={"AL-DR-01": {"answer": "present", "note": ANSWER_NOTE}},
        conclusion="presumed_victim",
        reasons="Fictional reasons: deceptive recruitment.",
        assessed_by=cast.amina,
        organisation=cast.association,
        finalised_at=timezone.now(),
    )
    case.transition(IdentificationStatus.PRESUMED_VICTIM, actor=request)
    open_protection(case, actor=request)
    record_immediate_needs(case, actor=request, shelter=True, notes=NEEDS_NOTE)
    refer(case, route=Route.JUDICIAL, target=cast.police, consent=consent, actor=request)
    accounts.save_section(case, "recruitment", {"recruitment": ACCOUNT_TEXT}, actor=request)
    accounts.add_situation(
        case, {"commune": SITUATION_TOWN, "sector": "hospitality"}, actor=request
    )
    facts.save_facts(
        case, {"recruitment_countries": ["RO"], "sectors": ["hospitality"]}, actor=request
    )
    facts.add_exploiter(case, {"name": EXPLOITER_NAME, "roles": ["recruiter"]}, actor=request)
    facts.add_workplace(case, {"name": WORKPLACE_NAME, "siret": WORKPLACE_SIRET}, actor=request)
    record_safe_contact(case, {"phone": SAFE_PHONE, "precautions": SAFE_PRECAUTIONS}, actor=request)
    # A transfer proposed earlier and declined (issue #12, point 7).
    CaseTransfer.objects.create(
        case=case,
        kind="proposal",
        status="declined",
        from_organisation=cast.association,
        to_organisation=cast.other_association,
        from_territory=case.territory,
        to_territory=Territory.objects.get(code="13"),
        reason="person_moves",
        explanation=TRANSFER_EXPLANATION,
        asked_by=cast.amina,
        decided_by=cast.yasmine,
        decided_at=timezone.now(),
        decision_note="Fictional: no place before spring.",
    )
    case.refresh_from_db()
    return case


def _json(response) -> dict:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_json_copy_holds_the_person_and_every_record_of_the_case(cast, full_case):
    case = full_case
    url = reverse("web:privacy_subject_access_json", args=[case.reference])
    copy = _json(client_for(cast.amina).get(url))
    assert copy["format"] == "opennrm.subject-access/1"
    person = copy["person"]
    assert person["given_names"] == GIVEN_NAMES
    assert person["family_name"] == FAMILY_NAME
    assert person["aliases"] == ALIAS
    assert person["pseudonym"] == case.person.pseudonym
    assert person["nationalities"] == ["RO"]
    [held] = copy["cases"]
    assert held["case"]["reference"] == case.reference
    assert held["case"]["owner"] == cast.association.name
    records = held["records"]
    for model in (
        "cases.caseevent",
        "cases.consent",
        "cases.caseshare",
        "detection.preliminaryassessment",
        "detection.rightsinformation",
        "support.immediateneeds",
        "support.supportrecord",
        "support.reflectionperiod",
        "identification.referral",
        "detection.personaccount",
        "detection.exploitativesituation",
        "cases.safecontact",
        "detection.accountfacts",
        "detection.exploiter",
        "detection.workplace",
        "cases.casetransfer",
    ):
        assert records.get(model), model
    assert "detection.linktoken" not in records  # keyed hashes: nothing to the person
    [case_facts] = records["detection.accountfacts"]
    assert case_facts["recruitment_countries"] == ["RO"]
    [exploiter] = records["detection.exploiter"]
    assert exploiter["name"] == EXPLOITER_NAME and exploiter["roles"] == ["recruiter"]
    [workplace] = records["detection.workplace"]
    assert workplace["name"] == WORKPLACE_NAME and workplace["siret"] == WORKPLACE_SIRET
    [transfer] = records["cases.casetransfer"]
    assert transfer["explanation"] == TRANSFER_EXPLANATION
    [account] = records["detection.personaccount"]
    assert account["recruitment"] == ACCOUNT_TEXT
    [situation] = records["detection.exploitativesituation"]
    [safe_contact] = records["cases.safecontact"]
    assert safe_contact["phone"] == SAFE_PHONE
    assert safe_contact["precautions"] == SAFE_PRECAUTIONS
    assert situation["commune"] == SITUATION_TOWN
    [assessment] = records["detection.preliminaryassessment"]
    assert assessment["answers"]["AL-DR-01"]["note"] == ANSWER_NOTE
    assert records["support.immediateneeds"][0]["notes"] == NEEDS_NOTE
    kinds = {event["kind"] for event in records["cases.caseevent"]}
    assert {"share.granted", "consent.referral", "referral.judicial"} <= kinds
    [consent] = records["cases.consent"]
    assert consent["scope"] == "referral"
    assert consent["withdrawn_at"] is None
    # Staff accounts are other people's data: neither their names nor their addresses.
    text = json.dumps(copy)
    assert "amina@test.opennrm.invalid" not in text
    assert "recorded_by" not in text


def test_a_guardian_and_a_decision_are_in_the_copy_when_they_exist(cast, full_case):
    from opennrm.detection.models import Guardian

    Guardian.objects.create(
        case=full_case, kind="ad_hoc", name=GUARDIAN_NAME, recorded_by=cast.amina
    )
    url = reverse("web:privacy_subject_access_json", args=[full_case.reference])
    copy = _json(client_for(cast.amina).get(url))
    records = copy["cases"][0]["records"]
    assert records["detection.guardian"][0]["name"] == GUARDIAN_NAME


def test_the_pdf_copy_holds_the_same_data(cast, full_case):
    url = reverse("web:privacy_subject_access_pdf", args=[full_case.reference])
    response = client_for(cast.amina).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Copy of the personal data held" in text
    assert FAMILY_NAME in text
    assert GIVEN_NAMES in text
    assert full_case.reference in text
    assert NEEDS_NOTE in text
    assert WORKPLACE_NAME in text and "Romania" in text
    assert cast.association.name in text
    assert "amina@test.opennrm.invalid" not in text


def test_each_copy_is_audited_without_personal_data(cast, full_case):
    client = client_for(cast.amina)
    client.get(reverse("web:privacy_subject_access_json", args=[full_case.reference]))
    client.get(reverse("web:privacy_subject_access_pdf", args=[full_case.reference]))
    entries = AuditEntry.objects.filter(action="person.subject_access").order_by("id")
    assert [e.details["format"] for e in entries] == ["json", "pdf"]
    for entry in entries:
        assert entry.object_id == str(full_case.person.pk)
        assert entry.details["cases"] == [full_case.pk]
        assert FAMILY_NAME not in json.dumps(entry.details)
    reads = AuditEntry.objects.filter(action="person.read_identity", actor=cast.amina)
    assert reads.count() == 2


def test_another_organisations_case_of_the_same_person_is_not_in_the_copy(cast, case):
    other = CaseFactory(owner=cast.other_association, person=case.person)
    copy = _json(
        client_for(cast.amina).get(
            reverse("web:privacy_subject_access_json", args=[case.reference])
        )
    )
    assert [item["case"]["reference"] for item in copy["cases"]] == [case.reference]
    assert other.reference not in json.dumps(copy)


RIGHTS_PAGES = (
    "privacy_person_rights",
    "privacy_subject_access_json",
    "privacy_subject_access_pdf",
    "privacy_rectification",
)


@pytest.mark.parametrize("name", RIGHTS_PAGES)
@pytest.mark.parametrize(
    "persona", ["nadia", "louis", "hugo", "claire", "sophie", "paul", "ines", "robert", "yasmine"]
)
def test_only_the_owners_administrators_use_the_rights_pages(cast, case, name, persona):
    """Hugo works on the case but administers nothing; Louis sees it for coordination; the
    national level and the DPO have no exceptional access here."""
    url = reverse(f"web:{name}", args=[case.reference])
    assert client_for(getattr(cast, persona)).get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="person.subject_access").exists()


@pytest.mark.parametrize("name", RIGHTS_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(cast, case, name):
    response = client_for(None).get(reverse(f"web:{name}", args=[case.reference]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_dpo_under_exceptional_access_with_the_identity_may_copy(cast, full_case):
    url = reverse("web:privacy_subject_access_json", args=[full_case.reference])
    client = client_for(cast.robert)
    open_access(cast.robert, full_case)  # without the identity: not enough
    assert client.get(url).status_code == 404
    grant = open_access(cast.nadia, full_case, identity=True)  # the coordinator's: not his
    assert client.get(url).status_code == 404
    from opennrm.privacy.models import BreakGlassGrant

    BreakGlassGrant.objects.filter(user=cast.robert).update(revoked_at=timezone.now())
    grant = open_access(cast.robert, full_case, identity=True)
    copy = _json(client.get(url))
    assert copy["person"]["family_name"] == FAMILY_NAME
    entry = AuditEntry.objects.filter(action="person.subject_access").latest("id")
    assert entry.actor == cast.robert
    assert entry.details["break_glass"] == grant.pk
    # The national coordinator, even with the identity, does not answer rights requests.
    nadia = client_for(cast.nadia).get(url)
    assert nadia.status_code == 404


# Rectification ---------------------------------------------------------------------------


def _identity_form(person, **changes):
    data = {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "aliases": person.aliases,
        "date_of_birth": "",
        "estimated_age": person.estimated_age or "",
        "sex": person.sex,
        "gender_identity": person.gender_identity,
        "nationalities": person.nationalities,
        "languages": person.languages,
    }
    data.update(changes)
    return data


def test_rectification_with_a_reason_end_to_end(cast, case):
    url = reverse("web:privacy_rectification", args=[case.reference])
    client = client_for(cast.amina)
    page = client.get(url)
    assert page.status_code == 200
    assert FAMILY_NAME in page.content.decode()
    reason = "The person showed her passport: the family name was misspelt."
    response = client.post(
        url, _identity_form(case.person, family_name="Brzeczyszczykiewicz", reason=reason)
    )
    assert response.status_code == 302
    case.person.refresh_from_db()
    assert case.person.family_name == "Brzeczyszczykiewicz"
    event = CaseEvent.objects.get(case=case, kind="person.rectified")
    assert event.note == reason
    assert event.details == {"fields": ["family_name"]}
    assert event.actor == cast.amina
    assert CaseEvent.objects.filter(case=case, kind="person.updated").exists()
    entry = AuditEntry.objects.get(action="person.rectify")
    assert entry.details == {"case": case.pk, "fields": ["family_name"]}
    assert "passport" not in json.dumps(entry.details)
    # The timeline on the case page shows the correction.
    timeline = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert "person.rectified" in timeline or "corrected" in timeline


def test_rectification_needs_a_reason_and_a_change(cast, case):
    url = reverse("web:privacy_rectification", args=[case.reference])
    client = client_for(cast.amina)
    response = client.post(url, _identity_form(case.person, family_name="Other", reason=""))
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    case.person.refresh_from_db()
    assert case.person.family_name == FAMILY_NAME
    response = client.post(url, _identity_form(case.person, reason="Nothing to change really."))
    assert response.status_code == 302
    assert not CaseEvent.objects.filter(kind="person.rectified").exists()


def test_rectification_keeps_the_models_rules(cast, case):
    url = reverse("web:privacy_rectification", args=[case.reference])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_for(cast.amina).post(
        url, _identity_form(case.person, date_of_birth=future, reason="Date of birth given.")
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    case.person.refresh_from_db()
    assert case.person.date_of_birth is None


def test_the_dpo_rectifies_under_exceptional_access(cast, case):
    grant = open_access(cast.robert, case, identity=True)
    url = reverse("web:privacy_rectification", args=[case.reference])
    response = client_for(cast.robert).post(
        url, _identity_form(case.person, aliases="", reason="The person asked to erase the alias.")
    )
    assert response.status_code == 302
    case.person.refresh_from_db()
    assert case.person.aliases == ""
    entry = AuditEntry.objects.get(action="person.rectify")
    assert entry.details == {"case": case.pk, "fields": ["aliases"], "break_glass": grant.pk}
