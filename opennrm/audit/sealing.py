"""Sealing the audit trail in batches (ADR 0013).

`record` appends an entry sealed on its own (an HMAC over its content), with no lock. The
sealing job, every minute, takes the entries not sealed yet, in id order, and seals them as one
batch chained to the previous batch. Only the sealer serialises, never the application; an
entry's time before its seal is bounded by the job's period, and the audit viewer shows it.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from opennrm.audit.models import GENESIS, AuditBatch, AuditEntry
from opennrm.audit.trail import batch_digest, id_ranges

SEAL_EVERY = datetime.timedelta(minutes=1)
BATCH_MAX = 50_000  # entries in one batch; a backlog is sealed over several batches
_SEAL_LOCK = 7_160_202  # any constant: the PostgreSQL advisory lock of the sealer


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])


def seal_pending(limit: int = BATCH_MAX) -> AuditBatch | None:
    """Seal up to `limit` entries waiting for their seal, as one batch; None if none waits."""
    with transaction.atomic():
        _lock()
        pairs = list(
            AuditEntry.objects.filter(batch__isnull=True)
            .order_by("id")
            .values_list("id", "entry_hash")[:limit]
        )
        if not pairs:
            return None
        last = AuditBatch.objects.order_by("-id").only("root").first()
        batch = AuditBatch(
            sealed_at=timezone.now(),
            first_entry_id=pairs[0][0],
            last_entry_id=pairs[-1][0],
            entry_count=len(pairs),
            entry_ranges=id_ranges(pk for pk, _hash in pairs),
            entries_digest=batch_digest(pairs),
            previous_root=last.root if last else GENESIS,
        )
        batch.root = batch.compute_root()
        batch.save()
        sealed = AuditEntry.objects.filter(pk__in=[pk for pk, _hash in pairs]).seal_into(batch)
        if sealed != len(pairs):  # pragma: no cover - another sealer is excluded by the lock
            raise RuntimeError("Audit entries changed while they were sealed.")
    return batch


def seal_all(limit: int = BATCH_MAX) -> list[AuditBatch]:
    """Seal every entry waiting, in as many batches as needed."""
    batches = []
    while (batch := seal_pending(limit)) is not None:
        batches.append(batch)
    return batches


@dataclass(frozen=True)
class Pending:
    """Entries not sealed yet: how many, and since when the oldest waits."""

    count: int
    oldest: datetime.datetime | None
    last_sealed_at: datetime.datetime | None

    @property
    def overdue(self) -> bool:
        """Waiting longer than a few periods of the sealing job: is the job running?"""
        if self.oldest is None:
            return False
        return timezone.now() - self.oldest > 5 * SEAL_EVERY


def pending() -> Pending:
    waiting = AuditEntry.objects.filter(batch__isnull=True).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    last = AuditBatch.objects.order_by("-id").values_list("sealed_at", flat=True).first()
    return Pending(count=waiting["count"], oldest=waiting["oldest"], last_sealed_at=last)
