"""Key rotation without downtime: a new key in front, old values still readable, then
`rotate_field_keys` re-encrypts everything, in batches, idempotently."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import CaseEvent, Person
from opennrm.crypto.cipher import key_id_of
from opennrm.crypto.fields import encrypted_fields
from opennrm.detection.models import PreliminaryAssessment
from tests.factories import CaseFactory, ConcernFactory, PersonFactory
from tests.security.helpers import new_key, raw_value

pytestmark = pytest.mark.django_db

OLD = new_key("old")
NEW = new_key("new2026")
OTHER = new_key("other")


def _rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


def _all_key_ids() -> dict[str, int]:
    """How many stored values each key id sealed, over every encrypted column."""
    from django.db import connection

    counts: dict[str, int] = {}
    quote = connection.ops.quote_name
    for model, field in encrypted_fields():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)}"  # noqa: S608
            )
            for (value,) in cursor.fetchall():
                if value:
                    key_id = key_id_of(str(value))
                    counts[str(key_id)] = counts.get(str(key_id), 0) + 1
    return counts


@pytest.fixture
def old_data(cast):
    with override_settings(OPENNRM_FIELD_KEYS=OLD):
        persons = [
            PersonFactory(
                given_names=f"Fictive{i}",
                family_name="Rotationova",
                aliases="Rota",
                date_of_birth=datetime.date(1990, 1, 1 + i),
            )
            for i in range(7)
        ]
        case = CaseFactory(person=persons[0], owner=cast.association, places="Fictional place")
        CaseEvent.objects.create(case=case, kind="status.x", note="Fictional note")
        PreliminaryAssessment.objects.create(
            case=case,
            catalogue_version="2026.1",
            set_code="adults_labour",
            answers={"L1": {"answer": "yes", "note": "Fictional"}},
            reasons="Fictional reasons",
            assessed_by=cast.amina,
            organisation=cast.association,
        )
        ConcernFactory(contact="Fictional contact")
    return persons


def test_rotation_re_encrypts_everything_and_old_data_stays_readable(old_data):
    assert set(_all_key_ids()) == {"old"}
    with override_settings(OPENNRM_FIELD_KEYS=f"{NEW},{OLD}"):
        # During the rotation: old values read, new values written with the new key.
        assert Person.objects.get(pk=old_data[3].pk).given_names == "Fictive3"
        fresh = PersonFactory(given_names="Newcomer")
        assert key_id_of(str(raw_value(fresh, "given_names"))) == "new2026"

        dry = _rotate("--dry-run")
        assert "dry run" in dry
        assert "cases.Person.given_names: 7 to re-encrypt" in dry
        assert _all_key_ids()["old"] > 0  # nothing written

        output = _rotate("--batch-size", "3")
        assert "cases.Person.given_names: 7 re-encrypted" in output
        assert "cases.Person.date_of_birth: 7 re-encrypted" in output
        assert "detection.PreliminaryAssessment.answers: 1 re-encrypted" in output
        assert set(_all_key_ids()) == {"new2026"}
        assert "Re-encrypted 0 value" in _rotate()  # idempotent
    # The old key can go: everything reads with the new one alone.
    with override_settings(OPENNRM_FIELD_KEYS=NEW):
        names = sorted(Person.objects.values_list("given_names", flat=True))
        assert names == [*(f"Fictive{i}" for i in range(7)), "Newcomer"]
        assert PreliminaryAssessment.objects.get().answers["L1"]["note"] == "Fictional"
    assert AuditEntry.objects.filter(action="crypto.rotate_field_keys").count() == 2


def test_values_no_configured_key_can_open_are_reported(old_data):
    with override_settings(OPENNRM_FIELD_KEYS=f"{NEW},{OLD}"):
        _rotate()
    with override_settings(OPENNRM_FIELD_KEYS=OTHER):
        PersonFactory(given_names="Sealed with other")
    with override_settings(OPENNRM_FIELD_KEYS=f"{NEW},{OLD}"):
        with pytest.raises(CommandError, match="could not be decrypted"):
            _rotate()
        # Readable values were not touched by the failure.
        assert Person.objects.filter(pk=old_data[0].pk).get().given_names == "Fictive0"


def test_the_documents_files_are_rotated_with_the_columns(cast, django_capture_on_commit_callbacks):
    """A document attached to a case is sealed with the field keys: `rotate_field_keys`
    re-seals its file too, and the old key can then go."""
    from opennrm.cases.evidence import Upload, attach_evidence, read_content, storage
    from opennrm.cases.models import Evidence
    from opennrm.demo.documents import fictional_pdf
    from tests.acting import actor_for

    content = fictional_pdf(["FICTIONAL - rotation"])
    with override_settings(OPENNRM_FIELD_KEYS=OLD):
        case = CaseFactory(owner=cast.association)
        document = attach_evidence(
            case,
            Upload(content, "pdf", "rotation.pdf"),
            kind="letter",
            actor=actor_for(cast.hugo),
        )
    old_name = document.storage_name
    with override_settings(OPENNRM_FIELD_KEYS=f"{NEW},{OLD}"):
        assert "cases.Evidence files: 1 to re-encrypt" in _rotate("--dry-run")
        with django_capture_on_commit_callbacks(execute=True):
            assert "cases.Evidence files: 1 re-encrypted" in _rotate()
        assert "cases.Evidence files: 0 re-encrypted" in _rotate()
    assert not storage().exists(old_name)
    with override_settings(OPENNRM_FIELD_KEYS=NEW):
        document = Evidence.objects.get(pk=document.pk)
        assert document.file_name == "rotation.pdf"
        assert read_content(document) == content
