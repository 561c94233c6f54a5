"""Encrypted fields: values round-trip, the database holds only ciphertext, and every failure
(unknown key, wrong key, altered value, unsupported lookup) is loud and clear."""

import datetime

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.test import override_settings

from opennrm.cases.models import Case, CaseEvent, Person
from opennrm.crypto import cipher
from opennrm.crypto.cipher import DecryptionError, UnknownKeyError
from opennrm.crypto.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    encrypted_fields,
)
from opennrm.crypto.keys import check_configuration, parse_field_keys, parse_index_key
from opennrm.detection.models import Concern, Guardian, PreliminaryAssessment
from tests.factories import CaseFactory, ConcernFactory, PersonFactory
from tests.security.helpers import new_key, raw_value

pytestmark = pytest.mark.django_db

GIVEN = "Zénaïde Ålborg"
FAMILY = "Quixotova-Ñandú"
PLACES = "Fictional: a nail bar behind the Rue des Lilas market, and a flat above it"
NOTE = "Fictional: she said the boss keeps every passport in a locked drawer"


@pytest.fixture
def person(territories):
    return PersonFactory(
        given_names=GIVEN,
        family_name=FAMILY,
        aliases="Zena, Zaza",
        date_of_birth=datetime.date(1999, 2, 28),
        gender_identity="Fictional identity",
    )


def _fresh(instance):
    return type(instance).objects.get(pk=instance.pk)


def test_each_field_type_round_trips(person, cast):
    case = CaseFactory(person=person, owner=cast.association, places=PLACES)
    event = CaseEvent.objects.create(case=case, kind="status.x", note=NOTE)
    assessment = PreliminaryAssessment.objects.create(
        case=case,
        catalogue_version="2026.1",
        set_code="adults_labour",
        answers={"L1": {"answer": "yes", "note": "Fictional: «works 14 h a day» — ça va"}},
        reasons="Fictional reasons",
        assessed_by=cast.amina,
        organisation=cast.association,
    )
    person = _fresh(person)
    assert (person.given_names, person.family_name, person.aliases) == (
        GIVEN,
        FAMILY,
        "Zena, Zaza",
    )
    assert person.date_of_birth == datetime.date(1999, 2, 28)
    assert person.gender_identity == "Fictional identity"
    assert _fresh(case).places == PLACES
    assert _fresh(event).note == NOTE
    assert _fresh(assessment).answers == {
        "L1": {"answer": "yes", "note": "Fictional: «works 14 h a day» — ça va"}
    }
    assert Person.objects.filter(pk=person.pk).values_list("family_name", flat=True).get() == FAMILY


def test_null_and_blank_are_kept(territories):
    person = PersonFactory(given_names="", family_name="", aliases="", date_of_birth=None)
    assert raw_value(person, "given_names") == ""
    assert raw_value(person, "date_of_birth") is None
    person = _fresh(person)
    assert person.given_names == "" and person.date_of_birth is None


def test_update_and_bulk_paths_encrypt_too(person, cast):
    Person.objects.filter(pk=person.pk).update(family_name="Updatedova")
    assert str(raw_value(person, "family_name")).startswith("v1:test:")
    assert _fresh(person).family_name == "Updatedova"
    person.family_name = "Bulkova"
    Person.objects.bulk_update([person], ["family_name"])
    assert "Bulkova" not in str(raw_value(person, "family_name"))
    assert _fresh(person).family_name == "Bulkova"


