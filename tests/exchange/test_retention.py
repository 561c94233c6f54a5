"""The record imported with a concern closed at triage without a case is deleted when the
retention run erases the concern's content."""

import datetime
import json

import pytest
from django.utils import timezone

from opennrm.core.models import Territory
from opennrm.detection.actions import close_concern
from opennrm.detection.models import Concern
from opennrm.exchange.importing import import_records, read_file
from opennrm.exchange.models import ImportedRecord
from opennrm.privacy.retention import add_months, run_retention
from opennrm.profiles.loader import active_profile
from tests.acting import actor_for
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_the_imported_record_goes_with_the_concerns_content(cast: Cast) -> None:
    records = [{"vic_TypeOfExploitation": ["ForcedLabour"], "prs_FirstName": "Fictivia"}] * 2
    report = read_file(json.dumps(records).encode(), "two.json")
    actor = actor_for(cast.louis)
    import_records(actor, report, file_name="two.json", territory=Territory.objects.get(code="93"))
    closed, kept = Concern.objects.order_by("pk")
    close_concern(closed, reason="insufficient", note="Fictional.", actor=actor)
    triaged = timezone.localdate(Concern.objects.get(pk=closed.pk).triaged_at)
    day = add_months(triaged, active_profile().retention.concern_months)
    run_retention(day - datetime.timedelta(days=1))
    assert ImportedRecord.objects.count() == 2
    run_retention(day)
    assert list(ImportedRecord.objects.values_list("concern_id", flat=True)) == [kept.pk]


def test_the_case_opened_from_an_imported_concern_anonymises_its_record(cast: Cast) -> None:
    from opennrm.detection.actions import open_case_from_concern
    from opennrm.privacy.anonymise import anonymise_case

    records = [{"vic_TypeOfExploitation": ["ForcedLabour"], "prs_FirstName": "Fictivia"}]
    report = read_file(json.dumps(records).encode(), "one.json")
    actor = actor_for(cast.louis)
    import_records(actor, report, file_name="one.json", territory=Territory.objects.get(code="93"))
    case = open_case_from_concern(Concern.objects.get(), owner=cast.association, actor=actor)
    anonymise_case(case, actor=actor)
    imported = ImportedRecord.objects.get()
    assert "Fictivia" not in json.dumps(imported.record)
    assert "Fictivia" not in json.dumps(imported.codes)
