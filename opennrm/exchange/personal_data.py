"""What HTCDS exchange tells data protection (`opennrm.privacy.holders`): the record imported
with a concern closed at triage without a case is deleted when the concern's content is erased
(after the profile's `retention.concern_months`, counted from the triage), since it repeats that
content."""

import datetime
from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.detection.enums import ConcernStatus
from opennrm.detection.models import Concern
from opennrm.exchange.models import ImportedRecord
from opennrm.privacy.holders import ErasureSource, register_erasure_source


def _closed() -> "QuerySet[Concern]":
    """Closed at triage without a case, erased or not (the concern's own erasure may run
    first, in the same retention run)."""
    return Concern.objects.filter(
        status=ConcernStatus.CLOSED, case__isnull=True, triaged_at__isnull=False
    )


def candidates() -> Iterator[tuple[int, datetime.datetime]]:
    closed = _closed()
    rows = (
        ImportedRecord.objects.filter(concern__in=closed)
        .order_by("pk")
        .values_list("pk", "concern__triaged_at")
    )
    for pk, triaged_at in rows:
        if triaged_at is not None:
            yield pk, triaged_at


def erase_record(record_id: int, actor: Actor, now: datetime.datetime) -> bool:
    with transaction.atomic():
        closed = _closed()
        imported = (
            ImportedRecord.objects.select_for_update()
            .filter(pk=record_id, concern__in=closed)
            .first()
        )
        if imported is None:
            return False
        concern_id = imported.concern_id
        imported.delete()
        record(
            "retention.erase_htcds_record",
            actor=actor,
            object_type="detection.concern",
            object_id=str(concern_id),
            details={},
        )
    return True


register_erasure_source(
    ErasureSource(name="htcds_records", candidates=candidates, erase=erase_record)
)