def test_the_database_holds_ciphertext_only(person, cast):
    case = CaseFactory(person=person, owner=cast.association, places=PLACES)
    concern = ConcernFactory(contact="fictional.reporter@example.org, 06 00 00 00 00")
    guardian = Guardian.objects.create(
        case=case,
        kind=Guardian.Kind.AD_HOC,
        name="Fictional Guardian Name",
        contact="+33 6 99 99 99 99",
        recorded_by=cast.amina,
    )
    checks = [
        (person, "given_names", GIVEN),
        (person, "family_name", FAMILY),
        (person, "aliases", "Zaza"),
        (person, "date_of_birth", "1999-02-28"),
        (person, "gender_identity", "Fictional identity"),
        (case, "places", "Rue des Lilas"),
        (concern, "description", "building site"),
        (concern, "contact", "fictional.reporter"),
        (guardian, "name", "Fictional Guardian"),
        (guardian, "contact", "99 99"),
    ]
    for instance, field, plaintext in checks:
        stored = str(raw_value(instance, field))
        assert stored.startswith("v1:test:"), field
        assert plaintext.lower() not in stored.lower(), field
        assert plaintext in cipher.decrypt(stored), field
    # Two equal values give two different ciphertexts (random nonce): equality is not revealed.
    twin = PersonFactory(given_names=GIVEN, family_name=FAMILY)
    assert raw_value(twin, "family_name") != raw_value(person, "family_name")


def test_lengths_are_padded_to_blocks():
    short, longer = cipher.encrypt("Al"), cipher.encrypt("Alexandrina")
    assert len(short) == len(longer)


def test_every_expected_field_is_encrypted():
    labels = {f"{model._meta.label}.{field.name}" for model, field in encrypted_fields()}
    assert {
        "cases.Person.given_names",
        "cases.Person.family_name",
        "cases.Person.aliases",
        "cases.Person.date_of_birth",
        "cases.Person.gender_identity",
        "cases.Case.places",
        "cases.CaseEvent.note",
        "cases.CaseClosure.note",
        "cases.CaseClosure.reopen_reason",
        "detection.Concern.description",
        "detection.Concern.contact",
        "detection.Concern.closing_note",
        "detection.PreliminaryAssessment.reasons",
        "detection.PreliminaryAssessment.answers",
        "detection.Guardian.name",
        "detection.Guardian.contact",
        "cases.SafeContact.phone",
        "cases.SafeContact.address",
        "cases.SafeContact.contact_organisation_other",
        "cases.SafeContact.safe_times",
        "cases.SafeContact.precautions",
        # Documents attached to the case: their files are sealed too (opennrm.cases.evidence).
        "cases.Evidence.file_name",
        "cases.Evidence.description",
        "cases.Evidence.document_date",
        "cases.CaseTransfer.explanation",
        "cases.CaseTransfer.decision_note",
        "detection.PersonAccount.background",
        "detection.PersonAccount.recruitment",
        "detection.PersonAccount.journey",
        "detection.PersonAccount.conditions",
        "detection.PersonAccount.control",
        "detection.PersonAccount.leaving",
        "detection.PersonAccount.reprisals",
        "detection.PersonAccount.reported_details",
        "detection.PersonAccount.interview_place",
        "detection.PersonAccount.interview_on",
        "detection.PersonAccount.present",
        "detection.PersonAccount.breaks",
        "detection.PersonAccount.person_state",
        "detection.PersonAccount.insight",
        "detection.PersonAccount.credibility",
        "detection.ExploitativeSituation.timing",
        "detection.ExploitativeSituation.commune",
        "detection.ExploitativeSituation.description",
        "detection.Exploiter.name",
        "detection.Exploiter.notes",
        "detection.Workplace.name",
        "detection.Workplace.address",
        "detection.Workplace.commune",
        "detection.Workplace.siret",
        "support.ImmediateNeeds.notes",
        "identification.Referral.new_elements",
        "identification.Interview.report",
        "identification.Vote.reasons",
        "identification.InformationRequest.question",
        "identification.InformationRequest.answer",
        "identification.JudicialRecord.offence",
        "identification.JudicialRecord.procedure_reference",
        "identification.IdentificationDecision.reasons",
        "outbox.OutgoingEmail.message",  # addresses and bodies of e-mails waiting to leave
    } <= labels
    # Kept in clear for statistics (ADR 0008).
    for name in ("estimated_age", "sex", "nationalities", "may_be_child"):
        assert not isinstance(
            Person._meta.get_field(name),
            EncryptedCharField | EncryptedDateField | EncryptedTextField | EncryptedJSONField,
        )


