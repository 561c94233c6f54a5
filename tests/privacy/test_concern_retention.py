"""Retention of concerns (GDPR storage limitation): a concern closed at triage without a case
keeps its content for the profile's `retention.concern_months` after its triage, then the
retention run erases what was seen, the town, the reporter's contact, the closing note and who
entered it, and keeps a statistical skeleton. A dry run first, counts only. A concern that
opened a case or was attached to one follows the case: nothing separate, and the case's
anonymisation leaves none of its narrative.

The texts below appear nowhere else: finding them proves the content is still held."""

import datetime
import io
import json
import re
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import Case
from opennrm.detection import actions
from opennrm.detection.enums import ConcernStatus
from opennrm.detection.models import Concern
from opennrm.privacy.models import CaseRetention, RetentionStage
from opennrm.privacy.retention import add_months, mark_closed, run_retention
from opennrm.profiles.loader import active_profile
from tests.factories import CaseFactory, ConcernFactory
from tests.privacy.conftest import acting

TODAY = datetime.date(2031, 6, 15)
SEEN = {
    "old": "Fictional: Quillonberry sleeps in the van behind the Zephyrine depot.",
    "boundary": "Fictional: Marravelle works nights at the Orbisque laundry.",
    "recent": "Fictional: Tasmindor is kept in the Hollowquay kitchen.",
    "case": "Fictional: Vesperlund never leaves the Glimmerstrand farm.",
    "attached": "Fictional: Ombrevalle carries crates at the Kestrelmoor yard.",
}
CONTACT = {key: f"reporter-{key}-fictional@example.invalid" for key in SEEN}
NOTE = {key: f"Fictional note about Nimbleworth-{key}." for key in SEEN}
TOWN = {key: f"Fictionaltown-{key}" for key in SEEN}
ENCRYPTED = ("description", "contact", "closing_note")


@pytest.fixture(params=["fr", "osce"])
def profile(request, settings):
    """Both shipped profiles: each sets the period of concerns closed at triage."""
    settings.OPENNRM_PROFILE = request.param
    return request.param


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _concern(cast, key: str, **values) -> Concern:
    return ConcernFactory(
        description=SEEN[key],
        contact=CONTACT[key],
        commune=TOWN[key],
        channel="hotline",
        created_by=cast.amina,
        created_for=cast.association,
        **values,
    )


def _triaged_on(concern: Concern, day: datetime.date) -> None:
    """As if the concern had been received a week before, and triaged on `day`."""
    Concern.objects.filter(pk=concern.pk).update(
        received_at=_moment(day - datetime.timedelta(days=7)),
        triage_due=day - datetime.timedelta(days=5),
        triaged_at=_moment(day),
    )
    concern.refresh_from_db()


def raw(concern: Concern) -> dict[str, str | None]:
    """The encrypted columns as the database holds them (ciphertext, not what Python reads)."""
    table = connection.ops.quote_name(Concern._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in ENCRYPTED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [concern.pk])  # noqa: S608 (names from the model)
        row = cursor.fetchone()
    return dict(zip(ENCRYPTED, row, strict=True))


def every_text_in_the_database() -> str:
    """Every value of every row of every model (decrypted, as the application reads it)."""
    parts = []
    for model in apps.get_models():
        if model._meta.label_lower in {"audit.auditentry", "sessions.session"}:
            continue
        for row in model._base_manager.all():
            parts.extend(str(field.value_from_object(row)) for field in model._meta.concrete_fields)
    return "\n".join(parts)


def skeleton(concern: Concern) -> dict[str, object]:
    """What statistics need of a concern: kept by retention."""
    concern = Concern.objects.get(pk=concern.pk)
    return {
        name: getattr(concern, name)
        for name in (
            "reference",
            "received_at",
            "channel",
            "territory_id",
            "place_type",
            "sector",
            "signs",
            "child_involved",
            "created_for_id",
            "status",
            "triage_due",
            "triaged_at",
            "triaged_by_id",
            "case_id",
            "closing_reason",
        )
    }


def statistics() -> Counter:
    counts: Counter = Counter()
    for concern in Concern.objects.all():
        counts["territory", concern.territory_id] += 1
        counts["status", concern.status] += 1
        counts["reason", concern.closing_reason] += 1
        counts["sector", concern.sector] += 1
        counts["month", timezone.localdate(concern.received_at).strftime("%Y-%m")] += 1
    return counts


