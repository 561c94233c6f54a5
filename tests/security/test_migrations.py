"""The data migrations encrypt rows written before encryption existed, build their blind
index, and, reversed, give the plaintext back: nothing is lost either way."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opennrm.cases.models import Person, PersonIndexToken
from opennrm.crypto import blind
from opennrm.detection.models import Concern, PreliminaryAssessment
from opennrm.support.models import ImmediateNeeds
from tests.security.helpers import raw_value

BEFORE = [
    ("cases", "0001_initial"),
    ("detection", "0001_initial"),
    ("support", "0002_comprehensive_support"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_indexed_and_recoverable(cast):
    try:
        executor = _migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        OldPerson = old.get_model("cases", "Person")
        OldCase = old.get_model("cases", "Case")
        OldConcern = old.get_model("detection", "Concern")
        OldAssessment = old.get_model("detection", "PreliminaryAssessment")
        OldNeeds = old.get_model("support", "ImmediateNeeds")
        person = OldPerson.objects.create(
            pseudonym="P-MIGR-0001",
            given_names="Natalia",
            family_name="Legacyova",
            aliases="Nata",
            date_of_birth=datetime.date(1993, 8, 9),
            gender_identity="Fictional",
        )
        empty = OldPerson.objects.create(pseudonym="P-MIGR-0002")
        case = OldCase.objects.create(
            reference="C-MIGR-0001",
            person=person,
            owner_id=cast.association.pk,
            territory_id=cast.association.territories.get().pk,
            channel="direct",
            detected_by_id=cast.association.pk,
            detected_on=datetime.date(2026, 1, 5),
            places="Fictional legacy place",
        )
        concern = OldConcern.objects.create(
            reference="S-MIGR-0001",
            channel="hotline",
            territory_id=case.territory_id,
            place_type="shop",
            description="Fictional legacy description",
            contact="legacy@example.org",
            triage_due=datetime.date(2026, 1, 7),
        )
        assessment = OldAssessment.objects.create(
            case=case,
            catalogue_version="2026.1",
            set_code="adults_labour",
            answers={"L1": {"answer": "yes", "note": "Fictional legacy note"}},
            reasons="Fictional legacy reasons",
            assessed_by_id=cast.amina.pk,
            organisation_id=cast.association.pk,
        )
        needs = OldNeeds.objects.create(
            case=case,
            notes="Fictional legacy needs",
            recorded_by_id=cast.amina.pk,
            organisation_id=cast.association.pk,
        )
        assert raw_value(person, "family_name") == "Legacyova"

        _migrate(_leaves())
        current = Person.objects.get(pk=person.pk)
        assert (current.given_names, current.family_name, current.aliases) == (
            "Natalia",
            "Legacyova",
            "Nata",
        )
        assert current.date_of_birth == datetime.date(1993, 8, 9)
        assert current.cases.get().places == "Fictional legacy place"
        assert Concern.objects.get(pk=concern.pk).contact == "legacy@example.org"
        assert PreliminaryAssessment.objects.get(pk=assessment.pk).answers["L1"]["note"] == (
            "Fictional legacy note"
        )
        assert ImmediateNeeds.objects.get(pk=needs.pk).notes == "Fictional legacy needs"
        for instance, field in [
            (current, "family_name"),
            (current, "date_of_birth"),
            (concern, "description"),
            (assessment, "answers"),
            (needs, "notes"),
        ]:
            assert str(raw_value(instance, field)).startswith("v1:test:"), field
        assert Person.objects.get(pk=empty.pk).given_names == ""
        # The blind index of existing persons is built by the migration.
        tokens = set(
            PersonIndexToken.objects.filter(person_id=person.pk).values_list("token", flat=True)
        )
        assert blind.keyed(blind.NAME, "legacyova") in tokens
        assert blind.keyed(blind.DOB, "1993-08-09") in tokens

        # Reversed: plaintext again, then forwards once more (the state the other tests expect).
        _migrate(BEFORE)
        assert raw_value(person, "family_name") == "Legacyova"
        assert str(raw_value(person, "date_of_birth")) == "1993-08-09"
        assert raw_value(needs, "notes") == "Fictional legacy needs"
        _migrate(_leaves())
        assert Person.objects.get(pk=person.pk).family_name == "Legacyova"
    finally:
        _migrate(_leaves())  # whatever happened, leave the schema the other tests expect