def test_lookups_other_than_isnull_are_refused(person):
    assert Person.objects.filter(date_of_birth__isnull=False, pk=person.pk).exists()
    assert Person.objects.filter(date_of_birth=None).count() == 0
    for lookup in ("family_name", "family_name__icontains", "date_of_birth__year", "aliases__in"):
        with pytest.raises(FieldError, match="encrypted"):
            list(Person.objects.filter(**{lookup: "x"}))
    with pytest.raises(FieldError, match="only 'isnull'"):
        Concern.objects.filter(description__startswith="Fictional").exists()


def test_a_value_sealed_with_an_unknown_key_says_so(person):
    with (
        override_settings(OPENNRM_FIELD_KEYS=new_key("other")),
        pytest.raises(UnknownKeyError, match=r"'test'.*OPENNRM_FIELD_KEYS"),
    ):
        _fresh(person)


def test_a_wrong_key_under_the_same_id_is_detected(person):
    with (
        override_settings(OPENNRM_FIELD_KEYS=new_key("test")),
        pytest.raises(DecryptionError, match="key is wrong or the stored value was altered"),
    ):
        _fresh(person)


def test_an_altered_value_is_detected(person):
    stored = str(raw_value(person, "family_name"))
    body = bytearray(stored.encode())
    body[-5] = ord("A") if body[-5] != ord("A") else ord("B")
    with pytest.raises(DecryptionError):
        cipher.decrypt(body.decode())
    # The header is authenticated: moving the value under another key id fails too.
    with pytest.raises(DecryptionError):
        cipher.decrypt(stored.replace("v1:test:", "v1:TEST:"))


def test_plaintext_left_in_an_encrypted_column_is_an_error(person):
    Person.objects.filter(pk=person.pk).update(family_name="x")  # encrypted: fine
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_person SET family_name = %s WHERE id = %s", ["Plaintext", person.pk]
        )
    with pytest.raises(DecryptionError, match="not in the encrypted format"):
        _fresh(person)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "OPENNRM_FIELD_KEYS must be set"),
        ("nokey", "OPENNRM_FIELD_KEYS: entry 1 must be written"),
        ("k1:not base64!", "OPENNRM_FIELD_KEYS: the key 'k1' is not valid base64"),
        ("k1:dG9vLXNob3J0", "must be 32 bytes"),
        (f"{new_key('a')},{new_key('a')}", "the id 'a' is repeated"),
    ],
)
def test_malformed_field_keys_are_named(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        parse_field_keys(raw)
    assert raw.partition(":")[2][:10] not in str(error.value) or not raw.partition(":")[2]


def test_malformed_index_key_is_named():
    with pytest.raises(ImproperlyConfigured, match="OPENNRM_INDEX_KEY must be set"):
        parse_index_key("")
    with pytest.raises(ImproperlyConfigured, match="OPENNRM_INDEX_KEY must be at least"):
        parse_index_key("dG9vLXNob3J0")


def test_missing_keys_stop_the_configuration_check():
    with (
        override_settings(OPENNRM_FIELD_KEYS=""),
        pytest.raises(ImproperlyConfigured, match="OPENNRM_FIELD_KEYS"),
    ):
        check_configuration()
    with (
        override_settings(OPENNRM_INDEX_KEY=""),
        pytest.raises(ImproperlyConfigured, match="OPENNRM_INDEX_KEY"),
    ):
        check_configuration()
    key = new_key("same")
    with (
        override_settings(OPENNRM_FIELD_KEYS=key, OPENNRM_INDEX_KEY=key.partition(":")[2]),
        pytest.raises(ImproperlyConfigured, match="must differ"),
    ):
        check_configuration()
    check_configuration()  # the test keys again


def test_the_key_ring_never_shows_a_key():
    key = new_key("k1")
    ring = parse_field_keys(key)
    assert key.partition(":")[2] not in repr(ring)
    assert repr(ring) == "KeyRing(ids=['k1'])"


def test_case_listing_still_works_with_deferred_identity(person, cast):
    case = CaseFactory(person=person, owner=cast.association)
    row = (
        Case.objects.select_related("person").only("reference", "person__pseudonym").get(pk=case.pk)
    )
    assert row.person.pseudonym == person.pseudonym
    assert row.person.family_name == FAMILY  # deferred, loaded and decrypted on access