@pytest.fixture
def world(cast, profile):
    """Concerns received by Association 93 and triaged by Louis (coordination 93)."""
    months = active_profile().retention.concern_months
    assert months == 12
    request = acting(cast.louis)
    concerns = {key: _concern(cast, key) for key in SEEN}
    for key in ("old", "boundary", "recent"):
        actions.close_concern(
            concerns[key], reason="not_trafficking", note=NOTE[key], actor=request
        )
    case = actions.open_case_from_concern(concerns["case"], owner=cast.association, actor=request)
    existing = CaseFactory(owner=cast.association)
    actions.attach_concern(concerns["attached"], case=existing, actor=request)
    expired = add_months(TODAY, -months)
    _triaged_on(concerns["old"], expired - datetime.timedelta(days=40))
    _triaged_on(concerns["boundary"], expired)  # due on TODAY exactly
    _triaged_on(concerns["recent"], expired + datetime.timedelta(days=1))
    _triaged_on(concerns["case"], expired - datetime.timedelta(days=400))
    _triaged_on(concerns["attached"], expired - datetime.timedelta(days=400))
    concerns["new"] = ConcernFactory(
        description="Fictional: never triaged.", contact="untriaged@example.invalid"
    )
    _triaged_on(concerns["new"], expired - datetime.timedelta(days=400))
    Concern.objects.filter(pk=concerns["new"].pk).update(triaged_at=None)
    concerns["case"].refresh_from_db()
    assert concerns["case"].case_id == case.pk
    return concerns


def _assert_untouched(concern: Concern, key: str) -> None:
    columns = raw(concern)
    for name in ENCRYPTED:
        value = columns[name]
        if name == "closing_note" and key in ("case", "attached"):
            assert value == ""  # no closing note when a case took it
            continue
        assert value is not None
        assert value.startswith("v1:")
    fresh = Concern.objects.get(pk=concern.pk)
    assert fresh.description == SEEN[key]
    assert fresh.contact == CONTACT[key]
    assert fresh.commune == TOWN[key]
    assert fresh.created_by_id is not None
    assert fresh.content_erased_at is None


def test_the_dry_run_counts_and_changes_nothing(cast, world):
    before = {key: (raw(concern), skeleton(concern)) for key, concern in world.items()}
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", f"--today={TODAY.isoformat()}", stdout=out)
    report = out.getvalue()
    assert "Dry run" in report
    assert "content erased 12 months after triage" in report
    assert "concerns closed at triage without a case, content to erase: 2" in report
    assert "concerns closed at triage without a case, still kept: 1" in report
    assert "concerns erased" not in report
    for key, concern in world.items():
        assert concern.reference not in report
        assert (raw(concern), skeleton(concern)) == before[key]
    for key in SEEN:
        assert SEEN[key] not in report
        assert CONTACT[key] not in report
    assert not Concern.objects.filter(content_erased_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="retention.erase_concern").exists()
    dry = AuditEntry.objects.get(action="retention.dry_run")
    assert dry.details["concerns_to_erase"] == 2
    assert dry.details["concerns_kept"] == 1
    assert dry.details["concern_months"] == 12


def test_the_run_erases_the_content_and_keeps_the_skeleton(cast, world):
    before_statistics = statistics()
    before = {key: skeleton(concern) for key, concern in world.items()}
    out = io.StringIO()
    call_command("apply_retention", f"--today={TODAY.isoformat()}", stdout=out)
    report = out.getvalue()
    assert "Applied" in report
    assert "concerns closed at triage without a case, content to erase: 2" in report
    assert "concerns erased: 2" in report

    for key in ("old", "boundary"):
        concern = world[key]
        # The ciphertext is gone from the columns, not only unreadable.
        assert raw(concern) == {"description": "", "contact": "", "closing_note": ""}
        erased = Concern.objects.get(pk=concern.pk)
        assert erased.description == ""
        assert erased.contact == ""
        assert erased.closing_note == ""
        assert erased.commune == ""
        assert erased.created_by_id is None
        assert erased.content_erased_at is not None
        # The statistical skeleton is the same, to the second.
        assert skeleton(erased) == before[key]
        assert erased.status == ConcernStatus.CLOSED
        assert erased.closing_reason == "not_trafficking"
        assert erased.signs == ["housed_at_work", "long_hours"]

        # One audit entry per concern, ids only.
        entry = AuditEntry.objects.get(action="retention.erase_concern", object_id=str(concern.pk))
        assert entry.object_type == "detection.concern"
        assert entry.details == {"territory": concern.territory_id}
        assert entry.actor_id is None
    assert AuditEntry.objects.filter(action="retention.erase_concern").count() == 2
    trail = json.dumps(
        [
            [entry.action, entry.object_type, entry.object_id, entry.details]
            for entry in AuditEntry.objects.all()
        ]
    )
    for key in SEEN:
        for secret in (SEEN[key], CONTACT[key], NOTE[key], TOWN[key]):
            assert secret not in trail
    run = AuditEntry.objects.get(action="retention.run")
    assert run.details["concerns_erased"] == 2
    assert run.details["concerns_to_erase"] == 2

    # Counts keep working, and the erased content is nowhere in the database.
    assert statistics() == before_statistics
    everything = every_text_in_the_database()
    for key in ("old", "boundary"):
        for secret in (SEEN[key], CONTACT[key], NOTE[key], TOWN[key]):
            assert secret not in everything

    # Before its period, and whatever became part of a case (or was never triaged): untouched.
    for key in ("recent", "case", "attached"):
        _assert_untouched(world[key], key)
    assert Concern.objects.get(pk=world["new"].pk).description == "Fictional: never triaged."

    # A second run finds nothing more to do.
    again = run_retention(TODAY)
    assert again.counts["concerns_to_erase"] == 0
    assert again.counts["concerns_erased"] == 0
    assert AuditEntry.objects.filter(action="retention.erase_concern").count() == 2


def test_a_concern_is_erased_once_even_if_asked_twice(cast, world):
    from django.utils import timezone

    from opennrm.core.acting import Actor
    from opennrm.detection.personal_data import erase_concern

    def erase(pk: int) -> bool:
        return erase_concern(pk, Actor.system("retention"), timezone.now())

    assert erase(world["old"].pk)
    assert not erase(world["old"].pk)
    # Never one that is part of a case, nor one still to triage.
    assert not erase(world["case"].pk)
    assert not erase(world["new"].pk)
    assert AuditEntry.objects.filter(action="retention.erase_concern").count() == 1
    _assert_untouched(world["case"], "case")


def test_the_period_runs_from_the_triage(cast, world):
    months = active_profile().retention.concern_months
    recent_day = timezone.localdate(world["recent"].triaged_at)
    report = run_retention(add_months(recent_day, months) - datetime.timedelta(days=1))
    assert world["recent"].pk not in report.concerns_to_erase
    report = run_retention(add_months(recent_day, months))
    assert world["recent"].pk in report.concerns_to_erase
    assert raw(world["recent"])["description"] == ""


def test_a_concern_turned_into_a_case_follows_the_case(cast, world):
    """Nothing separate while the case lives; the case's anonymisation leaves no narrative of
    its concern (nor of one attached to it)."""
    run_retention(TODAY)
    _assert_untouched(world["case"], "case")
    _assert_untouched(world["attached"], "attached")

    # The cases end; years later they are anonymised, with what hangs off them.
    case = Case.objects.get(pk=world["case"].case_id)
    attached_to = Case.objects.get(pk=world["attached"].case_id)
    retention = active_profile().retention
    long_ago = add_months(TODAY, -(retention.active_months + retention.archive_months + 1))
    mark_closed(case, _moment(long_ago))
    mark_closed(attached_to, _moment(long_ago))
    report = run_retention(TODAY)
    assert report.counts["anonymise"] == 2
    assert report.counts["concerns_to_erase"] == 0
    stages = dict(CaseRetention.objects.values_list("case_id", "stage"))
    assert stages[case.pk] == RetentionStage.ANONYMISED
    assert stages[attached_to.pk] == RetentionStage.ANONYMISED

    for key in ("case", "attached"):
        concern = Concern.objects.get(pk=world[key].pk)
        assert raw(concern) == {"description": "", "contact": "", "closing_note": ""}
        assert concern.commune == ""
        assert concern.case_id is not None  # still counted with its case
        assert concern.status in (ConcernStatus.CASE_OPENED, ConcernStatus.ATTACHED)
    # No narrative of the concerns anywhere in what the application reads (the audit trail
    # holds ids only, checked above).
    everything = every_text_in_the_database()
    for key in ("case", "attached"):
        for secret in (SEEN[key], CONTACT[key], TOWN[key]):
            assert secret not in everything
    # The concerns erased at triage's end and those of the anonymised cases are gone; the one
    # still within its period is not.
    assert SEEN["recent"] in everything


def test_the_dpo_page_counts_the_concerns_to_erase(cast, profile):
    """The data protection officer's retention page says how many concerns the next run
    erases, in counts only."""
    today = timezone.localdate()
    months = active_profile().retention.concern_months
    request = acting(cast.louis)
    old, recent = _concern(cast, "old"), _concern(cast, "recent")
    for concern in (old, recent):
        actions.close_concern(concern, reason="not_trafficking", note=NOTE["old"], actor=request)
    _triaged_on(old, add_months(today, -months) - datetime.timedelta(days=3))
    _triaged_on(recent, today - datetime.timedelta(days=3))
    html = cast.client_for(cast.robert).get(reverse("web:privacy_retention")).content.decode()
    table = html[html.index('id="retention-concerns"') :]
    table = table[: table.index("</table>")]
    cells = re.findall(r"<td>\s*(\d+)\s*</td>", table)
    assert cells == ["1", "1"]  # to erase, still kept
    for text in (SEEN["old"], CONTACT["old"], old.reference):
        assert text not in html
